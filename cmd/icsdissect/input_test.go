package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

func TestFormatProgress(t *testing.T) {
	cases := []struct {
		done, total int64
		packets     uint64
		elapsed     time.Duration
		want        string
	}{
		{0, 200 << 20, 0, 0, "f.pcap: 0.0 of 200.0 MiB (0%), 0 packets"},
		{50 << 20, 200 << 20, 1_250_000, time.Second, "f.pcap: 50.0 of 200.0 MiB (25%), 1250000 packets, 1.25 M packets/s, 0:03 left"},
		{100 << 20, 200 << 20, 45_000, 90 * time.Second, "f.pcap: 100.0 of 200.0 MiB (50%), 45000 packets, 500 packets/s, 1:30 left"},
		{1 << 20, 3000 << 20, 12_345, 2 * time.Second, "f.pcap: 1.0 of 3000.0 MiB (0%), 12345 packets, 6.2 k packets/s, 1:39:58 left"},
		{300 << 20, 200 << 20, 7, time.Second, "f.pcap: 200.0 of 200.0 MiB (100%), 7 packets, 7 packets/s, 0:00 left"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, formatProgress("f.pcap", c.done, c.total, c.packets, c.elapsed))
	}
}

// bigCapture writes a pcap of more than progressMin bytes: the sample's
// packets over and over.
func bigCapture(t *testing.T) string {
	t.Helper()
	f, err := os.Open(sample)
	require.NoError(t, err)
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	require.NoError(t, err)
	name := filepath.Join(t.TempDir(), "big.pcap")
	out, err := os.Create(name)
	require.NoError(t, err)
	defer out.Close()
	w := pcapgo.NewWriter(out)
	require.NoError(t, w.WriteFileHeader(65535, r.LinkType()))
	var pkts [][]byte
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		pkts = append(pkts, data)
	}
	written := 0
	for i := 0; written < progressMin+1<<20; i++ {
		p := pkts[i%len(pkts)]
		ci := captureInfo(i, len(p))
		require.NoError(t, w.WritePacket(ci, p))
		written += 16 + len(p)
	}
	return name
}

// TestProgressSilent: without a terminal on stderr, a big file is read
// without a word on stderr.
func TestProgressSilent(t *testing.T) {
	big := bigCapture(t)
	var stdout bytes.Buffer
	var stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"summary", big}, &stdout, &stderr))
	assert.Empty(t, stderr.String())

	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f))
	assert.Equal(t, 0, run([]string{"decode", big}, io.Discard, f))
	fi, err := f.Stat()
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "stderr to a file")

	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	assert.False(t, isTerminal(pw))
	assert.Equal(t, 0, run([]string{"summary", big}, io.Discard, pw))
	pw.Close()
	b, _ := io.ReadAll(pr)
	assert.Empty(t, b, "stderr to a pipe")
	assert.False(t, isTerminal(&stderr))
}

// TestFilterFlag: -f keeps the packets that pass the filter.
func TestFilterFlag(t *testing.T) {
	code, out, errOut := runCmd(t, "decode", "-f", "tcp dst port 502", sample)
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, 24)
	for _, l := range lines {
		var pdu struct{ Dir string }
		require.NoError(t, json.Unmarshal([]byte(l), &pdu))
		assert.Equal(t, "to-server", pdu.Dir)
	}
	code, out, _ = runCmd(t, "decode", "-f", "udp or vlan", sample)
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	code, out, _ = runCmd(t, "summary", "-f", "not host 10.0.0.1", sample)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "frames 100: decoded 48")

	code, _, errOut = runCmd(t, "decode", "-f", "tcp port modbus", sample)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `"modbus" at offset 9`)
	code, _, errOut = runCmd(t, "summary", "-f", "icmp", sample)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unsupported keyword: "icmp"`)
}

// TestLiveFlag: -i captures from an interface until stopped, with the
// filter in the kernel. It needs root.
func TestLiveFlag(t *testing.T) {
	code, _, errOut := runCmd(t, "decode", "-i", "lo", sample)
	assert.Equal(t, 2, code, errOut)
	if os.Geteuid() != 0 {
		t.Skip("needs root for a packet socket")
	}
	code, _, errOut = runCmd(t, "decode", "-i", "no-such-interface0")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no-such-interface0")

	conn, err := net.Dial("udp", "127.0.0.1:502")
	require.NoError(t, err)
	defer conn.Close()
	noise, err := net.Dial("udp", "127.0.0.1:503")
	require.NoError(t, err)
	defer noise.Close()
	out := &syncBuffer{}
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		done <- runStop([]string{"decode", "-f", "udp dst port 502", "-i", "lo"}, out, io.Discard, stop)
	}()
	adu := []byte{0x12, 0x34, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10}
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		select {
		case <-tick.C:
			noise.Write(adu)
			conn.Write(adu)
			if strings.Count(out.String(), "\n") >= 2 {
				break wait
			}
		case <-deadline:
			break wait
		}
	}
	close(stop)
	require.Equal(t, 0, <-done)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.GreaterOrEqual(t, len(lines), 2, out.String())
	for _, l := range lines {
		var pdu struct {
			Proto, Transport, Dst, Dir string
		}
		require.NoError(t, json.Unmarshal([]byte(l), &pdu), l)
		assert.Equal(t, "modbus", pdu.Proto)
		assert.Equal(t, "udp", pdu.Transport)
		assert.Equal(t, "127.0.0.1:502", pdu.Dst)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type (
	pcapxPDU      = pcapx.PDU
	dissectResult = dissect.Result
)

func captureInfo(i, n int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: time.Unix(1600000000, int64(i)*1000), CaptureLength: n, Length: n}
}
