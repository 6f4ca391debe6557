package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
)

// numbersSQL counts the answers to number questions by question, group
// and value: one hash aggregation, whose groups are fewer than the answers
// as far as values repeat. It returns first, for each question and group
// (k = 0), the number of answers and their sum, with the group's regional
// group, since the ranks the figures need depend on them; then (k = 1)
// each counted value in increasing order: a sort of the counted values,
// not of the answers (v, used twice, is computed once by both databases).
// numbers reads the rows as a stream and keeps only the values at the
// ranks the minimum, the maximum and the three quartiles need.
// Comparisons use it, where the answers of many countries would have too
// many distinct values to hold their counts; summaries count the values
// of one consultation in answersSQL instead.
const numbersSQL = `
WITH v AS (
  SELECT a.question_code AS q, %[1]s AS g, a.number AS x, COUNT(*) AS n
  FROM answers a JOIN responses r ON r.id = a.response_id
  WHERE a.consultation_id IN ? AND r.consultation_id IN ? AND %[2]s AND a.question_code IN ? AND a.questionnaire_id IN ? AND a.number IS NOT NULL
  GROUP BY a.question_code, %[1]s, a.number
)
SELECT 0 AS k, t.q, t.g, ` + groupRegion + ` AS region, t.n, t.s AS x
FROM (SELECT q, g, CAST(SUM(n) AS BIGINT) AS n, SUM(x * n) AS s FROM v GROUP BY q, g) t
JOIN countries c ON c.iso3 = t.g
UNION ALL
SELECT 1, q, g, '', n, x FROM v
ORDER BY k, x`

// numberStats maps question code → group → figures.
type numberStats map[string]map[string]*NumberFigures

// numbers computes the number figures of codes for the selection's groups
// (sel.group, which must be groupCountry) and for the regional groups of
// their countries.
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
	q := fmt.Sprintf(numbersSQL, sel.group, sel.where)
	rows, err := a.db.WithContext(ctx).Raw(q, withArgs(sel.joinedArgs(), codes, versions)...).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	walks := newNumberWalks()
	var (
		k, n            int
		code, g, region string
		x               float64
	)
	for rows.Next() {
		if err := rows.Scan(&k, &code, &g, &region, &n, &x); err != nil {
			return nil, nil, err
		}
		if k == 0 {
			walks.total(code, g, region, n, x)
		} else {
			walks.add(code, g, x, n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	byGroup, byRegion = walks.figures()
	return byGroup, byRegion, nil
}

// numberWalks follows the ordered values of every question in every
// country and regional group at once.
type numberWalks struct {
	byGroup, byRegion map[[2]string]*rankWalk
	region            map[string]string // country → regional group
}

func newNumberWalks() *numberWalks {
	return &numberWalks{byGroup: map[[2]string]*rankWalk{}, byRegion: map[[2]string]*rankWalk{}, region: map[string]string{}}
}

// total sets the count and sum of q's values in group g, and adds them to
// its regional group's; every total comes before the first value.
func (nw *numberWalks) total(q, g, region string, n int, sum float64) {
	nw.byGroup[[2]string{q, g}] = &rankWalk{n: n, sum: sum}
	nw.region[g] = region
	r := nw.byRegion[[2]string{q, region}]
	if r == nil {
		r = &rankWalk{}
		nw.byRegion[[2]string{q, region}] = r
	}
	r.n += n
	r.sum += sum
}

// add passes n answers of value x to q in g and in g's regional group, in
// increasing order of x.
func (nw *numberWalks) add(q, g string, x float64, n int) {
	if w := nw.byGroup[[2]string{q, g}]; w != nil {
		w.add(x, n)
		nw.byRegion[[2]string{q, nw.region[g]}].add(x, n)
	}
}

// figures computes the figures of every walk, once all values are added.
func (nw *numberWalks) figures() (byGroup, byRegion numberStats) {
	stats := func(walks map[[2]string]*rankWalk) numberStats {
		out := numberStats{}
		for key, w := range walks {
			if out[key[0]] == nil {
				out[key[0]] = map[string]*NumberFigures{}
			}
			out[key[0]][key[1]] = w.figures()
		}
		return out
	}
	return stats(nw.byGroup), stats(nw.byRegion)
}

// rankWalk takes the n values of one group in increasing order, as counts
// of equal values, and keeps the values at the ranks (1-based) that the
// minimum, the maximum and the quartiles need: at most eight, however many
// values there are.
type rankWalk struct {
	n    int
	sum  float64
	seen int
	need []int
	at   map[int]float64
}

// add passes n values equal to x, the next in increasing order.
func (w *rankWalk) add(x float64, n int) {
	if w.need == nil {
		w.need, w.at = []int{1, w.n}, map[int]float64{}
		for _, frac := range [][2]int{{1, 4}, {1, 2}, {3, 4}} {
			lo := (w.n-1)*frac[0]/frac[1] + 1
			w.need = append(w.need, lo, lo+1)
		}
	}
	for _, rank := range w.need {
		if rank > w.seen && rank <= w.seen+n {
			w.at[rank] = x
		}
	}
	w.seen += n
}

// figures computes the count, mean, minimum, maximum and quartiles, once
// all values have been added.
func (w *rankWalk) figures() *NumberFigures {
	f := &NumberFigures{Count: w.n, Min: w.at[1], Max: w.at[w.n], Mean: round(w.sum/float64(w.n), 4)}
	f.Q1 = round(quantile(w.at, w.n, 1, 4), 4)
	f.Median = round(quantile(w.at, w.n, 1, 2), 4)
	f.Q3 = round(quantile(w.at, w.n, 3, 4), 4)
	return f
}

// histogramFigures computes the number figures from the count of each
// value, exactly as numbers does from the counts of numbersSQL.
func histogramFigures(hist map[float64]int) *NumberFigures {
	if len(hist) == 0 {
		return nil
	}
	values := make([]float64, 0, len(hist))
	for x := range hist {
		values = append(values, x)
	}
	sort.Float64s(values)
	w := &rankWalk{}
	for _, x := range values {
		w.n += hist[x]
		w.sum += x * float64(hist[x])
	}
	for _, x := range values {
		w.add(x, hist[x])
	}
	return w.figures()
}

// quantile interpolates the num/den quantile of n ordered values, of which
// x holds the ones at the ranks (1-based) a rankWalk kept: with
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
