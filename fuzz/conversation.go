package fuzz

import (
	"github.com/icsdissect/icsdissect/pcapx"
)

// Record is one write of a conversation: the bytes one side sends at once
// (in the seeds, one PDU as pcapx cut it from a real capture).
type Record struct {
	// ToServer is the direction: from the client to the server's port.
	ToServer bool
	// Join sends the record together with the next record of the same
	// direction, in the same segments (several PDUs per segment).
	Join bool
	// Cut is the segment size the record's bytes (with those joined to
	// them) are cut into, 1 to 63; 0 sends them in one segment.
	Cut  uint8
	Data []byte
}

// Conversation is a TCP conversation on one protocol's port: the records
// of both directions in the order they were sent.
//
// Its binary form, the input of FuzzStream and the stream seeds, is one
// byte for the protocol (modulo NumProtocols: 0 Modbus, 1 S7comm, 2 ENIP,
// 3 DNP3, 4 IEC104, pcapx's numbers less one) followed by records: a flags byte (bit 7: from the server; bit 6: Join; bits 0-5:
// Cut), a two-byte big-endian length, and the bytes. A last record whose
// length runs past the end takes what is left.
type Conversation struct {
	Proto   pcapx.Protocol
	Records []Record
}

// ParseConversation decodes the binary form of a Conversation. Every input
// gives one; an empty input is a Modbus conversation without records.
func ParseConversation(b []byte) Conversation {
	var c Conversation
	c.Proto = pcapx.Modbus
	if len(b) == 0 {
		return c
	}
	c.Proto = pcapx.Protocol(1 + int(b[0])%NumProtocols)
	b = b[1:]
	for len(b) >= 3 {
		fl := b[0]
		n := int(b[1])<<8 | int(b[2])
		b = b[3:]
		n = min(n, len(b))
		c.Records = append(c.Records, Record{ToServer: fl&0x80 == 0, Join: fl&0x40 != 0, Cut: fl & 0x3f, Data: b[:n]})
		b = b[n:]
	}
	return c
}

// AppendBinary appends the binary form of c to b.
func (c *Conversation) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte((int(c.Proto)+NumProtocols-1)%NumProtocols))
	for _, r := range c.Records {
		fl := r.Cut & 0x3f
		if !r.ToServer {
			fl |= 0x80
		}
		if r.Join {
			fl |= 0x40
		}
		n := min(len(r.Data), 0xffff)
		b = append(b, fl, byte(n>>8), byte(n))
		b = append(b, r.Data[:n]...)
	}
	return b, nil
}

// Stream returns the bytes of one direction and the offsets where its
// records start.
func (c *Conversation) Stream(toServer bool) (data []byte, starts []int) {
	for _, r := range c.Records {
		if r.ToServer == toServer {
			starts = append(starts, len(data))
			data = append(data, r.Data...)
		}
	}
	return data, starts
}

// Initial sequence numbers of the conversations built here.
const (
	clientISN = 0x10000000
	serverISN = 0xfffff000 // wraps around 2^32 within the first 4 KiB
)

// maxSegment bounds the payload of one built segment, well within an IPv4
// packet.
const maxSegment = 16000

// Segments returns the TCP segments of c: a handshake, the records cut as
// their flags say, and a FIN from each side.
func (c *Conversation) Segments() []Segment {
	cseq, sseq := uint32(clientISN), uint32(serverISN)
	segs := []Segment{
		{ToServer: true, Flags: FlagSYN, Seq: cseq},
		{ToServer: false, Flags: FlagSYN | FlagACK, Seq: sseq, Ack: cseq + 1},
		{ToServer: true, Flags: FlagACK, Seq: cseq + 1, Ack: sseq + 1},
	}
	cseq++
	sseq++
	var pend [2][]byte
	for i, r := range c.Records {
		d := 0
		if !r.ToServer {
			d = 1
		}
		pend[d] = append(pend[d], r.Data...)
		last := true
		if r.Join {
			for _, r2 := range c.Records[i+1:] {
				if r2.ToServer == r.ToServer {
					last = false
					break
				}
			}
		}
		if !last {
			continue
		}
		cut := int(r.Cut)
		if cut == 0 {
			cut = maxSegment
		}
		for p := pend[d]; len(p) > 0; {
			n := min(cut, len(p), maxSegment)
			s := Segment{ToServer: r.ToServer, Flags: FlagACK | FlagPSH, Payload: p[:n]}
			if r.ToServer {
				s.Seq, s.Ack = cseq, sseq
				cseq += uint32(n)
			} else {
				s.Seq, s.Ack = sseq, cseq
				sseq += uint32(n)
			}
			segs = append(segs, s)
			p = p[n:]
		}
		pend[d] = nil
	}
	segs = append(segs,
		Segment{ToServer: true, Flags: FlagFIN | FlagACK, Seq: cseq, Ack: sseq},
		Segment{ToServer: false, Flags: FlagFIN | FlagACK, Seq: sseq, Ack: cseq + 1},
		Segment{ToServer: true, Flags: FlagACK, Seq: cseq + 1, Ack: sseq + 1},
	)
	return segs
}
