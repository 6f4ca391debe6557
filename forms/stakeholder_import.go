package forms

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Bounds of a stakeholder import, so that one upload cannot exhaust memory
// or time: the rows of a national mapping number in the hundreds.
const (
	// MaxImportRows is the most data rows one file may hold.
	MaxImportRows = 20000
	// MaxImportBytes is the largest file accepted.
	MaxImportBytes = 20 << 20
	// maxCellLength bounds one cell, in characters.
	maxCellLength = 4000
	// maxImportColumns bounds the columns read from one row.
	maxImportColumns = 100
	// xlsxUnzipLimit bounds the unzipped size of a workbook; a zip bomb
	// fails instead of filling memory or disk.
	xlsxUnzipLimit = 200 << 20
	// xlsxUnzipXMLLimit is how much of a worksheet is unzipped in memory
	// before excelize spills to a temporary file.
	xlsxUnzipXMLLimit = 16 << 20
)

// importSheet is an uploaded file read into rows of text, before any
// meaning is given to the cells.
type importSheet struct {
	headerRow int
	header    []string // the header cells as written
	fields    []string // the field each column feeds, "" when none
	rows      []importRecord
	report    []ImportProblem // problems of the file itself, not of a row
}

// importRecord is one non-blank row below the header.
type importRecord struct {
	row   int // the row number a spreadsheet shows, the header being 1
	cells []string
}

// fileProblem is the error of a file that cannot be imported at all.
func fileProblem(format string, args ...any) error {
	ve := &ValidationError{Message: "the file cannot be imported"}
	ve.Add("/file", format, args...)
	return ve
}

// parseStakeholderFile reads an .xlsx workbook (its first sheet) or a CSV
// file into rows, recognizing the format by its content first and its name
// second. It needs no database, so it is fuzzed on its own.
func parseStakeholderFile(filename string, data []byte) (*importSheet, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	var (
		rows [][]string
		nums []int
		err  error
	)
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, fileProblem("the file is empty")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		rows, nums, err = readXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fileProblem("this is an old-style .xls or a password-protected workbook: save it as .xlsx (without password) or as CSV UTF-8")
	case ext == ".xlsx" || ext == ".xlsm":
		return nil, fileProblem("the file is named %s but is not an Excel workbook", ext)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, fileProblem("the file is UTF-16 text: save it as CSV UTF-8 or .xlsx")
	case !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0:
		return nil, fileProblem("the file is neither an .xlsx workbook nor UTF-8 text: save it as CSV UTF-8 or .xlsx")
	default:
		rows, nums, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	return newImportSheet(rows, nums)
}

// readXLSX returns the rows of the first worksheet and their numbers.
func readXLSX(data []byte) ([][]string, []int, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit,
	})
	if err != nil {
		return nil, nil, fileProblem("the workbook cannot be read: %s", xlsxReason(err))
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileProblem("the workbook has no worksheet")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, fileProblem("the worksheet %q cannot be read: %s", sheets[0], xlsxReason(err))
	}
	defer func() { _ = it.Close() }()
	var (
		rows [][]string
		nums []int
	)
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns()
		if err != nil {
			return nil, nil, fileProblem("row %d of the worksheet cannot be read: %s", n, xlsxReason(err))
		}
		if isBlank(cells) {
			continue
		}
		if len(rows) > MaxImportRows {
			return nil, nil, tooManyRows()
		}
		rows, nums = append(rows, clip(cells)), append(nums, n)
	}
	if err := it.Error(); err != nil {
		return nil, nil, fileProblem("the worksheet cannot be read: %s", xlsxReason(err))
	}
	return rows, nums, nil
}

// xlsxReason explains an excelize error without its internals.
func xlsxReason(err error) string {
	if errors.Is(err, excelize.ErrWorkbookFileFormat) {
		return "it is not a valid .xlsx file"
	}
	if strings.Contains(err.Error(), "size limit") {
		return "it unpacks to more than the allowed size"
	}
	return err.Error()
}

// readCSV returns the records of a CSV file and the spreadsheet row of each.
// The separator is the one the first line uses most (comma, semicolon or
// tab), since spreadsheets in many locales save with semicolons.
func readCSV(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffSeparator(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var (
		rows    [][]string
		nums    []int
		row     int // spreadsheet row of the last record read
		endLine int // file line on which that record ended
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := endLine + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, nil, fileProblem("the CSV cannot be read from line %d on: %v", line, errors.Unwrap(err))
		}
		start, _ := r.FieldPos(0)
		last, _ := r.FieldPos(len(rec) - 1)
		row += start - endLine // blank lines are rows too
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		if isBlank(rec) {
			continue
		}
		if len(rows) > MaxImportRows {
			return nil, nil, tooManyRows()
		}
		rows, nums = append(rows, clip(rec)), append(nums, row)
	}
	return rows, nums, nil
}

func tooManyRows() error {
	return fileProblem("the file has more than %d rows: split it into several files", MaxImportRows)
}

// sniffSeparator picks the separator the first line uses most, outside quotes.
func sniffSeparator(data []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range data {
		if b == '"' {
			quoted = !quoted
		}
		if !quoted && (b == '\n' || b == '\r') {
			break
		}
		if !quoted && (b == ',' || b == ';' || b == '\t') {
			counts[b]++
		}
	}
	best := byte(',')
	for _, b := range []byte{';', '\t'} {
		if counts[b] > counts[best] {
			best = b
		}
	}
	return rune(best)
}

// isBlank reports whether a row has no visible content.
func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// clip drops the columns past maxImportColumns: no field lives there.
func clip(cells []string) []string {
	if len(cells) > maxImportColumns {
		return cells[:maxImportColumns]
	}
	return cells
}

// newImportSheet takes the first non-blank row as the header and finds the
// field of each column. A missing required column, or one given twice,
// stops the import: no row could be read right.
func newImportSheet(rows [][]string, nums []int) (*importSheet, error) {
	if len(rows) == 0 {
		return nil, fileProblem("the file has no rows")
	}
	sh := &importSheet{headerRow: nums[0], header: rows[0], fields: make([]string, len(rows[0]))}
	seen := map[string]string{}
	for i, cell := range rows[0] {
		name := collapseSpace(cell)
		col := columnByHeader(name)
		switch {
		case name == "":
		case col == nil:
			sh.report = append(sh.report, ImportProblem{Row: sh.headerRow, Column: name,
				Problem: "unknown column, ignored (expected: " + importColumnNames() + ")"})
		case seen[col.field] != "":
			return nil, fileProblem("the columns %q and %q both hold %s: keep one", seen[col.field], name, col.name)
		default:
			seen[col.field] = name
			sh.fields[i] = col.field
		}
	}
	var missing []string
	for _, col := range importColumns {
		if col.required && seen[col.field] == "" {
			missing = append(missing, col.name)
		}
	}
	if len(missing) > 0 {
		return nil, fileProblem("the header row (row %d) has no column %s; the columns are: %s",
			sh.headerRow, strings.Join(missing, ", "), importColumnNames())
	}
	for i, cells := range rows[1:] {
		sh.rows = append(sh.rows, importRecord{row: nums[i+1], cells: cells})
	}
	return sh, nil
}

// column returns the header text of field's column, or its usual name.
func (sh *importSheet) column(field string) string {
	for i, f := range sh.fields {
		if f == field {
			return collapseSpace(sh.header[i])
		}
	}
	for _, col := range importColumns {
		if col.field == field {
			return col.name
		}
	}
	return field
}

// String summarizes the sheet for test failures; it holds no cell text.
func (sh *importSheet) String() string {
	return fmt.Sprintf("header on row %d, %d columns, %d rows", sh.headerRow, len(sh.header), len(sh.rows))
}
