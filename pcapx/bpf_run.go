package pcapx

import "golang.org/x/net/bpf"

// Classic BPF opcodes of the instructions compile emits: class | size |
// mode, or class | operation.
const (
	bpfLD, bpfLDX, bpfALU, bpfJMP, bpfRET = 0x00, 0x01, 0x04, 0x05, 0x06
	bpfW, bpfH, bpfB                      = 0x00, 0x08, 0x10
	bpfABS, bpfIND, bpfMSH                = 0x20, 0x40, 0xa0

	opLdW    = bpfLD | bpfW | bpfABS
	opLdH    = bpfLD | bpfH | bpfABS
	opLdB    = bpfLD | bpfB | bpfABS
	opLdIndW = bpfLD | bpfW | bpfIND
	opLdIndH = bpfLD | bpfH | bpfIND
	opLdIndB = bpfLD | bpfB | bpfIND
	opLdxMsh = bpfLDX | bpfB | bpfMSH
	opAndK   = bpfALU | 0x50 // BPF_AND, operand k
	opJa     = bpfJMP        // BPF_JA
	opJeqK   = bpfJMP | 0x10
	opJgtK   = bpfJMP | 0x20
	opJgeK   = bpfJMP | 0x30
	opJsetK  = bpfJMP | 0x40
	opRetK   = bpfRET // operand k
)

// runFilter executes a program of the instructions compile emits over a packet,
// as the kernel and x/net/bpf's VM do (a load beyond the packet returns 0),
// without their generality: a switch on the opcode of each raw instruction.
// Any other instruction returns 0. The tests hold it to x/net/bpf's VM.
func runFilter(prog []bpf.RawInstruction, p []byte) uint32 {
	var a, x uint32
	n := uint32(len(p))
	for pc := 0; pc < len(prog); pc++ {
		ins := &prog[pc]
		k := ins.K
		switch ins.Op {
		case opLdW, opLdIndW:
			if ins.Op == opLdIndW {
				k += x
				if k < x { // wrapped
					return 0
				}
			}
			if k > n || n-k < 4 {
				return 0
			}
			a = uint32(p[k])<<24 | uint32(p[k+1])<<16 | uint32(p[k+2])<<8 | uint32(p[k+3])
		case opLdH, opLdIndH:
			if ins.Op == opLdIndH {
				k += x
				if k < x {
					return 0
				}
			}
			if k > n || n-k < 2 {
				return 0
			}
			a = uint32(p[k])<<8 | uint32(p[k+1])
		case opLdB, opLdIndB:
			if ins.Op == opLdIndB {
				k += x
				if k < x {
					return 0
				}
			}
			if k >= n {
				return 0
			}
			a = uint32(p[k])
		case opLdxMsh:
			if k >= n {
				return 0
			}
			x = uint32(p[k]&0x0f) * 4
		case opAndK:
			a &= k
		case opJa:
			pc += int(k)
		case opJeqK:
			if a == k {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case opJgtK:
			if a > k {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case opJgeK:
			if a >= k {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case opJsetK:
			if a&k != 0 {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case opRetK:
			return k
		default:
			return 0
		}
	}
	return 0
}

// Register contents the optimizer tracks: what a load (and a mask) put in
// A, and which LoadMemShift put X.
type aState struct {
	known  bool
	ind    bool   // a LoadIndirect, past X
	x      uint32 // X's LoadMemShift offset, for ind
	off    uint32
	size   int
	masked bool
	mask   uint32
}

type xState struct {
	known bool
	off   uint32
}

type regs struct {
	a aState
	x xState
}

// meet is what two paths into an instruction agree on.
func meet(r, s regs) regs {
	if r.a != s.a {
		r.a = aState{}
	}
	if r.x != s.x {
		r.x = xState{}
	}
	return r
}

// dropReloads removes the loads whose value every path to them has put in
// the register already (what libpcap's optimizer does first), and the masks
// already applied, so that "port 502 or 102" does not read the IP protocol
// and the ports twice. Every jump of compile's programs goes forward, so one
// pass in program order sees every predecessor of an instruction before it.
// A removed load would have found its bytes in the packet, as the earlier
// load did, so no decision changes.
func dropReloads(prog []bpf.Instruction) []bpf.Instruction {
	in := make([]regs, len(prog)+1)
	reached := make([]bool, len(prog)+1)
	drop := make([]bool, len(prog))
	reached[0] = true
	flow := func(to int, r regs) {
		if to > len(prog) {
			return
		}
		if reached[to] {
			in[to] = meet(in[to], r)
		} else {
			in[to], reached[to] = r, true
		}
	}
	for pc, ins := range prog {
		r := in[pc]
		if !reached[pc] {
			r = regs{}
		}
		switch ins := ins.(type) {
		case bpf.LoadAbsolute:
			a := aState{known: true, off: ins.Off, size: ins.Size}
			drop[pc] = r.a == a
			r.a = a
		case bpf.LoadIndirect:
			a := aState{known: r.x.known, ind: true, x: r.x.off, off: ins.Off, size: ins.Size}
			drop[pc] = a.known && r.a == a
			r.a = a
		case bpf.LoadMemShift:
			x := xState{known: true, off: ins.Off}
			drop[pc] = r.x == x
			r.x = x
		case bpf.ALUOpConstant:
			if ins.Op != bpf.ALUOpAnd || !r.a.known {
				r.a = aState{}
				break
			}
			if r.a.masked && r.a.mask&ins.Val == r.a.mask {
				drop[pc] = true // A holds no bit the mask clears
				break
			}
			if r.a.masked {
				r.a.mask &= ins.Val
			} else {
				r.a.masked, r.a.mask = true, ins.Val
			}
		case bpf.JumpIf:
			flow(pc+1+int(ins.SkipTrue), r)
			flow(pc+1+int(ins.SkipFalse), r)
			continue
		case bpf.Jump:
			flow(pc+1+int(ins.Skip), r)
			continue
		case bpf.RetConstant, bpf.RetA:
			continue
		default:
			r = regs{}
		}
		flow(pc+1, r)
	}
	// Renumber: a jump to a dropped instruction goes to the next kept one.
	next := make([]int, len(prog)+1) // old index -> new index of the first kept instruction at or after it
	n := 0
	for pc := range prog {
		next[pc] = n
		if !drop[pc] {
			n++
		}
	}
	next[len(prog)] = n
	for pc := len(prog) - 1; pc >= 0; pc-- {
		if drop[pc] {
			next[pc] = next[pc+1]
		}
	}
	out := make([]bpf.Instruction, 0, n)
	for pc, ins := range prog {
		if drop[pc] {
			continue
		}
		at := len(out)
		switch j := ins.(type) {
		case bpf.JumpIf:
			j.SkipTrue = uint8(next[pc+1+int(j.SkipTrue)] - at - 1)
			j.SkipFalse = uint8(next[pc+1+int(j.SkipFalse)] - at - 1)
			ins = j
		case bpf.Jump:
			j.Skip = uint32(next[pc+1+int(j.Skip)] - at - 1)
			ins = j
		}
		out = append(out, ins)
	}
	return out
}
