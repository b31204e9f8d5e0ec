package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY returns both ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	var unlock int32
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, m.Fd(), unix.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("unlockpt: %v", e)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// TestProgressTerminal: on a terminal, reading a big file draws the line
// over itself and erases it at the end.
func TestProgressTerminal(t *testing.T) {
	big := bigCapture(t)
	master, slave := openPTY(t)
	require.True(t, isTerminal(slave))
	var mu sync.Mutex
	var screen bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	// A clock that moves 100 ms per reading.
	tick := time.Unix(1600000000, 0)
	now := func() time.Time {
		tick = tick.Add(100 * time.Millisecond)
		return tick
	}
	in := input{name: big, progress: slave, now: now}
	var pdus int
	_, err := in.read(func(int) consumer {
		return consumer{sink: &anomalySink{c: counter{}}, each: func(p *pcapxPDU, r dissectResult) error { pdus++; return nil }}
	}, nil)
	require.NoError(t, err)
	require.Positive(t, pdus)
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		s := screen.String()
		mu.Unlock()
		if strings.Count(s, "\r") >= 3 && strings.HasSuffix(s, "\r") || time.Now().After(deadline) {
			lines := strings.Split(s, "\r")
			require.Greater(t, len(lines), 3, "%q", s)
			assert.Contains(t, lines[1], "big.pcap: ")
			assert.Contains(t, lines[1], " MiB (")
			assert.Contains(t, lines[1], "packets/s")
			assert.Contains(t, lines[1], " left")
			assert.Empty(t, strings.TrimSpace(lines[len(lines)-2]), "the line is erased at the end")
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
