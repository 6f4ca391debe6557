package xlsxlimit

import (
	"errors"
	"testing"

	"github.com/unodc-csu/agora/forms/xlsxlimit/xlsxtest"
)

// fuzzLimits are low enough for a mutated seed to pass them.
var fuzzLimits = Limits{MaxParts: 20, MaxUnzippedBytes: 1 << 20, MaxSheets: 3, MaxRows: 20, MaxColumns: 6,
	MaxCells: 60, MaxCellBytes: 40, MaxSharedStrings: 10, MaxSharedStringBytes: 200, MaxSharedStringElements: 50,
	MaxElements: 2000, MaxPartElements: 200, MaxTextBytes: 2000}

// FuzzCheck feeds workbooks to Check and reads with excelize what it
// accepts: Check must not panic, must refuse only with its error types, and
// must keep its promise: no row, column or cell excelize then reads is past
// a limit Check applied.
func FuzzCheck(f *testing.F) {
	books := []xlsxtest.Book{
		{Sheets: []xlsxtest.Sheet{{Name: "survey", Rows: xlsxtest.Rows([]string{"type", "name", "label"}, []string{"text", "q", "Q?"})},
			{Name: "choices", Rows: xlsxtest.Repeat(1, `<row r="2"><c r="B2" t="s"><v>1</v></c><c r="C2"><f>A1&amp;"x"</f><v>3</v></c></row>`)}},
			SharedStrings: xlsxtest.Repeat(1, `<si><t>list</t></si><si><r><rPr><b/></rPr><t>bold</t></r><r><t xml:space="preserve"> run</t></r></si>`)},
		{Sheets: []xlsxtest.Sheet{{Name: "S", Rows: xlsxtest.Repeat(1, `<row><c t="b"><v>1</v></c><c r="F1" t="inlineStr"><is><t>far</t></is></c></row><row r="9"/>`)}},
			Parts: []xlsxtest.Part{xlsxtest.Text("xl/styles.xml", `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0"/></numFmts></styleSheet>`)}},
	}
	xlsxtest.AddSeeds(f, books...)
	f.Fuzz(func(t *testing.T, data []byte) {
		counts, err := Check(t.Context(), data, fuzzLimits)
		if err != nil {
			var (
				le *Error
				ue *UnreadableError
			)
			if !errors.As(err, &le) && !errors.As(err, &ue) {
				t.Fatalf("refused with %T %v", err, err)
			}
			if le != nil && (le.Limit == "" || le.Message == "") {
				t.Fatalf("a limit without its name or sentence: %+v", le)
			}
			return
		}
		if counts.Rows > fuzzLimits.MaxRows || counts.Cells > fuzzLimits.MaxCells || counts.SharedStrings > fuzzLimits.MaxSharedStrings {
			t.Fatalf("accepted with counts %+v", counts)
		}
		checkReads(t, data)
	})
}

// checkReads reads every sheet of an accepted workbook with excelize and
// fails on anything past fuzzLimits.
func checkReads(t *testing.T, data []byte) {
	w, err := Open(t.Context(), data, fuzzLimits)
	if err != nil {
		return // excelize refuses what Check let through: nothing is read
	}
	defer w.Close()
	for _, name := range w.File.GetSheetList() {
		rows, err := w.Rows(t.Context(), name)
		if err != nil {
			continue
		}
		withValues := 0
		for rows.Next() {
			cells := rows.Cells()
			if len(cells) > fuzzLimits.MaxColumns {
				t.Fatalf("sheet %q row %d: %d columns read", name, rows.Num(), len(cells))
			}
			if len(cells) > 0 {
				withValues++
			}
			for _, c := range cells {
				if len(c) > fuzzLimits.MaxCellBytes {
					t.Fatalf("sheet %q row %d: a cell of %d bytes read", name, rows.Num(), len(c))
				}
			}
		}
		rows.Close()
		if withValues > fuzzLimits.MaxRows {
			t.Fatalf("sheet %q: %d rows with values read", name, withValues)
		}
	}
}
