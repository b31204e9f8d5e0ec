// Command seedgen writes the seed corpus of package fuzz from the capture
// corpus: it reads every capture under ../shared/captures (or
// $ICSDISSECT_CAPTURES), considers every PDU pcapx delivers, and keeps one
// per shape.
//
// The shape of a PDU is its protocol, its direction, the bytes its
// protocol dispatches on and the class of its length (the bit length of
// its size, so 8-15, 16-31, ... bytes are one class):
//
//   - modbus: the function code byte (exception bit included), the
//     Diagnostics sub-function, the MEI type of code 43, the UMAS code of 90;
//   - s7comm: the COTP TPDU code, the protocol id (S7comm or S7comm-plus),
//     the ROSCTR, the parameter's function, the userdata type, group and
//     subfunction, and the item syntax of read and write var;
//   - enip: the command, whether the status is nonzero, the CPF item types,
//     the CIP service (reply bit included) and the class of its path;
//   - dnp3: the link control octet, the transport FIR and FIN bits, the
//     application function and the first object header's group, variation
//     and qualifier;
//   - iec104: the APCI format and U function, the type id, SQ, the cause of
//     transmission and the class of the object count.
//
// Frames whose PDUs have a new coarse shape (link type, protocol,
// transport, direction, dispatch bytes without the length class) become
// FuzzPacket seeds, with the two frames before them in the capture. The
// first StreamBytes of each TCP conversation become a FuzzStream seed when
// the shapes of its first PDUs are new for its protocol, up to
// MaxStreams per protocol; the first AdversarialStreams of them per
// protocol (named conv-<proto>-NN) are also the streams FuzzAdversarial
// damages. FuzzAdversarial seeds name one damage operation each.
//
// Usage, from the repository root:
//
//	go run ./fuzz/internal/seedgen            # rewrite fuzz/testdata/fuzz
//	go run ./fuzz/internal/seedgen -check     # also run every PDU and stream through fuzz's checks
//	go run ./fuzz/internal/seedgen -n         # count only, write nothing
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/fuzz"
	"github.com/icsdissect/icsdissect/pcapx"
)

// Bounds of the corpus written.
const (
	StreamBytes        = 4096 // bytes of a conversation kept in a stream seed
	MaxStreams         = 40   // stream seeds per protocol
	AdversarialStreams = 12   // of them, the streams FuzzAdversarial damages
	streamShapePDUs    = 6    // PDUs whose shapes key a stream seed
	packetFrames       = 3    // frames in a packet seed
	maxPacketSeeds     = 80   // per protocol
)

func main() {
	out := flag.String("out", "fuzz/testdata/fuzz", "folder of the seed corpus")
	check := flag.Bool("check", false, "run every PDU and stream through the checks of package fuzz")
	dry := flag.Bool("n", false, "count only; write nothing")
	flag.Parse()
	dir := os.Getenv("ICSDISSECT_CAPTURES")
	if dir == "" {
		dir = filepath.Join("..", "shared", "captures")
	}
	files, err := captureFiles(dir)
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "seedgen: no captures in %s (%v)\n", dir, err)
		os.Exit(1)
	}
	g := newGen(*check)
	for _, f := range files {
		g.file(f)
	}
	g.report(os.Stdout)
	if *dry {
		return
	}
	if err := g.write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "seedgen:", err)
		os.Exit(1)
	}
	if g.failures > 0 {
		os.Exit(2)
	}
}

func captureFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() || strings.HasSuffix(p, ".tsv") || strings.HasSuffix(p, ".md") {
			return nil
		}
		files = append(files, p)
		return nil
	})
	sort.Strings(files)
	return files, err
}

type pduSeed struct {
	toServer bool
	data     []byte
}

type gen struct {
	check    bool
	failures int
	runner   *fuzz.Runner
	protos   [fuzz.NumProtocols]fuzz.Protocol

	pdus       [fuzz.NumProtocols + 1]map[string]pduSeed
	pduOrder   [fuzz.NumProtocols + 1][]string
	considered [fuzz.NumProtocols + 1]int

	packets     map[string][]byte
	packetOrder []string
	packetCount [fuzz.NumProtocols + 1]int
	frames      int

	streams    [fuzz.NumProtocols + 1][]fuzz.Conversation
	streamKeys map[string]bool
	convs      int
}

func newGen(check bool) *gen {
	g := &gen{check: check, runner: fuzz.NewRunner(), protos: fuzz.Protocols(), packets: map[string][]byte{}, streamKeys: map[string]bool{}}
	// Every PDU is checked in depth by itself; conversations check their
	// first PDUs in depth and the Conns of all. ICSDISSECT_FUZZ_WAIVE
	// applies.
	g.runner.Deep = 16
	g.runner.Waive = fuzz.WaiversFromEnv()
	for i := range g.pdus {
		g.pdus[i] = map[string]pduSeed{}
	}
	return g
}

// linkTypes are the link types FuzzPacket's first byte selects; seedgen
// writes that byte for each captured frame.
var linkTypes = fuzz.PacketLinkTypes()

func linkIndex(lt layers.LinkType) (byte, bool) {
	for i, l := range linkTypes {
		if l == lt {
			return byte(i), true
		}
	}
	return 0, false
}

// file reads one capture: every PDU is shaped, frames with new coarse
// shapes kept, conversations collected.
func (g *gen) file(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	r, err := pcapx.NewReader(f)
	if err != nil {
		return
	}
	type conv struct {
		c     fuzz.Conversation
		bytes int
		keys  []string
		bad   bool
	}
	convs := map[pcapx.FlowKey]*conv{}
	var convOrder []pcapx.FlowKey
	var window [][]byte
	var lt layers.LinkType
	type frameShape struct {
		proto pcapx.Protocol
		key   string
	}
	var frameShapes []frameShape
	d := pcapx.NewDecoder(pcapx.Config{Handler: func(p *pcapx.PDU) error {
		shape := g.shape(p.Proto, p.Data, p.ToServer)
		coarse := fmt.Sprintf("%d/%s/%s/%s", lt, p.Proto, p.Transport, shape.coarse)
		frameShapes = append(frameShapes, frameShape{p.Proto, coarse})
		g.pdu(p.Proto, p.ToServer, p.Data, shape.full)
		if p.Transport != pcapx.TCP {
			return nil
		}
		c := convs[p.Flow]
		if c == nil {
			c = &conv{c: fuzz.Conversation{Proto: p.Proto}}
			convs[p.Flow] = c
			convOrder = append(convOrder, p.Flow)
		}
		if p.Gap {
			c.bad = true
		}
		if c.bytes+len(p.Data) <= StreamBytes {
			c.bytes += len(p.Data)
			c.c.Records = append(c.c.Records, fuzz.Record{ToServer: p.ToServer, Data: bytes.Clone(p.Data)})
			if len(c.keys) < streamShapePDUs {
				c.keys = append(c.keys, shape.coarse)
			}
		}
		return nil
	}})
	for {
		data, ci, plt, err := r.ReadPacket()
		if err == io.EOF || err != nil {
			break
		}
		lt = plt
		g.frames++
		frame := bytes.Clone(data)
		window = append(window, frame)
		if len(window) > packetFrames {
			window = window[1:]
		}
		frameShapes = frameShapes[:0]
		d.PacketLinkType(plt, ci, data)
		for _, fs := range frameShapes {
			k := fs.key
			if _, ok := g.packets[k]; ok || g.packetCount[fs.proto] >= maxPacketSeeds {
				continue
			}
			g.packetCount[fs.proto]++
			li, ok := linkIndex(plt)
			if !ok {
				continue
			}
			seed := []byte{li}
			for _, w := range window {
				seed = append(seed, byte(len(w)>>8), byte(len(w)))
				seed = append(seed, w...)
			}
			g.packets[k] = seed
			g.packetOrder = append(g.packetOrder, k)
		}
		if g.check {
			g.checkPackets(plt, window)
		}
	}
	d.Flush()
	for _, k := range convOrder {
		c := convs[k]
		g.convs++
		if c.bad || len(c.c.Records) < 2 {
			continue
		}
		if g.check {
			if err := g.runner.Conversation(c.c); err != nil {
				g.failf("%s: conversation %v: %v", filepath.Base(path), k, err)
			}
		}
		key := fmt.Sprintf("%s/%s", c.c.Proto, strings.Join(c.keys, ","))
		if g.streamKeys[key] || len(g.streams[c.c.Proto]) >= MaxStreams {
			continue
		}
		g.streamKeys[key] = true
		g.streams[c.c.Proto] = append(g.streams[c.c.Proto], c.c)
	}
}

func (g *gen) failf(format string, args ...any) {
	g.failures++
	if g.failures <= 50 {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

func (g *gen) checkPackets(lt layers.LinkType, window [][]byte) {
	if len(window) == 0 {
		return
	}
	if err := g.runner.Packets(lt, window[len(window)-1]); err != nil {
		g.failf("packet: %v", err)
	}
}

func (g *gen) pdu(proto pcapx.Protocol, toServer bool, data []byte, shape string) {
	g.considered[proto]++
	if g.check {
		p, _ := fuzz.ProtocolOf(proto)
		if err := g.runner.PDU(p, data, toServer); err != nil {
			g.failf("%s PDU %x (toServer %v): %v", proto, data, toServer, err)
		}
	}
	if _, ok := g.pdus[proto][shape]; ok {
		return
	}
	g.pdus[proto][shape] = pduSeed{toServer, bytes.Clone(data)}
	g.pduOrder[proto] = append(g.pduOrder[proto], shape)
}

func (g *gen) report(w io.Writer) {
	fmt.Fprintf(w, "%d frames, %d TCP conversations\n", g.frames, g.convs)
	for p := pcapx.Modbus; p <= pcapx.IEC104; p++ {
		fmt.Fprintf(w, "%-7s %7d PDUs considered, %5d shapes kept, %3d streams\n", p, g.considered[p], len(g.pdus[p]), len(g.streams[p]))
	}
	fmt.Fprintf(w, "packet seeds: %d\n", len(g.packets))
	if g.check {
		fmt.Fprintf(w, "check failures: %d\n", g.failures)
	}
}

// PDU target names, by protocol.
func pduTarget(p pcapx.Protocol) string {
	switch p {
	case pcapx.Modbus:
		return "FuzzModbusPDU"
	case pcapx.S7comm:
		return "FuzzS7commPDU"
	case pcapx.ENIP:
		return "FuzzENIPPDU"
	case pcapx.DNP3:
		return "FuzzDNP3PDU"
	}
	return "FuzzIEC104PDU"
}

// write replaces the generated seeds under out; regressions (files whose
// names are hashes the fuzzing engine chose) are kept.
func (g *gen) write(out string) error {
	var written, size int
	put := func(target, name string, args ...string) error {
		dir := filepath.Join(out, target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		body := "go test fuzz v1\n" + strings.Join(args, "\n") + "\n"
		written++
		size += len(body)
		return os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	for _, target := range []string{"FuzzModbusPDU", "FuzzS7commPDU", "FuzzENIPPDU", "FuzzDNP3PDU", "FuzzIEC104PDU", "FuzzPacket", "FuzzStream", "FuzzAdversarial"} {
		old, _ := filepath.Glob(filepath.Join(out, target, "seed-*"))
		conv, _ := filepath.Glob(filepath.Join(out, target, "conv-*"))
		for _, f := range append(old, conv...) {
			os.Remove(f)
		}
	}
	for p := pcapx.Modbus; p <= pcapx.IEC104; p++ {
		keys := g.pduOrder[p]
		for _, k := range keys {
			s := g.pdus[p][k]
			if err := put(pduTarget(p), "seed-"+hash(s.data, s.toServer), fmt.Sprintf("bool(%v)", s.toServer), bytesArg(s.data)); err != nil {
				return err
			}
		}
	}
	for _, k := range g.packetOrder {
		if err := put("FuzzPacket", "seed-"+hash(g.packets[k], false), bytesArg(g.packets[k])); err != nil {
			return err
		}
	}
	// The streams FuzzAdversarial damages: per protocol, those with the
	// most PDUs, named so that LoadStreams finds them in name order.
	type named struct {
		name string
		c    fuzz.Conversation
	}
	var adv []named
	for p := pcapx.Modbus; p <= pcapx.IEC104; p++ {
		order := make([]int, len(g.streams[p]))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool {
			return len(g.streams[p][order[a]].Records) > len(g.streams[p][order[b]].Records)
		})
		rank := make([]int, len(order))
		for r, i := range order {
			rank[i] = r
		}
		for i, c := range g.streams[p] {
			b, _ := c.AppendBinary(nil)
			name := "seed-" + hash(b, false)
			if rank[i] < AdversarialStreams {
				name = fmt.Sprintf("conv-%s-%02d", p, rank[i])
				adv = append(adv, named{name, c})
			}
			if err := put("FuzzStream", name, bytesArg(b)); err != nil {
				return err
			}
		}
	}
	sort.Slice(adv, func(a, b int) bool { return adv[a].name < adv[b].name })
	var advStreams []fuzz.Conversation
	for _, a := range adv {
		advStreams = append(advStreams, a.c)
	}
	for i, s := range fuzz.AdversarialSeeds(advStreams) {
		if err := put("FuzzAdversarial", fmt.Sprintf("seed-%03d", i), bytesArg(s)); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d seed files, %d bytes, under %s\n", written, size, out)
	return nil
}

func bytesArg(b []byte) string { return "[]byte(" + strconv.Quote(string(b)) + ")" }

func hash(b []byte, dir bool) string {
	h := sha256.New()
	h.Write(b)
	if dir {
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

type shape struct{ coarse, full string }

// shape returns the shape of one PDU (see the package doc).
func (g *gen) shape(p pcapx.Protocol, b []byte, toServer bool) shape {
	var d []byte
	at := func(i int) byte {
		if i < len(b) {
			return b[i]
		}
		return 0
	}
	switch p {
	case pcapx.Modbus:
		fc := at(7)
		d = append(d, fc)
		switch fc & 0x7f {
		case 8:
			d = append(d, at(8), at(9))
		case 43:
			d = append(d, at(8))
		case 90:
			d = append(d, at(9))
		}
	case pcapx.S7comm:
		d = append(d, at(5), at(7), at(8))
		param := 17
		if at(8) == 2 || at(8) == 3 {
			param = 19
		}
		fn := at(param)
		d = append(d, fn)
		switch {
		case at(8) == 7:
			d = append(d, at(param+5), at(param+6))
		case fn == 4 || fn == 5:
			d = append(d, at(param+4))
		}
	case pcapx.ENIP:
		d = append(d, at(0), at(1))
		if at(8)|at(9)|at(10)|at(11) != 0 {
			d = append(d, 1)
		}
		if (at(0) == 0x6f || at(0) == 0x70) && len(b) > 30 {
			// CPF after the interface handle and timeout.
			cpf := b[30:]
			n := int(cpf[0]) | int(cpf[1])<<8
			cpf = cpf[2:]
			for i := 0; i < n && i < 4 && len(cpf) >= 4; i++ {
				typ := uint16(cpf[0]) | uint16(cpf[1])<<8
				l := int(cpf[2]) | int(cpf[3])<<8
				d = append(d, byte(typ>>8), byte(typ))
				body := cpf[4:min(4+l, len(cpf))]
				if typ == 0xb1 && len(body) > 2 {
					body = body[2:]
				}
				if (typ == 0xb2 || typ == 0xb1) && len(body) > 0 {
					d = append(d, body[0])
					if body[0]&0x80 == 0 && len(body) > 3 && body[2] == 0x20 {
						d = append(d, body[3])
					}
				}
				cpf = cpf[min(4+l, len(cpf)):]
			}
		}
	case pcapx.DNP3:
		d = append(d, at(3), at(10)&0xc0, at(12))
		obj := 13
		if at(12) >= 0x81 {
			obj = 15
		}
		d = append(d, at(obj), at(obj+1), at(obj+2))
	case pcapx.IEC104:
		c := at(2)
		switch {
		case c&1 == 0:
			d = append(d, 'I', at(6), at(7)&0x80, at(8)&0x3f, byte(bits.Len8(at(7)&0x7f)))
		case c&3 == 1:
			d = append(d, 'S')
		default:
			d = append(d, 'U', c&0xfc)
		}
	}
	valid := "ok"
	if pr, ok := fuzz.ProtocolOf(p); ok && !pr.Valid(b, toServer) {
		valid = "bad"
	}
	dir := "req"
	if !toServer {
		dir = "rsp"
	}
	coarse := fmt.Sprintf("%s/%x/%s", dir, d, valid)
	return shape{coarse: coarse, full: fmt.Sprintf("%s/len%d", coarse, bits.Len(uint(len(b))))}
}
