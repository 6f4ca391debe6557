package analysis_test

import (
	"errors"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

func TestResponseRatesAlone(t *testing.T) {
	e := newEnv(t)
	c := e.consult(e.publish(testDefinition()), "KEN", forms.AnonymityConfidential, 5)
	answers := forms.Answers{"q_single": "b"}
	e.invite(c, "academia")
	e.respond(c, "ngo", answers)
	e.respond(c, "ngo", answers)

	rr, err := e.an.ResponseRates(e.ctx, forms.Scope{Countries: []string{"KEN"}}, admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][5]int{"all": counts(rr.RateCounts)}
	for typ, rc := range rr.ByType {
		got[typ] = counts(rc)
	}
	want := map[string][5]int{ // invited, open visits, opened, started, submitted
		"all":      {3, 0, 2, 2, 2},
		"ngo":      {2, 0, 2, 2, 2},
		"academia": {1, 0, 0, 0, 0},
	}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("rates %v, want %v", got, want)
	}
	for _, v := range []analysis.Viewer{admin, analyst} {
		alone, err := e.an.ResponseRates(e.ctx, forms.AllCountries, v, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.an.Summary(e.ctx, forms.AllCountries, v, c.ID, analysis.SummaryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if mustJSON(s.ResponseRates) != mustJSON(alone) {
			t.Errorf("%s: rates alone %s, in the summary %s", v.Role, mustJSON(alone), mustJSON(s.ResponseRates))
		}
	}
	// Two submissions are fewer than the minimum of 5: an analyst learns
	// how many were invited, not how many answered.
	if a, _ := e.an.ResponseRates(e.ctx, forms.AllCountries, analyst, c.ID); !a.Suppressed || a.Submitted != 0 || a.Invited != 3 || !a.ByType["ngo"].Suppressed {
		t.Errorf("an analyst's rates of a consultation below the minimum: %s", mustJSON(a))
	}
	if _, err := e.an.ResponseRates(e.ctx, forms.Scope{Countries: []string{"MEX"}}, admin, c.ID); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("another country's rates: %v, want not found", err)
	}
}

func TestRateTotals(t *testing.T) {
	e := newEnv(t)
	q := e.publish(testDefinition())
	ken := e.consult(q, "KEN", forms.AnonymityConfidential, 5)
	mex := e.consult(q, "MEX", forms.AnonymityConfidential, 5)
	empty := e.consult(q, "KEN", forms.AnonymityConfidential, 5)
	answers := forms.Answers{"q_single": "b"}
	e.invite(ken, "academia")
	e.respond(ken, "ngo", answers)
	e.respond(mex, "ngo", answers)
	e.invite(mex, "ngo")
	e.invite(mex, "ngo")

	ids := []uint{ken.ID, mex.ID, empty.ID}
	all, err := e.an.RateTotals(e.ctx, forms.AllCountries, admin, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []uint{ken.ID, mex.ID} {
		one, err := e.an.ResponseRates(e.ctx, forms.AllCountries, admin, c)
		if err != nil {
			t.Fatal(err)
		}
		if mustJSON(all[c]) != mustJSON(one.RateCounts) {
			t.Errorf("consultation %d: totals %s, its own rates %s", c, mustJSON(all[c]), mustJSON(one.RateCounts))
		}
	}
	if _, ok := all[empty.ID]; ok {
		t.Error("a consultation without invitations has totals")
	}
	kenOnly, err := e.an.RateTotals(e.ctx, forms.Scope{Countries: []string{"KEN"}}, admin, ids)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := kenOnly[mex.ID]; ok || len(kenOnly) != 1 {
		t.Errorf("a Kenyan scope sees %v", kenOnly)
	}
}
