package xlsform

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// checkImport is what every fuzz target asks of Import: no panic (Import
// recovers, and says so in the report), and a definition only when it
// compiles and survives export and import unchanged.
func checkImport(t *testing.T, data []byte) {
	def, rep, err := Import(t.Context(), bytes.NewReader(data), Options{Code: "fuzz", Limits: Limits{MaxSurveyRows: 500, MaxChoiceRows: 500}})
	for _, it := range rep.Items {
		if strings.Contains(it.Message, "internal error") {
			t.Fatalf("Import panicked: %s", it.Message)
		}
		if it.Severity == SeverityError && it.Action != ActionRefused || it.Message == "" {
			t.Fatalf("malformed report item %+v", it)
		}
	}
	if (err == nil) != (def != nil) || (err == nil) == rep.HasErrors() {
		t.Fatalf("def %v, err %v, report errors %v", def != nil, err, rep.HasErrors())
	}
	if def == nil {
		return
	}
	if _, err := forms.Compile(def, nil); err != nil {
		t.Fatalf("Import returned a definition that does not compile: %v", err)
	}
	var buf bytes.Buffer
	if err := Export(def, &buf); err != nil {
		t.Fatalf("Export of an imported definition: %v", err)
	}
	again, rep2, err := Import(t.Context(), &buf, Options{})
	if err != nil {
		t.Fatalf("re-import: %v\n%s", err, rep2)
	}
	for _, q := range def.Questions() {
		if q.Type == forms.TypeScale && indexFold(strings.Fields(q.Appearance), "likert") < 0 {
			q.Appearance = strings.TrimSpace("likert " + q.Appearance)
		}
	}
	if !reflect.DeepEqual(again, def) {
		t.Fatalf("round trip differs:\nwant %s\ngot  %s", mustJSON(t, def), mustJSON(t, again))
	}
}

// FuzzImport feeds workbook files to Import. The seeds are the fixtures,
// also rewritten uncompressed with no checksum, so that mutations reach the
// sheets' XML instead of stopping at the zip layer.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xlsx")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(storedZip(f, data))
	}
	f.Fuzz(checkImport)
}

// FuzzImportSheets feeds sheets written as Markdown tables (see md) to
// Import, so that the fuzzer explores the importer's own logic.
func FuzzImportSheets(f *testing.F) {
	for _, fx := range fixtures {
		f.Add(fx.md)
	}
	for _, tc := range append(filterRoundTrips, roundTripRegressions...) {
		f.Add(tc.md)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sheets := md(src)
		if len(sheets) == 0 {
			return
		}
		data, err := writeXLSX(sheets)
		if err != nil {
			return // excelize refuses the sheet names or cells: no workbook to test
		}
		checkImport(t, data)
	})
}

// FuzzXPath feeds expressions to the translator, in each of its modes
// (relevance, constraint, calculation, choice filter): it must not panic,
// and what it writes must export to XPath that translates back to the same.
func FuzzXPath(f *testing.F) {
	for _, s := range []string{`${q_yn} = 'yes'`, `not(selected(${q_multi}, 'tip')) and ${q_age} > 3`,
		`count-selected(${q_multi}) >= 2 or string-length(.) < 5`, `selected-at(${q_rank}, 0) = 'tip'`,
		`${q_text} != '' and (${q_scale} <= '2' or ${q_age} = -1.5)`, `. >= 0.5`, `${q_text} = "it's"`,
		`if(${q_age} > 3, concat('a', ${q_text}), '') = 'ax'`, `${q_age} * 2 - -1 div (3 mod 2)`,
		`regex(${q_text}, '^a') or ${calc} = ''`, `state = ${q_yn} and number(size) > 1`,
		`round(sum(${q_age}), 1) + count(${q_text}) + pow(2, 3)`, `${today} < today() and not(${q_note})`} {
		for mode := range 4 {
			f.Add(s, uint8(mode))
		}
	}
	self := &symbol{name: "q_self", code: "q_self", typ: forms.TypeText}
	columns := map[string]string{"state": "state", "size": "size", "name": ""}
	f.Fuzz(func(t *testing.T, src string, mode uint8) {
		m := int(mode % 4)
		var s *symbol
		if m == modeConstraint {
			s = self
		}
		first, err := (&translator{syms: testSymbols(), self: s, mode: m, columns: columns}).translate(src)
		if err != nil {
			return
		}
		x, err := toXPathAs(first.text, m)
		if err != nil {
			t.Fatalf("%q → %q has no XPath: %v", src, first.text, err)
		}
		again, err := (&translator{syms: exportedSymbols(), self: s, mode: m, columns: columns}).translate(x)
		if err != nil || again.text != first.text {
			t.Fatalf("%q → %q → %q → %q, %v", src, first.text, x, again.text, err)
		}
	})
}

// storedZip rewrites a zip archive uncompressed and without checksums.
func storedZip(t testing.TB, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, _ := io.ReadAll(rc)
		rc.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Store,
			CompressedSize64: uint64(len(content)), UncompressedSize64: uint64(len(content))})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(content)
	}
	_ = zw.Close()
	return buf.Bytes()
}
