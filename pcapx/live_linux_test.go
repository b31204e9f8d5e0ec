//go:build linux

package pcapx

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// TestLiveLoopback captures Modbus/UDP datagrams this test sends to
// 127.0.0.1:502 on the loopback interface. It needs CAP_NET_RAW and skips
// without it.
func TestLiveLoopback(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a packet socket")
	}
	l, err := OpenLive("lo")
	if err != nil {
		t.Skipf("no packet socket here: %v", err)
	}
	defer l.Close()
	d := NewDecoder(Config{LinkType: l.LinkType(), LinkTypeSet: true})
	var mu sync.Mutex
	seen := 0
	marker := []byte{0x7a, 0x51, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10}
	d.cfg.Handler = func(p *PDU) error {
		if p.Proto == Modbus && p.Transport == UDP && string(p.Data) == string(marker) {
			mu.Lock()
			seen++
			n := seen
			mu.Unlock()
			if n == 3 {
				return ErrStop
			}
		}
		return nil
	}
	conn, err := net.Dial("udp", "127.0.0.1:502")
	if err != nil {
		t.Skip(err)
	}
	defer conn.Close()
	// Send until the decoder has seen three, for at most 5 seconds.
	done := make(chan error, 1)
	go func() { done <- d.ReadSource(l) }()
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if !errors.Is(err, ErrStop) {
				t.Fatalf("ReadSource: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if seen != 3 {
				t.Errorf("seen %d", seen)
			}
			return
		case <-tick.C:
			conn.Write(marker)
		case <-deadline:
			l.Close()
			<-done
			t.Fatalf("saw %d datagrams in 5 s", seen)
		}
	}
}

// TestLiveClose: closing the source ends a blocked read with io.EOF, and
// ReadLive returns when stop is closed.
func TestLiveClose(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a packet socket")
	}
	l, err := OpenLive("lo")
	if err != nil {
		t.Skipf("no packet socket here: %v", err)
	}
	l.Close()
	if _, _, err := l.ZeroCopyReadPacketData(); err != io.EOF {
		t.Errorf("read after Close: %v", err)
	}
	stop := make(chan struct{})
	time.AfterFunc(300*time.Millisecond, func() { close(stop) })
	start := time.Now()
	if _, err := ReadLive("lo", Config{}, stop); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %v", el)
	}
	if _, err := OpenLive("no-such-interface0"); err == nil {
		t.Error("opened a missing interface")
	}
}
