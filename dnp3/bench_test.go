package dnp3

import "testing"

// benchFrames are the single-segment frames of the table tests: requests,
// a class 0 response, a CROB, a float event and a mixed response.
func benchFrames(b *testing.B) (frames [][]byte, total int) {
	for _, s := range []string{hexReadClass, hexAnalog, hexCROB, hexFloatEvent, hexMixed, hexAttrs} {
		f := unhex(b, s)
		frames = append(frames, f)
		total += len(f)
	}
	return frames, total
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

// BenchmarkDecode measures link decoding: header and block CRCs checked,
// user data copied without its CRCs.
func BenchmarkDecode(b *testing.B) {
	frames, total := benchFrames(b)
	var d Decoder
	b.ReportAllocs()
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, raw := range frames {
			f, _, err := d.Decode(raw)
			if err != nil {
				b.Fatal(err)
			}
			benchSink += int64(len(f.UserData))
		}
	}
	reportPkts(b, b.N*len(frames))
}

// BenchmarkFull measures the whole path per frame: link decode, transport
// reassembly, application header and every point's index, flags and value.
// "values" uses the value-returning calls (Decode, ParseFragment,
// Fragment.Objects, ObjectHeader.Points); "in_place" the in-place ones of
// the package doc's fast path.
func BenchmarkFull(b *testing.B) {
	frames, total := benchFrames(b)
	b.Run("values", func(b *testing.B) {
		var d Decoder
		var tr Transport
		b.ReportAllocs()
		b.SetBytes(int64(total))
		for b.Loop() {
			var sum int64
			for _, raw := range frames {
				f, _, err := d.Decode(raw)
				if err != nil {
					b.Fatal(err)
				}
				frag, done, _ := tr.Add(&f)
				if !done {
					b.Fatal("incomplete")
				}
				a, err := ParseFragment(frag)
				if err != nil {
					b.Fatal(err)
				}
				it := a.Objects()
				for it.Next() {
					pt := it.Header().Points()
					for pt.Next() {
						p := pt.Point()
						sum += int64(p.Index) + int64(p.Flags) + p.Int
					}
				}
			}
			benchSink += sum
		}
		reportPkts(b, b.N*len(frames))
	})
	b.Run("in_place", func(b *testing.B) {
		var (
			d  Decoder
			tr Transport
			f  LinkFrame
			a  Fragment
			it Objects
		)
		b.ReportAllocs()
		b.SetBytes(int64(total))
		for b.Loop() {
			var sum int64
			for _, raw := range frames {
				if _, err := d.DecodeFrame(&f, raw); err != nil {
					b.Fatal(err)
				}
				frag, done, _ := tr.Add(&f)
				if !done {
					b.Fatal("incomplete")
				}
				if err := a.Decode(frag); err != nil {
					b.Fatal(err)
				}
				it.Reset(a.Body, a.Func)
				for it.Next() {
					pt := it.Points()
					for pt.Next() {
						p := pt.Point()
						sum += int64(p.Index) + int64(p.Flags) + p.Int
					}
				}
			}
			benchSink += sum
		}
		reportPkts(b, b.N*len(frames))
	})
}

// BenchmarkReassembly measures a two-segment response through the
// transport layer (decode included).
func BenchmarkReassembly(b *testing.B) {
	r1, r2 := unhex(b, hexResp1), unhex(b, hexResp2)
	var d Decoder
	var tr Transport
	b.ReportAllocs()
	b.SetBytes(int64(len(r1) + len(r2)))
	for b.Loop() {
		f, _, _ := d.Decode(r1)
		tr.Add(&f)
		f, _, _ = d.Decode(r2)
		frag, _, _ := tr.Add(&f)
		benchSink += int64(len(frag))
	}
	reportPkts(b, 2*b.N)
}

// BenchmarkSplit measures cutting the frames out of one stream.
func BenchmarkSplit(b *testing.B) {
	frames, total := benchFrames(b)
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
	frames, total := benchFrames(b)
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
