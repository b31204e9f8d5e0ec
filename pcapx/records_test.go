package pcapx

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigRecordFiles returns, for each format, a capture whose second record
// holds n bytes (a Modbus request padded with zeros), between a Modbus
// request and its response. In "pcapng opb, spb", the first two records
// are large.
func bigRecordFiles(n int) map[string][]byte {
	small, reply := twoModbusPackets()[0], twoModbusPackets()[1]
	big := make([]byte, n)
	copy(big, small)
	le := binary.LittleEndian
	ng := pcapngFile(le, []layers.LinkType{layers.LinkTypeEthernet}, ngPacket{0, small}, ngPacket{0, big}, ngPacket{0, reply})
	// An obsolete packet block (type 2) and a simple packet block (type
	// 3) of n bytes, in the same file.
	opb := le.AppendUint16(nil, 0) // interface
	opb = le.AppendUint16(opb, 0)  // drops
	opb = le.AppendUint32(opb, 0)
	opb = le.AppendUint32(opb, 0)
	opb = le.AppendUint32(opb, uint32(n))
	opb = le.AppendUint32(opb, uint32(n))
	opb = append(opb, big...)
	spb := le.AppendUint32(nil, uint32(n))
	spb = append(spb, big...)
	ngOld := pcapngFile(le, []layers.LinkType{layers.LinkTypeEthernet})
	ngOld = ngOld[:len(ngOld)-24] // the statistics block
	ngOld = ngBlock(ngOld, le, 2, opb)
	ngOld = ngBlock(ngOld, le, 3, spb)
	ngOld = ngBlock(ngOld, le, 3, append(le.AppendUint32(nil, uint32(len(reply))), reply...))
	return map[string][]byte{
		"pcap":            pcapFile(layers.LinkTypeEthernet, small, big, reply),
		"pcapng epb":      ng,
		"pcapng opb, spb": ngOld,
	}
}

// TestRecordLimit: a record longer than the limit is skipped unread and its
// frame counted malformed; the frames around it decode as usual and keep
// their numbers.
func TestRecordLimit(t *testing.T) {
	for name, file := range bigRecordFiles(5000) {
		t.Run(name, func(t *testing.T) {
			var r recorder
			st, err := Read(bytes.NewReader(file), Config{Handler: r.handle, MaxRecord: 4096})
			require.NoError(t, err)
			tooLarge, first := uint64(1), false
			if name == "pcapng opb, spb" {
				tooLarge, first = 2, true
			}
			assert.Equal(t, tooLarge, st.MalformedBy[RecordTooLarge])
			frames := []int{}
			for _, p := range r.pdus {
				frames = append(frames, p.Frame)
			}
			if name == "pcapng opb, spb" {
				assert.Equal(t, uint64(3), st.Frames)
				assert.Equal(t, []int{3}, frames)
			} else {
				assert.Equal(t, uint64(3), st.Frames)
				assert.Equal(t, []int{1, 3}, frames)
			}
			checkStats(t, st)

			// Under the limit, the record is read.
			st, err = Read(bytes.NewReader(file), Config{MaxRecord: 8192})
			require.NoError(t, err)
			assert.Zero(t, st.MalformedBy[RecordTooLarge])

			// The Reader says which record it emptied.
			rd, err := NewReaderMax(bytes.NewReader(file), 4096)
			require.NoError(t, err)
			var sizes []int
			var over []bool
			for {
				data, _, _, err := rd.ReadPacket()
				if err != nil {
					require.ErrorIs(t, err, io.EOF)
					break
				}
				sizes = append(sizes, len(data))
				over = append(over, rd.Oversize())
			}
			require.Len(t, sizes, 3)
			assert.Equal(t, []bool{first, true, false}, over)
			assert.Zero(t, sizes[1])
		})
	}
}

// TestRecordLimitAllocs: skipping a 64 MiB record allocates a small,
// fixed amount, not its size.
func TestRecordLimitAllocs(t *testing.T) {
	for name, file := range bigRecordFiles(64 << 20) {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			st, err := Read(bytes.NewReader(file), Config{})
			runtime.ReadMemStats(&after)
			require.NoError(t, err)
			assert.NotZero(t, st.MalformedBy[RecordTooLarge])
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(2<<20), "bytes allocated to read the file")
		})
	}
}

// TestHugeGzippedRecordRSS reads a gzipped pcap whose one record claims and
// holds 1 GiB of zeros (snap length 0xffffffff; the file is about 1 MB) in
// a process of its own, and checks its peak resident memory.
func TestHugeGzippedRecordRSS(t *testing.T) {
	if path := os.Getenv("PCAPX_HUGE_RECORD"); path != "" {
		st, err := ReadFile(path, Config{})
		fmt.Printf("frames=%d toolarge=%d decoded=%d err=%v\n", st.Frames, st.MalformedBy[RecordTooLarge], st.Decoded, err)
		fmt.Printf("hwm=%d\n", peakRSS())
		return
	}
	if testing.Short() {
		t.Skip("writes and reads 1 GiB through gzip")
	}
	path := filepath.Join(t.TempDir(), "huge.pcap.gz")
	f, err := os.Create(path)
	require.NoError(t, err)
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	le := binary.LittleEndian
	var h []byte
	for _, v := range []uint32{0xa1b2c3d4, 4<<16 | 2, 0, 0, 0xffffffff, 1} {
		h = le.AppendUint32(h, v)
	}
	h = le.AppendUint32(le.AppendUint32(le.AppendUint32(le.AppendUint32(h, 1), 0), 1<<30), 1<<30)
	w.Write(h)
	zeros := make([]byte, 1<<20)
	for range 1024 {
		w.Write(zeros)
	}
	small := twoModbusPackets()[0]
	w.Write(le.AppendUint32(le.AppendUint32(le.AppendUint32(le.AppendUint32(nil, 2), 0), uint32(len(small))), uint32(len(small))))
	w.Write(small)
	require.NoError(t, w.Flush())
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	fi, _ := os.Stat(path)
	t.Logf("gzipped capture: %d bytes", fi.Size())

	cmd := exec.Command(os.Args[0], "-test.run", "^TestHugeGzippedRecordRSS$")
	cmd.Env = append(os.Environ(), "PCAPX_HUGE_RECORD="+path)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	t.Logf("%s", out)
	assert.Contains(t, string(out), "frames=2 toolarge=1 decoded=1 err=<nil>")
	i := strings.Index(string(out), "hwm=")
	require.GreaterOrEqual(t, i, 0)
	hwm, err := strconv.Atoi(strings.Fields(string(out[i+4:]))[0])
	require.NoError(t, err)
	if hwm > 0 {
		assert.Less(t, hwm, 64<<20, "peak resident memory")
	}
}

// peakRSS returns the process's peak resident memory in bytes (VmHWM), or
// 0 where it is unknown.
func peakRSS() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			f := strings.Fields(v)
			n, _ := strconv.Atoi(f[0])
			return n << 10
		}
	}
	return 0
}
