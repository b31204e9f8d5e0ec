package conformance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// frameFields holds the values of each field in one frame, in order.
type frameFields map[string][]string

// ErrNoTshark is returned when tshark cannot be found on PATH.
var ErrNoTshark = errors.New("conformance: tshark not found on PATH (Debian package tshark)")

var versionOnce struct {
	sync.Once
	v   string
	err error
}

// TsharkVersion returns the first line of `tshark -v`.
func TsharkVersion() (string, error) {
	versionOnce.Do(func() {
		path, err := exec.LookPath("tshark")
		if err != nil {
			versionOnce.err = ErrNoTshark
			return
		}
		out, err := exec.Command(path, "-v").Output()
		if err != nil {
			versionOnce.err = fmt.Errorf("conformance: tshark -v: %w", err)
			return
		}
		line, _, _ := strings.Cut(string(out), "\n")
		versionOnce.v = strings.TrimSpace(line)
	})
	return versionOnce.v, versionOnce.err
}

// tsharkArgs returns the arguments that make tshark print spec's fields for
// the frames it decodes as spec's protocol.
func tsharkArgs(file string, spec Spec) []string {
	args := []string{"-n", "-r", file, "-T", "json", "-e", "frame.number", "-e", "frame.protocols"}
	for _, f := range spec.Fields {
		args = append(args, "-e", f)
	}
	args = append(args, spec.TsharkArgs...)
	args = append(args, "-Y", strings.Join(spec.Detect, " || "))
	return args
}

// tsharkFrames runs tshark over file (or reads its cached output) and returns
// the fields of every frame that tshark decodes as spec's protocol, keyed by
// frame number.
func tsharkFrames(ctx context.Context, file string, spec Spec, cacheDir string) (map[int]frameFields, error) {
	version, err := TsharkVersion()
	if err != nil {
		return nil, err
	}
	args := tsharkArgs(file, spec)
	var cachePath string
	if cacheDir != "" {
		key, err := cacheKey(file, version, args[3:])
		if err != nil {
			return nil, err
		}
		cachePath = filepath.Join(cacheDir, key+".json")
		if b, err := os.ReadFile(cachePath); err == nil {
			var frames map[int]frameFields
			if json.Unmarshal(b, &frames) == nil {
				return normalize(frames, spec), nil
			}
		}
	}
	cmd := exec.CommandContext(ctx, "tshark", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("conformance: tshark %s: %w: %s", filepath.Base(file), err, lastLine(stderr.String()))
	}
	frames, err := parseTsharkJSON(out, spec)
	if err != nil {
		return nil, fmt.Errorf("conformance: tshark output for %s: %w", filepath.Base(file), err)
	}
	if cachePath != "" {
		// The cache holds tshark's values as printed; Normalize is applied
		// after reading, so changing it needs no new key.
		if b, err := json.Marshal(frames); err == nil {
			_ = os.MkdirAll(cacheDir, 0o755)
			tmp := cachePath + ".tmp" + strconv.Itoa(os.Getpid())
			if os.WriteFile(tmp, b, 0o644) == nil {
				_ = os.Rename(tmp, cachePath)
			}
		}
	}
	return normalize(frames, spec), nil
}

// normalize applies spec.Normalize to every value in frames.
func normalize(frames map[int]frameFields, spec Spec) map[int]frameFields {
	if spec.Normalize == nil {
		return frames
	}
	for _, ff := range frames {
		for f, v := range ff {
			for i := range v {
				v[i] = spec.Normalize(f, v[i])
			}
		}
	}
	return frames
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func cacheKey(file, version string, args []string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	fmt.Fprintf(h, "\x00%s\x00%s", version, strings.Join(args, "\x00"))
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

type tsharkPacket struct {
	Source struct {
		Layers map[string][]string `json:"layers"`
	} `json:"_source"`
}

func parseTsharkJSON(out []byte, spec Spec) (map[int]frameFields, error) {
	var pkts []tsharkPacket
	if len(bytes.TrimSpace(out)) > 0 {
		if err := json.Unmarshal(out, &pkts); err != nil {
			return nil, err
		}
	}
	frames := make(map[int]frameFields, len(pkts))
	for _, p := range pkts {
		l := p.Source.Layers
		if len(l["frame.number"]) != 1 {
			continue
		}
		n, err := strconv.Atoi(l["frame.number"][0])
		if err != nil {
			return nil, err
		}
		if !detected(l["frame.protocols"], spec.Detect) {
			continue
		}
		ff := frameFields{}
		for _, f := range spec.Fields {
			if v := l[f]; len(v) > 0 {
				ff[f] = v
			}
		}
		frames[n] = ff
	}
	return frames, nil
}

func detected(protocols []string, names []string) bool {
	for _, p := range protocols {
		for _, layer := range strings.Split(p, ":") {
			for _, n := range names {
				if layer == n {
					return true
				}
			}
		}
	}
	return false
}
