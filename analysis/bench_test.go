package analysis_test

import (
	"context"
	"testing"
	"time"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// The baselines: one hand-written GROUP BY over the same rows, counting the
// answers per question, row, option and group and averaging the numbers.
// They are written against the schema as it is since migration 13, in
// their fastest form: answer rows carry their consultation and stakeholder
// type and exist only for submitted responses, so the baselines read the
// answers alone, selected by consultation (a range of an index, or the
// table in parallel). In the benchmark's data each country has one
// consultation, so the comparison's baseline counts by consultation,
// which is by country. The analysis does more (respondents, skip logic,
// quartiles, Borda counts and Kendall's W, texts, themes, rates);
// docs/BENCHMARKS.md compares the two.
const (
	baselineSummarySQL = `
SELECT a.question_code, a.row_code, a.option_code, a.stakeholder_type, COUNT(*), AVG(a.number)
FROM answers a
WHERE a.consultation_id = ?
GROUP BY a.question_code, a.row_code, a.option_code, a.stakeholder_type`
	baselineCompareSQL = `
SELECT a.question_code, a.row_code, a.option_code, a.consultation_id, COUNT(*), AVG(a.number)
FROM answers a
WHERE a.consultation_id IN ?
GROUP BY a.question_code, a.row_code, a.option_code, a.consultation_id`
)

// Each benchmark runs the analysis and its baseline alternately, each
// iteration both, so that both see the machine as it is at that moment;
// it reports the time of each and their ratio. Run with:
//
//	TEST_DATABASE_URL=postgres://... go test ./analysis -run '^$' -bench 'Summary|Compare' -benchtime 5x -count 7
func BenchmarkSummary(b *testing.B) {
	bd := openBench(b)
	an := analysis.New(bd.db)
	ctx := context.Background()
	b.Logf("%d answer rows; consultation %d", bd.answers, bd.consultation)
	for _, tc := range []struct {
		name string
		opts analysis.SummaryOptions
	}{
		{"analysis", analysis.SummaryOptions{}},
		{"analysis_by_type", analysis.SummaryOptions{ByType: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			paired(b, func() {
				s, err := an.Summary(ctx, forms.AllCountries, analyst, bd.consultation, tc.opts)
				if err != nil || s.Respondents != benchPerCountry {
					b.Fatalf("%v %+v", err, s)
				}
			}, func() { drain(b, bd, baselineSummarySQL, bd.consultation) })
		})
	}
}

func BenchmarkCompare(b *testing.B) {
	bd := openBench(b)
	an := analysis.New(bd.db)
	ctx := context.Background()
	b.Run("analysis", func(b *testing.B) {
		paired(b, func() {
			c, err := an.Compare(ctx, forms.AllCountries, analyst, "bench", analysis.CompareOptions{})
			if err != nil || len(c.Countries) != len(bd.countries) {
				b.Fatalf("%v %+v", err, c)
			}
		}, func() { drain(b, bd, baselineCompareSQL, bd.consultations) })
	})
}

// paired runs analysis and baseline once each per iteration, in turn
// first, and reports the mean time of each (s/analysis, s/baseline) and
// their ratio; ns/op is their sum.
func paired(b *testing.B, analysis, baseline func()) {
	var spent [2]time.Duration
	runs := 0
	for b.Loop() {
		fns := [2]func(){analysis, baseline}
		first := runs % 2
		for i := range 2 {
			k := (first + i) % 2
			start := time.Now()
			fns[k]()
			spent[k] += time.Since(start)
		}
		runs++
	}
	b.ReportMetric(spent[0].Seconds()/float64(runs), "s/analysis")
	b.ReportMetric(spent[1].Seconds()/float64(runs), "s/baseline")
	b.ReportMetric(spent[0].Seconds()/spent[1].Seconds(), "ratio")
}

// drain runs a query and reads every row, as a caller would.
func drain(b *testing.B, bd *benchData, query string, args ...any) {
	rows, err := bd.db.Raw(query, args...).Rows()
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil || n == 0 {
		b.Fatalf("%d rows: %v", n, err)
	}
}
