package xlsform

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
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
	f        *excelize.File
	lim      Limits
	survey   *sheet
	choices  *sheet
	settings *sheet
}

// openWorkbook reads the file into memory, bounded, and checks the zip
// archive before excelize sees it: the archive's declared sizes are
// enforced by archive/zip while reading, so summing them bounds what
// unpacking can produce.
func openWorkbook(r io.Reader, lim Limits, rep *Report) (*workbook, bool) {
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
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		rep.refuse(at{}, "the file is not an Excel workbook (.xlsx): %v", err)
		return nil, false
	}
	if len(zr.File) > lim.MaxParts {
		rep.refuse(at{}, "the workbook has %d parts, more than the %d allowed", len(zr.File), lim.MaxParts)
		return nil, false
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(lim.MaxUnzippedBytes) || zf.UncompressedSize64 > uint64(lim.MaxUnzippedBytes) {
			rep.refuse(at{}, "the workbook unpacks to more than %d MiB", lim.MaxUnzippedBytes>>20)
			return nil, false
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    lim.MaxUnzippedBytes,
		UnzipXMLSizeLimit: lim.MaxUnzippedBytes, // keep every part in memory: no temporary files
	})
	if err != nil {
		rep.refuse(at{}, "the file is not a readable Excel workbook (.xlsx): %v", err)
		return nil, false
	}
	return &workbook{f: f, lim: lim}, true
}

func (wb *workbook) close() { _ = wb.f.Close() }

// readSheets finds and reads the survey, choices and settings sheets, and
// reports the other sheets as ignored. A workbook of one sheet, whatever
// its name, is the survey, as XLSForm tools read it.
func (wb *workbook) readSheets(rep *Report) bool {
	found := map[string]string{}
	list := wb.f.GetSheetList()
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
			wb.survey = wb.readSheet(name, sheetSurvey, wb.lim.MaxSurveyRows, rep)
		case sheetChoices:
			wb.choices = wb.readSheet(name, sheetChoices, wb.lim.MaxChoiceRows, rep)
		case sheetSettings:
			wb.settings = wb.readSheet(name, sheetSettings, maxSettingsRows, rep)
		default:
			wb.ignoredSheet(name, key, rep)
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
func (wb *workbook) ignoredSheet(name, key string, rep *Report) {
	rows, err := wb.f.Rows(name)
	if err != nil {
		return
	}
	defer rows.Close()
	for n := 0; n < 1000 && rows.Next(); n++ {
		cells, _ := rows.Columns()
		if !blank(cells) {
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
// are skipped, and every limit is enforced.
func (wb *workbook) readSheet(name, kind string, maxRows int, rep *Report) *sheet {
	rows, err := wb.f.Rows(name)
	if err != nil {
		rep.refuse(at{sheet: name}, "the sheet could not be read: %v", err)
		return nil
	}
	defer rows.Close()
	s := &sheet{name: name, kind: kind}
	num, blanks := 0, 0
	var header []string
	for rows.Next() {
		num++
		if blanks == maxBlankRows {
			s.afterBlanks(rows, num, rep)
			break
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			rep.refuse(at{sheet: name, row: num}, "the row could not be read: %v", err)
			return nil
		}
		if !wb.checkCells(name, num, cells, rep) {
			return nil
		}
		if blank(cells) {
			if header != nil {
				blanks++
			}
			continue
		}
		blanks = 0
		if header == nil {
			header, s.headerRow = cells, num
			continue
		}
		if len(s.rows) == maxRows {
			rep.refuse(at{sheet: name, row: num}, "the sheet has more than %d rows", maxRows)
			return nil
		}
		s.rows = append(s.rows, row{num: num, cells: cells})
	}
	if err := rows.Error(); err != nil {
		rep.refuse(at{sheet: name}, "the sheet could not be read: %v", err)
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
// sheet, if any, and leaves the rest unread.
func (s *sheet) afterBlanks(rows *excelize.Rows, num int, rep *Report) {
	for ; ; num++ {
		cells, _ := rows.Columns()
		if !blank(cells) {
			rep.skip(at{sheet: s.name, row: num}, "rows after %d blank rows are not part of the sheet, as in XLSForm tools: this one and those after it are left out", maxBlankRows)
			return
		}
		if !rows.Next() {
			return
		}
	}
}

// checkCells trims the cells of a row in place and enforces the column and
// cell-size limits.
func (wb *workbook) checkCells(sheetName string, num int, cells []string, rep *Report) bool {
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	last := len(cells)
	for last > 0 && cells[last-1] == "" {
		last--
	}
	if last > wb.lim.MaxColumns {
		rep.refuse(at{sheet: sheetName, row: num, letter: columnLetter(last - 1)},
			"the row has a value in column %s, beyond the %d columns read", columnLetter(last-1), wb.lim.MaxColumns)
		return false
	}
	for i, c := range cells {
		if len(c) > wb.lim.MaxCellBytes {
			rep.refuse(at{sheet: sheetName, row: num, letter: columnLetter(i)},
				"the cell holds %d bytes, more than the %d allowed", len(c), wb.lim.MaxCellBytes)
			return false
		}
	}
	return true
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
