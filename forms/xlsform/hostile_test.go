package xlsform

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/xlsxlimit/xlsxtest"
)

// zipOf builds a zip archive; with lie set, every entry declares 100 bytes
// uncompressed whatever it holds, as a hostile archive would.
func zipOf(t *testing.T, files map[string][]byte, lie bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		_, _ = fw.Write(content)
		_ = fw.Close()
		size := uint64(len(content))
		if lie {
			size = 100
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHostileWorkbooks(t *testing.T) {
	valid := buildXLSX(t, md(fixtureHeaderVariants))
	bomb := zipOf(t, map[string][]byte{"xl/worksheets/sheet1.xml": make([]byte, 4<<20)}, false)
	liar := zipOf(t, map[string][]byte{"[Content_Types].xml": make([]byte, 4<<20)}, true)
	var rows strings.Builder
	rows.WriteString("| survey |\n|  | type | name | label |\n")
	for i := 0; i < 12; i++ {
		rows.WriteString("|  | text | q" + string(rune('a'+i)) + " | Q |\n")
	}
	tests := []struct {
		name string
		data []byte
		lim  Limits
		in   string
	}{
		{"empty", nil, Limits{}, "the file is empty"},
		{"text", []byte("type,name,label\ntext,q,Q\n"), Limits{}, "not a readable Excel workbook (.xlsx): zip: not a valid zip file"},
		{"xls or password", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), Limits{}, "Excel 97-2003 (.xls) or a password-protected workbook"},
		{"too large", valid, Limits{MaxFileBytes: 1000}, "larger than"},
		{"zip bomb", bomb, Limits{MaxUnzippedBytes: 1 << 20}, "the workbook unpacks to 4,194,304 bytes (limit 1 MiB)"},
		{"lying zip", liar, Limits{MaxUnzippedBytes: 1 << 20}, "not a readable Excel workbook"},
		{"too many parts", valid, Limits{MaxParts: 3}, "the workbook has 12 parts (limit 3)"},
		{"too many sheets", valid, Limits{MaxSheets: 2}, "the workbook has more than 2 sheets (limit 2)"},
		{"too many cells", valid, Limits{MaxCells: 5}, "the workbook has more than 5 cells (limit 5)"},
		{"too many shared strings", valid, Limits{MaxSharedStrings: 3}, "the workbook's shared strings hold more than 3 entries (limit 3)"},
		{"too much shared text", valid, Limits{MaxSharedStringBytes: 20}, "the workbook's shared strings hold more than 20 bytes of text (limit 20 bytes)"},
		{"too many rows", buildXLSX(t, md(rows.String())), Limits{MaxSurveyRows: 10}, "more than 10 rows"},
		{"too many columns", valid, Limits{MaxColumns: 3}, "beyond the 3 columns read"},
		{"cell too large", valid, Limits{MaxCellBytes: 8}, "holds more than 8 bytes of text (limit 8)"},
		{"zip of something else", zipOf(t, map[string][]byte{"a.txt": []byte("hello")}, false), Limits{}, "not a readable Excel workbook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, rep, err := Import(t.Context(), bytes.NewReader(tt.data), Options{Limits: tt.lim})
			if err == nil || def != nil {
				t.Fatalf("accepted: %s", rep)
			}
			if !strings.Contains(rep.Errors()[0].Message, tt.in) {
				t.Errorf("first error %q, want it to contain %q", rep.Errors()[0].Message, tt.in)
			}
		})
	}
}

// TestFarRowsAreCheap checks that a cell in the sheet's last row, which
// leaves a million blank rows to skip, neither blows memory nor takes long.
func TestFarRowsAreCheap(t *testing.T) {
	data := buildXLSX(t, md("| survey |\n|  | type | name | label |\n|  | text | q | Q |\n"))
	data = patchZip(t, data, "xl/worksheets/sheet1.xml", func(x string) string {
		return strings.Replace(x, "</sheetData>",
			`<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>note</t></is></c></row></sheetData>`, 1)
	})
	start := time.Now()
	_, rep, err := Import(t.Context(), bytes.NewReader(data), Options{Code: "far"})
	if err != nil {
		t.Fatalf("refused: %v\n%s", err, rep)
	}
	// After 60 blank rows the sheet ends, as in XLSForm tools.
	if !hasItem(rep.Warnings(), SeverityWarning, ActionSkipped, "survey!1048576", "rows after 60 blank rows") {
		t.Errorf("report:\n%s", rep)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// patchZip rewrites one file of a zip archive.
func patchZip(t *testing.T, data []byte, name string, fn func(string) string) []byte {
	t.Helper()
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
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			content = []byte(fn(string(content)))
		}
		w, _ := zw.Create(f.Name)
		_, _ = w.Write(content)
	}
	_ = zw.Close()
	return buf.Bytes()
}

// TestImportBombs imports the hostile workbooks of the reliability tests:
// each is refused by the limit it exceeds, located, before it is read;
// below the limit the same workbook is read (and refused as no XLSForm).
func TestImportBombs(t *testing.T) {
	survey := func(rows string) []byte {
		data, err := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "survey", Rows: xlsxtest.Repeat(1, rows)}}}.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	bomb, err := xlsxtest.SharedStringsBomb(DefaultLimits.MaxSharedStrings + 1)
	if err != nil {
		t.Fatal(err)
	}
	under, err := xlsxtest.SharedStringsBomb(DefaultLimits.MaxSharedStrings)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		cell string
		want string
	}{
		{"shared strings", bomb, "", "the workbook's shared strings hold more than 200,000 entries (limit 200,000)"},
		{"shared strings at the limit", under, "Sheet1!1", "the survey sheet has no type column"},
		{"rows", survey(strings.Repeat("<row/>", 40_001)), "survey!40001", "the sheet has more than 40,000 rows (limit 40,000)"},
		{"far column", survey(`<row r="2"><c r="IW2"><v>1</v></c></row>`), "survey!IW2", "the row has a value in column IW, beyond the 256 columns read (limit 256)"},
		{"long cell", survey(`<row r="3"><c r="B3" t="inlineStr"><is><t>` + strings.Repeat("x", 32<<10+1) + `</t></is></c></row>`),
			"survey!B3", "the cell holds more than 32,768 bytes of text (limit 32,768)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, rep, err := Import(t.Context(), bytes.NewReader(tt.data), Options{})
			if err == nil || def != nil || len(rep.Errors()) != 1 {
				t.Fatalf("def %v, err %v, report:\n%s", def != nil, err, rep)
			}
			if got := rep.Errors()[0]; got.Cell != tt.cell || !strings.Contains(got.Message, tt.want) {
				t.Errorf("refused at %q with %q, want %q at %q", got.Cell, got.Message, tt.want, tt.cell)
			}
		})
	}
}

// TestImportStopsWhenCancelled checks that Import answers the context's
// error, not a refusal, once the caller has gone.
func TestImportStopsWhenCancelled(t *testing.T) {
	data := buildXLSX(t, md(fixtureHeaderVariants))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	def, rep, err := Import(ctx, bytes.NewReader(data), Options{})
	if !errors.Is(err, context.Canceled) || def != nil {
		t.Fatalf("def %v, err %v, report:\n%s", def != nil, err, rep)
	}
}
