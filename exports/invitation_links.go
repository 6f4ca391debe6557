package exports

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// LinkRow is one line of the mail-merge workbook.
type LinkRow struct {
	Organization string
	ContactName  string
	Email        string
	Language     string
	Status       string
	// Link is the personal link, or empty when it cannot be shown again.
	Link string
}

// linkColumns are the mail-merge headers; mail-merge tools key on them.
var linkColumns = []struct {
	title string
	width float64
}{
	{"Organization", 40}, {"Contact name", 28}, {"Email", 32},
	{"Language", 10}, {"Status", 14}, {"Personal link", 70},
}

// WriteInvitationLinks writes the mail-merge workbook of a consultation's
// invitations: one row per stakeholder with their personal link. Links are
// secrets: the workbook is the only place they are written down.
func WriteInvitationLinks(w io.Writer, title string, rows []LinkRow) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := SheetName("Invitations", map[string]bool{})
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, c := range linkColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	header := make([]any, len(linkColumns))
	for i, c := range linkColumns {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.title}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 18}); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		// Texts that look like formulas get the quote-prefix style, as in
		// the other workbooks: shown as typed, never calculated, and
		// without a visible apostrophe a mail merge would copy.
		values := []any{st.user(r.Organization), st.user(r.ContactName), st.user(r.Email), r.Language, r.Status, r.Link}
		if err := sw.SetRow(cell, values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(linkColumns), len(rows)+1)
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: SafeText(title), Creator: "Agora"}); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
