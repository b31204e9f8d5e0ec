package iec104_test

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/internal/testkit"
)

// Float measurements with their addresses and CP56Time2a time tags: an
// M_ME_TF_1 APDU of ndpi-IEC104.pcap, frame 13.
func Example_floatMeasurements() {
	b := testkit.Hex("6855327e42b92405030014290f0f1b0000803f0005df028a230a0b0f0f19000000420005df028a230a0b" +
		"0f0f1e0000803f0005df028a230a0b0f0f120080c3420005df028a230a0b0f0f10abaab4420005df028a230a0b")
	f, _, err := iec104.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := &f.ASDU
	fmt.Printf("%s N(S)=%d N(R)=%d %s cause=%s CA=%d objects=%d\n",
		f.Format, f.SendSeq, f.RecvSeq, a.Type, a.Cause, a.CommonAddr, a.Count)
	objs := a.Objects()
	for objs.Next() {
		o := objs.Object()
		v, _ := o.Float()
		q, _ := o.QDS()
		ts, _ := o.CP56()
		fmt.Printf("IOA %d = %g invalid=%v at %s summer=%v\n",
			o.IOA, v, q.IV(), ts.Time(nil).Format("2006-01-02 15:04:05.000"), ts.Summer)
	}
	// Output:
	// I N(S)=16153 N(R)=23713 M_ME_TF_1 cause=Spont CA=10516 objects=5
	// IOA 1773327 = 1 invalid=false at 2011-10-03 10:02:57.093 summer=true
	// IOA 1642255 = 32 invalid=false at 2011-10-03 10:02:57.093 summer=true
	// IOA 1969935 = 1 invalid=false at 2011-10-03 10:02:57.093 summer=true
	// IOA 1183503 = 97.75 invalid=false at 2011-10-03 10:02:57.093 summer=true
	// IOA 1052431 = 90.333336 invalid=false at 2011-10-03 10:02:57.093 summer=true
}

// A single command, selected then executed: C_SC_NA_1 APDUs of
// iti-iec104-090813_diverse.pcap, frames 25 (select), 27 (its activation
// confirmation), 29 (execute) and 33 (activation termination).
func Example_singleCommand() {
	for _, h := range []string{
		"680e2c00a2002d010600030094110081",
		"680ea2002e002d010700030094110081",
		"680e2e00a4002d010600030094110001",
		"680ea60030002d010a00030094110001",
	} {
		f, _, err := iec104.Parse(testkit.Hex(h))
		if err != nil {
			fmt.Println(err)
			continue
		}
		o, _ := f.ASDU.At(0)
		sco, _ := o.SCO()
		step := "execute"
		if sco.Select() {
			step = "select"
		}
		fmt.Printf("%s %s IOA %d on=%v %s qualifier=%d\n", f.ASDU.Type, f.ASDU.Cause, o.IOA, sco.On(), step, sco.QU())
	}
	// Output:
	// C_SC_NA_1 Act IOA 4500 on=true select qualifier=0
	// C_SC_NA_1 ActCon IOA 4500 on=true select qualifier=0
	// C_SC_NA_1 Act IOA 4500 on=true execute qualifier=0
	// C_SC_NA_1 ActTerm IOA 4500 on=true execute qualifier=0
}

// Ranging over the objects with ASDU.All: the same APDU as above.
func ExampleASDU_All() {
	b := testkit.Hex("6855327e42b92405030014290f0f1b0000803f0005df028a230a0b0f0f19000000420005df028a230a0b" +
		"0f0f1e0000803f0005df028a230a0b0f0f120080c3420005df028a230a0b0f0f10abaab4420005df028a230a0b")
	f, _, _ := iec104.Parse(b)
	for i, o := range f.ASDU.All {
		v, _ := o.Float()
		fmt.Println(i, o.IOA, v)
	}
	// Output:
	// 0 1773327 1
	// 1 1642255 32
	// 2 1969935 1
	// 3 1183503 97.75
	// 4 1052431 90.333336
}

// Cutting APDUs out of a TCP byte stream with bufio.Scanner and following
// the connection with a Conn: the STARTDT act and con pair, and the N(S)
// that skips one I-frame.
func ExampleSplit() {
	stream := testkit.Hex("680407000000" + // STARTDT act
		"0000" + // garbage, skipped
		"68040b000000" + // STARTDT con
		"680e00000000640106000a0000000014" + // I N(S)=0 interrogation
		"680e04000000640106000a0000000014") // I N(S)=2: one missing
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(iec104.Split)
	var c iec104.Conn
	toServer := []bool{true, false, true, true}
	for i := 0; sc.Scan(); i++ {
		m, err := c.Decode(sc.Bytes(), toServer[i], int64(i)*1e6)
		if err != nil {
			fmt.Println(err)
			continue
		}
		f := &m.Frame
		line := fmt.Sprint(f.Format, " ", f.UFunc)
		if f.Format == iec104.FormatI {
			line = fmt.Sprint(f.Format, " ", f.SendSeq, " ", f.ASDU.Type)
		}
		if m.Paired {
			line += fmt.Sprintf(" answers %s after %dms", m.Request.UFunc, m.Latency()/1e6)
		}
		if m.Anomalies != 0 {
			line += " " + m.Anomalies.String()
		}
		fmt.Println(line)
	}
	// Output:
	// U STARTDT act
	// U STARTDT con answers STARTDT act after 1ms
	// I 0 C_IC_NA_1
	// I 2 C_IC_NA_1 seq_gap|duplicate_request
}

// After a stream gap, or in a capture that starts mid-connection, Resync
// finds the first APDU whose head passes every check, then Split goes on;
// Conn.Gap tells the Conn, which keeps its pending activations. Here the
// capture starts inside an ASDU whose value bytes look like a TESTFR act,
// and a single command's confirmation follows the gap.
func ExampleResync() {
	var c iec104.Conn
	c.Decode(testkit.Hex("680e2c00a2002d010600030094110081"), true, 0) // select, before the gap
	c.Gap(false)
	data := testkit.Hex("0a0b" + "680443000000" + "99" + // the tail of an APDU
		"680ea2002e002d010700030094110081" + // the select's confirmation
		"680401002e00") // S-frame
	split := iec104.Resync
	for len(data) > 0 {
		adv, tok, _ := split(data, true)
		if tok == nil {
			fmt.Println("skipped", adv)
		} else {
			split = iec104.Split
			m, _ := c.Decode(tok, false, 5e6)
			fmt.Printf("%s paired %v after %dms, anomalies %q\n", m.Frame.Format, m.Paired, m.Latency()/1e6, m.Anomalies)
		}
		data = data[adv:]
	}
	// Output:
	// skipped 9
	// I paired true after 5ms, anomalies ""
	// S paired false after 0ms, anomalies ""
}

// A Conn pairs activations with their confirmations and terminations: a
// select, its confirmation, the execute, its confirmation and termination
// (iti-iec104-090813_diverse.pcap frames 25..33, times in milliseconds), and
// a station interrogation whose confirmation never comes, which Flush
// reports.
func ExampleConn() {
	var c iec104.Conn
	for _, p := range []struct {
		hex string
		up  bool
		ms  int64
	}{
		{"680e2c00a2002d010600030094110081", true, 0},
		{"680ea2002e002d010700030094110081", false, 12},
		{"680e2e00a4002d010600030094110001", true, 20},
		{"680ea4003000 2d010700030094110001", false, 31},
		{"680ea60030002d010a00030094110001", false, 40},
		{"680e3000a800640106000300 00000014", true, 50},
	} {
		m, err := c.Decode(testkit.Hex(p.hex), p.up, p.ms*1e6)
		if err != nil {
			fmt.Println(err)
			continue
		}
		a := &m.Frame.ASDU
		o, _ := a.At(0)
		cmd, _ := o.Command()
		line := fmt.Sprintf("%s %-7s IOA %d select=%v", a.Type, a.Cause, o.IOA, cmd.Select)
		if m.Selected {
			line += " (after select)"
		}
		if m.Paired {
			line += fmt.Sprintf(" answers %s %s in %dms", m.Request.ASDU.Type, m.Request.ASDU.Cause, m.Latency()/1e6)
		}
		fmt.Println(line)
	}
	for m := range c.Flush {
		fmt.Println("unanswered:", m.Frame.ASDU.Type, m.Frame.ASDU.CommonAddr)
	}
	st := c.Stats()
	fmt.Printf("requests %d, responses %d, paired %d, unanswered %d\n", st.Requests, st.Responses, st.Paired, st.Unanswered)
	// Output:
	// C_SC_NA_1 Act     IOA 4500 select=true
	// C_SC_NA_1 ActCon  IOA 4500 select=true answers C_SC_NA_1 Act in 12ms
	// C_SC_NA_1 Act     IOA 4500 select=false (after select)
	// C_SC_NA_1 ActCon  IOA 4500 select=false answers C_SC_NA_1 Act in 11ms
	// C_SC_NA_1 ActTerm IOA 4500 select=false answers C_SC_NA_1 Act in 20ms
	// C_IC_NA_1 Act     IOA 0 select=false
	// unanswered: C_IC_NA_1 3
	// requests 3, responses 3, paired 3, unanswered 1
}
