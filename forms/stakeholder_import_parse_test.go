package forms

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestImportHeaders(t *testing.T) {
	cases := map[string]string{
		"Organization": "organization", "organisation": "organization", " ORGANISATION NAME ": "organization",
		"Type": "type", "Organization_Type": "type", "Subtype": "subtype", "sub-type": "subtype",
		"Country": "country", "Country (ISO3)": "country", "country*": "country",
		"Email": "email", "E-mail": "email", "e_mail": "email", "EMAIL ADDRESS": "email",
		"Contact name": "contact_name", "contact_name": "contact_name", "ContactName": "contact_name",
		"Themes": "themes", "Thematic areas": "themes", "ECOSOC status": "ecosoc_status", "ecosoc_status": "ecosoc_status",
		"Hub consent": "hub_consent", "HUB_CONSENT": "hub_consent", "Language": "language", "Preferred language": "language",
		"Notes": "notes", "Phone": "", "Name": "", "": "",
	}
	for header, want := range cases {
		got := ""
		if col := columnByHeader(header); col != nil {
			got = col.field
		}
		if got != want {
			t.Errorf("header %q feeds %q, want %q", header, got, want)
		}
	}
}

func TestImportCSVRows(t *testing.T) {
	csv := "\xEF\xBB\xBFOrganisation;Type;Country;Notes\r\n" +
		"A;ngo;KEN;one\r\n" +
		"\r\n" +
		";;;\r\n" +
		"B;ngo;KEN;\"two\r\nlines\"\r\n" +
		"C;ngo;KEN;\"a; b\"\r\n"
	sh, err := parseStakeholderFile(t.Context(), "list.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	var notes []string
	for _, rec := range sh.rows {
		rows = append(rows, rec.row)
		notes = append(notes, sh.input(rec).in.Notes)
	}
	if want := []int{2, 5, 6}; !slices.Equal(rows, want) {
		t.Errorf("rows %v, want %v (as a spreadsheet numbers them)", rows, want)
	}
	if want := []string{"one", "two\nlines", "a; b"}; !slices.Equal(notes, want) {
		t.Errorf("notes %q, want %q", notes, want)
	}
}

func TestImportFileProblems(t *testing.T) {
	header := "Organization,Type,Country\n"
	cases := []struct {
		name, filename string
		data           []byte
		want           string
	}{
		{"empty", "a.csv", []byte(" \n"), "empty"},
		{"old xls", "a.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, "old-style .xls"},
		{"text named xlsx", "a.xlsx", []byte(header), "not an Excel workbook"},
		{"broken zip", "a.xlsx", []byte("PK\x03\x04garbage"), "cannot be read"},
		{"utf-16", "a.csv", []byte{0xFF, 0xFE, 'O', 0}, "UTF-16"},
		{"latin-1", "a.csv", []byte("Organization,Type,Country\nCaf\xe9,ngo,KEN\n"), "UTF-8"},
		{"no required column", "a.csv", []byte("Organization,Email\nA,a@example.org\n"), "no column Type, Country"},
		{"a column twice", "a.csv", []byte("Organization,Organisation,Type,Country\n"), "both hold Organization"},
		{"too many rows", "a.csv", []byte(header + strings.Repeat("A,ngo,KEN\n", MaxImportRows+1)), fmt.Sprintf("more than %d rows", MaxImportRows)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseStakeholderFile(t.Context(), tc.filename, tc.data)
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Path != "/file" {
				t.Fatalf("err %v, want one problem at /file", err)
			}
			if !strings.Contains(ve.Fields[0].Message, tc.want) {
				t.Errorf("problem %q, want it to say %q", ve.Fields[0].Message, tc.want)
			}
		})
	}
	// An unterminated quote swallows the rest of the file into one cell,
	// which then fails as a row, not as the file.
	sh, err := parseStakeholderFile(t.Context(), "a.csv", []byte(header+"A,ngo,KEN\n\"B,ngo,KEN\nC,ngo,KEN\n"))
	if err != nil || len(sh.rows) != 2 || sh.rows[1].row != 3 || sh.input(sh.rows[1]).in.Type != "" {
		t.Errorf("unterminated quote: %v, %v", sh, err)
	}
	// Exactly the limit is accepted.
	sh, err = parseStakeholderFile(t.Context(), "a.csv", []byte(header+strings.Repeat("A,ngo,KEN\n", MaxImportRows)))
	if err != nil || len(sh.rows) != MaxImportRows {
		t.Errorf("%d rows: %v", MaxImportRows, err)
	}
}

func TestImportCells(t *testing.T) {
	sh, err := parseStakeholderFile(t.Context(), "a.csv", []byte("Organization,Type,Country,Themes,ECOSOC status,Hub consent,Language,Fax\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.report) != 1 || sh.report[0].Column != "Fax" || sh.report[0].Row != 1 {
		t.Errorf("report %+v, want the unknown column Fax noted", sh.report)
	}
	cases := []struct {
		cells    []string
		want     StakeholderInput
		problems int
	}{
		{[]string{"A", "NGO", "KEN", "TIP, som;FA  XC.GENDER", "", "x", ""},
			StakeholderInput{Organization: "A", Type: "ngo", Country: "KEN", Themes: []string{"TIP", "som", "FA", "XC.GENDER"}, ECOSOCStatus: "none", HubConsent: true}, 0},
		{[]string{"A", "Private sector", "KEN", "", "General consultative status", "Yes", "Français"},
			StakeholderInput{Organization: "A", Type: "private_sector", Country: "KEN", ECOSOCStatus: "general", HubConsent: true, Language: "fr"}, 0},
		{[]string{"A", "CSO", "Kenya", "", "Special", "0", "es"},
			StakeholderInput{Organization: "A", Type: "ngo", Country: "Kenya", ECOSOCStatus: "special", Language: "es"}, 0},
		{[]string{"A", "think tank", "KEN", "", "none", "maybe", "German"},
			StakeholderInput{Organization: "A", Type: "think_tank", Country: "KEN", ECOSOCStatus: "none", Language: "german"}, 1},
		{[]string{strings.Repeat("é", maxCellLength+1), "ngo", "KEN"},
			StakeholderInput{Type: "ngo", Country: "KEN"}, 1},
	}
	for _, tc := range cases {
		r := sh.input(importRecord{row: 2, cells: tc.cells})
		got := r.in
		if got.Organization != tc.want.Organization || got.Type != tc.want.Type || got.Country != tc.want.Country ||
			!slices.Equal(got.Themes, tc.want.Themes) || got.ECOSOCStatus != tc.want.ECOSOCStatus ||
			got.HubConsent != tc.want.HubConsent || got.Language != tc.want.Language || len(r.problems) != tc.problems {
			t.Errorf("%q read as %+v with %v, want %+v with %d problem(s)", tc.cells, got, r.problems, tc.want, tc.problems)
		}
	}
}

// FuzzImportStakeholdersCSV feeds arbitrary bytes to the import parser: it
// must never panic, must refuse a file only with a located /file problem,
// and what it reads must respect its bounds and number rows as a
// spreadsheet would.
func FuzzImportStakeholdersCSV(f *testing.F) {
	f.Add([]byte("Organization,Type,Country,Email,Themes,Hub consent\nHaki,ngo,KEN,a@b.org,TIP;SOM,yes\n"))
	f.Add([]byte("\xEF\xBB\xBForganisation;type;country\n\"A;B\";ngo;Kenya\n\n;;\n\"multi\nline\";academia;MEX\n"))
	f.Add([]byte("Organization\tType\tCountry\tLanguage\nA\tCSO\tKEN\tFrançais\n"))
	f.Add([]byte("Type,Country\n"))
	f.Add([]byte("Organization,Type,Country\n\"unterminated,ngo,KEN\n"))
	f.Add([]byte("Organization,Organization\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := parseStakeholderFile(t.Context(), "fuzz.csv", data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Path != "/file" {
				t.Fatalf("refused with %v, want one problem at /file", err)
			}
			return
		}
		if len(sh.rows) > MaxImportRows {
			t.Fatalf("%d rows read, the bound is %d", len(sh.rows), MaxImportRows)
		}
		last := sh.headerRow
		for _, rec := range sh.rows {
			if rec.row <= last {
				t.Fatalf("row %d after row %d", rec.row, last)
			}
			last = rec.row
			r := sh.input(rec)
			for _, p := range append(sh.report, r.problems...) {
				if p.Row < 1 || p.Column == "" || p.Problem == "" {
					t.Fatalf("problem without a place: %+v", p)
				}
			}
			for _, s := range []string{r.in.Organization, r.in.Notes, r.in.Email, r.in.Country} {
				if utf8.RuneCountInString(s) > maxCellLength {
					t.Fatalf("a cell of %d characters was kept", utf8.RuneCountInString(s))
				}
			}
		}
		if bytes.Count(data, []byte("\n"))+1 < last {
			t.Fatalf("row %d past the file's %d lines", last, bytes.Count(data, []byte("\n"))+1)
		}
	})
}
