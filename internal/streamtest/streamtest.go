// Package streamtest damages real PDU streams the way captures and attackers
// do (a lost segment, a capture that starts mid-stream, a bogus header that
// claims a large length) and measures what a protocol's framing makes of
// them: the PDUs it loses beyond those the damage touched, and the phantom
// PDUs it delivers. Tests of the protocol packages and of pcapx use it; it
// is imported by tests only.
//
// A stream is the concatenation of the PDUs pcapx cut out of one direction
// of one flow of a real capture, with their boundaries. Framing is
// simulated as pcapx does it: the bytes before a hole are cut with Split and
// a partial PDU before the hole is dropped; after the hole, or at a
// mid-stream start, Resync is used until it delivers its first PDU, then
// Split; at the end, Split sees atEOF.
package streamtest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unsafe"

	"github.com/icsdissect/icsdissect/pcapx"
)

// SplitFunc is a protocol's Split or Resync.
type SplitFunc func(data []byte, atEOF bool) (advance int, token []byte, err error)

// Framing is what is tested: a protocol's Split, its Resync, and Valid, which
// says whether a token decodes as a valid PDU (a token that does not is a
// malformed PDU, counted, not a phantom).
type Framing struct {
	Split, Resync SplitFunc
	Valid         func(tok []byte, toServer bool) bool
}

// Stream is one direction of one flow, rebuilt from its PDUs.
type Stream struct {
	File     string
	ToServer bool
	Data     []byte
	// Starts are the offsets of the PDUs in Data; PDU i is
	// Data[Starts[i]:Starts[i+1]] (the last one ends at len(Data)).
	Starts []int
}

// PDU returns the bounds of PDU i.
func (s *Stream) PDU(i int) (start, end int) {
	end = len(s.Data)
	if i+1 < len(s.Starts) {
		end = s.Starts[i+1]
	}
	return s.Starts[i], end
}

// CapturesDir returns the corpus folder beside the repository
// (../shared/captures from the module root) or $ICSDISSECT_CAPTURES, and
// whether it exists.
func CapturesDir(root string) (string, bool) {
	dir := os.Getenv("ICSDISSECT_CAPTURES")
	if dir == "" {
		dir = filepath.Join(root, "..", "shared", "captures")
	}
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}

// Load returns the TCP streams of protocol proto in every capture under dir
// (its protocol folder and mixed/), one per flow direction with at least
// minPDUs PDUs. Streams in which pcapx saw a gap are left out: they are not
// clean references.
func Load(dir string, proto pcapx.Protocol, minPDUs int) ([]Stream, error) {
	var files []string
	for _, sub := range []string{proto.String(), "mixed"} {
		m, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		files = append(files, m...)
	}
	sort.Strings(files)
	type key struct {
		flow     pcapx.FlowKey
		toServer bool
	}
	var out []Stream
	for _, f := range files {
		if strings.HasSuffix(f, ".tsv") || strings.HasSuffix(f, ".md") {
			continue
		}
		streams := map[key]*Stream{}
		gapped := map[key]bool{}
		var order []key
		_, err := pcapx.ReadFile(f, pcapx.Config{Handler: func(p *pcapx.PDU) error {
			if p.Proto != proto || p.Transport != pcapx.TCP {
				return nil
			}
			k := key{p.Flow, p.ToServer}
			if p.Gap {
				gapped[k] = true
			}
			s := streams[k]
			if s == nil {
				s = &Stream{File: filepath.Base(f), ToServer: p.ToServer}
				streams[k] = s
				order = append(order, k)
			}
			s.Starts = append(s.Starts, len(s.Data))
			s.Data = append(s.Data, p.Data...)
			return nil
		}})
		if err != nil && len(streams) == 0 {
			continue // not a capture pcapx reads
		}
		for _, k := range order {
			if s := streams[k]; !gapped[k] && len(s.Starts) >= minPDUs {
				out = append(out, *s)
			}
		}
	}
	return out, nil
}

// Result counts what framing made of damaged streams.
type Result struct {
	Trials int
	// PDUs is the number of clean PDUs in the damaged streams; Touched of
	// them overlap the damage (they may be lost).
	PDUs, Touched int
	// Lost counts untouched PDUs that were not delivered intact.
	Lost int
	// Invalid counts untouched PDUs of the clean stream that are not valid
	// PDUs themselves (a capture of malformed PDUs) and were not delivered:
	// framing after damage cannot tell them from garbage, and they are not
	// counted as lost.
	Invalid int
	// Phantom counts tokens that are not a clean PDU yet decode as valid.
	Phantom int
	// Malformed counts tokens that are not a clean PDU and do not decode.
	Malformed int
	// Examples describe a few losses and phantoms, for the test log.
	Examples []string
}

// Add sums r2 into r.
func (r *Result) Add(r2 Result) {
	r.Trials += r2.Trials
	r.PDUs += r2.PDUs
	r.Touched += r2.Touched
	r.Lost += r2.Lost
	r.Invalid += r2.Invalid
	r.Phantom += r2.Phantom
	r.Malformed += r2.Malformed
	if len(r.Examples) < 8 {
		r.Examples = append(r.Examples, r2.Examples...)
	}
}

func (r Result) String() string {
	return fmt.Sprintf("%d trials, %d PDUs, %d touched, %d lost, %d phantom, %d malformed, %d invalid not delivered", r.Trials, r.PDUs, r.Touched, r.Lost, r.Phantom, r.Malformed, r.Invalid)
}

// offset returns the offset of tok in base, or -1 when tok does not view it.
func offset(base, tok []byte) int {
	if len(tok) == 0 || len(base) == 0 {
		return -1
	}
	b0 := uintptr(unsafe.Pointer(unsafe.SliceData(base)))
	t0 := uintptr(unsafe.Pointer(unsafe.SliceData(tok)))
	if t0 < b0 || t0+uintptr(len(tok)) > b0+uintptr(len(base)) {
		return -1
	}
	return int(t0 - b0)
}

// token is a delivered PDU: its original offset in the clean stream (-1 when
// it starts in bytes the clean stream does not have), its length and bytes.
type token struct {
	orig, n int
	b       []byte
}

// frame runs f over piece (an independent buffer), starting in resync mode
// when resync is set, and returns the tokens' offsets in piece and their
// bytes. Bytes left undelivered when the piece ends are dropped (as pcapx
// drops a partial PDU at a gap) unless atEOF is set, when Split sees atEOF.
func frame(f Framing, piece []byte, resync, atEOF bool) (offs []int, toks [][]byte) {
	buf := piece
	synced := !resync
	for len(buf) > 0 {
		fn := f.Split
		if !synced {
			fn = f.Resync
		}
		adv, tok, err := fn(buf, atEOF)
		if err != nil {
			break
		}
		if tok != nil {
			offs = append(offs, offset(piece, tok))
			toks = append(toks, tok)
			synced = true
		}
		if adv <= 0 {
			break // needs more bytes, or made no progress
		}
		if adv > len(buf) {
			adv = len(buf)
		}
		buf = buf[adv:]
	}
	return offs, toks
}

// judge compares delivered tokens with the clean PDUs of s from PDU first
// on, given the damaged original range [a, b) (bytes missing or replaced),
// and fills r.
func judge(f Framing, s *Stream, first int, toks []token, a, b int, r *Result, what string) {
	r.Trials++
	clean := map[[2]int]bool{}
	for i := first; i < len(s.Starts); i++ {
		st, en := s.PDU(i)
		clean[[2]int{st, en - st}] = true
	}
	got := map[[2]int]bool{}
	for _, t := range toks {
		k := [2]int{t.orig, t.n}
		if t.orig >= 0 && clean[k] {
			got[k] = true
			continue
		}
		if f.Valid(t.b, s.ToServer) {
			r.Phantom++
			if len(r.Examples) < 8 {
				r.Examples = append(r.Examples, fmt.Sprintf("%s %s: phantom token at %d len %d", s.File, what, t.orig, t.n))
			}
		} else {
			r.Malformed++
		}
	}
	for i := first; i < len(s.Starts); i++ {
		st, en := s.PDU(i)
		r.PDUs++
		if st < b && en > a {
			r.Touched++
			continue
		}
		if !got[[2]int{st, en - st}] {
			if !f.Valid(s.Data[st:en], s.ToServer) {
				r.Invalid++
				continue
			}
			r.Lost++
			if len(r.Examples) < 8 {
				r.Examples = append(r.Examples, fmt.Sprintf("%s %s: PDU %d [%d,%d) lost", s.File, what, i, st, en))
			}
		}
	}
}

// Hole drops the bytes [a, b) of s: the bytes before are framed in sync and
// a partial PDU before the hole is dropped; the bytes after are framed from
// resync mode to the end of the stream.
func Hole(f Framing, s *Stream, a, b int, r *Result) {
	before := append([]byte(nil), s.Data[:a]...)
	after := append([]byte(nil), s.Data[b:]...)
	var toks []token
	offs, bs := frame(f, before, false, false)
	for i, o := range offs {
		toks = append(toks, token{o, len(bs[i]), bs[i]})
	}
	offs, bs = frame(f, after, true, true)
	for i, o := range offs {
		if o >= 0 {
			o += b
		}
		toks = append(toks, token{o, len(bs[i]), bs[i]})
	}
	judge(f, s, 0, toks, a, b, r, fmt.Sprintf("hole [%d,%d)", a, b))
}

// MidStart frames s from offset a in resync mode, as when a capture starts
// in the middle of a connection. PDUs before a are not part of the trial;
// the one a falls inside is touched.
func MidStart(f Framing, s *Stream, a int, r *Result) {
	after := append([]byte(nil), s.Data[a:]...)
	var toks []token
	offs, bs := frame(f, after, true, true)
	for i, o := range offs {
		if o >= 0 {
			o += a
		}
		toks = append(toks, token{o, len(bs[i]), bs[i]})
	}
	first := sort.SearchInts(s.Starts, a+1) - 1
	if first < 0 {
		first = 0
	}
	judge(f, s, first, toks, 0, a, r, fmt.Sprintf("start at %d", a))
}

// Bogus inserts the bytes hdr at offset a of s (a PDU boundary) and frames
// the whole stream in sync, as when an attacker injects a header claiming a
// large length. No clean PDU is touched: each one not delivered is lost.
func Bogus(f Framing, s *Stream, a int, hdr []byte, r *Result) {
	data := make([]byte, 0, len(s.Data)+len(hdr))
	data = append(data, s.Data[:a]...)
	data = append(data, hdr...)
	data = append(data, s.Data[a:]...)
	var toks []token
	offs, bs := frame(f, data, false, true)
	for i, o := range offs {
		switch {
		case o < 0:
		case o >= a+len(hdr):
			o -= len(hdr)
		case o >= a:
			o = -1 // starts in the bogus bytes: never a clean PDU
		}
		toks = append(toks, token{o, len(bs[i]), bs[i]})
	}
	judge(f, s, 0, toks, a, a, r, fmt.Sprintf("bogus header at %d", a))
}

// Rand is a small deterministic generator for trial positions.
type Rand uint64

// Intn returns a number in [0, n).
func (x *Rand) Intn(n int) int {
	*x ^= *x << 13
	*x ^= *x >> 7
	*x ^= *x << 17
	if n <= 0 {
		return 0
	}
	return int(uint64(*x) % uint64(n))
}
