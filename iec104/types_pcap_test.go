package iec104

import (
	"bytes"
	"encoding/binary"
	"flag"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite generated files under testdata")

// typesPcap is the capture of every type id the package decodes; see
// testdata/README.md.
const typesPcap = "testdata/types.pcap"

// cp56 is 2023-05-17 13:45:30.250, Wednesday, standard time.
var cp56Test = []byte{0xaa, 0x76, 45, 13, 3<<5 | 17, 5, 23}

// testElement returns an element of type t with recognisable values.
func testElement(t TypeID, i int) []byte {
	le16 := func(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
	le32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	siq := []byte{0x01 | byte(i)<<7}                 // on; the second object invalid
	diq := []byte{0x02 | byte(i)<<4}                 // on; the second blocked
	qds := []byte{byte(i) << 6}                      // the second not topical
	vti := []byte{0x05 + byte(i)}                    // step 5, 6
	bsi := le32(0x12345678 + uint32(i))              // bitstring
	nva := le16(0x4000 + uint16(i))                  // 0.5
	sva := le16(1234 + uint16(i))                    // 1234
	flt := le32(math.Float32bits(3.5 + float32(i)))  // 3.5
	bcr := cat(le32(100000+uint32(i)), []byte{0x03}) // count, sequence 3
	cp24 := []byte{0xaa, 0x76, 45}
	cp16 := le16(1500)
	switch t {
	case M_SP_NA_1:
		return siq
	case M_SP_TA_1:
		return cat(siq, cp24)
	case M_DP_NA_1:
		return diq
	case M_DP_TA_1:
		return cat(diq, cp24)
	case M_ST_NA_1:
		return cat(vti, qds)
	case M_ST_TA_1:
		return cat(vti, qds, cp24)
	case M_BO_NA_1:
		return cat(bsi, qds)
	case M_BO_TA_1:
		return cat(bsi, qds, cp24)
	case M_ME_NA_1:
		return cat(nva, qds)
	case M_ME_TA_1:
		return cat(nva, qds, cp24)
	case M_ME_NB_1:
		return cat(sva, qds)
	case M_ME_TB_1:
		return cat(sva, qds, cp24)
	case M_ME_NC_1:
		return cat(flt, qds)
	case M_ME_TC_1:
		return cat(flt, qds, cp24)
	case M_IT_NA_1:
		return bcr
	case M_IT_TA_1:
		return cat(bcr, cp24)
	case M_EP_TA_1:
		return cat([]byte{0x02}, cp16, cp24)
	case M_EP_TB_1:
		return cat([]byte{0x05, 0x00}, cp16, cp24)
	case M_EP_TC_1:
		return cat([]byte{0x03, 0x00}, cp16, cp24)
	case M_PS_NA_1:
		return cat(le16(0x00ff), le16(0x0f0f), qds)
	case M_ME_ND_1:
		return nva
	case M_SP_TB_1:
		return cat(siq, cp56Test)
	case M_DP_TB_1:
		return cat(diq, cp56Test)
	case M_ST_TB_1:
		return cat(vti, qds, cp56Test)
	case M_BO_TB_1:
		return cat(bsi, qds, cp56Test)
	case M_ME_TD_1:
		return cat(nva, qds, cp56Test)
	case M_ME_TE_1:
		return cat(sva, qds, cp56Test)
	case M_ME_TF_1:
		return cat(flt, qds, cp56Test)
	case M_IT_TB_1:
		return cat(bcr, cp56Test)
	case M_EP_TD_1:
		return cat([]byte{0x02}, cp16, cp56Test)
	case M_EP_TE_1:
		return cat([]byte{0x05, 0x00}, cp16, cp56Test)
	case M_EP_TF_1:
		return cat([]byte{0x03, 0x00}, cp16, cp56Test)
	case C_SC_NA_1:
		return []byte{0x01}
	case C_DC_NA_1:
		return []byte{0x02}
	case C_RC_NA_1:
		return []byte{0x02}
	case C_SE_NA_1:
		return cat(nva, []byte{0})
	case C_SE_NB_1:
		return cat(sva, []byte{0})
	case C_SE_NC_1:
		return cat(flt, []byte{0})
	case C_BO_NA_1:
		return bsi
	case C_SC_TA_1:
		return cat([]byte{0x01}, cp56Test)
	case C_DC_TA_1:
		return cat([]byte{0x02}, cp56Test)
	case C_RC_TA_1:
		return cat([]byte{0x02}, cp56Test)
	case C_SE_TA_1:
		return cat(nva, []byte{0}, cp56Test)
	case C_SE_TB_1:
		return cat(sva, []byte{0}, cp56Test)
	case C_SE_TC_1:
		return cat(flt, []byte{0}, cp56Test)
	case C_BO_TA_1:
		return cat(bsi, cp56Test)
	case M_EI_NA_1:
		return []byte{0x01}
	case C_IC_NA_1:
		return []byte{20}
	case C_CI_NA_1:
		return []byte{0x05}
	case C_RD_NA_1:
		return nil
	case C_CS_NA_1:
		return cp56Test
	case C_TS_NA_1:
		return le16(0x55aa)
	case C_RP_NA_1:
		return []byte{1}
	case C_CD_NA_1:
		return cp16
	case C_TS_TA_1:
		return cat(le16(0x1234), cp56Test)
	case P_ME_NA_1:
		return cat(nva, []byte{1})
	case P_ME_NB_1:
		return cat(sva, []byte{1})
	case P_ME_NC_1:
		return cat(flt, []byte{1})
	case P_AC_NA_1:
		return []byte{1}
	case F_FR_NA_1:
		return cat(le16(1), []byte{0xe8, 0x03, 0x00, 0x00})
	case F_SR_NA_1:
		return cat(le16(1), []byte{1, 0xf4, 0x01, 0x00, 0x00})
	case F_SC_NA_1:
		return cat(le16(1), []byte{1, 1})
	case F_LS_NA_1:
		return cat(le16(1), []byte{1, 1, 0x55})
	case F_AF_NA_1:
		return cat(le16(1), []byte{1, 1})
	case F_SG_NA_1:
		return cat(le16(1), []byte{1, 4, 0xde, 0xad, 0xbe, byte(0xef + i)})
	case F_DR_TA_1:
		return cat(le16(1), []byte{0xe8, 0x03, 0x00, 0x00}, cp56Test)
	case F_SC_NB_1:
		return cat(le16(1), cp56Test, cp56Test)
	}
	return nil
}

// testCause is the cause an ASDU of type t is sent with.
func testCause(t TypeID) (Cause, bool) {
	switch {
	case t == M_EI_NA_1:
		return CauseInitialized, false
	case t == C_RD_NA_1:
		return CauseRequest, true
	case t >= F_FR_NA_1:
		return CauseFile, false
	case t >= C_SC_NA_1:
		return CauseActivation, true
	}
	return CauseSpontaneous, false
}

// testASDU builds an ASDU of type t: common address 10, objects from
// address 1001, count objects with SQ=0 or consecutive elements with SQ=1.
func testASDU(t TypeID, cause Cause, count int, sq bool) []byte {
	vsq := byte(count)
	if sq {
		vsq |= 0x80
	}
	b := []byte{byte(t), vsq, byte(cause), 0, 10, 0}
	for i := range count {
		if i == 0 || !sq {
			ioa := 1001 + i
			b = append(b, byte(ioa), byte(ioa>>8), byte(ioa>>16))
		}
		b = append(b, testElement(t, i)...)
	}
	return b
}

// pcapWriter writes a classic pcap of one TCP connection between a
// controlling station (client) and a controlled station (server, port
// 2404), one APDU per segment.
type pcapWriter struct {
	buf    bytes.Buffer
	seq    [2]uint32 // next TCP sequence number per direction
	ns     [2]uint16 // next N(S) per direction
	usec   uint32
	frames int
}

func newPcapWriter() *pcapWriter {
	w := &pcapWriter{seq: [2]uint32{1000, 5000}}
	hdr := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0}
	w.buf.Write(hdr)
	return w
}

// segment writes one TCP segment with flags and payload, from the client
// when up is true.
func (w *pcapWriter) segment(up bool, flags byte, payload []byte) {
	d := 1
	src, dst := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	sport, dport := uint16(40000), uint16(Port)
	if up {
		d = 0
	} else {
		src, dst, sport, dport = dst, src, dport, sport
	}
	var p []byte
	p = append(p, 0x02, 0, 0, 0, 0, 2-byte(d), 0x02, 0, 0, 0, 0, 1+byte(d), 0x08, 0x00) // Ethernet
	ip := []byte{0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0}
	ip = append(ip, src...)
	ip = append(ip, dst...)
	binary.BigEndian.PutUint16(ip[2:], uint16(20+20+len(payload)))
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	p = append(p, ip...)
	tcp := binary.BigEndian.AppendUint16(nil, sport)
	tcp = binary.BigEndian.AppendUint16(tcp, dport)
	tcp = binary.BigEndian.AppendUint32(tcp, w.seq[d])
	ack := uint32(0)
	if flags&0x10 != 0 {
		ack = w.seq[1-d]
	}
	tcp = binary.BigEndian.AppendUint32(tcp, ack)
	tcp = append(tcp, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0)
	p = append(p, tcp...)
	p = append(p, payload...)
	w.seq[d] += uint32(len(payload))
	if flags&0x03 != 0 { // SYN or FIN
		w.seq[d]++
	}
	w.usec += 10000
	rec := binary.LittleEndian.AppendUint32(nil, 1684330000+w.usec/1000000)
	rec = binary.LittleEndian.AppendUint32(rec, w.usec%1000000)
	rec = binary.LittleEndian.AppendUint32(rec, uint32(len(p)))
	rec = binary.LittleEndian.AppendUint32(rec, uint32(len(p)))
	w.buf.Write(rec)
	w.buf.Write(p)
	w.frames++
}

// apdu writes an I-frame carrying asdu (nil for an S-frame), or the U-frame
// u, with the direction's sequence numbers.
func (w *pcapWriter) apdu(up bool, u UFunction, asdu []byte) {
	d := 1
	if up {
		d = 0
	}
	var b []byte
	switch {
	case u != 0:
		b = []byte{StartByte, 4, byte(u)<<2 | 3, 0, 0, 0}
	case asdu == nil:
		nr := w.ns[1-d]
		b = []byte{StartByte, 4, 1, 0, byte(nr << 1), byte(nr >> 7)}
	default:
		ns, nr := w.ns[d], w.ns[1-d]
		b = []byte{StartByte, byte(4 + len(asdu)), byte(ns << 1), byte(ns >> 7), byte(nr << 1), byte(nr >> 7)}
		b = append(b, asdu...)
		w.ns[d]++
	}
	w.segment(up, 0x18, b)
}

// typesCapture returns the capture of testdata/types.pcap: a connection
// opened with STARTDT, then for every type id the package decodes an ASDU
// of two objects (SQ=0) and, for monitoring types, one of three
// consecutive elements (SQ=1); commands, parameters and system commands
// are confirmed (and interrogations terminated) by the station; the
// controlling station acknowledges with an S-frame; then STOPDT and the
// close.
func typesCapture() []byte {
	w := newPcapWriter()
	w.segment(true, 0x02, nil)  // SYN
	w.segment(false, 0x12, nil) // SYN ACK
	w.segment(true, 0x10, nil)  // ACK
	w.apdu(true, StartDTAct, nil)
	w.apdu(false, StartDTCon, nil)
	for ti := range 256 {
		t := TypeID(ti)
		if !t.Known() {
			continue
		}
		cause, up := testCause(t)
		w.apdu(up, 0, testASDU(t, cause, 2, false))
		if t <= M_EP_TF_1 {
			w.apdu(up, 0, testASDU(t, cause, 3, true))
		}
		if up && t != C_RD_NA_1 {
			// The station confirms, and terminates interrogations.
			w.apdu(false, 0, testASDU(t, CauseActivationCon, 2, false))
			if t == C_IC_NA_1 || t == C_CI_NA_1 {
				w.apdu(false, 0, testASDU(t, CauseActivationTerm, 2, false))
			}
		}
		w.apdu(true, 0, nil)
	}
	w.apdu(true, StopDTAct, nil)
	w.apdu(false, StopDTCon, nil)
	w.segment(true, 0x11, nil)  // FIN ACK
	w.segment(false, 0x11, nil) // FIN ACK
	w.segment(true, 0x10, nil)  // ACK
	return w.buf.Bytes()
}

// TestTypesCapture checks testdata/types.pcap against its generator (run
// with -update to rewrite it) and that every APDU in it decodes cleanly.
func TestTypesCapture(t *testing.T) {
	b := typesCapture()
	if *update {
		require.NoError(t, os.WriteFile(typesPcap, b, 0o644))
	}
	got, err := os.ReadFile(typesPcap)
	require.NoError(t, err)
	require.True(t, bytes.Equal(b, got), "%s is out of date: go test -run TestTypesCapture -update ./iec104/", typesPcap)

	// Walk the records: Ethernet, IPv4 and TCP headers of fixed sizes.
	seen := map[TypeID]bool{}
	var c Conn
	rest := got[24:]
	for len(rest) >= 16 {
		n := int(binary.LittleEndian.Uint32(rest[8:]))
		pkt := rest[16 : 16+n]
		rest = rest[16+n:]
		payload := pkt[14+20+20:]
		if len(payload) == 0 {
			continue
		}
		up := binary.BigEndian.Uint16(pkt[14+20+2:]) == Port
		m, err := c.Decode(payload, up, 0)
		require.NoError(t, err)
		assert.Zero(t, m.Frame.Anomalies|m.Anomalies, "% x: %s", payload, m.Frame.Anomalies|m.Anomalies)
		if m.Frame.Format == FormatI {
			seen[m.Frame.ASDU.Type] = true
			assert.Equal(t, int(m.Frame.ASDU.Count), m.Frame.ASDU.Len())
		}
	}
	for ti := range 256 {
		if TypeID(ti).Known() {
			assert.True(t, seen[TypeID(ti)], "type %d missing", ti)
		}
	}
}
