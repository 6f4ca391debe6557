package analysis_test

import (
	"context"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// The baselines: one hand-written GROUP BY over the same rows, counting the
// answers per question, row, option and group and averaging the numbers.
// They are written against the schema as it is since migration 10, in
// their fastest form: the answers selected by their own consultation_id,
// the responses by theirs (without it PostgreSQL hashes all 100,000
// responses, and the baseline takes half as long again). The analysis
// does more (respondents, skip logic,
// quartiles, Borda counts and Kendall's W, texts, themes, rates);
// docs/BENCHMARKS.md compares the two.
const (
	baselineSummarySQL = `
SELECT a.question_code, a.row_code, a.option_code, r.stakeholder_type, COUNT(*), AVG(a.number)
FROM answers a JOIN responses r ON r.id = a.response_id
WHERE a.consultation_id = ? AND r.consultation_id = ? AND r.status = 'submitted'
GROUP BY a.question_code, a.row_code, a.option_code, r.stakeholder_type`
	baselineCompareSQL = `
SELECT a.question_code, a.row_code, a.option_code, r.country_iso3, COUNT(*), AVG(a.number)
FROM answers a JOIN responses r ON r.id = a.response_id
WHERE a.consultation_id IN ? AND r.consultation_id IN ? AND r.status = 'submitted'
GROUP BY a.question_code, a.row_code, a.option_code, r.country_iso3`
)

// Run with:
//
//	TEST_DATABASE_URL=postgres://... go test ./analysis -run '^$' -bench . -benchtime 10x -count 5
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
			for b.Loop() {
				s, err := an.Summary(ctx, forms.AllCountries, analyst, bd.consultation, tc.opts)
				if err != nil || s.Respondents != benchPerCountry {
					b.Fatalf("%v %+v", err, s)
				}
			}
		})
	}
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			drain(b, bd, baselineSummarySQL, bd.consultation, bd.consultation)
		}
	})
}

func BenchmarkCompare(b *testing.B) {
	bd := openBench(b)
	an := analysis.New(bd.db)
	ctx := context.Background()
	b.Run("analysis", func(b *testing.B) {
		for b.Loop() {
			c, err := an.Compare(ctx, forms.AllCountries, analyst, "bench", analysis.CompareOptions{})
			if err != nil || len(c.Countries) != len(bd.countries) {
				b.Fatalf("%v %+v", err, c)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			drain(b, bd, baselineCompareSQL, bd.consultations, bd.consultations)
		}
	})
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
