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

// counts are the counts of one worker.
type counts struct {
	funcs, errs counter
	anomalies   *anomalySink
}

func newCounts() *counts {
	return &counts{funcs: counter{}, errs: counter{}, anomalies: &anomalySink{c: counter{}}}
}

func (c *counts) consumer() consumer {
	return consumer{sink: c.anomalies, before: func(p *pcapx.PDU) { c.anomalies.proto = p.Proto }, each: func(p *pcapx.PDU, r dissect.Result) error {
		c.funcs.add(p.Proto, r.Func)
		if r.Err != nil {
			c.errs.add(p.Proto, r.Err.Error())
		}
		return nil
	}}
}

// merge adds the counts of o to c.
func (c counter) merge(o counter) {
	for p, m := range o {
		for k, n := range m {
			if c[p] == nil {
				c[p] = map[string]int{}
			}
			c[p][k] += n
		}
	}
}

// summary writes counts of the input's frames, and per protocol its
// functions, errors and anomalies, flows and buffers.
func summary(w *bufio.Writer, in input) error {
	all := make([]*counts, max(in.workers, 1))
	for i := range all {
		all[i] = newCounts()
	}
	st, err := in.read(func(i int) consumer { return all[i].consumer() }, nil)
	if st.Frames == 0 && err != nil {
		return err
	}
	funcs, errs, anomalies := counter{}, counter{}, counter{}
	for _, c := range all {
		funcs.merge(c.funcs)
		errs.merge(c.errs)
		anomalies.merge(c.anomalies.c)
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
	if st.IPTruncated > 0 {
		fmt.Fprintf(w, "  cut short (IP length beyond the frame): %d\n", st.IPTruncated)
	}
	if st.Reassembled > 0 || st.FragmentDrops > 0 {
		fmt.Fprintf(w, "ip fragments: %d datagrams reassembled, %d dropped\n", st.Reassembled, st.FragmentDrops)
	}
	var evicted, idle, refused, drops, dropBytes uint64
	for _, ps := range st.Protocols {
		evicted += ps.Evicted
		idle += ps.Idle
		refused += ps.Refused
		drops += ps.BudgetDrops
		dropBytes += ps.BudgetDropBytes
	}
	fmt.Fprintf(w, "flow table: at most %d flows at once (bound %d), %s; %d evicted, %d ended idle, %d refused (table full)\n",
		st.PeakFlows, st.MaxFlows, size(st.TableBytes), evicted, idle, refused)
	fmt.Fprintf(w, "stream buffers: peak %s of a %s budget; %d dropped for the budget (%d bytes)\n",
		size(st.BufferedPeak), size(st.MemoryBudget), drops, dropBytes)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for p := pcapx.Protocol(1); p < pcapx.Protocol(pcapx.NumProtocols); p++ {
		ps := st.Protocols[p]
		if ps.PDUs == 0 && ps.Frames == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d PDUs in %d frames, %d bytes; %d flows, %d gaps, %d retransmissions, %d resync bytes\n",
			p, ps.PDUs, ps.Frames, ps.Bytes, ps.Flows, ps.Gaps, ps.Duplicates, ps.ResyncBytes)
		if ps.Evicted+ps.Idle+ps.Refused+ps.BudgetDrops+ps.Oversize > 0 {
			fmt.Fprintf(w, "  flows evicted %d, ended idle %d, refused %d; PDUs over the size bound %d; buffers dropped for the budget %d (%d bytes)\n",
				ps.Evicted, ps.Idle, ps.Refused, ps.Oversize, ps.BudgetDrops, ps.BudgetDropBytes)
		}
		for _, sec := range []struct {
			title string
			m     map[string]int
		}{{"function", funcs[p]}, {"error", errs[p]}, {"anomaly", anomalies[p]}} {
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

// size formats a byte count in MiB, or KiB below one MiB.
func size(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
