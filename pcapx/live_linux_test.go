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

// TestLiveFilter: with a capture filter attached in the kernel, only the
// packets that pass it are read: datagrams to port 502 and none to 503.
func TestLiveFilter(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a packet socket")
	}
	if _, err := OpenLiveFilter("lo", "tcp[0] = 1"); err == nil {
		t.Fatal("a bad filter compiled")
	}
	l, err := OpenLiveFilter("lo", "udp dst port 502 and host 127.0.0.1")
	if err != nil {
		t.Skipf("no packet socket here: %v", err)
	}
	defer l.Close()
	var conns []net.Conn
	for _, addr := range []string{"127.0.0.1:502", "127.0.0.1:503"} {
		c, err := net.Dial("udp", addr)
		if err != nil {
			t.Skip(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				conns[1].Write([]byte("503"))
				conns[0].Write([]byte("502"))
			}
		}
	}()
	time.AfterFunc(5*time.Second, func() { l.Close() })
	seen := 0
	for seen < 5 {
		data, _, err := l.ZeroCopyReadPacketData()
		if err != nil {
			t.Fatalf("after %d packets: %v", seen, err)
		}
		// Ethernet (14) + IPv4 (20) + UDP: the destination port.
		if len(data) < 38 {
			t.Fatalf("short packet % x", data)
		}
		if port := int(data[36])<<8 | int(data[37]); port != 502 {
			t.Fatalf("read a packet to port %d", port)
		}
		seen++
	}
}
