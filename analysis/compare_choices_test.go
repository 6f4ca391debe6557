package analysis_test

import (
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// TestChoicesWithholdSmallCountries checks that the comparison's picker
// does not tell that a country answered when its submissions are fewer
// than the minimum group, except to those who see small groups.
func TestChoicesWithholdSmallCountries(t *testing.T) {
	e := comparisonFixture(t) // NGA: 2 confidential submissions, KEN's second consultation 2
	anon := e.consult(e.publish(&forms.Definition{
		Code: "anon", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"}, Title: text("Anonymous"),
		Sections: []forms.Section{{Code: "s", Title: text("S"), Questions: []forms.Question{
			{Code: "q_a", Type: forms.TypeSingleChoice, Label: text("Implemented?"), Options: options("yes", "no")},
		}}},
	}), "NGA", forms.AnonymityAnonymous, 3)
	for range 2 {
		e.respond(anon, "ngo", forms.Answers{"q_a": "yes"})
	}
	focalNGA := forms.Scope{Countries: []string{"NGA"}}
	focal := analysis.Viewer{Role: forms.RoleFocalPoint}
	cases := []struct {
		name           string
		scope          forms.Scope
		viewer         analysis.Viewer
		code           string
		questionnaires []string
		countries      []string
	}{
		{"analyst", forms.AllCountries, analyst, "cmp", []string{"cmp"}, []string{"KEN", "MEX", "USA"}},
		// Countries come in the comparison's order: by regional group.
		{"admin, confidential", forms.AllCountries, admin, "cmp", []string{"cmp"}, []string{"KEN", "NGA", "MEX", "USA"}},
		{"admin, anonymous", forms.AllCountries, admin, "anon", []string{"cmp"}, []string{}},
		{"Nigeria's focal point", focalNGA, focal, "cmp", []string{}, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := e.an.Choices(e.ctx, tc.scope, tc.viewer, tc.code, "en")
			if err != nil {
				t.Fatal(err)
			}
			qs := []string{}
			for _, q := range ch.Questionnaires {
				qs = append(qs, q.Code)
			}
			cs := []string{}
			for _, c := range ch.Countries {
				cs = append(cs, c.ISO3)
			}
			if !equal(qs, tc.questionnaires) || !equal(cs, tc.countries) {
				t.Errorf("questionnaires %v, countries %v; want %v, %v", qs, cs, tc.questionnaires, tc.countries)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
