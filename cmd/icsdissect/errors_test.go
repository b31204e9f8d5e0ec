package main

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestDirectory: a directory is named as such, with exit status 1.
func TestDirectory(t *testing.T) {
	code, _, errOut := runCmd(t, "decode", "../../testdata")
	if code != 1 || !strings.Contains(errOut, "is a directory") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// TestStdin: "-" reads the capture from standard input.
func TestStdin(t *testing.T) {
	f, err := os.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	code, out, errOut := runCmd(t, "decode", "-")
	if code != 0 || errOut != "" || strings.Count(out, "\n") != 48 {
		t.Fatalf("exit %d, %d lines, stderr %q", code, strings.Count(out, "\n"), errOut)
	}
}

// failWriter fails every write, as /dev/full does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteError: output that cannot be written is an error and exit
// status 1, for decode and summary.
func TestWriteError(t *testing.T) {
	for _, cmd := range []string{"decode", "summary"} {
		var errOut bytes.Buffer
		code := run([]string{cmd, sample, sample}, failWriter{}, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), "writing output") || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, errOut.String())
		}
	}
}
