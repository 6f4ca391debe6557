package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
)

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
	qid := env.DeployDemo()
	ken := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 12, "academia": 3, "private_sector": 7})
	path := fmt.Sprintf("/api/v1/consultations/%d/summary?by=stakeholder_type", ken)

	rec := env.Do("admin", "GET", path, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("admin: %d %s", rec.Code, rec.Body)
	}
	admin := apitest.Decode[summaryBody](t, rec)
	if admin.Respondents != 22 || admin.ResponseRates.Invited != 22 || admin.ResponseRates.Submitted != 22 || len(admin.Questions) != 11 {
		t.Fatalf("admin summary: %+v", admin)
	}
	env.checkDemoCounts(ken, admin)

	// The focal point of Kenya sees the 3 academics suppressed, and the 7
	// from the private sector with them (else the total minus the NGOs would
	// tell); Mexico's focal point does not see Kenya at all.
	rec = env.Do("focal_ken", "GET", path, nil)
	focal := apitest.Decode[summaryBody](t, rec)
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
	if rec := env.Do("focal_mex", "GET", path, nil); rec.Code != http.StatusNotFound {
		t.Errorf("another country's focal point: %d", rec.Code)
	}
	if rec := env.Do("analyst", "GET", fmt.Sprintf("/api/v1/consultations/%d/summary?stakeholder_type=academia", ken), nil); rec.Code != http.StatusOK || apitest.Decode[map[string]any](t, rec)["suppressed"] != true {
		t.Errorf("analyst, academia alone: %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []string{"?by=country", "?stakeholder_type=spy", "?texts=many", "?lang=xx"} {
		if rec := env.Do("admin", "GET", fmt.Sprintf("/api/v1/consultations/%d/summary%s", ken, bad), nil); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", bad, rec.Code, rec.Body)
		}
	}
	if rec := env.Do("", "GET", path, nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", rec.Code)
	}
}

func TestComparisonsOfTheDemo(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6})
	env.DemoConsultation(qid, "MEX", map[string]int{"ngo": 3, "academia": 4})
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
	rec := env.Do("analyst", "GET", "/api/v1/comparisons?questionnaire=pilot-issues", nil)
	cmp := apitest.Decode[body](t, rec)
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
		if rec := env.Do(tc.caller, "GET", "/api/v1/comparisons?"+tc.query, nil); rec.Code != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.caller, tc.query, rec.Code, rec.Body, tc.status)
		}
	}
	rec = env.Do("focal_mex", "GET", "/api/v1/comparisons?questionnaire=pilot-issues", nil)
	if own := apitest.Decode[body](t, rec); len(own.Countries) != 1 || own.Countries[0].ISO3 != "MEX" {
		t.Errorf("focal point's own countries: %s", rec.Body)
	}
}

// checkDemoCounts compares a summary's counts with counts taken directly
// from the answers.
func (e *testEnv) checkDemoCounts(ken uint, admin summaryBody) {
	t := e.T
	count := func(query string, args ...any) int {
		var n int
		if err := e.DB.Raw(query, args...).Row().Scan(&n); err != nil {
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
