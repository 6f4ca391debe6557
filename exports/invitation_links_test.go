package exports

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestInvitationLinksQuotePrefix writes formula-like texts of the registry
// into the mail-merge workbook: each cell holds the text as typed, with
// the quote-prefix style (no visible apostrophe, never calculated).
func TestInvitationLinksQuotePrefix(t *testing.T) {
	var buf bytes.Buffer
	rows := []LinkRow{{Organization: `=HYPERLINK("http://evil.example","Click")`, ContactName: "+1 Jane", Email: "@jane@example.org",
		Language: "en", Status: "not_opened", Link: "http://agora.test/s/abc"}}
	if err := WriteInvitationLinks(&buf, "links", rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A2": rows[0].Organization, "B2": rows[0].ContactName, "C2": rows[0].Email} {
		got, _ := f.GetCellValue("Invitations", cell)
		if got != want {
			t.Errorf("%s = %q, want %q (no apostrophe)", cell, got, want)
		}
		if formula, _ := f.GetCellFormula("Invitations", cell); formula != "" {
			t.Errorf("%s holds the formula %q", cell, formula)
		}
		id, _ := f.GetCellStyle("Invitations", cell)
		if xf := f.Styles.CellXfs.Xf[id]; xf.QuotePrefix == nil || !*xf.QuotePrefix {
			t.Errorf("%s has no quote prefix", cell)
		}
	}
	if got, _ := f.GetCellValue("Invitations", "F2"); got != rows[0].Link {
		t.Errorf("link %q", got)
	}
}
