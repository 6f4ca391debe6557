package forms

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// StakeholderImportColumns are the headers of the columns an import reads,
// by their usual names, in the order of the import template; required
// tells whether the import refuses a file without the column.
func StakeholderImportColumns() (names []string, required []bool) {
	for _, col := range importColumns {
		names = append(names, col.name)
		required = append(required, col.required)
	}
	return names, required
}

// WriteStakeholderTemplate writes an .xlsx workbook whose first sheet has
// the header row an import reads (StakeholderImportColumns), frozen and in
// bold, for a focal point to fill in and import.
func WriteStakeholderTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	const sheet = "Stakeholders"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	names, _ := StakeholderImportColumns()
	header := make([]any, len(names))
	for i, n := range names {
		header[i] = n
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(names), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	lastCol, _, _ := excelize.SplitCellName(last)
	if err := f.SetColWidth(sheet, "A", lastCol, 22); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.Write(w)
}
