package analysis_test

import (
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// TestHandComputedExample checks the Borda counts, shares, Kendall's W and
// quartiles against figures worked out by hand (docs/analysis.md shows the
// same example).
func TestHandComputedExample(t *testing.T) {
	e := newEnv(t)
	c := e.consult(e.publish(testDefinition()), "KEN", forms.AnonymityConfidential, forms.MinCellFloor)
	rank := func(codes ...any) []any { return codes }
	e.respond(c, "ngo", forms.Answers{"q_rank": rank("a", "b", "c"), "q_years": 1.0})
	e.respond(c, "ngo", forms.Answers{"q_rank": rank("a", "c"), "q_years": 2.0})
	e.respond(c, "ngo", forms.Answers{"q_rank": rank("b", "a", "d"), "q_years": 3.0})
	e.respond(c, "ngo", forms.Answers{"q_rank": rank("a"), "q_years": 4.0})
	e.respond(c, "academia", forms.Answers{"q_years": 10.0})

	s, err := e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{ByType: true})
	if err != nil {
		t.Fatal(err)
	}
	r := question(t, s, "q_rank").Overall
	if r.Answered != 4 || r.NotAnswered != 1 || r.Ranking.Positions != 3 {
		t.Fatalf("ranking answered %d, not answered %d, positions %d", r.Answered, r.NotAnswered, r.Ranking.Positions)
	}
	// Three points for a first place, two for a second, one for a third.
	want := []analysis.RankedItem{
		{Code: "a", Order: 1, Borda: 11, Ranked: 4, First: 3, Top3: 4, FirstPercent: 75, Top3Percent: 100},
		{Code: "b", Order: 2, Borda: 5, Ranked: 2, First: 1, Top3: 2, FirstPercent: 25, Top3Percent: 50},
		{Code: "c", Order: 3, Borda: 3, Ranked: 2, Top3: 2, Top3Percent: 50},
		{Code: "d", Order: 4, Borda: 1, Ranked: 1, Top3: 1, Top3Percent: 25},
	}
	for i, w := range want {
		got := r.Ranking.Items[i]
		got.Label, got.MeanRank = "", nil
		if got != w {
			t.Errorf("item %d = %+v, want %+v", i, got, w)
		}
	}
	// Unranked options tie at the mean of the places left: W = 12·41.5 / (16·60 − 4·30).
	if w := r.Ranking.KendallW; w == nil || *w != 0.593 {
		t.Errorf("Kendall's W = %v, want 0.593", w)
	}
	if p := s.Priorities; len(p) != 3 || p[0].Theme != "UNTOC" || p[1].Theme != "TIP" || p[2].Theme != "XC" || p[0].Questions[0].Top[0].Code != "a" {
		t.Errorf("priorities %+v", p)
	}

	n := question(t, s, "q_years")
	all := *n.Overall.Number
	if want := (analysis.NumberFigures{Count: 5, Mean: 4, Min: 1, Q1: 2, Median: 3, Q3: 4, Max: 10}); all != want {
		t.Errorf("overall numbers %+v, want %+v", all, want)
	}
	ngo := *n.ByType["ngo"].Number
	if want := (analysis.NumberFigures{Count: 4, Mean: 2.5, Min: 1, Q1: 1.75, Median: 2.5, Q3: 3.25, Max: 4}); ngo != want {
		t.Errorf("NGO numbers %+v, want %+v", ngo, want)
	}
	ps, err := e.an.Priorities(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{})
	if err != nil || mustJSON(ps) != mustJSON(s.Priorities) {
		t.Errorf("Priorities alone: %v\n%s\n%s", err, mustJSON(ps), mustJSON(s.Priorities))
	}
}
