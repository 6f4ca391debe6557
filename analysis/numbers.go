package analysis

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
)

// numbersSQL returns, for each number question and group, at two levels
// of grouping at once (countries and regional groups), the count, the sum,
// and only the ordered values that the minimum, the maximum and the three
// quartiles need: at most eight rows per question and group, however many
// answers there are. Comparisons use it, where the answers of many
// countries would have too many distinct values to count each; summaries
// count the values of one consultation in answersSQL instead. Integer
// division gives the same floor on SQLite and PostgreSQL.
const numbersSQL = `
SELECT v.q, v.g1, v.g2, v.x, v.n1, v.s1, v.rn1, v.n2, v.s2, v.rn2 FROM (
  SELECT a.question_code AS q, %[1]s AS g1, %[2]s AS g2, a.number AS x,
         ROW_NUMBER() OVER (PARTITION BY a.question_code, %[1]s ORDER BY a.number) AS rn1,
         COUNT(*) OVER (PARTITION BY a.question_code, %[1]s) AS n1,
         SUM(a.number) OVER (PARTITION BY a.question_code, %[1]s) AS s1,
         ROW_NUMBER() OVER (PARTITION BY a.question_code, %[2]s ORDER BY a.number) AS rn2,
         COUNT(*) OVER (PARTITION BY a.question_code, %[2]s) AS n2,
         SUM(a.number) OVER (PARTITION BY a.question_code, %[2]s) AS s2
  FROM answers a JOIN responses r ON r.id = a.response_id%[4]s
  WHERE a.consultation_id IN ? AND r.consultation_id IN ? AND %[3]s AND a.question_code IN ? AND a.questionnaire_id IN ? AND a.number IS NOT NULL
) v
WHERE ` + quartileRanks1 + ` OR ` + quartileRanks2

const (
	quartileRanks1 = `(v.rn1 = 1 OR v.rn1 = v.n1 OR v.rn1 IN ((v.n1 - 1) / 4 + 1, (v.n1 - 1) / 4 + 2,
  (v.n1 - 1) / 2 + 1, (v.n1 - 1) / 2 + 2, 3 * (v.n1 - 1) / 4 + 1, 3 * (v.n1 - 1) / 4 + 2))`
	quartileRanks2 = `(v.rn2 = 1 OR v.rn2 = v.n2 OR v.rn2 IN ((v.n2 - 1) / 4 + 1, (v.n2 - 1) / 4 + 2,
  (v.n2 - 1) / 2 + 1, (v.n2 - 1) / 2 + 2, 3 * (v.n2 - 1) / 4 + 1, 3 * (v.n2 - 1) / 4 + 2))`
)

// numberStats maps question code → group → figures.
type numberStats map[string]map[string]*NumberFigures

// numbers computes the number figures of codes for the selection's groups
// (sel.group) and for the regional groups of their countries.
func (a *Analyzer) numbers(ctx context.Context, sel selection, qs []*question, codes []string) (byGroup, byRegion numberStats, err error) {
	if len(codes) == 0 {
		return numberStats{}, numberStats{}, nil
	}
	var versions []uint
	for _, q := range qs {
		if slices.Contains(codes, q.info.Code) {
			versions = append(versions, q.versions...)
		}
	}
	var rows []struct {
		Q, G1, G2   string
		X           sql.NullFloat64
		N1, Rn1, N2 int
		S1, S2      float64
		Rn2         int
	}
	q := fmt.Sprintf(numbersSQL, sel.group, groupRegion, sel.where, joinCountry)
	if err := a.db.WithContext(ctx).Raw(q, withArgs(sel.joinedArgs(), codes, versions)...).Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	one, two := newRanked(), newRanked()
	for _, r := range rows {
		one.add(r.Q, r.G1, r.N1, r.S1, r.Rn1, r.X.Float64)
		two.add(r.Q, r.G2, r.N2, r.S2, r.Rn2, r.X.Float64)
	}
	return one.figures(), two.figures(), nil
}

// ranked collects the values at given ranks, by question and group.
type ranked struct {
	stats  numberStats
	values map[[2]string]map[int]float64
}

func newRanked() *ranked {
	return &ranked{stats: numberStats{}, values: map[[2]string]map[int]float64{}}
}

func (rk *ranked) add(q, g string, n int, sum float64, rank int, x float64) {
	key := [2]string{q, g}
	if rk.values[key] == nil {
		rk.values[key] = map[int]float64{}
		if rk.stats[q] == nil {
			rk.stats[q] = map[string]*NumberFigures{}
		}
		rk.stats[q][g] = &NumberFigures{Count: n, Mean: round(sum/float64(n), 4)}
	}
	rk.values[key][rank] = x
}

// figures fills in the minimum, maximum and quartiles.
func (rk *ranked) figures() numberStats {
	for key, x := range rk.values {
		f := rk.stats[key[0]][key[1]]
		f.Min, f.Max = x[1], x[f.Count]
		f.Q1 = round(quantile(x, f.Count, 1, 4), 4)
		f.Median = round(quantile(x, f.Count, 1, 2), 4)
		f.Q3 = round(quantile(x, f.Count, 3, 4), 4)
	}
	return rk.stats
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
