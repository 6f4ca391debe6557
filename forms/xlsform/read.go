package xlsform

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms/xlsxlimit"
)

// The sheets of an XLSForm, as named in the workbook (any case, stray spaces).
const (
	sheetSurvey   = "survey"
	sheetChoices  = "choices"
	sheetSettings = "settings"
)

// maxSettingsRows bounds the settings sheet, which has one row of values.
const maxSettingsRows = 100

// oleHeader starts the files that are not .xlsx but look like workbooks:
// Excel 97-2003 .xls files and password-protected .xlsx files.
var oleHeader = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// workbook is an opened XLSForm with its three sheets read.
type workbook struct {
	book     *xlsxlimit.Workbook
	lim      Limits
	survey   *sheet
	choices  *sheet
	settings *sheet
}

// openWorkbook reads the file into memory, bounded, and has xlsxlimit
// count what the workbook holds against lim before excelize reads any of
// it.
func openWorkbook(ctx context.Context, r io.Reader, lim Limits, rep *Report) (*workbook, bool) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxFileBytes+1))
	switch {
	case err != nil:
		rep.refuse(at{}, "the file could not be read: %v", err)
		return nil, false
	case int64(len(data)) > lim.MaxFileBytes:
		rep.refuse(at{}, "the file is larger than %d MiB", lim.MaxFileBytes>>20)
		return nil, false
	case len(data) == 0:
		rep.refuse(at{}, "the file is empty")
		return nil, false
	case bytes.HasPrefix(data, oleHeader):
		rep.refuse(at{}, "this is an Excel 97-2003 (.xls) or a password-protected workbook: save it as an Excel Workbook (.xlsx) without a password")
		return nil, false
	}
	book, err := xlsxlimit.Open(ctx, data, lim.workbook())
	if err != nil {
		refuseWorkbook(rep, err)
		return nil, false
	}
	return &workbook{book: book, lim: lim}, true
}

// workbook are the limits xlsxlimit checks. A sheet may have twice the
// rows the longest sheet may use, for blank and formatted rows; the
// survey and choices sheets' own limits apply as they are read.
func (l Limits) workbook() xlsxlimit.Limits {
	w := xlsxlimit.Defaults
	w.MaxParts, w.MaxUnzippedBytes, w.MaxSheets = l.MaxParts, l.MaxUnzippedBytes, l.MaxSheets
	w.MaxRows = 2 * max(l.MaxSurveyRows, l.MaxChoiceRows)
	w.MaxColumns, w.MaxCells, w.MaxCellBytes = l.MaxColumns, l.MaxCells, l.MaxCellBytes
	w.MaxSharedStrings, w.MaxSharedStringBytes = l.MaxSharedStrings, l.MaxSharedStringBytes
	return w
}

// refuseWorkbook reports why a workbook could not be read: the limit it
// exceeds, where, or why it is not a workbook.
func refuseWorkbook(rep *Report, err error) {
	var (
		le *xlsxlimit.Error
		ue *xlsxlimit.UnreadableError
	)
	switch {
	case errors.As(err, &le):
		where := at{sheet: le.Sheet, row: le.Row}
		if le.Column > 0 {
			where.letter = columnLetter(le.Column - 1)
		}
		rep.refuse(where, "%s", le.Message)
	case errors.As(err, &ue):
		rep.refuse(at{}, "the file is not a readable Excel workbook (.xlsx): %v", ue)
	default:
		rep.refuse(at{}, "the import stopped before its end: %v", err)
	}
}

func (wb *workbook) close() { _ = wb.book.Close() }

// readSheets finds and reads the survey, choices and settings sheets, and
// reports the other sheets as ignored. A workbook of one sheet, whatever
// its name, is the survey, as XLSForm tools read it.
func (wb *workbook) readSheets(ctx context.Context, rep *Report) bool {
	found := map[string]string{}
	list := wb.book.File.GetSheetList()
	for _, name := range list {
		key := strings.ToLower(strings.TrimSpace(name))
		if len(list) == 1 && key != sheetSurvey {
			rep.convert(at{sheet: name}, "the workbook's only sheet, %q, is read as the survey sheet", name)
			key, rep.survey = sheetSurvey, name
		}
		if prev, dup := found[key]; dup {
			rep.refuse(at{sheet: name}, "the workbook has two %s sheets (%q and %q)", key, prev, name)
			return false
		}
		found[key] = name
		switch key {
		case sheetSurvey:
			wb.survey = wb.readSheet(ctx, name, sheetSurvey, wb.lim.MaxSurveyRows, rep)
		case sheetChoices:
			wb.choices = wb.readSheet(ctx, name, sheetChoices, wb.lim.MaxChoiceRows, rep)
		case sheetSettings:
			wb.settings = wb.readSheet(ctx, name, sheetSettings, maxSettingsRows, rep)
		default:
			wb.ignoredSheet(ctx, name, key, rep)
		}
	}
	if found[sheetSurvey] == "" {
		rep.refuse(at{}, "the workbook has no survey sheet: an XLSForm needs sheets named survey, choices (for select questions) and settings")
		return false
	}
	return wb.survey != nil
}

// ignoredSheet reports a sheet that is not part of the XLSForm subset,
// unless it is empty.
func (wb *workbook) ignoredSheet(ctx context.Context, name, key string, rep *Report) {
	rows, err := wb.book.Rows(ctx, name)
	if err != nil {
		return
	}
	defer rows.Close()
	for n := 0; n < 1000 && rows.Next(); n++ {
		if !blank(rows.Cells()) {
			switch key {
			case "external_choices":
				rep.skip(at{sheet: name}, "choices from external files (select_one_from_file, select_one_external) are not supported; sheet ignored")
			case "entities":
				rep.skip(at{sheet: name}, "entities are not supported; sheet ignored")
			default:
				rep.skip(at{sheet: name}, "sheet %q is not part of an XLSForm (survey, choices, settings); ignored", name)
			}
			return
		}
	}
}

// row is one non-blank row of a sheet: its number in the sheet, from 1, and
// its cells, trimmed.
type row struct {
	num   int
	cells []string
}

// readSheet reads a sheet: the first non-blank row is the header, blank rows
// are skipped, and the sheet's row limit is enforced; the workbook's other
// limits were checked before.
func (wb *workbook) readSheet(ctx context.Context, name, kind string, maxRows int, rep *Report) *sheet {
	rows, err := wb.book.Rows(ctx, name)
	if err != nil {
		rep.refuse(at{sheet: name}, "the sheet could not be read: %v", err)
		return nil
	}
	defer rows.Close()
	s := &sheet{name: name, kind: kind}
	blanks := 0
	var header []string
	for rows.Next() {
		cells := trim(rows.Cells())
		if blanks == maxBlankRows {
			s.afterBlanks(rows, cells, rep)
			break
		}
		if blank(cells) {
			if header != nil {
				blanks++
			}
			continue
		}
		blanks = 0
		if header == nil {
			header, s.headerRow = cells, rows.Num()
			continue
		}
		if len(s.rows) == maxRows {
			rep.refuse(at{sheet: name, row: rows.Num()}, "the sheet has more than %d rows", maxRows)
			return nil
		}
		s.rows = append(s.rows, row{num: rows.Num(), cells: cells})
	}
	if err := rows.Err(); err != nil {
		var le *xlsxlimit.Error
		if errors.As(err, &le) || ctx.Err() != nil {
			refuseWorkbook(rep, err)
		} else {
			rep.refuse(at{sheet: name}, "the sheet could not be read: %v", err)
		}
		return nil
	}
	if !s.setHeader(header, rep) {
		return nil
	}
	return s
}

// maxBlankRows blank rows end a sheet, as XLSForm tools read it: what
// follows is left out, with a warning.
const maxBlankRows = 60

// afterBlanks reports the first row after the blank rows that end the
// sheet, if any, and leaves the rest unread. cells are the current row's.
func (s *sheet) afterBlanks(rows *xlsxlimit.Rows, cells []string, rep *Report) {
	for {
		if !blank(cells) {
			rep.skip(at{sheet: s.name, row: rows.Num()}, "rows after %d blank rows are not part of the sheet, as in XLSForm tools: this one and those after it are left out", maxBlankRows)
			return
		}
		if !rows.Next() {
			return
		}
		cells = rows.Cells()
	}
}

// trim trims the cells of a row in place.
func trim(cells []string) []string {
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columnLetter names a 0-based column index as a spreadsheet does: A, B, ... AA.
func columnLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return "?"
	}
	return name
}
