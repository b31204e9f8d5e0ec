package pcapx

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// fuzzLinkTypes are the link types FuzzPacket decodes each input as.
var fuzzLinkTypes = []layers.LinkType{
	layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2,
	layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12, 14,
	layers.LinkTypeNull, layers.LinkTypeLoop,
}

// checkStats fails if a frame was not counted exactly once.
func checkStats(t *testing.T, st Stats) {
	t.Helper()
	if st.Frames != st.Decoded+st.Malformed+st.NotOurs {
		t.Fatalf("frames %d != %d+%d+%d", st.Frames, st.Decoded, st.Malformed, st.NotOurs)
	}
	var m, n uint64
	for _, v := range st.MalformedBy {
		m += v
	}
	for _, v := range st.NotOursBy {
		n += v
	}
	if m != st.Malformed || n != st.NotOurs {
		t.Fatalf("by-reason sums %d %d != %d %d", m, n, st.Malformed, st.NotOurs)
	}
}

// fuzzFlows checks flow events: a flow starts before its PDUs, ends once
// after them, and its slot keeps what the handler stored.
type fuzzFlows struct {
	t    *testing.T
	live map[FlowKey]*int
}

func (ff *fuzzFlows) onFlow(e *FlowEvent) {
	v, live := ff.live[e.Flow]
	switch {
	case e.Kind == FlowStart && (live || *e.State != nil):
		ff.t.Fatalf("flow %v starts twice", e.Flow)
	case e.Kind == FlowStart:
		ff.live[e.Flow] = nil
	case e.Kind != FlowEnd || !live:
		ff.t.Fatalf("event %v %v on flow %v (live %v)", e.Kind, e.Reason, e.Flow, live)
	case v != nil && (*e.State).(*int) != v:
		ff.t.Fatalf("flow %v: slot lost", e.Flow)
	default:
		delete(ff.live, e.Flow)
	}
}

func (ff *fuzzFlows) pdu(p *PDU) {
	v, live := ff.live[p.Flow]
	if !live {
		ff.t.Fatalf("PDU of flow %v outside its life", p.Flow)
	}
	if v == nil {
		v = new(int)
		ff.live[p.Flow] = v
		*p.State = v
	}
	if (*p.State).(*int) != v {
		ff.t.Fatalf("flow %v: slot lost", p.Flow)
	}
}

// end checks that no flow outlives Flush.
func (ff *fuzzFlows) end() {
	if len(ff.live) != 0 {
		ff.t.Fatalf("%d flows live after Flush", len(ff.live))
	}
}

// fuzzCheck installs the handler and flow checks on d for t.
func fuzzCheck(t *testing.T, d **Decoder) *fuzzFlows {
	ff := &fuzzFlows{t: t, live: map[FlowKey]*int{}}
	h := fuzzHandler(t, d)
	(*d).cfg.Handler = func(p *PDU) error {
		ff.pdu(p)
		return h(p)
	}
	(*d).cfg.OnFlow = ff.onFlow
	return ff
}

// fuzzHandler checks the invariants of each delivered PDU.
func fuzzHandler(t *testing.T, d **Decoder) Handler {
	return func(p *PDU) error {
		if len(p.Data) == 0 {
			t.Fatal("empty PDU")
		}
		if p.State == nil {
			t.Fatal("PDU without a slot")
		}
		if p.Frame < 1 || p.Frame > (*d).Frame() {
			t.Fatalf("frame %d outside 1..%d", p.Frame, (*d).Frame())
		}
		if p.Proto == Unknown || p.Proto >= numProtocols {
			t.Fatalf("protocol %d", p.Proto)
		}
		if p.Transport == TCP && len(p.Data) > DefaultMaxPDU {
			t.Fatalf("PDU of %d bytes", len(p.Data))
		}
		if (p.ToServer && p.Dst != p.Flow.Server) || (!p.ToServer && p.Src != p.Flow.Server) {
			t.Fatalf("direction: %+v", p)
		}
		return nil
	}
}

// fuzzSeeds adds real and hand-built packets as seeds.
func fuzzSeeds(f *testing.F) {
	f.Add(ethIP(modbusReq4()))
	f.Add(ethIP(modbusReq6(extHdr(0), extHdr(60))))
	f.Add(modbusReq4())
	f.Add(sll(0x0800, modbusReq4()))
	f.Add(sll2(0x86dd, modbusReq6()))
	f.Add(null(2, binary.LittleEndian, modbusReq4()))
	f.Add(eth(0x0800, ipv4(cli4, srv4, 17, udpDatagram(40000, 20000, []byte{5, 0x64, 5, 0xc9, 1, 0, 2, 0})), 0x8100, 0x88a8))
	f.Add(ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 102, seq: 1, payload: []byte{3, 0, 0, 22, 17, 0xe0, 0, 0, 0, 1, 0, 0xc1, 2, 1, 0, 0xc2, 2, 1, 2, 0xc0, 1, 10}}))))
	for _, name := range allocCaptures {
		b, err := os.ReadFile(capturesDir + "/" + name)
		if err != nil {
			continue // the shared captures are absent
		}
		pkts, _ := loadBytes(f, b)
		for i := 0; i < len(pkts) && i < 8; i++ {
			f.Add(pkts[i].data)
		}
	}
}

// FuzzPacket decodes random bytes as a packet of each link type, twice (the
// second time is a retransmission on TCP), then flushes. It must never
// panic, and every frame is counted once.
func FuzzPacket(f *testing.F) {
	fuzzSeeds(f)
	d := NewDecoder(Config{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ff := fuzzCheck(t, &d)
		for _, lt := range fuzzLinkTypes {
			d.Reset()
			d.SetLinkType(lt)
			d.Packet(ci(0), data)
			d.Packet(ci(1), data)
			d.Flush()
			ff.end()
			checkStats(t, d.Stats())
		}
	})
}

// FuzzStream drives one TCP connection with segments described by the
// input: each op is flags, a signed sequence step, a length and that many
// payload bytes (cut short at the end of the input). The first byte picks
// the protocol and the out-of-order buffering.
func FuzzStream(f *testing.F) {
	f.Add([]byte{0, 0x18, 0, 12, 0, 0, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10})
	f.Add([]byte{0x13, 0x18, 0, 8, 3, 0, 0, 22, 17, 0xe0, 0, 0, 0x18, 8, 14, 0, 1, 0, 0xc1, 2, 1, 0, 0xc2, 2, 1, 2, 0xc0, 1, 10, 0x11, 0, 0})
	f.Add([]byte{0x24, 0x18, 0, 10, 0x68, 4, 7, 0, 0, 0, 0x68, 4, 0x0b, 0, 0x18, 0xf0, 6, 0x68, 4, 0x43, 0, 0, 0})
	f.Add([]byte{0x33, 0x18, 0, 10, 5, 0x64, 5, 0xc9, 1, 0, 2, 0, 0x13, 0x14, 0x04, 0, 0})
	d := NewDecoder(Config{MaxPDU: 512})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		ports := [...]uint16{502, 102, 44818, 20000, 2404, 80}
		port := ports[int(data[0]&0x0f)%len(ports)]
		d.Reset()
		ff := fuzzCheck(t, &d)
		d.maxOOO = int(data[0] >> 4)
		data = data[1:]
		cseq, sseq := uint32(0xfffffff0), uint32(7)
		for i := 0; len(data) >= 3; i++ {
			flags, step, n := data[0], int8(data[1]), int(data[2])
			data = data[3:]
			n = min(n, len(data))
			payload := data[:n]
			data = data[n:]
			seg := tcpSeg{src: cli4, dst: srv4, sport: 40000, dport: port, flags: flags & 0x3f}
			seq, other := &cseq, sseq
			if flags&0x40 != 0 {
				seg.src, seg.dst, seg.sport, seg.dport = srv4, cli4, port, 40000
				seq, other = &sseq, cseq
			}
			seg.ack = other + uint32(int32(step)/4)
			*seq += uint32(int32(step))
			seg.seq = *seq
			seg.payload = payload
			if flags&0x80 == 0 {
				*seq += uint32(n)
			}
			d.Packet(ci(i), ethIP(ipv4(seg.src, seg.dst, 6, tcpHeader(seg))))
		}
		d.Flush()
		ff.end()
		checkStats(t, d.Stats())
	})
}

// FuzzRead reads random bytes as a capture file through pcapgo. It must
// never panic; the error is nil or wraps one of the reader errors, and every
// frame is counted once.
func FuzzRead(f *testing.F) {
	pkts := twoModbusPackets()
	f.Add(pcapFile(layers.LinkTypeEthernet, pkts...))
	f.Add(pcapngFile(binary.LittleEndian, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL2},
		ngPacket{0, pkts[0]}, ngPacket{1, sll2(0x0800, modbusReq4())}))
	f.Add(pcapngFile(binary.BigEndian, []layers.LinkType{layers.LinkTypeRaw}, ngPacket{0, modbusReq4()}))
	f.Add(ngFileOpts(layers.LinkTypeEthernet, 2, pkts[0], []byte{1, 0, 3, 0, 'a', 'b', 'c', 0}))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(pcapFile(layers.LinkTypeEthernet, pkts...))
	zw.Close()
	f.Add(gz.Bytes())
	for _, file := range bigRecordFiles(300) {
		f.Add(file)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsPcapgo(t, data, 256)
		d := NewDecoder(Config{MaxRecord: 256})
		ff := fuzzCheck(t, &d)
		err := d.ReadCapture(bytes.NewReader(data))
		ff.end()
		if err != nil && !errors.Is(err, ErrNotCapture) && !errors.Is(err, ErrTruncatedFile) && !errors.Is(err, ErrCorruptFile) {
			t.Fatalf("error %v", err)
		}
		checkStats(t, d.Stats())
		// Two workers count the same frames and PDUs.
		pd := NewDecoder(Config{MaxRecord: 256, Workers: 2})
		perr := pd.ReadCapture(bytes.NewReader(data))
		if (err == nil) != (perr == nil) {
			t.Fatalf("error %v, with workers %v", err, perr)
		}
		if s1, s2 := d.Stats(), pd.Stats(); s1.Frames != s2.Frames || s1.Decoded != s2.Decoded ||
			s1.Malformed != s2.Malformed || s1.PDUs() != s2.PDUs() || s1.Reassembled != s2.Reassembled {
			t.Fatalf("one Decoder %+v\ntwo workers %+v", s1, s2)
		}
		if err == nil {
			// A whole file reads the same through ZeroCopyReadPacketData.
			r, _ := NewReaderMax(bytes.NewReader(data), 256)
			n := 0
			for {
				_, _, err := r.ZeroCopyReadPacketData()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("second read: %v", err)
				}
				n++
			}
			if uint64(n) != d.Stats().Frames {
				t.Fatalf("%d frames, then %d", d.Stats().Frames, n)
			}
		}
	})
}

// sameAsPcapgo checks that the record filter changes nothing but the
// records over the limit: up to the first of those, a Reader returns the
// packets pcapgo returns reading the file directly, and the same kind of
// end.
func sameAsPcapgo(t *testing.T, data []byte, limit int) {
	r, err := NewReaderMax(bytes.NewReader(data), limit)
	if err != nil || bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return
	}
	var raw interface {
		ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	br := bufio.NewReaderSize(bytes.NewReader(data), bufSize)
	if r.IsPcapng() {
		raw, err = pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	} else {
		raw, err = pcapgo.NewReader(br)
	}
	if err != nil {
		t.Fatalf("pcapgo fails where the Reader did not: %v", err)
	}
	for i := 1; ; i++ {
		got, gci, gerr := r.ZeroCopyReadPacketData()
		if gerr == nil && r.Oversize() {
			return
		}
		want, wci, werr := raw.ZeroCopyReadPacketData()
		// The Reader tells a record header without data from the end
		// of the input (see Reader.fail).
		wEOF := werr == io.EOF && wci.CaptureLength == 0
		if (gerr == nil) != (werr == nil) || (gerr == io.EOF) != wEOF {
			t.Fatalf("record %d: error %v, pcapgo %v", i, gerr, werr)
		}
		if gerr != nil {
			return
		}
		if !bytes.Equal(got, want) || !gci.Timestamp.Equal(wci.Timestamp) || gci.Length != wci.Length {
			t.Fatalf("record %d differs", i)
		}
	}
}
