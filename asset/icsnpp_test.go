package asset

import (
	"os"
	"strings"
	"testing"
)

// TestICSNPPTable checks that SCHEMA.md places every field of every record
// that Zeek logs with the ICSNPP parsers (../shared/icsnpp/FIELDS.tsv): the
// fields all records share in its prose, the others in its table.
func TestICSNPPTable(t *testing.T) {
	tsv, err := os.ReadFile("../../shared/icsnpp/FIELDS.tsv")
	if err != nil {
		t.Skipf("ICSNPP field list not found (%v): the check needs ../shared beside the repository", err)
	}
	doc, err := os.ReadFile("SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		cols := strings.Split(line, "|")
		if len(cols) >= 4 {
			rows[strings.TrimSpace(cols[1])+" "+strings.TrimSpace(cols[2])] = true
		}
	}
	common := map[string]bool{"ts": true, "uid": true, "id": true, "is_orig": true,
		"source_h": true, "source_p": true, "destination_h": true, "destination_p": true}
	for f := range common {
		if !strings.Contains(string(doc), "`"+f+"`") {
			t.Errorf("SCHEMA.md does not place the common field %s", f)
		}
	}
	n := 0
	for _, line := range strings.Split(string(tsv), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) != 4 || strings.HasPrefix(line, "#") || cols[0] == "repo" {
			continue
		}
		record := cols[2]
		for _, f := range strings.Fields(cols[3]) {
			if common[f] {
				continue
			}
			n++
			if !rows[record+" "+f] {
				t.Errorf("SCHEMA.md has no row for %s.%s", record, f)
			}
		}
	}
	if n == 0 {
		t.Fatal("no fields read from FIELDS.tsv")
	}
}
