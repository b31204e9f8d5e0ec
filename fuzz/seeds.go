package fuzz

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/pcapx"
)

// PacketLinkTypes are the link types the first byte of a FuzzPacket input
// selects (modulo their number).
func PacketLinkTypes() []layers.LinkType {
	return []layers.LinkType{
		layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2,
		layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6,
		layers.LinkTypeNull, layers.LinkTypeLoop,
	}
}

// ParsePackets decodes a FuzzPacket input: a link type selector byte (see
// PacketLinkTypes), then frames, each a two-byte big-endian length and its
// bytes (a last frame cut short takes what is left).
func ParsePackets(b []byte) (layers.LinkType, [][]byte) {
	lts := PacketLinkTypes()
	if len(b) == 0 {
		return lts[0], nil
	}
	lt := lts[int(b[0])%len(lts)]
	b = b[1:]
	var frames [][]byte
	for len(b) >= 2 {
		n := min(int(b[0])<<8|int(b[1]), len(b)-2)
		frames = append(frames, b[2:2+n])
		b = b[2+n:]
	}
	return lt, frames
}

// ReadCorpusFile decodes a file of Go's fuzzing corpus format ("go test fuzz
// v1" and one value per line) whose values are all []byte, and returns
// them.
func ReadCorpusFile(path string) ([][]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) == 0 || lines[0] != "go test fuzz v1" {
		return nil, fail("corpus file", "%s: not a fuzzing corpus file", path)
	}
	var vals [][]byte
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "[]byte(") || !strings.HasSuffix(l, ")") {
			return nil, fail("corpus file", "%s: value %q is not a []byte", path, l)
		}
		s, err := strconv.Unquote(l[len("[]byte(") : len(l)-1])
		if err != nil {
			return nil, fail("corpus file", "%s: %v", path, err)
		}
		vals = append(vals, []byte(s))
	}
	return vals, nil
}

// LoadStreams reads the stream seeds FuzzAdversarial damages: the files
// named conv-* in dir (testdata/fuzz/FuzzStream), in name order, each a
// Conversation in its binary form.
func LoadStreams(dir string) ([]Conversation, error) {
	files, err := filepath.Glob(filepath.Join(dir, "conv-*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Conversation
	for _, f := range files {
		vals, err := ReadCorpusFile(f)
		if err != nil {
			return nil, err
		}
		if len(vals) != 1 {
			return nil, fail("corpus file", "%s: %d values, want 1", f, len(vals))
		}
		out = append(out, ParseConversation(vals[0]))
	}
	return out, nil
}

// bogusHeader returns a plausible header of protocol p claiming far more
// bytes than follow it, as an attacker would inject.
func bogusHeader(p pcapx.Protocol) []byte {
	switch p {
	case pcapx.Modbus:
		return []byte{0x12, 0x34, 0x00, 0x00, 0x00, 0xfd, 0x01, 0x03}
	case pcapx.S7comm:
		return []byte{0x03, 0x00, 0xff, 0xff, 0x02, 0xf0, 0x80, 0x32, 0x01, 0x00, 0x00, 0x12, 0x34, 0x00, 0x0e, 0x00, 0x00}
	case pcapx.ENIP:
		return []byte{0x6f, 0x00, 0xf0, 0xff, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0}
	case pcapx.DNP3:
		// A link header claiming 255 octets, with its header CRC.
		h := []byte{0x05, 0x64, 0xff, 0xc4, 0x01, 0x00, 0x02, 0x00}
		crc := dnp3.CRC(h)
		return append(h, byte(crc), byte(crc>>8))
	}
	return []byte{0x68, 0xfd, 0x00, 0x00, 0x00, 0x00}
}

// AdversarialSeeds returns FuzzAdversarial inputs over streams (in the
// order LoadStreams returns them): for each stream, three damages, which
// together cover every operation, both directions and out-of-order
// buffering on and off.
func AdversarialSeeds(streams []Conversation) [][]byte {
	var out [][]byte
	for i, c := range streams {
		var ds []Damage
		toClient := i%2 == 1
		switch i % 4 {
		case 0:
			ds = []Damage{
				{ToClient: toClient, Ops: []Op{{Kind: OpSplit, Seg: 1, At: 3}, {Kind: OpSwap, Seg: 1}}},
				{ToClient: toClient, MaxOutOfOrder: 2, Ops: []Op{{Kind: OpSwap, Seg: 2}, {Kind: OpDup, Seg: 4}}},
				{ToClient: toClient, Ops: []Op{{Kind: OpDrop, Seg: 2}}},
			}
		case 1:
			ds = []Damage{
				{ToClient: toClient, Ops: []Op{{Kind: OpBogus, Rec: 2, Bytes: bogusHeader(c.Proto)}}},
				{ToClient: toClient, Ops: []Op{{Kind: OpOverlap, Seg: 3, At: 2, Bytes: []byte{0xde, 0xad, 0xbe, 0xef}}}},
				{ToClient: toClient, Ops: []Op{{Kind: OpMerge, Seg: 0}, {Kind: OpMerge, Seg: 0}, {Kind: OpSplit, Seg: 0, At: 7}}},
			}
		case 2:
			ds = []Damage{
				{ToClient: toClient, Ops: []Op{{Kind: OpSYN, Seg: 3, Seq: 0x41414141}}},
				{ToClient: toClient, Ops: []Op{{Kind: OpRST, Seg: 3, Rel: true, Seq: 1000}}},
				{ToClient: toClient, Ops: []Op{{Kind: OpRST, Seg: 4, Rel: true, Other: true, ACK: true}}},
			}
		default:
			ds = []Damage{
				{ToClient: toClient, MaxOutOfOrder: 1, Ops: []Op{{Kind: OpSwap, Seg: 1}, {Kind: OpSwap, Seg: 5}}},
				{ToClient: toClient, Ops: []Op{{Kind: OpOverlap, Seg: 2, At: 0, Bytes: []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}, {Kind: OpSwap, Seg: 2}}},
				{ToClient: toClient, Ops: []Op{{Kind: OpSYN, Seg: 2, Rel: true, ACK: true, Seq: 0xffff0000}, {Kind: OpBogus, Rec: 0, Bytes: bogusHeader(c.Proto)}}},
			}
		}
		for _, d := range ds {
			b := []byte{byte(i)}
			b, _ = d.AppendBinary(b)
			out = append(out, b)
		}
	}
	return out
}
