package api_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// matrixTable renders routeMatrix as the Markdown table of
// docs/security.md: one row per route, one column per caller, for objects
// of the focal point's own country ("own") and of another ("other").
func matrixTable() string {
	keys := make([]string, 0, len(routeMatrix))
	for k := range routeMatrix {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		_, pa, _ := strings.Cut(a, " ")
		_, pb, _ := strings.Cut(b, " ")
		if c := strings.Compare(pa, pb); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	mark := func(b byte) string {
		if b == 'Y' {
			return "yes"
		}
		return "no"
	}
	var sb strings.Builder
	sb.WriteString("| route | anonymous | focal point, own country | focal point, other country | analyst | admin |\n|---|---|---|---|---|---|\n")
	for _, k := range keys {
		w := routeMatrix[k].want
		sb.WriteString("| `" + k + "` | " + mark(w[0]) + " | " + mark(w[1]) + " | " + mark(w[2]) + " | " + mark(w[3]) + " | " + mark(w[4]) + " |\n")
	}
	return sb.String()
}

// TestSecurityDocMatchesMatrix keeps the table of docs/security.md equal to
// the tested matrix. AGORA_WRITE_DOCS=1 prints the table to paste.
func TestSecurityDocMatchesMatrix(t *testing.T) {
	table := matrixTable()
	if os.Getenv("AGORA_WRITE_DOCS") != "" {
		t.Log("\n" + table)
	}
	doc, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), table) {
		t.Errorf("docs/security.md does not hold the route table of routeMatrix; run AGORA_WRITE_DOCS=1 go test ./api -run TestSecurityDocMatchesMatrix -v and paste it")
	}
}
