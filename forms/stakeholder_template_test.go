package forms_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// TestStakeholderTemplate fills the import template's first data row and
// imports it: every header of the template is one the import reads.
func TestStakeholderTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := forms.WriteStakeholderTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v, %v", rows, err)
	}
	names, required := forms.StakeholderImportColumns()
	if len(rows[0]) != len(names) || len(required) != len(names) || !required[0] {
		t.Fatalf("header %v, columns %v %v", rows[0], names, required)
	}
	row := []any{"Haki Africa", "ngo", "community group", "KEN", "info@haki.example", "Amina Ochieng",
		"TIP; XC.GENDER", "special", "yes", "fr", "met in Mombasa"}
	if len(row) != len(names) {
		t.Fatalf("the test row has %d cells for %d columns %v", len(row), len(names), names)
	}
	if err := f.SetSheetRow(sheet, "A2", &row); err != nil {
		t.Fatal(err)
	}
	var filled bytes.Buffer
	if err := f.Write(&filled); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	res, err := newStakeholderStore(t).ImportStakeholders(context.Background(), forms.AllCountries, "template.xlsx", &filled, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1 || len(res.Report) != 0 {
		t.Fatalf("created %d, report %+v", res.Created, res.Report)
	}
	st := res.Items[0]
	if st.Subtype != "community group" || st.ECOSOCStatus != "special" || !st.HubConsent || st.Language != "fr" || len(st.Themes) != 2 || st.Notes == "" {
		t.Errorf("imported %+v", st)
	}
}
