package conformance

import (
	"encoding/hex"
	"strconv"
	"unicode/utf8"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

// collector is a dissect.Sink that keeps the values of the fields it is asked
// to keep, per frame, as strings.
type collector struct {
	keep   map[string]bool
	frames map[int]frameFields
	cur    frameFields
}

func (c *collector) add(name, v string) {
	if c.keep[name] {
		c.cur[name] = append(c.cur[name], v)
	}
}

func (c *collector) Uint(name string, v uint64)   { c.add(name, strconv.FormatUint(v, 10)) }
func (c *collector) Int(name string, v int64)     { c.add(name, strconv.FormatInt(v, 10)) }
func (c *collector) Float(name string, v float64) { c.add(name, strconv.FormatFloat(v, 'g', -1, 64)) }
func (c *collector) Bytes(name string, v []byte)  { c.add(name, hex.EncodeToString(v)) }
func (c *collector) Text(name string, v []byte)   { c.add(name, textString(v)) }
func (c *collector) Bool(name string, v bool) {
	if v {
		c.add(name, "1")
	} else {
		c.add(name, "0")
	}
}

// textString renders bytes as tshark renders a string field: printable
// characters as they are, others escaped as \xNN.
func textString(v []byte) string {
	b := make([]byte, 0, len(v))
	for len(v) > 0 {
		r, n := utf8.DecodeRune(v)
		switch {
		case r == utf8.RuneError && n <= 1:
			b = append(b, '\\', 'x', hexDigit(v[0]>>4), hexDigit(v[0]&15))
		case r < 0x20 || r == 0x7f:
			switch r {
			case '\a':
				b = append(b, '\\', 'a')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\v':
				b = append(b, '\\', 'v')
			default:
				b = append(b, '\\', 'x', hexDigit(byte(r)>>4), hexDigit(byte(r)&15))
			}
		default:
			b = append(b, v[:n]...)
		}
		v = v[n:]
	}
	return string(b)
}

func hexDigit(b byte) byte { return "0123456789abcdef"[b&15] }

// ourFrames decodes file through pcapx and internal/dissect and returns the
// fields of spec's protocol per frame (spec's fields and the extra ones that
// rule conditions read), for every frame in which at least one PDU of that
// protocol was dissected.
func ourFrames(file string, spec Spec, extra []string) (map[int]frameFields, error) {
	c := &collector{keep: map[string]bool{}, frames: map[int]frameFields{}}
	for _, f := range spec.Fields {
		c.keep[f] = true
	}
	for _, f := range extra {
		c.keep[f] = true
	}
	var d dissect.Dissector
	handler := func(p *pcapx.PDU) error {
		if p.Proto != spec.Proto {
			return nil
		}
		ff := c.frames[p.Frame]
		if ff == nil {
			ff = frameFields{}
			c.frames[p.Frame] = ff
		}
		c.cur = ff
		err := d.PDU(c, p).Err
		if len(ff) == 0 {
			// Nothing decoded (a partial PDU at the end of a stream,
			// say): the frame is not one we decode.
			delete(c.frames, p.Frame)
		}
		return err
	}
	err := decodeFile(file, spec, handler, d.OnFlow)
	return c.frames, err
}

// decodeFile runs file through pcapx with spec's extra ports, calling handler
// for each PDU.
func decodeFile(file string, spec Spec, handler pcapx.Handler, onFlow func(*pcapx.FlowEvent)) error {
	cfg := pcapx.Config{Handler: handler, OnFlow: onFlow}
	for _, p := range spec.Ports {
		cfg.Ports = append(cfg.Ports, pcapx.Port{Transport: p.Transport, Port: p.Port, Proto: spec.Proto})
	}
	_, err := pcapx.ReadFile(file, cfg)
	return err
}
