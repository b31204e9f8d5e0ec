package main

import (
	"bufio"
	"encoding/hex"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

// decode writes one JSON object per PDU of the input to w; from a live
// capture, each as soon as it is decoded. With several workers, their lines
// are merged in frame order at each Sync (see merger).
func decode(w *bufio.Writer, in input) error {
	m := newMerger(w, in.workers, in.live)
	_, err := in.read(func(i int) consumer {
		var j jsonSink
		var buf []byte
		return consumer{sink: &j, each: func(p *pcapx.PDU, r dissect.Result) error {
			buf = j.appendPDU(buf[:0], p, r)
			j.reset()
			return m.write(i, p.Frame, buf)
		}}
	}, m.sync)
	if err == nil {
		err = m.err()
	}
	if err == nil {
		err = flushOutput(w)
	}
	return err
}

// jsonSink collects the fields of one PDU, grouping repeated names into
// arrays in order of first appearance.
type jsonSink struct {
	fields []jsonField
	vals   []byte // rendered values, each field's values as a list of ranges
}

type jsonField struct {
	name string
	vals []span
}

type span struct{ start, end int }

func (j *jsonSink) reset() {
	for i := range j.fields {
		j.fields[i].vals = j.fields[i].vals[:0]
	}
	j.fields = j.fields[:0]
	j.vals = j.vals[:0]
}

func (j *jsonSink) add(name string, start int) {
	s := span{start, len(j.vals)}
	for i := len(j.fields) - 1; i >= 0; i-- {
		if j.fields[i].name == name {
			j.fields[i].vals = append(j.fields[i].vals, s)
			return
		}
	}
	if len(j.fields) < cap(j.fields) {
		j.fields = j.fields[:len(j.fields)+1]
		f := &j.fields[len(j.fields)-1]
		f.name = name
		f.vals = append(f.vals[:0], s)
		return
	}
	j.fields = append(j.fields, jsonField{name: name, vals: []span{s}})
}

func (j *jsonSink) Uint(name string, v uint64) {
	s := len(j.vals)
	j.vals = strconv.AppendUint(j.vals, v, 10)
	j.add(name, s)
}

func (j *jsonSink) Int(name string, v int64) {
	s := len(j.vals)
	j.vals = strconv.AppendInt(j.vals, v, 10)
	j.add(name, s)
}

func (j *jsonSink) Float(name string, v float64) {
	s := len(j.vals)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		j.vals = appendJSONString(j.vals, strconv.FormatFloat(v, 'g', -1, 64))
	} else {
		j.vals = strconv.AppendFloat(j.vals, v, 'g', -1, 64)
	}
	j.add(name, s)
}

func (j *jsonSink) Bool(name string, v bool) {
	s := len(j.vals)
	j.vals = strconv.AppendBool(j.vals, v)
	j.add(name, s)
}

func (j *jsonSink) Text(name string, v []byte) {
	s := len(j.vals)
	j.vals = appendJSONBytes(j.vals, v)
	j.add(name, s)
}

func (j *jsonSink) Bytes(name string, v []byte) {
	s := len(j.vals)
	j.vals = append(j.vals, '"')
	j.vals = hex.AppendEncode(j.vals, v)
	j.vals = append(j.vals, '"')
	j.add(name, s)
}

func (j *jsonSink) appendPDU(b []byte, p *pcapx.PDU, r dissect.Result) []byte {
	b = append(b, `{"frame":`...)
	b = strconv.AppendInt(b, int64(p.Frame), 10)
	b = append(b, `,"time":"`...)
	b = p.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","proto":"`...)
	b = append(b, p.Proto.String()...)
	b = append(b, `","transport":"`...)
	b = append(b, p.Transport.String()...)
	b = append(b, `","src":"`...)
	b = p.Src.AppendTo(b)
	b = append(b, `","dst":"`...)
	b = p.Dst.AppendTo(b)
	b = append(b, `","dir":"`...)
	if p.ToServer {
		b = append(b, "to-server"...)
	} else {
		b = append(b, "to-client"...)
	}
	b = append(b, `","func":`...)
	b = appendJSONString(b, r.Func)
	if r.Err != nil {
		b = append(b, `,"error":`...)
		b = appendJSONString(b, r.Err.Error())
	}
	if p.Gap {
		b = append(b, `,"gap":true`...)
	}
	b = append(b, `,"fields":{`...)
	for i, f := range j.fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, f.name)
		b = append(b, ':')
		if len(f.vals) == 1 {
			b = append(b, j.vals[f.vals[0].start:f.vals[0].end]...)
			continue
		}
		b = append(b, '[')
		for k, s := range f.vals {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, j.vals[s.start:s.end]...)
		}
		b = append(b, ']')
	}
	return append(b, "}}\n"...)
}

func appendJSONString(b []byte, s string) []byte {
	return appendJSONBytes(b, []byte(s))
}

// appendJSONBytes appends v as a JSON string; bytes that are not valid UTF-8
// become U+FFFD.
func appendJSONBytes(b []byte, v []byte) []byte {
	b = append(b, '"')
	for len(v) > 0 {
		r, n := utf8.DecodeRune(v)
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			switch r {
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
			}
		case r == utf8.RuneError && n <= 1:
			b = append(b, "\\ufffd"...)
		default:
			b = append(b, v[:n]...)
		}
		v = v[n:]
	}
	return append(b, '"')
}
