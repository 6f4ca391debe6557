package forms

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms/xlsxlimit"
)

// Bounds of a stakeholder import, so that one upload cannot exhaust memory
// or time; docs/stakeholders.md lists them. A national mapping has
// hundreds of rows, a regional registry thousands.
const (
	// MaxImportRows is the most data rows one file may hold.
	MaxImportRows = 50000
	// MaxImportBytes is the largest file accepted.
	MaxImportBytes = 20 << 20
	// maxCellLength bounds the cell of a field, in characters: a longer
	// one is a problem of its row.
	maxCellLength = 4000
	// maxImportColumns bounds the columns read: a value further right is
	// refused, since no field lives there.
	maxImportColumns = 100
	// maxImportCellBytes bounds any cell of the file, in bytes: a longer
	// one makes the file unreadable, before it is held.
	maxImportCellBytes = 32 << 10
	// maxCSVFields bounds the fields of a CSV record, empty or not, as a
	// worksheet bounds its columns.
	maxCSVFields = 16384
)

// importWorkbookLimits are the limits of an .xlsx import: xlsxlimit's
// defaults, with room for MaxImportRows rows and blank ones.
func importWorkbookLimits() xlsxlimit.Limits {
	lim := xlsxlimit.Defaults
	lim.MaxRows = 2 * MaxImportRows
	lim.MaxColumns = maxImportColumns
	lim.MaxCellBytes = maxImportCellBytes
	return lim
}

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
// second; it stops with ctx's error when ctx ends. It needs no database, so
// it is fuzzed on its own.
func parseStakeholderFile(ctx context.Context, filename string, data []byte) (*importSheet, error) {
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
		rows, nums, err = readXLSX(ctx, data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fileProblem("this is an old-style .xls or a password-protected workbook: save it as .xlsx (without password) or as CSV UTF-8")
	case ext == ".xlsx" || ext == ".xlsm":
		return nil, fileProblem("the file is named %s but is not an Excel workbook", ext)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, fileProblem("the file is UTF-16 text: save it as CSV UTF-8 or .xlsx")
	case !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0:
		return nil, fileProblem("the file is neither an .xlsx workbook nor UTF-8 text: save it as CSV UTF-8 or .xlsx")
	default:
		rows, nums, err = readCSV(ctx, data)
	}
	if err != nil {
		return nil, err
	}
	return newImportSheet(rows, nums)
}

// readXLSX returns the rows of the first worksheet and their numbers.
func readXLSX(ctx context.Context, data []byte) ([][]string, []int, error) {
	book, err := xlsxlimit.Open(ctx, data, importWorkbookLimits())
	if err != nil {
		return nil, nil, workbookProblem(err)
	}
	defer func() { _ = book.Close() }()
	sheets := book.File.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileProblem("the workbook has no worksheet")
	}
	it, err := book.Rows(ctx, sheets[0])
	if err != nil {
		return nil, nil, fileProblem("the worksheet %q cannot be read: %s", sheets[0], xlsxReason(err))
	}
	defer it.Close()
	var (
		rows [][]string
		nums []int
	)
	for it.Next() {
		if isBlank(it.Cells()) {
			continue
		}
		if len(rows) > MaxImportRows {
			return nil, nil, tooManyRows()
		}
		rows, nums = append(rows, it.Cells()), append(nums, it.Num())
	}
	if err := it.Err(); err != nil {
		return nil, nil, workbookProblem(err)
	}
	return rows, nums, nil
}

// workbookProblem explains why a workbook cannot be imported: the limit it
// exceeds and where, or why it is not a workbook. ctx's end is returned
// as it is: nobody is left to read an explanation.
func workbookProblem(err error) error {
	var (
		le *xlsxlimit.Error
		ue *xlsxlimit.UnreadableError
	)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &le):
		return fileProblem("%s", le.Error())
	case errors.As(err, &ue):
		return fileProblem("the workbook cannot be read: %s", xlsxReason(ue))
	}
	return fileProblem("the worksheet cannot be read: %s", xlsxReason(err))
}

// xlsxReason explains an excelize error without its internals.
func xlsxReason(err error) string {
	if errors.Is(err, excelize.ErrWorkbookFileFormat) {
		return "it is not a valid .xlsx file"
	}
	return err.Error()
}

func tooManyRows() error {
	return fileProblem("the file has more than %d rows: split it into several files", MaxImportRows)
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
