package xlsform

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// sheetData is one sheet of a test workbook: its name and its rows.
type sheetData struct {
	name string
	rows [][]string
}

// md reads workbook sheets from the Markdown tables pyxform's own tests use:
//
//	| survey |
//	|        | type | name | label |
//	|        | text | q1   | Q1    |
//	| choices |
//	|        | list_name | name | label |
//
// A line whose first cell is not empty starts a sheet; the other lines are
// its rows, from the second cell. A line of empty cells is a blank row.
// In a cell, "#3" is the number 3, "!TRUE" a boolean and "%2024-01-15"
// a date, stored as such.
func md(src string) []sheetData {
	var sheets []sheetData
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cells[0] != "" {
			sheets = append(sheets, sheetData{name: cells[0]})
			continue
		}
		if len(sheets) == 0 {
			continue
		}
		last := &sheets[len(sheets)-1]
		last.rows = append(last.rows, cells[1:])
	}
	return sheets
}

// buildXLSX writes sheets as an .xlsx workbook.
func buildXLSX(t testing.TB, sheets []sheetData) []byte {
	t.Helper()
	data, err := writeXLSX(sheets)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeXLSX writes sheets as an .xlsx workbook, or says why excelize
// cannot (a sheet name Excel refuses, say).
func writeXLSX(sheets []sheetData) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return nil, err
		}
		for ri, r := range s.rows {
			for ci, v := range r {
				if v == "" {
					continue
				}
				cell, err := excelize.CoordinatesToCellName(ci+1, ri+1)
				if err != nil {
					return nil, err
				}
				if err := f.SetCellValue(s.name, cell, cellValue(v)); err != nil {
					return nil, err
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cellValue types a test cell: "#3" is a number, "!TRUE" a boolean,
// "%2024-01-15" a date.
func cellValue(v string) any {
	switch {
	case strings.HasPrefix(v, "%"):
		if d, err := time.Parse(time.DateOnly, v[1:]); err == nil {
			return d
		}
	case strings.HasPrefix(v, "#"):
		if x, err := strconv.ParseFloat(v[1:], 64); err == nil {
			return x
		}
	case strings.HasPrefix(v, "!"):
		if b, err := strconv.ParseBool(v[1:]); err == nil {
			return b
		}
	}
	return v
}

// testThemes is the shipped taxonomy.
func testThemes(t testing.TB) func(string) bool {
	t.Helper()
	themes, err := forms.SeedThemes()
	if err != nil {
		t.Fatal(err)
	}
	return forms.KnownThemes(themes)
}

// importMD imports a workbook written as Markdown tables.
func importMD(t testing.TB, src string) (*forms.Definition, *Report, error) {
	t.Helper()
	return Import(t.Context(), bytes.NewReader(buildXLSX(t, md(src))), Options{ThemeKnown: testThemes(t), Code: "test-form"})
}

// mustImport imports a workbook that must be accepted.
func mustImport(t testing.TB, src string) (*forms.Definition, *Report) {
	t.Helper()
	def, rep, err := importMD(t, src)
	if err != nil {
		t.Fatalf("Import: %v\nreport:\n%s", err, rep)
	}
	return def, rep
}

// refused imports a workbook that must be refused and returns the errors.
func refused(t testing.TB, src string) []Item {
	t.Helper()
	def, rep, err := importMD(t, src)
	var ie *Error
	if !errors.As(err, &ie) || def != nil {
		t.Fatalf("Import accepted the form (err %v)\nreport:\n%s", err, rep)
	}
	return rep.Errors()
}

// hasItem reports whether the report has an item at cell whose message
// contains text.
func hasItem(items []Item, severity, action, cell, text string) bool {
	for _, it := range items {
		if it.Severity == severity && it.Action == action && it.Cell == cell && strings.Contains(it.Message, text) {
			return true
		}
	}
	return false
}
