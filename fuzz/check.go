package fuzz

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"unsafe"

	"github.com/icsdissect/icsdissect/pcapx"
)

// Failure is an invariant that an input broke: which one, and what was seen.
// Every checker and path of this package returns one (as an error) or nil.
type Failure struct {
	// Invariant names the rule, e.g. "view inside input",
	// "split progress", "conn pending bound".
	Invariant string
	// Detail says what broke it, with the numbers.
	Detail string
}

func (f *Failure) Error() string { return f.Invariant + ": " + f.Detail }

// WaiveEnv is the environment variable that lists failures already
// reported and not yet fixed, so that fuzzing can look past them: texts
// separated by ";", each waiving the failures whose message contains it
// (for example "parse truncated n 0: iec104"). A waived failure ends the
// check of that input where it happened, as a pass; it is not a fix.
const WaiveEnv = "ICSDISSECT_FUZZ_WAIVE"

// WaiversFromEnv returns the texts WaiveEnv lists.
func WaiversFromEnv() []string {
	var out []string
	for _, w := range strings.Split(os.Getenv(WaiveEnv), ";") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// Waived reports whether err's message contains one of waivers.
func Waived(err error, waivers []string) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, w := range waivers {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

func fail(invariant, format string, args ...any) error {
	return &Failure{Invariant: invariant, Detail: fmt.Sprintf(format, args...)}
}

// SplitFunc is a protocol's Split or Resync (bufio.SplitFunc's shape).
type SplitFunc func(data []byte, atEOF bool) (advance int, token []byte, err error)

// span is a memory range [lo, hi).
type span struct{ lo, hi uintptr }

func spanOf(b []byte) span {
	if len(b) == 0 {
		return span{}
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return span{p, p + uintptr(len(b))}
}

func (s span) holds(v span) bool { return s.lo < s.hi && v.lo >= s.lo && v.hi <= s.hi }

// Inside returns nil when view is empty or lies entirely within one of bufs
// (shares its memory), else a Failure naming what. It is the check that a
// decoded view aliases its input and nothing else.
func Inside(what string, view []byte, bufs ...[]byte) error {
	if len(view) == 0 {
		return nil
	}
	v := spanOf(view)
	for _, b := range bufs {
		if spanOf(b).holds(v) {
			return nil
		}
	}
	return fail("view inside input", "%s: %d bytes at %#x lie outside the %d buffers allowed", what, len(view), v.lo, len(bufs))
}

// Count returns nil when a cursor walked as many items as the PDU declares.
func Count(what string, declared, walked int) error {
	if declared != walked {
		return fail("cursor count", "%s: %d declared, %d walked", what, declared, walked)
	}
	return nil
}

// maxSplitSteps bounds the calls SplitProgress makes per byte of input, so
// that a Split which never makes progress is reported rather than looped on.
const maxSplitSteps = 4

// SplitProgress drives split over data as a stream reader does, not at EOF
// and then at EOF, and checks each call: no error; an advance in
// [0, len(data)]; a token inside data, starting where the call's data starts
// and no longer than the advance (a token with advance 0 is allowed only as
// the last token at EOF); and progress: not at EOF a call that returns
// neither an advance nor a token asks for more bytes, so the reader stops;
// at EOF every byte is consumed. It returns the tokens it saw (in order, at
// EOF) for further checks.
func SplitProgress(name string, split SplitFunc, data []byte) (tokens [][]byte, err error) {
	for _, atEOF := range [2]bool{false, true} {
		rest := data
		tokens = tokens[:0]
		for steps := 0; len(rest) > 0; steps++ {
			if steps > maxSplitSteps*len(data)+maxSplitSteps {
				return nil, fail("split progress", "%s: %d calls over %d bytes (atEOF %v)", name, steps, len(data), atEOF)
			}
			adv, tok, e := split(rest, atEOF)
			if e != nil {
				return nil, fail("split no error", "%s: error %v at offset %d (atEOF %v)", name, e, len(data)-len(rest), atEOF)
			}
			if adv < 0 || adv > len(rest) {
				return nil, fail("split advance in data", "%s: advance %d with %d bytes (atEOF %v)", name, adv, len(rest), atEOF)
			}
			if tok != nil {
				if err := Inside(name+" token", tok, rest); err != nil {
					return nil, err
				}
				if len(tok) > 0 && &tok[0] != &rest[0] {
					return nil, fail("split token at start", "%s: token at offset %d of the data given", name, spanOf(tok).lo-spanOf(rest).lo)
				}
				if len(tok) > adv && adv != 0 {
					return nil, fail("split token within advance", "%s: token %d bytes, advance %d", name, len(tok), adv)
				}
				tokens = append(tokens, tok)
			}
			if adv == 0 {
				if tok != nil && atEOF {
					// A last token without advance: the reader stops here.
					if len(tok) != len(rest) {
						return nil, fail("split progress", "%s: token of %d bytes without advance leaves %d at EOF", name, len(tok), len(rest)-len(tok))
					}
					rest = nil
					break
				}
				if atEOF {
					return nil, fail("split progress", "%s: no advance and no token with %d bytes left at EOF", name, len(rest))
				}
				break // asks for more bytes
			}
			rest = rest[adv:]
		}
	}
	return tokens, nil
}

// FrameCounts checks pcapx's counting: every frame counted exactly once
// (decoded + malformed + not ours = frames) and the per-reason counts
// summing to their class.
func FrameCounts(st pcapx.Stats) error {
	if st.Frames != st.Decoded+st.Malformed+st.NotOurs {
		return fail("frame counted once", "frames %d != decoded %d + malformed %d + not ours %d", st.Frames, st.Decoded, st.Malformed, st.NotOurs)
	}
	var m, n uint64
	for _, v := range st.MalformedBy {
		m += v
	}
	for _, v := range st.NotOursBy {
		n += v
	}
	if m != st.Malformed || n != st.NotOurs {
		return fail("frame counted once", "malformed by reason %d != %d or not ours by reason %d != %d", m, st.Malformed, n, st.NotOurs)
	}
	return nil
}

// ConnBound checks a Conn's ConnStats (any struct with a Pending int field)
// against its bound: 0 ≤ Pending ≤ max.
func ConnBound(stats any, max int) error {
	v := reflect.ValueOf(stats)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return fail("conn pending bound", "stats of type %T are not a struct", stats)
	}
	f := v.FieldByName("Pending")
	if !f.IsValid() || f.Kind() != reflect.Int {
		return fail("conn pending bound", "%T has no Pending int field", stats)
	}
	if p := int(f.Int()); p < 0 || p > max {
		return fail("conn pending bound", "%T: Pending %d outside [0, %d]", stats, p, max)
	}
	return nil
}

// Stable checks that v (typically a *Message a Conn returned) does not
// change while between runs: it fingerprints everything reachable from v
// (fields, slices and what pointers point to), calls between, and compares.
// A Conn's result must stay valid until that Conn's next call, so decoding
// on another Conn, walking the result's accessors or reading it again must
// leave it as it was.
func Stable(what string, v any, between func()) error {
	before := Fingerprint(v)
	between()
	after := Fingerprint(v)
	if string(before) != string(after) {
		return fail("result valid until next call", "%s changed (%d fingerprint bytes before, %d after, first difference at %d)", what, len(before), len(after), firstDiff(before, after))
	}
	return nil
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
