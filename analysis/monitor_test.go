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

	rr, err := e.an.ResponseRates(e.ctx, forms.Scope{Countries: []string{"KEN"}}, c.ID)
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
	s, err := e.an.Summary(e.ctx, forms.AllCountries, analyst, c.ID, analysis.SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(s.ResponseRates) != mustJSON(rr) {
		t.Errorf("rates alone %s, in the summary %s", mustJSON(rr), mustJSON(s.ResponseRates))
	}
	if _, err := e.an.ResponseRates(e.ctx, forms.Scope{Countries: []string{"MEX"}}, c.ID); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("another country's rates: %v, want not found", err)
	}
}
