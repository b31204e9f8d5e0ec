package dnp3

import "testing"

// benchFrames are the single-segment frames of the table tests: requests,
// a class 0 response, a CROB, a float event and a mixed response, with
// their directions.
func benchFrames(b *testing.B) (frames [][]byte, toServer []bool, total int) {
	for _, s := range []string{hexReadClass, hexAnalog, hexCROB, hexFloatEvent, hexMixed, hexAttrs} {
		f := unhex(b, s)
		frames = append(frames, f)
		toServer = append(toServer, f[3]&0x80 != 0)
		total += len(f)
	}
	return frames, toServer, total
}

func reportPkts(b *testing.B, n int) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pkts/s")
}

var benchSink int64

// BenchmarkCRC measures CRC-16/DNP over 16-octet blocks, in bytes/s.
func BenchmarkCRC(b *testing.B) {
	buf := unhex(b, hexResp1)[10:]
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		for p := buf; len(p) > 0; {
			k := min(len(p), 16)
			benchSink += int64(CRC(p[:k]))
			p = p[k:]
		}
	}
}

// BenchmarkDecode measures link decoding in place (Frame.Decode): header
// and block CRCs checked, user data copied without its CRCs.
func BenchmarkDecode(b *testing.B) {
	frames, _, total := benchFrames(b)
	var f Frame
	b.ReportAllocs()
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, raw := range frames {
			if _, err := f.Decode(raw); err != nil {
				b.Fatal(err)
			}
			benchSink += int64(f.n)
		}
	}
	reportPkts(b, b.N*len(frames))
}

// BenchmarkFull measures the whole path per frame: link decode, transport
// reassembly, application header and every point's index, flags and value.
// "values" uses the value-returning calls (Parse, ParseFragment,
// Fragment.Objects, Object.Points) without a Conn; "in_place" a Conn
// (which also pairs requests and responses) and the in-place cursors of the
// package doc's fast path.
func BenchmarkFull(b *testing.B) {
	frames, toServer, total := benchFrames(b)
	b.Run("values", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(total))
		for b.Loop() {
			benchSink += valuesPass(b, frames)
		}
		reportPkts(b, b.N*len(frames))
	})
	b.Run("in_place", func(b *testing.B) {
		var (
			c  Conn
			it Objects
		)
		b.ReportAllocs()
		b.SetBytes(int64(total))
		for b.Loop() {
			benchSink += inPlacePass(b, &c, &it, frames, toServer)
		}
		reportPkts(b, b.N*len(frames))
	})
}

// BenchmarkReassembly measures a two-segment response through a Conn
// (decode included).
func BenchmarkReassembly(b *testing.B) {
	r1, r2 := unhex(b, hexResp1), unhex(b, hexResp2)
	var c Conn
	b.ReportAllocs()
	b.SetBytes(int64(len(r1) + len(r2)))
	for b.Loop() {
		c.Decode(r1, false, 0)
		m, _ := c.Decode(r2, false, 0)
		benchSink += int64(len(m.Fragment.Body))
	}
	reportPkts(b, 2*b.N)
}

// BenchmarkConnPairs measures a Conn over requests and their responses:
// a read answered in two segments, a select and operate with their
// responses, an unsolicited response and its confirm.
func BenchmarkConnPairs(b *testing.B) {
	var frames [][]byte
	for _, s := range []string{hexReadClass, hexResp1, hexResp2, hexSelect, hexSelectResp, hexOperate, hexOperResp, hexUnsol, hexConfirm} {
		frames = append(frames, unhex(b, s))
	}
	var c Conn
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range frames {
			m, _ := c.Decode(raw, raw[3]&0x80 != 0, 0)
			if m.Paired {
				benchSink += m.RequestTime
			}
		}
	}
	reportPkts(b, b.N*len(frames))
}

// BenchmarkSplit measures cutting the frames out of one stream.
func BenchmarkSplit(b *testing.B) {
	frames, _, total := benchFrames(b)
	var stream []byte
	for _, f := range frames {
		stream = append(stream, f...)
	}
	b.ReportAllocs()
	b.SetBytes(int64(total))
	for b.Loop() {
		for data := stream; len(data) > 0; {
			adv, tok, _ := Split(data, true)
			benchSink += int64(len(tok))
			data = data[adv:]
		}
	}
	reportPkts(b, b.N*len(frames))
}

// BenchmarkFloorSum is the floor: a plain loop summing the same bytes as
// BenchmarkDecode and BenchmarkFull.
func BenchmarkFloorSum(b *testing.B) {
	frames, _, total := benchFrames(b)
	b.ReportAllocs()
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, raw := range frames {
			for _, c := range raw {
				benchSink += int64(c)
			}
		}
	}
	reportPkts(b, b.N*len(frames))
}

// valuesPass is one pass of BenchmarkFull/values over the frames (a
// function of its own for the reason given at inPlacePass).
//
//go:noinline
func valuesPass(b *testing.B, frames [][]byte) (sum int64) {
	for _, raw := range frames {
		f, _, err := Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		a, _, err := ParseFragment(f.Segment())
		if err != nil {
			b.Fatal(err)
		}
		it := a.Objects()
		for it.Next() {
			h := it.Object()
			pt := h.Points()
			for pt.Next() {
				p := pt.Point()
				sum += int64(p.Index()) + int64(p.Flags()) + p.Int()
			}
		}
	}
	return sum
}

// inPlacePass is one pass of BenchmarkFull/in_place over the frames. It is
// a function of its own because the compiler keeps every variable assigned
// directly in a b.Loop body alive in memory, which would store each Point
// on the stack; code outside a benchmark loop keeps it in registers.
//
//go:noinline
func inPlacePass(b *testing.B, c *Conn, it *Objects, frames [][]byte, toServer []bool) (sum int64) {
	for i, raw := range frames {
		m, err := c.Decode(raw, toServer[i], 0)
		if err != nil || !m.Complete {
			b.Fatal("incomplete", err)
		}
		it.Reset(m.Fragment.Body, m.Fragment.Func)
		for it.Next() {
			pt := it.Points()
			for pt.Next() {
				p := pt.Point()
				sum += int64(p.Index()) + int64(p.Flags()) + p.Int()
			}
		}
	}
	return sum
}
