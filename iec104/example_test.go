package iec104_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/icsdissect/icsdissect/iec104"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Float measurements with their addresses and CP56Time2a time tags: an
// M_ME_TF_1 APDU of ndpi-IEC104.pcap, frame 13.
func Example_floatMeasurements() {
	b := mustHex("6855327e42b92405030014290f0f1b0000803f0005df028a230a0b0f0f19000000420005df028a230a0b" +
		"0f0f1e0000803f0005df028a230a0b0f0f120080c3420005df028a230a0b0f0f10abaab4420005df028a230a0b")
	f, _, err := iec104.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := &f.ASDU
	fmt.Printf("%s N(S)=%d N(R)=%d %s cause=%s CA=%d objects=%d\n",
		f.Format, f.SendSeq, f.RecvSeq, a.Type, a.Cause, a.CommonAddr, a.Count)
	for it := a.Objects(); it.Next(); {
		o := it.Item()
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
		f, _, err := iec104.Parse(mustHex(h))
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

// Cutting APDUs out of a TCP byte stream with bufio.Scanner and following
// the connection's sequence numbers: the tracker reports the N(S) that
// skips one I-frame.
func ExampleSplit() {
	stream := mustHex("680407000000" + // STARTDT act
		"0000" + // garbage, skipped
		"68040b000000" + // STARTDT con
		"680e00000000640106000a0000000014" + // I N(S)=0 interrogation
		"680e04000000640106000a0000000014") // I N(S)=2: one missing
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(iec104.Split)
	var tr iec104.Tracker
	tr.Start()
	toServer := []bool{true, false, true, true}
	for i := 0; sc.Scan(); i++ {
		f, _, err := iec104.Parse(sc.Bytes())
		if err != nil {
			fmt.Println(err)
			continue
		}
		a := tr.Observe(&f, toServer[i])
		line := fmt.Sprint(f.Format, " ", f.UFunc)
		if f.Format == iec104.FormatI {
			line = fmt.Sprint(f.Format, " ", f.SendSeq, " ", f.ASDU.Type)
		}
		if a != 0 {
			line += " " + a.String()
		}
		fmt.Println(line)
	}
	// Output:
	// U STARTDT act
	// U STARTDT con
	// I 0 C_IC_NA_1
	// I 2 C_IC_NA_1 seq_gap
}
