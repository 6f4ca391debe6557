package analysis_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// twoVersions publishes two versions of one questionnaire: the second adds
// an option to q_a and a new question, q_new.
func twoVersions(e *env) (v1, v2 uint) {
	def := &forms.Definition{
		Code: "cmp", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"}, Title: text("Comparison"),
		Sections: []forms.Section{{Code: "s", Title: text("S"), Questions: []forms.Question{
			{Code: "q_a", Type: forms.TypeSingleChoice, Label: text("Implemented?"), Themes: []string{"UNTOC.ART5"}, Options: options("yes", "no")},
			{Code: "q_n", Type: forms.TypeInteger, Label: text("Cases"), Themes: []string{"UNTOC"}},
		}}},
	}
	v1 = e.publish(def)
	def.Sections[0].Questions[0].Options = options("yes", "no", "partly")
	def.Sections[0].Questions = append(def.Sections[0].Questions, forms.Question{
		Code: "q_new", Type: forms.TypeScale, Label: text("New"), Themes: []string{"XC.GENDER"},
		Scale: []forms.ScalePoint{{Value: 1, Label: text("Low")}, {Value: 3, Label: text("High")}},
	})
	v2 = e.publish(def)
	return v1, v2
}

func comparisonFixture(t *testing.T) *env {
	e := newEnv(t)
	v1, v2 := twoVersions(e)
	ken := e.consult(v1, "KEN", forms.AnonymityConfidential, 5)
	for i, a := range []string{"yes", "yes", "yes", "yes", "no", "no"} {
		e.respond(ken, "ngo", forms.Answers{"q_a": a, "q_n": float64(i + 1)})
	}
	kenSmall := e.consult(v2, "KEN", forms.AnonymityConfidential, 5)
	for range 2 {
		e.respond(kenSmall, "ngo", forms.Answers{"q_a": "partly", "q_n": 100.0, "q_new": 1.0})
	}
	mex := e.consult(v2, "MEX", forms.AnonymityConfidential, 5)
	for range 6 {
		e.respond(mex, "academia", forms.Answers{"q_a": "partly", "q_new": 3.0})
	}
	nga := e.consult(v1, "NGA", forms.AnonymityConfidential, 5)
	for range 2 {
		e.respond(nga, "ngo", forms.Answers{"q_a": "no", "q_n": 50.0})
	}
	usa := e.consult(v2, "USA", forms.AnonymityConfidential, 5)
	for range 5 {
		e.respond(usa, "private_sector", forms.Answers{"q_a": "yes"})
	}
	return e
}

func TestCompareAcrossVersions(t *testing.T) {
	e := comparisonFixture(t)
	cmp, err := e.an.Compare(e.ctx, forms.AllCountries, analyst, "cmp", analysis.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cmp.Questionnaire.Versions, []int{1, 2}) || len(cmp.Questions) != 3 {
		t.Fatalf("questionnaire %+v, %d questions", cmp.Questionnaire, len(cmp.Questions))
	}
	wantCountries := `[{"iso3":"KEN","name":"Kenya","regional_group":"AFRICAN","respondents":6,"consultations":2},` +
		`{"iso3":"NGA","name":"Nigeria","regional_group":"AFRICAN","consultations":1,"suppressed":true,"suppressed_by":"small_group"},` +
		`{"iso3":"MEX","name":"Mexico","regional_group":"GRULAC","respondents":6,"consultations":1},` +
		`{"iso3":"USA","name":"United States","regional_group":"none","respondents":5,"consultations":1}]`
	if got := mustJSON(cmp.Countries); got != wantCountries {
		t.Errorf("countries\n%s\nwant\n%s", got, wantCountries)
	}
	if r := cmp.RegionalGroups; len(r) != 3 || r[0].Code != "AFRICAN" || !slices.Equal(r[0].Countries, []string{"KEN"}) || r[0].Respondents != 6 {
		t.Errorf("regional groups %+v", r)
	}
	qa, qn, qnew := cmp.Questions[0], cmp.Questions[1], cmp.Questions[2]
	if got := optionCounts(qa.ByCountry["KEN"]); !slices.Equal(got, []int{4, 2, 0}) {
		t.Errorf("KEN q_a %v (the small v2 consultation must be left out)", got)
	}
	if got := optionCounts(qa.ByCountry["MEX"]); !slices.Equal(got, []int{0, 0, 6}) {
		t.Errorf("MEX q_a %v", got)
	}
	if mustJSON(qa.ByCountry["NGA"]) != `{"suppressed":true,"suppressed_by":"small_group"}` || mustJSON(qa.ByRegionalGroup["AFRICAN"].Options) != mustJSON(qa.ByCountry["KEN"].Options) {
		t.Errorf("NGA %s, AFRICAN %s", mustJSON(qa.ByCountry["NGA"]), mustJSON(qa.ByRegionalGroup["AFRICAN"]))
	}
	if ken, afg := qn.ByCountry["KEN"].Number, qn.ByRegionalGroup["AFRICAN"].Number; ken.Median != 3.5 || afg.Median != 3.5 || afg.Max != 6 {
		t.Errorf("q_n KEN %+v AFRICAN %+v", ken, afg)
	}
	if k := qnew.ByCountry["KEN"]; k.Respondents != 0 || !slices.Equal(qnew.Versions, []int{2}) || qnew.ByCountry["MEX"].Scale.Mean == nil {
		t.Errorf("q_new: KEN %+v versions %v", k, qnew.Versions)
	}

	cmp, err = e.an.Compare(e.ctx, forms.AllCountries, admin, "cmp", analysis.CompareOptions{Countries: []string{"KEN", "NGA"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Countries) != 2 || cmp.Countries[0].Respondents != 8 || cmp.Countries[1].Suppressed {
		t.Errorf("admin countries %+v", cmp.Countries)
	}
	if n := cmp.Questions[1].ByRegionalGroup["AFRICAN"].Number; n.Count != 10 || n.Max != 100 {
		t.Errorf("admin AFRICAN q_n %+v", n)
	}
	if k := cmp.Questions[2].ByCountry["KEN"]; k.Respondents != 2 || k.Answered != 2 {
		t.Errorf("admin KEN q_new %+v", k)
	}
}

func TestCompareScope(t *testing.T) {
	e := comparisonFixture(t)
	kenya := forms.Scope{Countries: []string{"KEN"}}
	_, err := e.an.Compare(e.ctx, kenya, analyst, "cmp", analysis.CompareOptions{Countries: []string{"KEN", "MEX"}})
	var se *analysis.ScopeError
	if !errors.As(err, &se) || se.Country != "MEX" || !errors.Is(err, forms.ErrForbidden) {
		t.Errorf("another country: %v", err)
	}
	cmp, err := e.an.Compare(e.ctx, kenya, analyst, "cmp", analysis.CompareOptions{})
	if err != nil || len(cmp.Countries) != 1 || cmp.Countries[0].ISO3 != "KEN" {
		t.Errorf("own countries: %v %+v", err, cmp)
	}
	if _, err := e.an.Compare(e.ctx, forms.AllCountries, admin, "nope", analysis.CompareOptions{}); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("unknown questionnaire: %v", err)
	}
	var ve *forms.ValidationError
	if _, err := e.an.Compare(e.ctx, forms.AllCountries, admin, "cmp", analysis.CompareOptions{Countries: []string{"ke"}}); !errors.As(err, &ve) {
		t.Errorf("bad country code: %v", err)
	}
	cmp, err = e.an.Compare(e.ctx, forms.Scope{}, analyst, "cmp", analysis.CompareOptions{})
	if err != nil || len(cmp.Countries) != 0 || len(cmp.Questions) != 0 {
		t.Errorf("empty scope: %v %+v", err, cmp)
	}
}

func optionCounts(f *analysis.Figures) []int {
	var out []int
	for _, o := range f.Options {
		out = append(out, o.Count)
	}
	return out
}

// TestCompareAnonymousForAdmins suppresses a small country for admins too
// when its consultation is anonymous, and the options that name a small
// stakeholder type in a country's figures.
func TestCompareAnonymousForAdmins(t *testing.T) {
	e := newEnv(t)
	def := testDefinition()
	def.Code = "anon-cmp"
	def.Sections[0].Questions = append(def.Sections[0].Questions, forms.Question{
		Code: "q_org", Type: forms.TypeSingleChoice, Label: text("Your organization is"), Options: options("ngo", "academia", "private_sector")})
	qid := e.publish(def)
	ken := e.consult(qid, "KEN", forms.AnonymityAnonymous, 5)
	for range 3 {
		e.respond(ken, "ngo", forms.Answers{"q_org": "ngo"})
	}
	mex := e.consult(qid, "MEX", forms.AnonymityConfidential, 5)
	for i := range 9 {
		org := "ngo"
		if i < 2 {
			org = "academia"
		}
		e.respond(mex, org, forms.Answers{"q_org": org})
	}
	cmp, err := e.an.Compare(e.ctx, forms.AllCountries, admin, "anon-cmp", analysis.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cmp.Countries {
		if c.ISO3 == "KEN" && !c.Suppressed {
			t.Errorf("an anonymous consultation of 3 shown to an admin: %+v", c)
		}
	}
	var org *analysis.QuestionComparison
	for _, q := range cmp.Questions {
		if q.Code == "q_org" {
			org = q
		}
	}
	if m := org.ByCountry["MEX"]; m.Suppressed || m.Options[1].Suppressed {
		t.Errorf("the admin of a confidential consultation sees every option: %s", mustJSON(m))
	}
	cmp, err = e.an.Compare(e.ctx, forms.AllCountries, analyst, "anon-cmp", analysis.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range cmp.Questions {
		if q.Code != "q_org" {
			continue
		}
		// 2 academics: withheld, and the 7 NGOs with them.
		if m := q.ByCountry["MEX"]; !m.Options[1].Suppressed || !m.Options[0].Suppressed || m.Options[1].Count != 0 {
			t.Errorf("an analyst sees the options naming small types: %s", mustJSON(m))
		}
	}
}
