package analysis

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
)

// numbersSQL returns, for each number question and group, the count, the
// sum, and only the ordered values that the minimum, the maximum and the
// three quartiles need: at most eight rows per question and group, however
// many answers there are. Comparisons use it, where the answers of many
// countries would have too many distinct values to count each; summaries
// count the values of one consultation in answersSQL instead. The window functions sort the answers in the
// database; integer division gives the same floor on SQLite and PostgreSQL.
const numbersSQL = `
SELECT v.q, v.g, v.n, v.s, v.rn, v.x FROM (
  SELECT a.question_code AS q, %[1]s AS g, a.number AS x,
         ROW_NUMBER() OVER (PARTITION BY a.question_code%[2]s ORDER BY a.number) AS rn,
         COUNT(*) OVER (PARTITION BY a.question_code%[2]s) AS n,
         SUM(a.number) OVER (PARTITION BY a.question_code%[2]s) AS s
  FROM answers a JOIN responses r ON r.id = a.response_id%[4]s
  WHERE %[3]s AND a.question_code IN ? AND r.questionnaire_id IN ? AND a.number IS NOT NULL
) v
WHERE v.rn = 1 OR v.rn = v.n
   OR v.rn IN ((v.n - 1) / 4 + 1, (v.n - 1) / 4 + 2, (v.n - 1) / 2 + 1, (v.n - 1) / 2 + 2,
               3 * (v.n - 1) / 4 + 1, 3 * (v.n - 1) / 4 + 2)`

// numberStats maps question code → group → figures.
type numberStats map[string]map[string]*NumberFigures

// numbers computes the number figures of codes for the selection's groups
// (one group for everyone with groupAll).
func (a *Analyzer) numbers(ctx context.Context, sel selection, qs []*question, codes []string) (numberStats, error) {
	out := numberStats{}
	if len(codes) == 0 {
		return out, nil
	}
	var versions []uint
	for _, q := range qs {
		for _, c := range codes {
			if q.info.Code == c {
				versions = append(versions, q.versions...)
			}
		}
	}
	var rows []struct {
		Q, G string
		N    int
		S    float64
		Rn   int
		X    sql.NullFloat64
	}
	q := fmt.Sprintf(numbersSQL, sel.group, sel.partition(), sel.where, sel.join)
	if err := a.db.WithContext(ctx).Raw(q, withArgs(sel.args, codes, versions)...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	ordered := map[[2]string]map[int]float64{}
	for _, r := range rows {
		key := [2]string{r.Q, r.G}
		if ordered[key] == nil {
			ordered[key] = map[int]float64{}
			if out[r.Q] == nil {
				out[r.Q] = map[string]*NumberFigures{}
			}
			out[r.Q][r.G] = &NumberFigures{Count: r.N, Mean: round(r.S/float64(r.N), 4)}
		}
		ordered[key][r.Rn] = r.X.Float64
	}
	for key, x := range ordered {
		f := out[key[0]][key[1]]
		f.Min, f.Max = x[1], x[f.Count]
		f.Q1 = round(quantile(x, f.Count, 1, 4), 4)
		f.Median = round(quantile(x, f.Count, 1, 2), 4)
		f.Q3 = round(quantile(x, f.Count, 3, 4), 4)
	}
	return out, nil
}

// histogramFigures computes the number figures from the count of each
// value, exactly as numbersSQL would from the sorted values.
func histogramFigures(hist map[float64]int) *NumberFigures {
	if len(hist) == 0 {
		return nil
	}
	values := make([]float64, 0, len(hist))
	for x := range hist {
		values = append(values, x)
	}
	sort.Float64s(values)
	f := &NumberFigures{Min: values[0], Max: values[len(values)-1]}
	sum := 0.0
	for _, x := range values {
		f.Count += hist[x]
		sum += x * float64(hist[x])
	}
	f.Mean = round(sum/float64(f.Count), 4)
	// at returns the value at a rank (1-based) of the sorted answers.
	at := func(rank int) float64 {
		seen := 0
		for _, x := range values {
			if seen += hist[x]; seen >= rank {
				return x
			}
		}
		return f.Max
	}
	ranks := map[int]float64{}
	for _, frac := range [][2]int{{1, 4}, {1, 2}, {3, 4}} {
		lo := (f.Count-1)*frac[0]/frac[1] + 1
		ranks[lo], ranks[lo+1] = at(lo), at(lo+1)
	}
	f.Q1 = round(quantile(ranks, f.Count, 1, 4), 4)
	f.Median = round(quantile(ranks, f.Count, 1, 2), 4)
	f.Q3 = round(quantile(ranks, f.Count, 3, 4), 4)
	return f
}

// quantile interpolates the num/den quantile of n ordered values, of which
// x holds the ones at the ranks (1-based) numbersSQL selected: with
// h = (n-1)·p, the value at rank ⌊h⌋+1 plus the fraction of h times the
// step to the next rank.
func quantile(x map[int]float64, n, num, den int) float64 {
	lo := (n-1)*num/den + 1
	frac := float64((n-1)*num%den) / float64(den)
	if frac == 0 || lo >= n {
		return x[lo]
	}
	return x[lo] + frac*(x[lo+1]-x[lo])
}

// round rounds x to places decimals, so that both databases, which sum in
// different precisions, give the same figures.
func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// percent is n of total as a percentage with one decimal, 0 when total is.
func percent(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return round(100*float64(n)/float64(total), 1)
}
