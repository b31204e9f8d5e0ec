package main

import (
	"bufio"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

// counter counts names per protocol.
type counter map[pcapx.Protocol]map[string]int

func (c counter) add(p pcapx.Protocol, name string) {
	m := c[p]
	if m == nil {
		m = map[string]int{}
		c[p] = m
	}
	m[name]++
}

// anomalySink counts the anomaly fields of each PDU and ignores the rest.
type anomalySink struct {
	proto pcapx.Protocol
	c     counter
}

func (a *anomalySink) Uint(string, uint64)   {}
func (a *anomalySink) Int(string, int64)     {}
func (a *anomalySink) Float(string, float64) {}
func (a *anomalySink) Bool(string, bool)     {}
func (a *anomalySink) Bytes(string, []byte)  {}
func (a *anomalySink) Text(name string, v []byte) {
	if strings.HasSuffix(name, ".anomaly") {
		a.c.add(a.proto, string(v))
	}
}

// summary writes counts of the input's frames, and per protocol its
// functions, errors and anomalies.
func summary(w *bufio.Writer, in input) error {
	funcs, errs := counter{}, counter{}
	anomalies := &anomalySink{c: counter{}}
	var pdus [pcapx.NumProtocols]int
	st, err := in.read(anomalies, func(p *pcapx.PDU) { anomalies.proto = p.Proto }, func(p *pcapx.PDU, r dissect.Result) error {
		pdus[p.Proto]++
		funcs.add(p.Proto, r.Func)
		if r.Err != nil {
			errs.add(p.Proto, r.Err.Error())
		}
		return nil
	})
	if st.Frames == 0 && err != nil {
		return err
	}
	if in.live {
		fmt.Fprintf(w, "interface %s\n", in.name)
	} else {
		fmt.Fprintf(w, "%s\n", in.name)
	}
	fmt.Fprintf(w, "frames %d: decoded %d, malformed %d, not ours %d\n", st.Frames, st.Decoded, st.Malformed, st.NotOurs)
	for r := pcapx.Reason(1); r < pcapx.NumReasons; r++ {
		if n := st.MalformedBy[r]; n > 0 {
			fmt.Fprintf(w, "  malformed, %s: %d\n", r, n)
		}
	}
	for s := pcapx.Skip(0); s < pcapx.NumSkips; s++ {
		if n := st.NotOursBy[s]; n > 0 {
			fmt.Fprintf(w, "  not ours, %s: %d\n", s, n)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for p := pcapx.Protocol(1); p < pcapx.Protocol(pcapx.NumProtocols); p++ {
		ps := st.Protocols[p]
		if ps.PDUs == 0 && ps.Frames == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d PDUs in %d frames, %d bytes; %d flows, %d gaps, %d retransmissions, %d resync bytes\n",
			p, ps.PDUs, ps.Frames, ps.Bytes, ps.Flows, ps.Gaps, ps.Duplicates, ps.ResyncBytes)
		for _, sec := range []struct {
			title string
			m     map[string]int
		}{{"function", funcs[p]}, {"error", errs[p]}, {"anomaly", anomalies.c[p]}} {
			if len(sec.m) == 0 {
				continue
			}
			for _, kv := range sorted(sec.m) {
				fmt.Fprintf(tw, "  %s\t%s\t%d\t\n", sec.title, kv.k, kv.n)
			}
		}
		tw.Flush()
	}
	if ferr := flushOutput(w); ferr != nil {
		return ferr
	}
	return err
}

type kv struct {
	k string
	n int
}

func sorted(m map[string]int) []kv {
	out := make([]kv, 0, len(m))
	for k, n := range m {
		out = append(out, kv{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].k < out[j].k
	})
	return out
}
