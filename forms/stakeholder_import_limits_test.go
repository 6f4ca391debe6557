package forms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms/xlsxlimit/xlsxtest"
)

// refusal is the problem a file is refused with, "" when it is read.
func refusal(t *testing.T, filename string, data []byte) string {
	t.Helper()
	_, err := parseStakeholderFile(t.Context(), filename, data)
	if err == nil {
		return ""
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Path != "/file" {
		t.Fatalf("refused with %v, want one problem at /file", err)
	}
	return ve.Fields[0].Message
}

// registry is a workbook of one sheet with the header and the given XML
// rows below it, and the shared strings sst writes.
func registry(t *testing.T, rows string, sst func(io.Writer) error) []byte {
	t.Helper()
	header := `<row r="1"><c r="A1" t="inlineStr"><is><t>Organization</t></is></c><c r="B1" t="inlineStr"><is><t>Type</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>Country</t></is></c></row>`
	data, err := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Sheet1", Rows: xlsxtest.Repeat(1, header+rows)}}, SharedStrings: sst}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestImportLimits refuses each file one step over a limit with a sentence
// naming the limit and where it was passed, and reads the file at the
// limit.
func TestImportLimits(t *testing.T) {
	header := "Organization,Type,Country\n"
	fields := func(n int) string { return "A,ngo,KEN" + strings.Repeat(",", n-3) + "\n" }
	valueIn := func(col int) string { return "A,ngo,KEN" + strings.Repeat(",", col-4) + ",x\n" }
	cell := func(n int) string { return "A,ngo,\"" + strings.Repeat("k", n) + "\"\n" }
	xlsxCell := func(col int, text string) string {
		return fmt.Sprintf(`<row r="2"><c r="%s2" t="inlineStr"><is><t>%s</t></is></c></row>`, xlsxtest.Column(col), text)
	}
	sharedRows := func(rows int) string { // rows of 100 cells showing shared string 0
		row := `<row>` + strings.Repeat(`<c t="s"><v>0</v></c>`, 100) + `</row>`
		return strings.Repeat(row, rows)
	}
	long := xlsxtest.Strings(strings.Repeat("x", maxImportCellBytes))
	bomb := func(n int) []byte {
		data, err := xlsxtest.SharedStringsBomb(n)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name, filename string
		under, over    []byte
		want           string
	}{
		{"CSV fields", "a.csv", []byte(header + fields(maxCSVFields)), []byte(header + fields(maxCSVFields+1)),
			"line 2 has more than 16384 columns (limit 16384)"},
		{"CSV cell", "a.csv", []byte(header + cell(maxImportCellBytes)), []byte(header + cell(maxImportCellBytes+1)),
			"line 2 has a cell of more than 32768 bytes (limit 32768)"},
		{"CSV column", "a.csv", []byte(header + valueIn(maxImportColumns)), []byte(header + "\n" + valueIn(maxImportColumns+1)),
			"row 3 has a value in column 101, beyond the 100 columns read (limit 100)"},
		{"workbook column", "a.xlsx", registry(t, xlsxCell(100, "x"), nil), registry(t, xlsxCell(101, "x"), nil),
			`sheet "Sheet1", cell CW2: the row has a value in column CW, beyond the 100 columns read (limit 100)`},
		{"workbook cell", "a.xlsx", registry(t, xlsxCell(4, strings.Repeat("x", maxImportCellBytes)), nil),
			registry(t, xlsxCell(4, strings.Repeat("x", maxImportCellBytes+1)), nil),
			`sheet "Sheet1", cell D2: the cell holds more than 32,768 bytes of text (limit 32,768)`},
		{"workbook rows", "a.xlsx", registry(t, strings.Repeat("<row/>", 2*MaxImportRows-1), nil), registry(t, strings.Repeat("<row/>", 2*MaxImportRows), nil),
			`sheet "Sheet1", row 100001: the sheet has more than 100,000 rows (limit 100,000)`},
		{"workbook text", "a.xlsx", registry(t, sharedRows(10), long), registry(t, sharedRows(11), long),
			`sheet "Sheet1", row 12: the workbook's cells hold more than 32 MiB of text (limit 32 MiB)`},
		{"shared strings", "a.xlsx", bomb(200_000), bomb(200_001),
			"the workbook's shared strings hold more than 200,000 entries (limit 200,000)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := refusal(t, tt.filename, tt.under); strings.Contains(got, "limit") {
				t.Errorf("at the limit: refused with %q", got)
			}
			if got := refusal(t, tt.filename, tt.over); got != tt.want {
				t.Errorf("over the limit: %q, want %q", got, tt.want)
			}
		})
	}
}

func TestImportZipBomb(t *testing.T) {
	for _, tc := range []struct {
		declared int64
		want     string
	}{
		{1 << 30, "the workbook unpacks to 1,073,741,824 bytes (limit 64 MiB)"},
		{1 << 20, "the workbook cannot be read: xl/worksheets/sheet1.xml: zip: not a valid zip file"},
	} {
		data, err := xlsxtest.ZipBomb("xl/worksheets/sheet1.xml", 1<<30, tc.declared)
		if err != nil {
			t.Fatal(err)
		}
		if got := refusal(t, "bomb.xlsx", data); got != tc.want {
			t.Errorf("1 GiB declared as %d bytes: %q, want %q", tc.declared, got, tc.want)
		}
	}
}

// TestImportStopsWhenCancelled checks that a parse whose caller has gone
// stops with the context's error, not a problem of the file.
func TestImportStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	csv := []byte("Organization,Type,Country\n" + strings.Repeat("A,ngo,KEN\n", 1000))
	xlsx := registry(t, strings.Repeat(`<row><c t="inlineStr"><is><t>A</t></is></c></row>`, 1000), nil)
	for name, data := range map[string][]byte{"a.csv": csv, "a.xlsx": xlsx} {
		if _, err := parseStakeholderFile(ctx, name, data); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", name, err)
		}
	}
}
