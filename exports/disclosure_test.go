package exports

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// TestWorkbookByRoleAndMode builds the consultation workbook for every role
// in every anonymity mode and checks what docs/protection.md promises: a
// Responses sheet only for those who may read responses row by row, the
// respondents named only for those who may see who said what, and in an
// anonymous consultation rows with neither id nor time of day nor
// language.
func TestWorkbookByRoleAndMode(t *testing.T) {
	fx := newFixture(t)
	scopes := map[string]forms.Scope{forms.RoleAdmin: forms.AllCountries, forms.RoleAnalyst: forms.AllCountries,
		forms.RoleFocalPoint: {Countries: []string{"KEN"}}}
	cases := []struct {
		mode, role  string
		rows, named bool
	}{
		{forms.AnonymityNamed, forms.RoleAdmin, true, true},
		{forms.AnonymityNamed, forms.RoleAnalyst, true, true},
		{forms.AnonymityNamed, forms.RoleFocalPoint, true, true},
		{forms.AnonymityConfidential, forms.RoleAdmin, true, true},
		{forms.AnonymityConfidential, forms.RoleAnalyst, false, false},
		{forms.AnonymityConfidential, forms.RoleFocalPoint, false, false},
		{forms.AnonymityAnonymous, forms.RoleAdmin, true, false},
		{forms.AnonymityAnonymous, forms.RoleAnalyst, false, false},
		{forms.AnonymityAnonymous, forms.RoleFocalPoint, false, false},
	}
	ids := map[string]uint{}
	for _, c := range cases {
		if ids[c.mode] == 0 {
			ids[c.mode] = fx.consultation("KEN", c.mode, 6, 0)
		}
		t.Run(c.mode+"_"+c.role, func(t *testing.T) {
			f := fx.build(ConsultationRequest{ConsultationID: ids[c.mode], Scope: scopes[c.role], Role: c.role})
			if has := slices.Contains(f.GetSheetList(), "Responses"); has != c.rows {
				t.Fatalf("Responses sheet %v, want %v (sheets %v)", has, c.rows, f.GetSheetList())
			}
			if c.rows {
				rows := rowsOf(t, f, "Responses")
				named := slices.Contains(rows[1], "organization") || slices.Contains(rows[1], "email")
				if named != c.named {
					t.Errorf("identity columns %v, want %v", named, c.named)
				}
				if c.mode == forms.AnonymityAnonymous {
					for _, col := range []string{"response_id", "submitted_at", "language"} {
						if slices.Contains(rows[1], col) {
							t.Errorf("an anonymous consultation's rows have a %s column: %v", col, rows[1])
						}
					}
					for _, r := range rows[2:] {
						if len(r[0]) != len("2006-01-02") {
							t.Errorf("submitted on %q: finer than the day", r[0])
						}
					}
				}
			}
			for _, sheet := range f.GetSheetList() {
				for _, r := range rowsOf(t, f, sheet) {
					for _, v := range r {
						if !c.named && (strings.Contains(v, "@example.org") || strings.HasPrefix(v, "Contact ") || strings.HasPrefix(v, "Org ngo")) {
							t.Errorf("%s shows %q", sheet, v)
						}
					}
				}
			}
		})
	}
}

func TestSmallGroupsSuppressedForFocalPoints(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 6, 2) // 2 academics: below 5
	admin := fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Role: forms.RoleAdmin})
	focal := fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.Scope{Countries: []string{"KEN"}}, Role: forms.RoleFocalPoint})
	rows := rowsOf(t, admin, "Responses")
	col := slices.Index(rows[1], "stakeholder_type")
	var types []string
	for _, r := range rows[2:] {
		types = append(types, r[col])
	}
	if !slices.Contains(types, "academia") {
		t.Errorf("admin sees types %v", types)
	}
	// The focal point's open answers carry no academic's type; the admin's do.
	for _, r := range rowsOf(t, focal, "Open answers")[1:] {
		if len(r) > 4 && r[4] == "academia" {
			t.Errorf("focal point sees an academic's text with its type: %v", r)
		}
	}
	found := false
	for _, r := range rowsOf(t, admin, "Open answers")[1:] {
		if len(r) > 4 && r[4] == "academia" {
			found = true
		}
	}
	if !found {
		t.Error("admin does not see the academics' texts with their type")
	}
	// The response rates of the Overview withhold the academics too.
	for _, r := range rowsOf(t, focal, "Overview") {
		if len(r) > 0 && r[0] == "academia" && (len(r) < 2 || !strings.Contains(strings.Join(r[1:], " "), "Suppressed")) {
			t.Errorf("focal point's rates for academia: %v", r)
		}
	}
	// An anonymous consultation: the admin's rows hide a small group's type.
	anon := fx.consultation("KEN", forms.AnonymityAnonymous, 6, 2)
	f := fx.build(ConsultationRequest{ConsultationID: anon, Scope: forms.AllCountries, Role: forms.RoleAdmin})
	rows = rowsOf(t, f, "Responses")
	col = slices.Index(rows[1], "stakeholder_type")
	for _, r := range rows[2:] {
		if r[col] == "academia" {
			t.Errorf("an anonymous consultation's rows show a small group's type: %v", r)
		}
	}
}

func TestResponsesContinueOnAnotherSheet(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 6, 5)
	f := fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Role: forms.RoleAdmin, RowLimit: 6})
	want := []string{"Responses", "Responses (2)", "Responses (3)"}
	var seen []uint
	for _, s := range want {
		rows := rowsOf(t, f, s)
		if len(rows) > 6 || rows[1][0] != "response_id" {
			t.Errorf("%s: %d rows, header %v", s, len(rows), rows[1][:2])
		}
		panes, _ := f.GetPanes(s)
		if !panes.Freeze || panes.YSplit != 2 {
			t.Errorf("%s panes = %+v", s, panes)
		}
		for _, r := range rows[2:] {
			seen = append(seen, uint(len(seen)))
			_ = r
		}
	}
	if len(seen) != 11 {
		t.Errorf("%d data rows over %v, want 11", len(seen), want)
	}
	if got := f.GetSheetList(); got[len(got)-1] != "Codebook" || !slices.Contains(got, "Responses (3)") {
		t.Errorf("sheets = %v", got)
	}
}

func TestComparisonWorkbook(t *testing.T) {
	fx := newFixture(t)
	fx.consultation("KEN", forms.AnonymityConfidential, 6, 5)
	fx.consultation("MEX", forms.AnonymityConfidential, 7, 0)
	var buf bytes.Buffer
	err := BuildComparison(context.Background(), fx.an, ComparisonRequest{Questionnaire: "pilot-issues", Scope: forms.AllCountries, Role: forms.RoleAdmin}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) < 2 || sheets[0] != "Overview" {
		t.Fatalf("sheets = %v", sheets)
	}
	rows := rowsOf(t, f, sheets[1])
	header := strings.Join(rows[0], "|")
	for _, want := range []string{"(KEN)", "(MEX)", "subtotal"} {
		if !strings.Contains(header, want) {
			t.Errorf("header %q lacks %q", header, want)
		}
	}
	if len(rows) < 2 {
		t.Errorf("%s has no rows", sheets[1])
	}
	if countCharts(f) == 0 {
		t.Error("no chart")
	}
	if panes, _ := f.GetPanes(sheets[1]); !panes.Freeze {
		t.Errorf("panes = %+v", panes)
	}
	ov := rowsOf(t, f, "Overview")
	n := 0
	for _, r := range ov {
		if len(r) > 3 && (r[1] == "KEN" && r[3] == "11" || r[1] == "MEX" && r[3] == "7") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("overview respondents per country wrong: %v", ov)
	}
}
