package exports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// MaxRows is the most rows an Excel sheet holds.
const MaxRows = 1048576

// column is one column of a streamed sheet: its title and width.
type column struct {
	title string
	width float64
	wrap  bool
}

// styles are the cell styles every workbook shares.
type styles struct {
	header, title, bold, wrap, percent, number int
	// plain is the style of data rows: top-aligned. Giving rows a style
	// also spares excelize a scan of the column list for every cell.
	plain int
	// text marks a risky user text: text format and quote prefix.
	text int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	defs := []struct {
		id *int
		st *excelize.Style
	}{
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.plain, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.percent, &excelize.Style{CustomNumFmt: ptr("0.0")}},
		{&s.number, &excelize.Style{CustomNumFmt: ptr("0.##")}},
	}
	for _, d := range defs {
		if *d.id, err = f.NewStyle(d.st); err != nil {
			return s, err
		}
	}
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, err
	}
	// excelize has no option for the quote prefix: set it on the format.
	if f.Styles != nil && f.Styles.CellXfs != nil && s.text < len(f.Styles.CellXfs.Xf) {
		f.Styles.CellXfs.Xf[s.text].QuotePrefix = ptr(true)
	}
	return s, nil
}

// user renders a user-supplied text: see Neutralize.
func (st styles) user(s string) any {
	s, risky := Neutralize(s)
	if risky {
		return excelize.Cell{StyleID: st.text, Value: s}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// streamSheet writes one table sheet through excelize's StreamWriter, so
// that memory does not grow with the rows: header rows frozen, an
// autofilter over the last header row, the header rows repeated on every
// printed page. When the row limit is reached, the table continues on a new
// sheet named after the first ("Responses (2)") with the same headers.
type streamSheet struct {
	f       *excelize.File
	st      styles
	base    string
	used    map[string]bool
	headers [][]any // header rows, the last one carries the filter
	cols    []column
	limit   int

	sheets []string // every sheet written, in order
	sw     *excelize.StreamWriter
	row    int // last row written on the current sheet
	rows   int // data rows written in all
}

// newStreamSheet starts a table sheet named name. limit is the most rows a
// sheet may hold (MaxRows in production; smaller in tests).
func newStreamSheet(f *excelize.File, st styles, used map[string]bool, name string, cols []column, headers [][]any, limit int) (*streamSheet, error) {
	if limit <= len(headers) {
		limit = MaxRows
	}
	s := &streamSheet{f: f, st: st, used: used, base: name, headers: headers, cols: cols, limit: limit}
	return s, s.open()
}

func (s *streamSheet) open() error {
	name := s.base
	if len(s.sheets) > 0 {
		name = fmt.Sprintf("%s (%d)", s.base, len(s.sheets)+1)
	}
	name = SheetName(name, s.used)
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.sheets, s.sw, s.row = append(s.sheets, name), sw, 0
	n := len(s.headers)
	top, _ := excelize.CoordinatesToCellName(1, n+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: n, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for from := 0; from < len(s.cols); {
		to := from
		for to+1 < len(s.cols) && s.cols[to+1].width == s.cols[from].width {
			to++
		}
		if err := sw.SetColWidth(from+1, to+1, s.cols[from].width); err != nil {
			return err
		}
		from = to + 1
	}
	for _, h := range s.headers {
		cells := make([]any, len(h))
		for i, v := range h {
			cells[i] = excelize.Cell{StyleID: s.st.header, Value: v}
		}
		if err := s.next(cells, 0); err != nil {
			return err
		}
	}
	return nil
}

func (s *streamSheet) next(cells []any, style int) error {
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	if style != 0 {
		return s.sw.SetRow(cell, cells, excelize.RowOpts{StyleID: style})
	}
	return s.sw.SetRow(cell, cells)
}

// add writes one data row, continuing on a new sheet when this one is full.
// Text values must already be safe (SafeText).
func (s *streamSheet) add(values []any) error {
	if s.row >= s.limit {
		if err := s.finish(); err != nil {
			return err
		}
		if err := s.open(); err != nil {
			return err
		}
	}
	for i, v := range values {
		if i < len(s.cols) && s.cols[i].wrap && v != nil {
			if _, ok := v.(string); ok {
				values[i] = excelize.Cell{StyleID: s.st.wrap, Value: v}
			}
		}
	}
	s.rows++
	return s.next(values, s.st.plain)
}

// finish sets the filter and print titles of the current sheet and
// flushes it. The filter is an Excel table over the last header row and the
// data: File.AutoFilter would read the whole streamed sheet back into
// memory, a table costs nothing.
func (s *streamSheet) finish() error {
	n := len(s.headers)
	if len(s.cols) > 0 && s.row > n {
		first, _ := excelize.CoordinatesToCellName(1, n)
		last, _ := excelize.CoordinatesToCellName(len(s.cols), s.row)
		name := fmt.Sprintf("T%d_%s", len(s.sheets), strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return '_'
		}, s.base))
		if err := s.sw.AddTable(&excelize.Table{Range: first + ":" + last, Name: name, StyleName: "TableStyleLight1"}); err != nil {
			return err
		}
	}
	if err := s.sw.Flush(); err != nil {
		return err
	}
	return printTitles(s.f, s.sheets[len(s.sheets)-1], n)
}

// close finishes the last sheet.
func (s *streamSheet) close() error { return s.finish() }

// printTitles repeats the first n rows on every printed page.
func printTitles(f *excelize.File, sheet string, n int) error {
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", strings.ReplaceAll(sheet, "'", "''"), n),
	})
}

// printSetup lays out every sheet for printing: landscape, A4, one page
// wide (as many pages down as needed). Sheets of responses, far wider than
// a page, are printed at their size over several pages instead.
func printSetup(f *excelize.File, wide func(sheet string) bool) error {
	for _, sheet := range f.GetSheetList() {
		opts := &excelize.PageLayoutOptions{Orientation: ptr("landscape"), Size: ptr(9)}
		if !wide(sheet) {
			opts.FitToWidth, opts.FitToHeight = ptr(1), ptr(0)
			if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
				return err
			}
		}
		if err := f.SetPageLayout(sheet, opts); err != nil {
			return err
		}
	}
	return nil
}
