package xlsform

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// update rewrites testdata/*.xlsx and their golden results from the
// fixtures: go test ./forms/xlsform -run TestFixtureFiles -update
var update = flag.Bool("update", false, "rewrite testdata from the fixtures")

// golden is what importing a fixture gives.
type golden struct {
	Definition *forms.Definition `json:"definition"`
	Report     []Item            `json:"report"`
}

// TestFixtureFiles imports each testdata/<fixture>.xlsx and compares the
// definition and the report with testdata/<fixture>.golden.json, which a
// reviewer reads to see what each construct becomes.
func TestFixtureFiles(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			xlsx := filepath.Join("testdata", fx.name+".xlsx")
			goldenPath := filepath.Join("testdata", fx.name+".golden.json")
			if *update {
				writeFixture(t, fx, xlsx, goldenPath)
			}
			data, err := os.ReadFile(xlsx)
			if err != nil {
				t.Fatalf("%v (run with -update to write the fixtures)", err)
			}
			def, rep, err := Import(t.Context(), bytes.NewReader(data), Options{ThemeKnown: testThemes(t), Code: "test-form"})
			var ie *Error
			if fx.accepted != (err == nil) || (err != nil && !errors.As(err, &ie)) {
				t.Fatalf("accepted = %v, want %v: %v\n%s", err == nil, fx.accepted, err, rep)
			}
			got := mustJSON(t, golden{def, rep.Items})
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("import of %s differs from %s (run with -update if the change is intended):\n%s", xlsx, goldenPath, got)
			}
		})
	}
}

// writeFixture writes a fixture's workbook and the golden result of
// importing it.
func writeFixture(t *testing.T, fx fixture, xlsx, goldenPath string) {
	t.Helper()
	data := buildXLSX(t, md(fx.md))
	if err := os.WriteFile(xlsx, data, 0o644); err != nil {
		t.Fatal(err)
	}
	def, rep, _ := Import(t.Context(), bytes.NewReader(data), Options{ThemeKnown: testThemes(t), Code: "test-form"})
	if err := os.WriteFile(goldenPath, mustJSON(t, golden{def, rep.Items}), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}
