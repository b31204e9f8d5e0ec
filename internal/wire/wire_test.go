package wire

import (
	"testing"
)

func TestReader(t *testing.T) {
	r := Reader{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e}
	var (
		u8  uint8
		u16 uint16
		u32 uint32
		u64 uint64
		b   []byte
		sub Reader
	)
	check := func(ok bool, got, want uint64) {
		t.Helper()
		if !ok || got != want {
			t.Fatalf("got %#x ok=%v, want %#x", got, ok, want)
		}
	}
	check(r.U8(&u8), uint64(u8), 0x01)
	check(r.U16(&u16), uint64(u16), 0x0203)
	check(r.U16LE(&u16), uint64(u16), 0x0504)
	check(r.U24(&u32), uint64(u32), 0x060708)
	check(r.U24LE(&u32), uint64(u32), 0x0b0a09)
	check(r.U32(&u32), uint64(u32), 0x0c0d0e0f)
	check(r.U32LE(&u32), uint64(u32), 0x13121110)
	check(r.U64(&u64), u64, 0x1415161718191a1b)
	check(r.U64LE(&u64), u64, 0x232221201f1e1d1c)
	check(r.U48LE(&u64), u64, 0x292827262524)
	if !r.Sub(&sub, 3) || sub.Len() != 3 || r.Len() != 2 {
		t.Fatalf("Sub: sub=%d left=%d", sub.Len(), r.Len())
	}
	if sub.Skip(4) || !sub.Bytes(&b, 3) || len(b) != 3 || cap(b) != 3 || b[0] != 0x2a {
		t.Fatalf("child read past its bound or lost bytes: %x", b)
	}
	if v, ok := r.Peek(1); !ok || v != 0x2e {
		t.Fatal("Peek")
	}
	if _, ok := r.Peek(2); ok {
		t.Fatal("Peek out of range")
	}
	if r.U32(&u32) || r.Len() != 2 {
		t.Fatal("short read consumed input")
	}
	if r.Bytes(&b, -1) || r.Skip(-1) || r.Sub(&sub, 3) {
		t.Fatal("bad length accepted")
	}
	if got := r.Rest(); len(got) != 2 || !r.Empty() {
		t.Fatal("Rest")
	}
	var empty Reader
	if empty.U8(&u8) || empty.U16(&u16) || empty.U16LE(&u16) || empty.U24(&u32) || empty.U24LE(&u32) ||
		empty.U32(&u32) || empty.U32LE(&u32) || empty.U48LE(&u64) || empty.U64(&u64) || empty.U64LE(&u64) {
		t.Fatal("read from empty reader")
	}
}

func TestHelpers(t *testing.T) {
	b := []byte{1, 2, 3, 4}
	if BE16(b) != 0x0102 || LE16(b) != 0x0201 || BE32(b) != 0x01020304 || LE32(b) != 0x04030201 {
		t.Fatal("helpers")
	}
}

func TestAllocs(t *testing.T) {
	buf := make([]byte, 64)
	n := testing.AllocsPerRun(100, func() {
		r := Reader(buf)
		var u16 uint16
		var u32 uint32
		var u64 uint64
		var b []byte
		var s Reader
		_ = r.U16(&u16) && r.U32LE(&u32) && r.U64(&u64) && r.Bytes(&b, 4) && r.Sub(&s, 8) && r.Skip(1)
		for range 5 {
			_ = r.U64(&u64)
		}
	})
	if n != 0 {
		t.Fatalf("allocs = %v, want 0", n)
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte{1, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, ops, data []byte) {
		r := Reader(data)
		var u8 uint8
		var u16 uint16
		var u32 uint32
		var u64 uint64
		var b []byte
		var s Reader
		for _, op := range ops {
			before := r.Len()
			var ok bool
			var want int
			switch op % 11 {
			case 0:
				ok, want = r.U8(&u8), 1
			case 1:
				ok, want = r.U16(&u16), 2
			case 2:
				ok, want = r.U16LE(&u16), 2
			case 3:
				ok, want = r.U24(&u32), 3
			case 4:
				ok, want = r.U32(&u32), 4
			case 5:
				ok, want = r.U48LE(&u64), 6
			case 6:
				ok, want = r.U64LE(&u64), 8
			case 7:
				want = int(op>>4) - 2
				ok = r.Bytes(&b, want)
			case 8:
				want = int(op >> 4)
				ok = r.Sub(&s, want)
			case 9:
				want = int(op>>4) - 1
				ok = r.Skip(want)
			default:
				_, ok = r.Peek(int(op >> 4))
				want = 0
			}
			if ok && r.Len() != before-want || !ok && r.Len() != before {
				t.Fatalf("op %d: ok=%v len %d -> %d", op, ok, before, r.Len())
			}
		}
	})
}
