package api

import (
	"context"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// demoAnswers answers the demo issue-identification survey at random.
func demoAnswers(rng *rand.Rand) forms.Answers {
	pick := func(codes ...string) string { return codes[rng.IntN(len(codes))] }
	some := func(codes ...string) []any {
		out := []any{codes[rng.IntN(len(codes))]}
		for _, c := range codes {
			if rng.IntN(3) == 0 && c != out[0] {
				out = append(out, c)
			}
		}
		return out
	}
	rank := []any{}
	for _, i := range rng.Perm(8)[:1+rng.IntN(3)] {
		rank = append(rank, []string{"tip", "som", "firearms", "money_laundering", "corruption", "cybercrime", "environment", "oc_groups"}[i])
	}
	a := forms.Answers{
		"q_org_type": pick("ngo", "academia", "private_sector"), "q_areas": some("untoc", "tip", "som", "fa"),
		"q_priorities": rank, "q_coop": float64([]int{1, 2, 3, 4, 5, 9}[rng.IntN(6)]),
	}
	if rng.IntN(2) == 0 {
		a["q_years"] = float64(rng.IntN(30))
		a["q_priorities_why"] = "The cases we work on."
		a["q_crosscutting"] = some("gender", "human_rights", "victims")
	}
	if c := a["q_coop"].(float64); c <= 2 && rng.IntN(2) == 0 {
		a["q_coop_obstacles"] = "No answer to our letters."
	}
	return a
}

// demoConsultation deploys the demo in a country and submits responses
// from stakeholders of the given types.
func (e *testEnv) demoConsultation(qid uint, country string, types map[string]int) uint {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.srv.forms.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{QuestionnaireID: qid, Country: country, Title: "Pilot"}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(c.ID), 3))
	n := 0
	for _, typ := range forms.StakeholderTypes {
		for range types[typ] {
			n++
			id := e.stakeholder(pathf("%s organization %d", typ, n), typ, country)
			links, _, err := e.srv.forms.CreateInvitations(ctx, forms.AllCountries, c.ID, []uint{id}, nil, nil)
			if err != nil {
				e.t.Fatal(err)
			}
			sess, err := e.srv.forms.ResolveLink(ctx, links[0].Token)
			if err != nil {
				e.t.Fatal(err)
			}
			if _, err := e.srv.forms.Submit(ctx, sess, "", demoAnswers(rng)); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	return c.ID
}

type summaryBody struct {
	Respondents   int `json:"respondents"`
	ResponseRates struct {
		Invited, Submitted int
	} `json:"response_rates"`
	Questions []struct {
		Code    string
		Overall struct {
			Suppressed bool
			Answered   int
			Options    []struct {
				Code  string
				Count int
			}
		}
		ByType map[string]map[string]any `json:"by_type"`
	}
}

func TestSummaryOfTheDemo(t *testing.T) {
	env := newTestEnv(t)
	qid := env.deployDemo()
	ken := env.demoConsultation(qid, "KEN", map[string]int{"ngo": 12, "academia": 3, "private_sector": 7})
	path := pathf("/api/v1/consultations/%d/summary?by=stakeholder_type", ken)

	rec := env.do("admin", "GET", path, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("admin: %d %s", rec.Code, rec.Body)
	}
	admin := decode[summaryBody](t, rec)
	if admin.Respondents != 22 || admin.ResponseRates.Invited != 22 || admin.ResponseRates.Submitted != 22 || len(admin.Questions) != 11 {
		t.Fatalf("admin summary: %+v", admin)
	}
	env.checkDemoCounts(ken, admin)

	// The focal point of Kenya sees the 3 academics suppressed, and the 7
	// from the private sector with them (else the total minus the NGOs would
	// tell); Mexico's focal point does not see Kenya at all.
	rec = env.do("focal_ken", "GET", path, nil)
	focal := decode[summaryBody](t, rec)
	if rec.Code != http.StatusOK || len(focal.Questions) != 11 {
		t.Fatalf("focal point: %d %s", rec.Code, rec.Body)
	}
	for _, q := range focal.Questions {
		for typ, want := range map[string]bool{"academia": true, "private_sector": true, "ngo": false} {
			if got := q.ByType[typ]["suppressed"] == true; got != want || want && len(q.ByType[typ]) != 1 {
				t.Errorf("focal point, %s %s: %v", q.Code, typ, q.ByType[typ])
			}
		}
	}
	if rec := env.do("focal_mex", "GET", path, nil); rec.Code != http.StatusNotFound {
		t.Errorf("another country's focal point: %d", rec.Code)
	}
	if rec := env.do("analyst", "GET", pathf("/api/v1/consultations/%d/summary?stakeholder_type=academia", ken), nil); rec.Code != http.StatusOK || decode[map[string]any](t, rec)["suppressed"] != true {
		t.Errorf("analyst, academia alone: %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []string{"?by=country", "?stakeholder_type=spy", "?texts=many", "?lang=xx"} {
		if rec := env.do("admin", "GET", pathf("/api/v1/consultations/%d/summary%s", ken, bad), nil); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", bad, rec.Code, rec.Body)
		}
	}
	if rec := env.do("", "GET", path, nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", rec.Code)
	}
}

func TestComparisonsOfTheDemo(t *testing.T) {
	env := newTestEnv(t)
	qid := env.deployDemo()
	env.demoConsultation(qid, "KEN", map[string]int{"ngo": 6})
	env.demoConsultation(qid, "MEX", map[string]int{"ngo": 3, "academia": 4})
	type body struct {
		Countries []struct {
			ISO3        string
			Respondents int
			Suppressed  bool
		}
		Questions []struct {
			Code      string
			ByCountry map[string]map[string]any `json:"by_country"`
		}
	}
	rec := env.do("analyst", "GET", "/api/v1/comparisons?questionnaire=pilot-issues", nil)
	cmp := decode[body](t, rec)
	if rec.Code != http.StatusOK || len(cmp.Countries) != 2 || cmp.Countries[0].ISO3 != "KEN" || cmp.Countries[1].Respondents != 7 || len(cmp.Questions) != 11 {
		t.Fatalf("analyst: %d %s", rec.Code, rec.Body)
	}
	if a := cmp.Questions[0].ByCountry["MEX"]["answered"]; a != 7.0 {
		t.Errorf("MEX answered %v", a)
	}

	cases := []struct {
		caller, query string
		status        int
	}{
		{"focal_ken", "questionnaire=pilot-issues&countries=ken", http.StatusOK},
		{"focal_ken", "questionnaire=pilot-issues&countries=KEN,MEX", http.StatusForbidden},
		{"focal_mex", "questionnaire=pilot-issues&countries=KEN", http.StatusForbidden},
		{"admin", "questionnaire=no-such-code", http.StatusNotFound},
		{"admin", "countries=KEN", http.StatusUnprocessableEntity},
		{"admin", "questionnaire=pilot-issues&countries=K1", http.StatusUnprocessableEntity},
		{"", "questionnaire=pilot-issues", http.StatusUnauthorized},
	}
	for _, tc := range cases {
		if rec := env.do(tc.caller, "GET", "/api/v1/comparisons?"+tc.query, nil); rec.Code != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.caller, tc.query, rec.Code, rec.Body, tc.status)
		}
	}
	rec = env.do("focal_mex", "GET", "/api/v1/comparisons?questionnaire=pilot-issues", nil)
	if own := decode[body](t, rec); len(own.Countries) != 1 || own.Countries[0].ISO3 != "MEX" {
		t.Errorf("focal point's own countries: %s", rec.Body)
	}
}

// checkDemoCounts compares a summary's counts with counts taken directly
// from the answers.
func (e *testEnv) checkDemoCounts(ken uint, admin summaryBody) {
	t := e.t
	count := func(query string, args ...any) int {
		var n int
		if err := e.srv.db.Raw(query, args...).Row().Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const from = " FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.consultation_id = ? AND r.status = 'submitted' AND a.question_code = ?"
	for _, q := range admin.Questions {
		if n := count("SELECT COUNT(DISTINCT a.response_id)"+from, ken, q.Code); q.Overall.Answered != n {
			t.Errorf("%s answered %d, the answers say %d", q.Code, q.Overall.Answered, n)
		}
		for _, o := range q.Overall.Options {
			if n := count("SELECT COUNT(*)"+from+" AND a.option_code = ?", ken, q.Code, o.Code); o.Count != n {
				t.Errorf("%s option %s: %d, the answers say %d", q.Code, o.Code, o.Count, n)
			}
		}
		if got := q.ByType["academia"]["respondents"]; got != 3.0 {
			t.Errorf("admin sees academia's %s as %v", q.Code, q.ByType["academia"])
		}
	}

}
