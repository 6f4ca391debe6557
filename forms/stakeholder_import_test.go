package forms_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// buildXLSX makes a workbook whose first sheet holds rows, each placed on
// the row number given by its key, so that tests can leave gaps.
func buildXLSX(t *testing.T, rows map[int][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for n, cells := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", n), &cells); err != nil {
			t.Fatal(err)
		}
	}
	// A second sheet must be ignored.
	if _, err := f.NewSheet("Notes"); err != nil {
		t.Fatal(err)
	}
	_ = f.SetCellValue("Notes", "A1", "Organization")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// report lists an import's report as "row/column" strings.
func report(res *forms.ImportResult) []string {
	var out []string
	for _, p := range res.Report {
		out = append(out, fmt.Sprintf("%d/%s", p.Row, p.Column))
	}
	return out
}

func organizations(items []forms.Stakeholder) []string {
	var out []string
	for _, st := range items {
		out = append(out, st.Organization)
	}
	return out
}

func TestImportStakeholdersCSV(t *testing.T) {
	s := newStakeholderStore(t)
	ctx := context.Background()
	mustCreate(t, s, forms.AllCountries, validStakeholder()) // Haki Africa, info@haki.example, KEN
	csv := strings.Join([]string{
		"Organisation,TYPE,country,E-mail,Contact_Name,Themes,ECOSOC status,Hub consent,Language,Fax",
		"Kituo cha Sheria,NGO,KEN,legal@kituo.example,Jane Doe,TIP; XC.GENDER,special,yes,English,123", // 2 created
		"Bad Email Org,ngo,KEN,not-an-email,,,,,,",                                                     // 3 Email
		"Causa en Común,CSO,Mexico,contacto@causa.example,,SOM,,x,es,",                                 // 4 created (country name)
		"Think Tank,think tank,KEN,,,,,,,",                                                             // 5 Type
		"Other Org,ngo,KEN,LEGAL@kituo.example,,,,,,",                                                  // 6 duplicate of row 2 (email)
		",,,,,,,,,", // 7 blank
		"HAKI  AFRICA,ngo,KEN,new@haki.example,,,,,,",        // 8 duplicate of the registry
		"Unknown Theme,ngo,KEN,,,TIP NOPE,,maybe,,",          // 9 Themes and Hub consent
		"Nowhere Org,ngo,Atlantis,,,,,,,",                    // 10 Country
		"Kituo cha Sheria,ngo,TZA,legal@kituo.example,,,,,,", // 11 created: other country
	}, "\n")
	res, err := s.ImportStakeholders(ctx, forms.AllCountries, "mapping.csv", strings.NewReader(csv), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || res.Skipped != 4 || res.Duplicates != 2 {
		t.Errorf("created %d, skipped %d, duplicates %d; want 3, 4, 2", res.Created, res.Skipped, res.Duplicates)
	}
	wantReport := []string{"1/Fax", "3/E-mail", "5/TYPE", "6/E-mail", "8/Organisation", "9/Hub consent", "9/Themes", "10/country"}
	got := report(res)
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(wantReport))) {
		t.Errorf("report %v, want %v\n%+v", got, wantReport, res.Report)
	}
	if want := []string{"Kituo cha Sheria", "Causa en Común", "Kituo cha Sheria"}; !slices.Equal(organizations(res.Items), want) {
		t.Errorf("created %q, want %q", organizations(res.Items), want)
	}
	first := res.Items[0]
	if first.ID == 0 || first.Type != "ngo" || first.ECOSOCStatus != "special" || !first.HubConsent ||
		first.Language != "en" || !slices.Equal(first.Themes, []string{"TIP", "XC.GENDER"}) || first.ContactName != "Jane Doe" {
		t.Errorf("row 2 stored as %+v", first)
	}
	if res.Items[1].Country != "MEX" || res.Items[1].Language != "es" {
		t.Errorf("row 4 stored as %+v, want country MEX from its name", res.Items[1])
	}
	for _, p := range res.Report {
		if p.Row == 8 && !strings.Contains(p.Problem, "stakeholder 1 ") {
			t.Errorf("row 8 problem %q does not name the registered stakeholder", p.Problem)
		}
		if p.Row == 6 && !strings.Contains(p.Problem, "row 2") {
			t.Errorf("row 6 problem %q does not name row 2", p.Problem)
		}
	}
	page, err := s.Stakeholders(ctx, forms.AllCountries, forms.StakeholderFilter{})
	if err != nil || page.Total != 4 {
		t.Errorf("registry holds %d stakeholders (%v), want 4", page.Total, err)
	}
	// Importing the same file again creates nothing: every good row is now
	// a duplicate of the registry.
	again, err := s.ImportStakeholders(ctx, forms.AllCountries, "mapping.csv", strings.NewReader(csv), nil)
	if err != nil || again.Created != 0 || again.Duplicates != 5 || again.Skipped != 4 {
		t.Errorf("second import: %+v, %v", again, err)
	}
}

func TestImportStakeholdersXLSXFocalPoint(t *testing.T) {
	s := newStakeholderStore(t)
	by := uint(3)
	data := buildXLSX(t, map[int][]any{
		1: {"Organization", "Type", "Country", "Email", "Themes", "Hub consent", "Subtype"},
		2: {"Haki Africa", "ngo", "KEN", "info@haki.example", "TIP", true, "victim-led"},
		3: {"Causa en Común", "ngo", "MEX", "contacto@causa.example", "SOM", false, ""},
		// row 4 left empty
		5: {"University of Nairobi", "Academia", "Kenya", "", "UNTOC.ART5", "1", ""},
		6: {"No Type", "", "KEN", "", "", "", ""},
	})
	res, err := s.ImportStakeholders(context.Background(), scopeKEN, "mapping.xlsx", bytes.NewReader(data), &by)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Skipped != 2 || res.Duplicates != 0 {
		t.Errorf("created %d, skipped %d, duplicates %d; want 2, 2, 0", res.Created, res.Skipped, res.Duplicates)
	}
	if want := []string{"3/Country", "6/Type"}; !slices.Equal(report(res), want) {
		t.Errorf("report %v, want %v\n%+v", report(res), want, res.Report)
	}
	if want := []string{"Haki Africa", "University of Nairobi"}; !slices.Equal(organizations(res.Items), want) {
		t.Errorf("created %q, want %q", organizations(res.Items), want)
	}
	if st := res.Items[0]; !st.HubConsent || st.Subtype != "victim-led" || st.CreatedBy == nil || *st.CreatedBy != by {
		t.Errorf("row 2 stored as %+v", st)
	}
	if st := res.Items[1]; st.Type != "academia" || !st.HubConsent || st.Country != "KEN" {
		t.Errorf("row 5 stored as %+v", st)
	}
	page, err := s.Stakeholders(context.Background(), forms.AllCountries, forms.StakeholderFilter{Country: "MEX"})
	if err != nil || page.Total != 0 {
		t.Errorf("the focal point's import reached MEX: %+v, %v", page, err)
	}
}

func TestImportStakeholdersRefusesFile(t *testing.T) {
	s := newStakeholderStore(t)
	cases := []struct {
		name, filename string
		data           []byte
	}{
		{"no country column", "a.csv", []byte("Organization,Type\nA,ngo\n")},
		{"not a workbook", "a.xlsx", []byte("Organization,Type,Country\n")},
		{"too large", "a.csv", bytes.Repeat([]byte("x"), forms.MaxImportBytes+1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.ImportStakeholders(context.Background(), forms.AllCountries, tc.filename, bytes.NewReader(tc.data), nil)
			var ve *forms.ValidationError
			if !errors.As(err, &ve) || ve.Fields[0].Path != "/file" {
				t.Errorf("got %+v, %v; want a problem at /file", res, err)
			}
		})
	}
}

func TestImportStakeholdersAllBad(t *testing.T) {
	s := newStakeholderStore(t)
	res, err := s.ImportStakeholders(context.Background(), scopeMEX, "a.csv",
		strings.NewReader("Organization,Type,Country\nA,ngo,KEN\nB,ngo,KEN\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Skipped != 2 || len(res.Items) != 0 || res.Items == nil {
		t.Errorf("got %+v, want two skipped rows and an empty item list", res)
	}
}

// TestImportDocExample keeps the example of docs/stakeholders.md true.
func TestImportDocExample(t *testing.T) {
	s := newStakeholderStore(t)
	csv := "Organisation,Type,Country,E-mail,Themes,ECOSOC status,Hub consent\n" +
		"Haki Africa,NGO,KEN,info@haki.example,TIP; XC.GENDER,special,yes\n" +
		"University of Nairobi,academia,Kenya,,UNTOC.C1,,no\n" +
		"Causa en Común,CSO,MEX,contacto@causa.example,SOM,,x\n" +
		"Example Ltd,think tank,KEN,,,,\n" +
		"Haki Africa Trust,ngo,KEN,INFO@haki.example,,,\n"
	res, err := s.ImportStakeholders(context.Background(), scopeKEN, "mapping.csv", strings.NewReader(csv), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []forms.ImportProblem{
		{Row: 4, Column: "Country", Problem: "MEX is not one of your countries (KEN)"},
		{Row: 5, Column: "Type", Problem: `"think tank": must be one of: ngo, academia, private_sector, government, intergovernmental, other`},
		{Row: 6, Column: "E-mail", Problem: "duplicate: row 2 has the same email in KEN; row not imported"},
	}
	if res.Created != 2 || res.Skipped != 2 || res.Duplicates != 1 || !slices.Equal(res.Report, want) {
		t.Errorf("got %+v", res)
	}
}
