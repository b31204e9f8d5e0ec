package modbus

import (
	"bufio"
	"bytes"
	"testing"
)

func TestSplitStream(t *testing.T) {
	// Two FC3 requests back to back, garbage, then a third split by the reader.
	adu := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a}
	var stream []byte
	stream = append(stream, adu...)
	stream = append(stream, adu...)
	stream = append(stream, 0xff, 0xff, 0x12)
	stream = append(stream, adu...)
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(Split)
	n := 0
	for sc.Scan() {
		if !bytes.Equal(sc.Bytes(), adu) {
			t.Fatalf("token %d = % x", n, sc.Bytes())
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("got %d ADUs, want 3", n)
	}
}
