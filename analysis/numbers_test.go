package analysis_test

import (
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// TestCompareNumbers checks a comparison's number figures, by country and
// by regional group, against the same figures computed in Go from every
// value: repeated values, distinct ones, a single one, two questions whose
// values interleave, and respondents who leave a number empty.
func TestCompareNumbers(t *testing.T) {
	e := newEnv(t)
	v := e.publish(&forms.Definition{
		Code: "nums", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"}, Title: text("Numbers"),
		Sections: []forms.Section{{Code: "s", Title: text("S"), Questions: []forms.Question{
			{Code: "q_x", Type: forms.TypeNumber, Label: text("Share"), Themes: []string{"UNTOC"}},
			{Code: "q_y", Type: forms.TypeInteger, Label: text("Cases"), Themes: []string{"UNTOC"}},
		}}},
	})
	region := map[string]string{"KEN": "AFRICAN", "EGY": "AFRICAN", "MEX": "GRULAC", "BRA": "GRULAC", "COL": "GRULAC"}
	values := map[string]map[string][]float64{ // country → question → values, NaN for none
		"KEN": {"q_x": {1, 1, 1, 2, 5, 5, 9}, "q_y": {3, 3, 3, 3, 3, 3, 3}},
		"EGY": {"q_x": {2.5, 3, 3, 3, 100, -4}, "q_y": {1, 2, 3, 4, math.NaN(), 6}},
		"MEX": {"q_x": {0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25}, "q_y": {10, 20, 30, 40, 50, 60, 70, 80, 90}},
		"BRA": {"q_x": {7, 7, 7, 7, 7, math.NaN()}, "q_y": {7, 7, 8, 8, 9, 9}},
		"COL": {"q_x": {42, math.NaN()}, "q_y": {math.NaN(), math.NaN()}},
	}
	for _, country := range slices.Sorted(maps.Keys(values)) {
		c := e.consult(v, country, forms.AnonymityConfidential, forms.MinCellFloor)
		for i := range values[country]["q_x"] {
			a := forms.Answers{}
			for q, xs := range values[country] {
				if !math.IsNaN(xs[i]) {
					a[q] = xs[i]
				}
			}
			e.respond(c, "ngo", a)
		}
	}
	cmp, err := e.an.Compare(e.ctx, forms.AllCountries, admin, "nums", analysis.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, qc := range cmp.Questions {
		q := qc.Code
		byRegion := map[string][]float64{}
		for country, qs := range values {
			xs := slices.DeleteFunc(slices.Clone(qs[q]), math.IsNaN)
			byRegion[region[country]] = append(byRegion[region[country]], xs...)
			t.Run(q+"/"+country, func(t *testing.T) { checkNumbers(t, qc.ByCountry[country], xs) })
		}
		for g, xs := range byRegion {
			t.Run(q+"/"+g, func(t *testing.T) { checkNumbers(t, qc.ByRegionalGroup[g], xs) })
		}
	}
}

// checkNumbers compares figures with those of xs: the quantiles
// interpolated between the sorted values at (n-1)·p, as PostgreSQL's
// percentile_cont does.
func checkNumbers(t *testing.T, f *analysis.Figures, xs []float64) {
	t.Helper()
	if len(xs) == 0 {
		if f == nil || f.Number != nil {
			t.Errorf("no values: got %+v", f)
		}
		return
	}
	if f == nil || f.Number == nil {
		t.Fatalf("no number figures for %v", xs)
	}
	want := bruteNumbers(xs)
	got := *f.Number
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-4 }
	if got.Count != want.Count || !near(got.Mean, want.Mean) || got.Min != want.Min || got.Max != want.Max ||
		!near(got.Q1, want.Q1) || !near(got.Median, want.Median) || !near(got.Q3, want.Q3) {
		t.Errorf("values %v:\n got %+v\nwant %+v", xs, got, want)
	}
}

// bruteNumbers computes the number figures of xs from every value sorted:
// the quantiles interpolated between the values at (n-1)·p, as
// PostgreSQL's percentile_cont does. xs must not be empty.
func bruteNumbers(xs []float64) analysis.NumberFigures {
	xs = slices.Sorted(slices.Values(xs))
	quantile := func(p float64) float64 {
		h := float64(len(xs)-1) * p
		lo := int(h)
		if lo+1 >= len(xs) {
			return xs[lo]
		}
		return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return analysis.NumberFigures{
		Count: len(xs), Mean: sum / float64(len(xs)), Min: xs[0], Max: xs[len(xs)-1],
		Q1: quantile(0.25), Median: quantile(0.5), Q3: quantile(0.75),
	}
}
