package xlsxlimit

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms/xlsxlimit/xlsxtest"
)

// small are limits low enough for workbooks written inline.
var small = Limits{MaxParts: 10, MaxUnzippedBytes: 2 << 20, MaxSheets: 2, MaxRows: 5, MaxColumns: 3,
	MaxCells: 12, MaxCellBytes: 10, MaxSharedStrings: 4, MaxSharedStringBytes: 20, MaxSharedStringElements: 12,
	MaxElements: 250, MaxPartElements: 60, MaxTextBytes: 30}

// book writes a workbook of one sheet "S" with the given rows (written
// XML), shared strings and extra parts.
func book(t *testing.T, rows string, sst func(io.Writer) error, parts ...xlsxtest.Part) []byte {
	t.Helper()
	return must(t)(xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Rows: xlsxtest.Repeat(1, rows)}}, SharedStrings: sst, Parts: parts}.Bytes())
}

// must returns a function failing t on an error of writing a workbook.
func must(t *testing.T) func([]byte, error) []byte {
	return func(data []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
}

// elements is a part of n XML elements: a root and n-1 children.
func elements(name string, n int) xlsxtest.Part {
	return xlsxtest.Text(name, "<root>"+strings.Repeat("<x/>", n-1)+"</root>")
}

// nested is a worksheet part (which has no bound on its elements but
// the workbook's) of n elements, each in the one before.
func nested(n int) xlsxtest.Part {
	return xlsxtest.Text("xl/deep.xml", "<worksheet>"+strings.Repeat("<x>", n-1)+strings.Repeat("</x>", n-1)+"</worksheet>")
}

// cellRow is a row of one inline-string cell in column B holding text.
func cellRow(text string) string {
	return `<row r="2"><c r="B2" t="inlineStr"><is><t>` + text + `</t></is></c></row>`
}

// cells is a row of n cells with a number each, from column A.
func cells(n int) string {
	return `<row r="1">` + strings.Repeat(`<c><v>1</v></c>`, n) + `</row>`
}

// padding is a part that is not XML, of n bytes.
func padding(n int) xlsxtest.Part {
	return xlsxtest.Text("xl/media/image1.png", "\x89PNG"+strings.Repeat("\x00", n-4))
}

func TestCheckLimits(t *testing.T) {
	ctx := context.Background()
	base, err := Check(ctx, book(t, "", nil), small)
	if err != nil {
		t.Fatal(err)
	}
	room := int(small.MaxUnzippedBytes - base.UnzippedBytes) // left for one more part
	rows := func(n int) string { return strings.Repeat(`<row><c><v>1</v></c></row>`, n) }
	text := func(n int) string { return strings.Repeat("é", n/2) + strings.Repeat("a", n%2) }
	const rich = `<si><r><t>a</t></r><r><t>b</t></r></si>`
	strs := func(ss ...string) func(io.Writer) error { return xlsxtest.Strings(ss...) }
	extra := func(n int) []xlsxtest.Part {
		var ps []xlsxtest.Part
		for i := range n {
			ps = append(ps, xlsxtest.Text(fmt.Sprintf("docProps/p%d.xml", i), "<p/>"))
		}
		return ps
	}
	spread := func(per, n int) []xlsxtest.Part { // n parts of per elements
		var ps []xlsxtest.Part
		for i := range n {
			ps = append(ps, elements(fmt.Sprintf("xl/e%d.xml", i), per))
		}
		return ps
	}
	twoSheets := func(n int) []byte {
		b := xlsxtest.Book{}
		for i := range n {
			b.Sheets = append(b.Sheets, xlsxtest.Sheet{Name: fmt.Sprintf("S%d", i+1)})
		}
		return must(t)(b.Bytes())
	}
	tests := []struct {
		name        string
		under, over []byte
		limit, want string
		cell        string // where the refusal is located, "" for none
	}{
		{"parts", book(t, "", nil, extra(5)...), book(t, "", nil, extra(6)...), "MaxParts", "the workbook has 11 parts (limit 10)", ""},
		{"unzipped", book(t, "", nil, padding(room)), book(t, "", nil, padding(room+1)), "MaxUnzippedBytes",
			"the workbook unpacks to 2,097,153 bytes (limit 2 MiB)", ""},
		{"sheets", twoSheets(2), twoSheets(3), "MaxSheets", "the workbook has more than 2 sheets (limit 2)", ""},
		{"rows", book(t, rows(5), nil), book(t, rows(6), nil), "MaxRows", "the sheet has more than 5 rows (limit 5)", ""},
		{"columns", book(t, `<row r="4"><c r="C4"><v>1</v></c><c r="Z4" s="1"/></row>`, nil),
			book(t, `<row r="4"><c r="C4"><v>1</v></c><c r="D4"><f>C4</f></c></row>`, nil),
			"MaxColumns", "the row has a value in column D, beyond the 3 columns read (limit 3)", "D4"},
		{"cells", book(t, cells(3)+`<row>`+strings.Repeat(`<c/>`, 9)+`</row>`, nil), book(t, cells(3)+`<row>`+strings.Repeat(`<c/>`, 10)+`</row>`, nil),
			"MaxCells", "the workbook has more than 12 cells (limit 12)", ""},
		{"cell text", book(t, cellRow(text(10)), nil), book(t, cellRow(text(11)), nil), "MaxCellBytes",
			"the cell holds more than 10 bytes of text (limit 10)", "B2"},
		{"escaped cell text", book(t, cellRow(strings.Repeat("&amp;", 10)), nil), book(t, cellRow(strings.Repeat("&amp;", 11)), nil),
			"MaxCellBytes", "the cell holds more than 10 bytes", "B2"},
		{"formula text", book(t, `<row r="3"><c r="A3"><f>`+text(10)+`</f></c></row>`, nil),
			book(t, `<row r="3"><c r="A3"><f>`+text(10)+`</f><v>`+text(1)+`</v></c></row>`, nil), "MaxCellBytes", "the cell holds more than 10 bytes", "A3"},
		{"shared string text", book(t, "", strs("a", text(10))), book(t, "", strs("a", text(11))), "MaxCellBytes",
			"the shared string 2 holds more than 10 bytes of text (limit 10)", ""},
		{"shared strings", book(t, "", strs("a", "b", "c", "d")), book(t, "", strs("a", "b", "c", "d", "e")), "MaxSharedStrings",
			"the workbook's shared strings hold more than 4 entries (limit 4)", ""},
		{"shared string bytes", book(t, "", strs(text(10), text(10))), book(t, "", strs(text(10), text(10), "a")),
			"MaxSharedStringBytes", "the workbook's shared strings hold more than 20 bytes of text (limit 20 bytes)", ""},
		{"shared string elements", book(t, "", xlsxtest.Repeat(1, rich+rich+`<si/>`)), // 1 + 5 + 5 + 1
			book(t, "", xlsxtest.Repeat(1, rich+rich+`<si><t>c</t></si>`)),
			"MaxSharedStringElements", "the workbook's shared strings hold more than 12 XML elements (limit 12)", ""},
		{"elements", book(t, "", nil, spread(60, 3)...), book(t, "", nil, spread(60, 4)...), "MaxElements",
			"the workbook holds more than 250 XML elements (limit 250)", ""},
		{"part elements", book(t, "", nil, elements("xl/styles.xml", 60)), book(t, "", nil, elements("xl/styles.xml", 61)),
			"MaxPartElements", "the part xl/styles.xml holds more than 60 XML elements (limit 60)", ""},
		{"depth", book(t, "", nil, nested(maxDepth)), book(t, "", nil, nested(maxDepth+1)), "depth",
			"the part xl/deep.xml nests XML elements more than 64 deep (limit 64)", ""},
		{"text length", book(t, "", nil, xlsxtest.Text("xl/t.xml", "<t>"+strings.Repeat("a", minRunBytes-2)+"</t>")),
			book(t, "", nil, xlsxtest.Text("xl/t.xml", "<t>"+strings.Repeat("a", minRunBytes-1)+"</t>")), "text length",
			"the part xl/t.xml holds a text or tag longer than 1 MiB (limit 1 MiB)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Check(ctx, tt.under, small); err != nil {
				t.Errorf("just under the limit: %v", err)
			}
			_, err := Check(ctx, tt.over, small)
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("over the limit: %v, want an *Error", err)
			}
			if le.Limit != tt.limit || !strings.Contains(le.Message, tt.want) || le.Cell() != tt.cell {
				t.Errorf("over the limit: %s %q at %q, want %s %q at %q", le.Limit, le.Message, le.Cell(), tt.limit, tt.want, tt.cell)
			}
		})
	}
}

func TestCheckNamesTheSheet(t *testing.T) {
	b := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "settings"}, {Name: "survey", Rows: xlsxtest.Rows([]string{"", "abcdefghijk"})}}}
	data, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Check(context.Background(), data, small)
	want := `sheet "survey", cell B1: the cell holds more than 10 bytes of text (limit 10)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestCheckCellElements(t *testing.T) {
	lim := small
	lim.MaxPartElements, lim.MaxElements = 2*maxCellElements, 4*maxCellElements
	run := `<r><t>a</t></r>`
	cell := func(runs int) string { // the <c>, <is> and two elements a run
		return `<row r="1"><c r="A1" t="inlineStr"><is>` + strings.Repeat(run, runs) + `</is></c></row>`
	}
	lim.MaxCellBytes = maxCellElements
	if _, err := Check(context.Background(), book(t, cell((maxCellElements-2)/2), nil), lim); err != nil {
		t.Errorf("%d elements: %v", maxCellElements, err)
	}
	_, err := Check(context.Background(), book(t, cell((maxCellElements-2)/2+1), nil), lim)
	var le *Error
	if !errors.As(err, &le) || le.Limit != "cell elements" || le.Cell() != "A1" {
		t.Errorf("error %v, want the cell's elements refused at A1", err)
	}
}

func TestCheckUnreadable(t *testing.T) {
	liar, err := xlsxtest.ZipBomb("xl/worksheets/sheet1.xml", 1<<30, 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"not a zip":       []byte("Organization,Type\n"),
		"lying size":      liar,
		"broken XML":      book(t, "", nil, xlsxtest.Text("xl/styles.xml", "<a><b c=></b></a>")),
		"unknown entity":  book(t, "", nil, xlsxtest.Text("xl/styles.xml", "<a>&nbsp;</a>")),
		"unknown charset": book(t, "", nil, xlsxtest.Text("xl/styles.xml", `<?xml version="1.0" encoding="x-none"?><a/>`)),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Check(context.Background(), data, Defaults)
			var ue *UnreadableError
			if !errors.As(err, &ue) {
				t.Errorf("error %v, want an *UnreadableError", err)
			}
		})
	}
	if _, err := Check(context.Background(), liar, Defaults); !errors.Is(err, zip.ErrFormat) {
		t.Errorf("a part unpacking to more than it declares: %v, want zip.ErrFormat", err)
	}
}

// TestCheckDefaults runs the hostile workbooks of the reliability tests at
// the default limits: each refused as soon as it passes its limit, and a
// workbook at the limit accepted.
func TestCheckDefaults(t *testing.T) {
	ctx := context.Background()
	build := must(t)
	tests := []struct {
		name        string
		under, over []byte
		want        string
	}{
		{"shared strings", build(xlsxtest.SharedStringsBomb(Defaults.MaxSharedStrings)), build(xlsxtest.SharedStringsBomb(3_500_000)),
			"the workbook's shared strings hold more than 200,000 entries (limit 200,000)"},
		{"rows", build(xlsxtest.ManyRows(Defaults.MaxRows)), build(xlsxtest.ManyRows(1_000_000)),
			`sheet "Sheet1", row 100001: the sheet has more than 100,000 rows (limit 100,000)`},
		{"zip bomb", build(xlsxtest.ZipBomb("xl/worksheets/sheet1.xml", 1<<20, 1<<20)), build(xlsxtest.ZipBomb("xl/worksheets/sheet1.xml", 1<<30, 1<<30)),
			"the workbook unpacks to 1,073,741,824 bytes (limit 64 MiB)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Check(ctx, tt.under, Defaults); err != nil {
				t.Errorf("at the limit: %v", err)
			}
			if _, err := Check(ctx, tt.over, Defaults); err == nil || err.Error() != tt.want {
				t.Errorf("over the limit: %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCheckStopsWhenCancelled(t *testing.T) {
	data, err := xlsxtest.ManyRows(50_000)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, data, Defaults); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	counted := 0
	lim := Defaults
	c := &checker{ctx: ctx, lim: lim, sheetOf: map[string]string{}, relTargets: map[string]map[string]string{}}
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "sheet1.xml") {
			rc, _ := f.Open()
			err = c.scan(f.Name, &cancelAfter{r: rc, n: 64 << 10, cancel: cancel, read: &counted})
			rc.Close()
		}
	}
	if !errors.Is(err, context.Canceled) || c.counts.Rows >= 50_000 {
		t.Errorf("cancelled during the scan: %v after %d rows", err, c.counts.Rows)
	}
}

// cancelAfter cancels its context once n bytes were read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
	read   *int
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.read += n
	if *c.read >= c.n {
		c.cancel()
	}
	return n, err
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{Message: "m"}, "m"},
		{Error{Sheet: "survey", Row: 7, Column: 28, Message: "m"}, `sheet "survey", cell AB7: m`},
		{Error{Sheet: "survey", Row: 7, Message: "m"}, `sheet "survey", row 7: m`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
	for n, want := range map[int64]string{0: "0 bytes", 999: "999 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 64 << 20: "64 MiB", 1 << 30: "1024 MiB"} {
		if got := size(n); got != want {
			t.Errorf("size(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "0", 100: "100", 1000: "1,000", 200000: "200,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
