package forms

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"testing"

	"github.com/unodc-csu/agora/forms/xlsxlimit/xlsxtest"
)

// FuzzCSVShapes keeps csvShapes in step with encoding/csv: for any input
// and separator, it must find the records encoding/csv reads, each with its
// number of fields and its longest field, which the import's limits are
// checked on before encoding/csv holds the record.
func FuzzCSVShapes(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n", "a;\"b;c\";d\r\n\r\n\"multi\nline\",x\n", "\"bare \"quote\" inside\",z", "\"unterminated,a\nb\n",
		"a,\"\"\"\",b\r", "\n\n,,\n", "x\"y,\"z\"\"\r\n\"", "\"a\"b\",c\n", "\"\r\n\"\r\n",
	} {
		f.Add([]byte(s), byte(0))
		f.Add([]byte(s), byte(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, which byte) {
		sep := []byte{',', ';', '\t'}[int(which)%3]
		type shape struct{ line, fields, longest int }
		var got, want []shape
		_ = csvShapes(data, sep, func(line, fields, longest int) error {
			got = append(got, shape{line, fields, longest})
			return nil
		})
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = rune(sep), -1, true
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("encoding/csv: %v", err)
			}
			line, _ := r.FieldPos(0)
			s := shape{line: line, fields: len(rec)}
			for _, field := range rec {
				s.longest = max(s.longest, len(field))
			}
			want = append(want, s)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: csvShapes found %v, encoding/csv %v", data, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: record %d is %+v to csvShapes, %+v to encoding/csv", data, i, got[i], want[i])
			}
		}
	})
}

// FuzzImportStakeholdersXLSX feeds workbooks to the import parser: it must
// never panic, must refuse a file only with a located /file problem, and
// what it reads must respect its bounds.
func FuzzImportStakeholdersXLSX(f *testing.F) {
	books := []xlsxtest.Book{
		{Sheets: []xlsxtest.Sheet{{Name: "Registry", Rows: xlsxtest.Rows(
			[]string{"Organization", "Type", "Country", "Email", "Hub consent"},
			[]string{"Haki Africa", "ngo", "KEN", "info@haki.example", "yes"},
			[]string{"", "", "", "", ""},
			[]string{"Causa en Común", "CSO", "Mexico", "", "0"})}}},
		{Sheets: []xlsxtest.Sheet{{Name: "S", Rows: xlsxtest.Repeat(1, `<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>`+
			`<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" t="b"><v>1</v></c><c r="C3"><v>4</v></c></row>`)}, {Name: "Notes"}},
			SharedStrings: xlsxtest.Strings("organisation", "type", "country", "A & B")},
	}
	xlsxtest.AddSeeds(f, books...)
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := parseStakeholderFile(t.Context(), "fuzz.xlsx", data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Path != "/file" || ve.Fields[0].Message == "" {
				t.Fatalf("refused with %v, want one problem at /file", err)
			}
			return
		}
		if len(sh.rows) > MaxImportRows {
			t.Fatalf("%d rows read, the bound is %d", len(sh.rows), MaxImportRows)
		}
		for _, rec := range append([]importRecord{{row: sh.headerRow, cells: sh.header}}, sh.rows...) {
			if len(rec.cells) > maxImportColumns {
				t.Fatalf("row %d: %d columns read, the bound is %d", rec.row, len(rec.cells), maxImportColumns)
			}
			for _, c := range rec.cells {
				if len(c) > maxImportCellBytes {
					t.Fatalf("row %d: a cell of %d bytes read", rec.row, len(c))
				}
			}
			r := sh.input(rec)
			for _, p := range r.problems {
				if p.Row < 1 || p.Column == "" || p.Problem == "" {
					t.Fatalf("problem without a place: %+v", p)
				}
			}
		}
	})
}
