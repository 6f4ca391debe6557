package xlsform

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"
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
		{"text", []byte("type,name,label\ntext,q,Q\n"), Limits{}, "not an Excel workbook (.xlsx)"},
		{"xls or password", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), Limits{}, "Excel 97-2003 (.xls) or a password-protected workbook"},
		{"too large", valid, Limits{MaxFileBytes: 1000}, "larger than"},
		{"zip bomb", bomb, Limits{MaxUnzippedBytes: 1 << 20}, "unpacks to more than 1 MiB"},
		{"lying zip", liar, Limits{MaxUnzippedBytes: 1 << 20}, "not a readable Excel workbook"},
		{"too many parts", valid, Limits{MaxParts: 3}, "parts, more than the 3 allowed"},
		{"too many rows", buildXLSX(t, md(rows.String())), Limits{MaxSurveyRows: 10}, "more than 10 rows"},
		{"too many columns", valid, Limits{MaxColumns: 3}, "beyond the 3 columns read"},
		{"cell too large", valid, Limits{MaxCellBytes: 8}, "more than the 8 allowed"},
		{"zip of something else", zipOf(t, map[string][]byte{"a.txt": []byte("hello")}, false), Limits{}, "not a readable Excel workbook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, rep, err := Import(bytes.NewReader(tt.data), Options{Limits: tt.lim})
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
	_, rep, err := Import(bytes.NewReader(data), Options{Code: "far"})
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
