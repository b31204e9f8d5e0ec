package conformance

import (
	"bufio"
	"embed"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
)

//go:embed testdata/divergences
var divergenceFiles embed.FS

// Divergences is a set of known cases where Wireshark decodes a field wrongly,
// each with its evidence.
type Divergences struct {
	// m maps "proto\x00file\x00frame\x00field" to the evidence. A frame of
	// "*" covers every frame of the file.
	m map[string]string
}

var embedded struct {
	sync.Once
	d *Divergences
}

// Embedded returns the divergences under testdata/divergences, one
// <protocol>.tsv file per protocol with the columns file, frame, field,
// tshark value, our value, evidence. Lines starting with '#' are comments.
func Embedded() *Divergences {
	embedded.Do(func() {
		d := &Divergences{m: map[string]string{}}
		entries, _ := fs.ReadDir(divergenceFiles, "testdata/divergences")
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".tsv")
			if !ok {
				continue
			}
			f, err := divergenceFiles.Open("testdata/divergences/" + e.Name())
			if err != nil {
				continue
			}
			d.load(name, f)
			f.Close()
		}
		embedded.d = d
	})
	return embedded.d
}

func (d *Divergences) load(proto string, r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 6 || strings.TrimSpace(cols[5]) == "" {
			continue // an entry without evidence explains nothing
		}
		d.m[proto+"\x00"+cols[0]+"\x00"+cols[1]+"\x00"+cols[2]] = cols[5]
	}
}

// Lookup returns the evidence for a known divergence, or "".
func (d *Divergences) Lookup(proto, file string, frame int, field string) string {
	if d == nil {
		return ""
	}
	if ev, ok := d.m[proto+"\x00"+file+"\x00"+strconv.Itoa(frame)+"\x00"+field]; ok {
		return ev
	}
	return d.m[proto+"\x00"+file+"\x00*\x00"+field]
}
