package pcapx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func twoModbusPackets() [][]byte {
	return [][]byte{
		ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1, payload: modbusADU(1)}))),
		ethIP(ipv4(srv4, cli4, 6, tcpHeader(tcpSeg{sport: 502, dport: 40000, seq: 9, payload: modbusADU(1)}))),
		eth(0x0806, make([]byte, 28)),
	}
}

func TestReadPcap(t *testing.T) {
	var r recorder
	st, err := Read(bytes.NewReader(pcapFile(layers.LinkTypeEthernet, twoModbusPackets()...)), Config{Handler: r.handle})
	if err != nil {
		t.Fatal(err)
	}
	if st.Frames != 3 || st.Decoded != 2 || st.NotOurs != 1 || len(r.pdus) != 2 {
		t.Fatalf("stats %+v", st)
	}
	if r.pdus[1].Frame != 2 || !r.pdus[1].Time.Equal(t0.Add(1e6)) || r.pdus[1].ToServer {
		t.Errorf("pdu %+v", r.pdus[1])
	}
}

func TestReadPcapVariants(t *testing.T) {
	pkt := ethIP(ipv4(cli4, srv4, 17, udpDatagram(40000, 502, modbusADU(1))))
	le := pcapFile(layers.LinkTypeEthernet, pkt)
	// Big-endian nanosecond file, built from the little-endian one.
	be := make([]byte, 0, len(le))
	be = binary.BigEndian.AppendUint32(be, 0xa1b23c4d)
	be = binary.BigEndian.AppendUint16(be, 2)
	be = binary.BigEndian.AppendUint16(be, 4)
	be = append(be, make([]byte, 8)...)
	be = binary.BigEndian.AppendUint32(be, 65535)
	be = binary.BigEndian.AppendUint32(be, 1|0x10000000<<2) // FCS bits above the link type
	be = binary.BigEndian.AppendUint32(be, uint32(t0.Unix()))
	be = binary.BigEndian.AppendUint32(be, 123456789)
	be = binary.BigEndian.AppendUint32(be, uint32(len(pkt)))
	be = binary.BigEndian.AppendUint32(be, uint32(len(pkt)))
	be = append(be, pkt...)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(le)
	zw.Close()
	for name, file := range map[string][]byte{"le": le, "be nanos": be, "gzip": gz.Bytes()} {
		t.Run(name, func(t *testing.T) {
			var r recorder
			st, err := Read(bytes.NewReader(file), Config{Handler: r.handle})
			if err != nil || st.Frames != 1 || len(r.pdus) != 1 {
				t.Fatalf("err %v stats %+v", err, st)
			}
			if name == "be nanos" && r.pdus[0].Time.Nanosecond() != 123456789 {
				t.Errorf("time %v", r.pdus[0].Time)
			}
		})
	}
}

func TestReadPcapng(t *testing.T) {
	pkts := twoModbusPackets()
	sll2Pkt := sll2(0x0800, ipv4(cli4, srv4, 17, udpDatagram(40000, 502, modbusADU(2))))
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		file := pcapngFile(order, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL2},
			ngPacket{0, pkts[0]}, ngPacket{1, sll2Pkt}, ngPacket{0, pkts[1]}, ngPacket{0, pkts[2]})
		var r recorder
		st, err := Read(bytes.NewReader(file), Config{Handler: r.handle})
		if err != nil {
			t.Fatal(err)
		}
		if st.Frames != 4 || st.Decoded != 3 || len(r.pdus) != 3 {
			t.Fatalf("%v: stats %+v", order, st)
		}
		if r.pdus[1].Frame != 2 || r.pdus[1].Transport != UDP || !r.pdus[1].Time.Equal(t0.Add(1e6)) {
			t.Errorf("%v: sll2 pdu %+v", order, r.pdus[1])
		}
		if r.pdus[2].Frame != 3 || !r.pdus[2].Time.Equal(t0.Add(2e6)) {
			t.Errorf("%v: pdu %+v", order, r.pdus[2])
		}
	}
}

func TestReadErrors(t *testing.T) {
	good := pcapFile(layers.LinkTypeEthernet, twoModbusPackets()...)
	goodNg := pcapngFile(binary.LittleEndian, []layers.LinkType{layers.LinkTypeEthernet}, ngPacket{0, twoModbusPackets()[0]}, ngPacket{0, twoModbusPackets()[1]})
	cases := []struct {
		name   string
		file   []byte
		want   error
		frames uint64
	}{
		{"empty", nil, ErrNotCapture, 0},
		{"short", []byte{0xd4, 0xc3}, ErrNotCapture, 0},
		{"text", []byte("hello, this is not a capture\n"), ErrNotCapture, 0},
		{"bad version", append([]byte{0xd4, 0xc3, 0xb2, 0xa1, 9, 0}, good[6:]...), ErrNotCapture, 0},
		{"bad gzip", []byte{0x1f, 0x8b, 1, 2, 3}, ErrNotCapture, 0},
		{"short header", good[:20], ErrTruncatedFile, 0},
		{"cut in record header", good[:len(good)-len(twoModbusPackets()[2])-20], ErrTruncatedFile, 1},
		{"cut in last record", good[:len(good)-1], ErrTruncatedFile, 2},
		// A record longer than any snap length is skipped unread (and
		// counted); this one is cut short, so pcapgo sees it.
		{"huge record", append(bytes.Clone(good[:24]), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0x10), ErrCorruptFile, 0},
		{"pcapng cut in statistics", goodNg[:len(goodNg)-20], ErrTruncatedFile, 2},
		{"pcapng cut in packet", goodNg[:len(goodNg)-30], ErrTruncatedFile, 1},
		{"pcapng bad bom", append(bytes.Clone(goodNg[:8]), 1, 2, 3, 4), ErrNotCapture, 0},
		{"pcapng cut in block", append(bytes.Clone(goodNg[:28]), 6, 0, 0, 0, 13, 0, 0, 0), ErrTruncatedFile, 0},
		{"pcapng packet on unknown interface", pcapngFile(binary.LittleEndian, nil, ngPacket{0, []byte{1}}), ErrCorruptFile, 0},
		{"pcapng simple packet before interface", ngBlock(bytes.Clone(goodNg[:28]), binary.LittleEndian, 3, []byte{1, 0, 0, 0, 1}), ErrCorruptFile, 0},
		{"pcapng bad timestamp resolution", ngBlock(bytes.Clone(goodNg[:28]), binary.LittleEndian, 1, []byte{1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, 99, 0, 0, 0, 0, 0, 0, 0}), ErrCorruptFile, 0},
		// Formats and records tshark reads but pcapgo does not (doc.go).
		{"modified pcap format", pcapModified(), ErrNotCapture, 0},
		{"pcap version 2.3", append(append(bytes.Clone(good[:6]), 3, 0), good[8:]...), ErrNotCapture, 0},
		{"pcap capture length beyond packet length", caplenBeyondLen(good), ErrCorruptFile, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := Read(bytes.NewReader(c.file), Config{})
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if st.Frames != c.frames {
				t.Errorf("frames %d, want %d", st.Frames, c.frames)
			}
		})
	}
}

// pcapModified is a file in Kuznetzov's modified libpcap format: 8 more
// bytes per record header.
func pcapModified() []byte {
	pkt := twoModbusPackets()[0]
	le := pcapFile(layers.LinkTypeEthernet, pkt)
	mod := bytes.Clone(le[:24])
	binary.LittleEndian.PutUint32(mod, 0xa1b2cd34)
	mod = append(mod, le[24:40]...)
	mod = append(mod, make([]byte, 8)...)
	return append(mod, pkt...)
}

// caplenBeyondLen lowers the original length of the second record of a
// pcapFile below its capture length.
func caplenBeyondLen(file []byte) []byte {
	b := bytes.Clone(file)
	off := 24 + 16 + len(twoModbusPackets()[0])
	binary.LittleEndian.PutUint32(b[off+12:], 10)
	return b
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	good := pcapFile(layers.LinkTypeEthernet, twoModbusPackets()...)
	p := filepath.Join(dir, "cut.pcap")
	if err := os.WriteFile(p, good[:len(good)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := ReadFile(p, Config{})
	if !errors.Is(err, ErrTruncatedFile) || st.Frames != 2 || st.Protocols[Modbus].PDUs != 2 {
		t.Errorf("truncated: %v %+v", err, st)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.pcap"), Config{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if _, err := ReadFile("read_test.go", Config{}); !errors.Is(err, ErrNotCapture) {
		t.Errorf("go file: %v", err)
	}
}

// TestReadSource runs the read loop over a PacketSource, here a Reader.
func TestReadSource(t *testing.T) {
	cr, err := NewReader(bytes.NewReader(pcapFile(layers.LinkTypeEthernet, twoModbusPackets()...)))
	if err != nil {
		t.Fatal(err)
	}
	if cr.LinkType() != layers.LinkTypeEthernet || cr.IsPcapng() {
		t.Errorf("link type %v", cr.LinkType())
	}
	d := NewDecoder(Config{})
	if err := d.ReadSource(cr); err != nil {
		t.Fatal(err)
	}
	if st := d.Stats(); st.Frames != 3 || st.PDUs() != 2 {
		t.Errorf("stats %+v", st)
	}
	// A source that ends short.
	d = NewDecoder(Config{})
	if err := d.ReadSource(errSource{io.ErrUnexpectedEOF}); !errors.Is(err, ErrTruncatedFile) {
		t.Errorf("got %v", err)
	}
	if err := d.ReadSource(errSource{errors.New("device gone")}); !errors.Is(err, ErrCorruptFile) {
		t.Errorf("got %v", err)
	}
}

type errSource struct{ err error }

func (e errSource) ZeroCopyReadPacketData() ([]byte, gopacketCI, error) {
	return nil, gopacketCI{}, e.err
}

// TestReadRealPcapng reads a real pcapng capture and a real pcap capture
// and checks the frame counts against the manifest's.
func TestReadRealCaptures(t *testing.T) {
	for _, c := range []struct {
		file   string
		frames uint64
	}{
		{"s7comm/gymgit-wincc_s400_production.pcapng", 1658},
		{"modbus/arkime-modbus.pcap", 1237},
		{"enip/cipdip-baseline_churn_adapter.pcap", 3973},
	} {
		st, err := ReadFile(captureFile(t, c.file), Config{})
		if err != nil || st.Frames != c.frames {
			t.Errorf("%s: %v, %d frames, want %d", c.file, err, st.Frames, c.frames)
		}
	}
}

type gopacketCI = gopacket.CaptureInfo

// TestReadRealTruncated cuts the last record of real pcap and pcapng
// captures short: every frame before it is decoded and the error says so.
func TestReadRealTruncated(t *testing.T) {
	for _, name := range []string{"modbus/arkime-modbus.pcap", "s7comm/gymgit-tia_s300_goOnline.pcapng"} {
		b, err := os.ReadFile(captureFile(t, name))
		if err != nil {
			t.Fatal(err)
		}
		full, err := Read(bytes.NewReader(b), Config{})
		if err != nil {
			t.Fatal(err)
		}
		cut, err := Read(bytes.NewReader(b[:len(b)-10]), Config{})
		if !errors.Is(err, ErrTruncatedFile) {
			t.Errorf("%s: got %v", name, err)
		}
		if cut.Frames != full.Frames-1 {
			t.Errorf("%s: %d frames, want %d", name, cut.Frames, full.Frames-1)
		}
	}
}
