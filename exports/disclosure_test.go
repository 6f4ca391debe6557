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

func TestIdentityColumnsOnlyForAdmins(t *testing.T) {
	fx := newFixture(t)
	focal := forms.Scope{Countries: []string{"KEN"}}
	cases := []struct {
		anonymity string
		admin     bool
		want      bool
	}{
		{forms.AnonymityNamed, true, true},
		{forms.AnonymityNamed, false, false},
		{forms.AnonymityConfidential, true, true},
		{forms.AnonymityConfidential, false, false},
		{forms.AnonymityAnonymous, true, false},
		{forms.AnonymityAnonymous, false, false},
	}
	ids := map[string]uint{}
	for _, c := range cases {
		if ids[c.anonymity] == 0 {
			ids[c.anonymity] = fx.consultation("KEN", c.anonymity, 5, 0)
		}
		t.Run(c.anonymity, func(t *testing.T) {
			scope := focal
			if c.admin {
				scope = forms.AllCountries
			}
			f := fx.build(ConsultationRequest{ConsultationID: ids[c.anonymity], Scope: scope, Admin: c.admin})
			rows := rowsOf(t, f, "Responses")
			has := slices.Contains(rows[1], "organization") || slices.Contains(rows[1], "email")
			if has != c.want {
				t.Errorf("admin=%v: identity columns = %v, want %v", c.admin, has, c.want)
			}
			for _, sheet := range f.GetSheetList() {
				for _, r := range rowsOf(t, f, sheet) {
					for _, v := range r {
						if !c.want && (strings.Contains(v, "@example.org") || strings.HasPrefix(v, "Contact ")) {
							t.Errorf("admin=%v: %s shows %q", c.admin, sheet, v)
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
	types := func(f *excelize.File) []string {
		rows := rowsOf(t, f, "Responses")
		col := slices.Index(rows[1], "stakeholder_type")
		var out []string
		for _, r := range rows[2:] {
			out = append(out, r[col])
		}
		return out
	}
	focal := fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.Scope{Countries: []string{"KEN"}}})
	admin := fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Admin: true})
	if got := types(focal); slices.Contains(got, "academia") || !slices.Contains(got, "(small group)") {
		t.Errorf("focal point sees types %v", got)
	}
	if got := types(admin); !slices.Contains(got, "academia") {
		t.Errorf("admin sees types %v", got)
	}
	// the open answers of the small group are withheld for the focal point
	for _, r := range rowsOf(t, focal, "Open answers")[1:] {
		if len(r) > 4 && r[4] == "academia" {
			t.Errorf("focal point sees an academic's text: %v", r)
		}
	}
	found := false
	for _, r := range rowsOf(t, admin, "Open answers")[1:] {
		if len(r) > 4 && r[4] == "academia" {
			found = true
		}
	}
	if !found {
		t.Error("admin does not see the academics' texts")
	}
	// a whole consultation below the minimum: figures withheld
	tiny := fx.consultation("KEN", forms.AnonymityConfidential, 2, 0)
	f := fx.build(ConsultationRequest{ConsultationID: tiny, Scope: forms.Scope{Countries: []string{"KEN"}}})
	rows := rowsOf(t, f, "Responses")
	if len(rows) != 3 || !strings.HasPrefix(rows[2][0], "Withheld") {
		t.Errorf("tiny consultation's responses for a focal point: %v", rows)
	}
}

func TestResponsesContinueOnAnotherSheet(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 6, 5)
	f := fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Admin: true, RowLimit: 6})
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
	err := BuildComparison(context.Background(), fx.an, ComparisonRequest{Questionnaire: "pilot-issues", Scope: forms.AllCountries, Admin: true}, &buf)
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
