package fuzz

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// OpKind is one kind of damage done to a stream.
type OpKind uint8

// Damage operations. Seg counts the data segments of the damaged direction
// in the order they are sent (modulo their number); Rec counts its records.
const (
	// OpSplit cuts segment Seg in two, At bytes (modulo its length) in.
	OpSplit OpKind = iota
	// OpMerge joins segment Seg with the segment after it when that one
	// continues it.
	OpMerge
	// OpSwap sends segment Seg+1 before segment Seg (reordering).
	OpSwap
	// OpDup sends segment Seg twice.
	OpDup
	// OpDrop does not send segment Seg (a loss).
	OpDrop
	// OpOverlap sends, right after segment Seg, a retransmission of the
	// stream bytes from At bytes into that segment, carrying Bytes
	// instead of the stream's (which may differ from them).
	OpOverlap
	// OpBogus inserts Bytes into the stream before record Rec, as its own
	// segment (a header an attacker injects; sequence numbers after it
	// move on by its length).
	OpBogus
	// OpSYN injects a SYN (with ACK when ACK is set) before segment Seg,
	// in the damaged direction or, with Other, the other one. Its
	// sequence number is Seq, or with Rel, the sequence number the
	// segment it precedes starts at (in the other direction, the next
	// byte that direction sends) plus Seq.
	OpSYN
	// OpRST injects a RST the same way.
	OpRST
	numOps
)

var opNames = [numOps]string{"split", "merge", "swap", "dup", "drop", "overlap", "bogus", "syn", "rst"}

func (k OpKind) String() string {
	if k < numOps {
		return opNames[k]
	}
	return "op?"
}

// Op is one damage operation; which fields matter depends on Kind.
type Op struct {
	Kind  OpKind
	Seg   int
	Rec   int
	At    int
	Bytes []byte
	Other bool
	Rel   bool
	ACK   bool
	Seq   uint32
}

// maxOps bounds the operations of one Damage.
const maxOps = 24

// maxOpBytes bounds the bytes of an overlap or bogus header.
const maxOpBytes = 64

// Damage says how FuzzAdversarial damages a conversation: which direction,
// the out-of-order buffering pcapx is given, and the operations, applied
// in order (bogus headers first, as they change the stream itself).
//
// Its binary form is a configuration byte (bit 0: damage the server's
// direction; bits 1-3: Config.MaxOutOfOrder, 0 to 4) and operations: an
// opcode byte (modulo the number of kinds) and its arguments, one byte each
// for Seg, Rec and At, a length byte and that many Bytes (up to 64) for
// Overlap and Bogus, and for SYN and RST a flags byte (bit 0 Other, bit 1
// Rel, bit 2 ACK) and a four-byte big-endian Seq. An operation cut short by
// the end of the input is dropped.
type Damage struct {
	ToClient      bool
	MaxOutOfOrder int
	Ops           []Op
}

// ParseDamage decodes the binary form of a Damage; every input gives one.
func ParseDamage(b []byte) Damage {
	var d Damage
	if len(b) == 0 {
		return d
	}
	d.ToClient = b[0]&1 != 0
	d.MaxOutOfOrder = int(b[0]>>1&7) % maxOOOConfigs
	b = b[1:]
	for len(b) > 0 && len(d.Ops) < maxOps {
		op := Op{Kind: OpKind(b[0] % byte(numOps))}
		b = b[1:]
		need := 1
		switch op.Kind {
		case OpSplit:
			need = 2
		case OpOverlap:
			need = 3
		case OpBogus:
			need = 2
		case OpSYN, OpRST:
			need = 6
		}
		if len(b) < need {
			break
		}
		switch op.Kind {
		case OpSplit:
			op.Seg, op.At = int(b[0]), int(b[1])
		case OpMerge, OpSwap, OpDup, OpDrop:
			op.Seg = int(b[0])
		case OpOverlap:
			op.Seg, op.At = int(b[0]), int(b[1])
			n := min(int(b[2])%(maxOpBytes+1), len(b)-need)
			op.Bytes = b[need : need+n]
			need += n
		case OpBogus:
			op.Rec = int(b[0])
			n := min(int(b[1])%(maxOpBytes+1), len(b)-need)
			op.Bytes = b[need : need+n]
			need += n
		case OpSYN, OpRST:
			op.Seg = int(b[0])
			op.Other, op.Rel, op.ACK = b[1]&1 != 0, b[1]&2 != 0, b[1]&4 != 0
			op.Seq = binary.BigEndian.Uint32(b[2:6])
		}
		b = b[need:]
		d.Ops = append(d.Ops, op)
	}
	return d
}

// AppendBinary appends the binary form of d to b.
func (d *Damage) AppendBinary(b []byte) ([]byte, error) {
	c := byte(d.MaxOutOfOrder%maxOOOConfigs) << 1
	if d.ToClient {
		c |= 1
	}
	b = append(b, c)
	for _, op := range d.Ops {
		b = append(b, byte(op.Kind))
		switch op.Kind {
		case OpSplit:
			b = append(b, byte(op.Seg), byte(op.At))
		case OpMerge, OpSwap, OpDup, OpDrop:
			b = append(b, byte(op.Seg))
		case OpOverlap:
			n := min(len(op.Bytes), maxOpBytes)
			b = append(b, byte(op.Seg), byte(op.At), byte(n))
			b = append(b, op.Bytes[:n]...)
		case OpBogus:
			n := min(len(op.Bytes), maxOpBytes)
			b = append(b, byte(op.Rec), byte(n))
			b = append(b, op.Bytes[:n]...)
		case OpSYN, OpRST:
			var fl byte
			if op.Other {
				fl |= 1
			}
			if op.Rel {
				fl |= 2
			}
			if op.ACK {
				fl |= 4
			}
			b = append(b, byte(op.Seg), fl)
			b = binary.BigEndian.AppendUint32(b, op.Seq)
		}
	}
	return b, nil
}

// String lists the operations, for failure messages.
func (d *Damage) String() string {
	var s strings.Builder
	if d.ToClient {
		s.WriteString("server->client")
	} else {
		s.WriteString("client->server")
	}
	s.WriteString(" ooo=")
	s.WriteString(strconv.Itoa(d.MaxOutOfOrder))
	for _, op := range d.Ops {
		s.WriteByte(' ')
		s.WriteString(op.Kind.String())
		switch op.Kind {
		case OpBogus:
			s.WriteString("(rec " + strconv.Itoa(op.Rec) + ", " + strconv.Itoa(len(op.Bytes)) + " bytes)")
		case OpOverlap, OpSplit:
			s.WriteString("(seg " + strconv.Itoa(op.Seg) + ", at " + strconv.Itoa(op.At) + ")")
		case OpSYN, OpRST:
			s.WriteString("(seg " + strconv.Itoa(op.Seg))
			if op.Other {
				s.WriteString(", other")
			}
			if op.Rel {
				s.WriteString(", rel " + strconv.Itoa(int(int32(op.Seq))))
			} else {
				s.WriteString(", seq " + strconv.Itoa(int(op.Seq)))
			}
			s.WriteString(")")
		default:
			s.WriteString("(seg " + strconv.Itoa(op.Seg) + ")")
		}
	}
	return s.String()
}
