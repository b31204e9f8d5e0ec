package fuzz

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// cut marks a table row whose operation follows the cutting of a segment.
const cut OpKind = 0x80

// TableEnv asks TestAdversarialTable for its table: the number of random
// damages per stream and operation.
const TableEnv = "ICSDISSECT_FUZZ_TABLE"

// TestAdversarialTable damages every stream seed with random operations of
// each kind, one kind at a time, with every strict check on (ICSDISSECT_
// FUZZ_STRICT=all), and prints per protocol and operation how many trials
// broke which invariant, with an example each: what the pcapx and protocol
// engineers have left to do. It runs only when ICSDISSECT_FUZZ_TABLE gives
// the number of trials, and never fails.
func TestAdversarialTable(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv(TableEnv))
	if n <= 0 {
		t.Skipf("set %s to the number of trials per stream and operation", TableEnv)
	}
	streams, err := LoadStreams(filepath.Join("testdata", "fuzz", "FuzzStream"))
	if err != nil || len(streams) == 0 {
		t.Skipf("no stream seeds: %v", err)
	}
	r := NewRunner()
	r.Waive = WaiversFromEnv()
	all := Checks{Resync: true, Spoof: true, Inject: true}
	type cell struct {
		trials  int
		fails   map[string]int
		example map[string]string
	}
	table := map[string]*cell{}
	rnd := uint64(0x9e3779b97f4a7c15)
	next := func(k int) int {
		rnd ^= rnd << 13
		rnd ^= rnd >> 7
		rnd ^= rnd << 17
		return int(rnd % uint64(k))
	}
	// Each kind alone, and swaps, drops, SYNs and RSTs after cutting a
	// segment in two, so that they fall inside PDUs.
	kinds := []OpKind{OpSwap, OpDrop, OpOverlap, OpBogus, OpSYN, OpRST, OpSwap | cut, OpDrop | cut, OpSYN | cut, OpRST | cut}
	for _, c := range streams {
		for _, kk := range kinds {
			kind := kk &^ cut
			name := kind.String()
			if kk&cut != 0 {
				name = "cut+" + name
			}
			key := fmt.Sprintf("%-7s %-11s", c.Proto, name)
			cl := table[key]
			if cl == nil {
				cl = &cell{fails: map[string]int{}, example: map[string]string{}}
				table[key] = cl
			}
			for range n {
				d := Damage{ToClient: next(2) == 1, MaxOutOfOrder: next(2)}
				op := Op{Kind: kind, Seg: next(64), Rec: next(64), At: next(256)}
				switch kind {
				case OpOverlap:
					op.Bytes = make([]byte, 1+next(24))
					for i := range op.Bytes {
						op.Bytes[i] = byte(next(256))
					}
				case OpBogus:
					op.Bytes = bogusHeader(c.Proto)
				case OpSYN, OpRST:
					op.Other = next(2) == 1
					switch next(3) {
					case 0: // exact, relative to the next byte
						op.Rel = true
					case 1: // inside the window
						op.Rel, op.Seq = true, uint32(1+next(2000))
					default:
						op.Seq = uint32(next(1 << 30))
					}
				}
				d.Ops = []Op{op}
				if kk&cut != 0 {
					seg := next(64)
					d.Ops = []Op{{Kind: OpSplit, Seg: seg, At: next(256)}, op}
					d.Ops[1].Seg = seg + next(2)
				}
				cl.trials++
				if err := r.Adversarial(c, d, all); err != nil {
					inv := err.Error()
					if f, ok := err.(*Failure); ok {
						inv = f.Invariant
					}
					cl.fails[inv]++
					if cl.example[inv] == "" {
						cl.example[inv] = err.Error()
					}
				}
			}
		}
	}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		cl := table[k]
		if len(cl.fails) == 0 {
			fmt.Fprintf(&b, "%s %5d trials: no failure\n", k, cl.trials)
			continue
		}
		invs := make([]string, 0, len(cl.fails))
		for inv := range cl.fails {
			invs = append(invs, inv)
		}
		sort.Strings(invs)
		for _, inv := range invs {
			fmt.Fprintf(&b, "%s %5d trials: %5d %s\n        e.g. %s\n", k, cl.trials, cl.fails[inv], inv, clipText(cl.example[inv], 300))
		}
	}
	t.Log("\n" + b.String())
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
