package analysis

import (
	"cmp"
	"container/heap"
	"context"
	"math"
	"slices"

	"gorm.io/gorm"
)

// numberValuesSQL lists the values of one number question in some
// consultations, counted, by consultation and in increasing order: the
// order of ix_answers_cells (a number answer has neither row nor option),
// so the database counts them as they come off the index and sorts
// nothing. compareNumbers merges the consultations' runs in Go.
const numberValuesSQL = `
SELECT a.consultation_id AS c, CAST(a.number AS DOUBLE PRECISION) AS x, COUNT(*) AS n
FROM answers a
WHERE a.consultation_id IN ? AND a.question_code = ? AND a.row_code = '' AND a.option_code = '' AND a.number IS NOT NULL
GROUP BY a.consultation_id, a.number
ORDER BY a.consultation_id, a.number`

// numberStats maps question code → group → figures.
type numberStats map[string]map[string]*NumberFigures

// valueCount is n answers of value x.
type valueCount struct {
	x float64
	n int
}

// numberGroups names the consultations whose values make each country's
// figures and each regional group's.
type numberGroups struct {
	countries, regions map[string][]uint
}

// compareNumbers computes the figures of the number questions codes by
// country and by regional group, one question at a time: it holds one
// question's counted values in the consultations compared, never the
// answers of every question. answered counts each question's answers by
// country, which, one row per respondent, are its respondents.
func (a *Analyzer) compareNumbers(ctx context.Context, place map[uint]placement, qs map[string]*question, codes []string, groups numberGroups) (byCountry, byRegion numberStats, answered map[string]map[string]int, err error) {
	byCountry, byRegion, answered = numberStats{}, numberStats{}, map[string]map[string]int{}
	ids := consultationIDs(place)
	for _, code := range codes {
		runs, err := a.numberRuns(ctx, ids, code, func(c uint) bool { return qs[code].inVersion(place[c].version) })
		if err != nil {
			return nil, nil, nil, err
		}
		byCountry[code], byRegion[code], answered[code] = map[string]*NumberFigures{}, map[string]*NumberFigures{}, map[string]int{}
		of := func(cids []uint) *NumberFigures {
			parts := make([][]valueCount, len(cids))
			for i, c := range cids {
				parts[i] = runs[c]
			}
			return runFigures(parts...)
		}
		for iso, cids := range groups.countries {
			if f := of(cids); f != nil {
				byCountry[code][iso], answered[code][iso] = f, f.Count
			}
		}
		for region, cids := range groups.regions {
			if f := of(cids); f != nil {
				byRegion[code][region] = f
			}
		}
	}
	return byCountry, byRegion, answered, nil
}

// numberRuns reads the counted values of one question in the consultations
// keep accepts, each consultation's in increasing order.
func (a *Analyzer) numberRuns(ctx context.Context, ids []uint, code string, keep func(uint) bool) (map[uint][]valueCount, error) {
	runs := map[uint][]valueCount{}
	err := a.streamAggregate(ctx, func(db *gorm.DB) error {
		rows, err := db.Raw(numberValuesSQL, ids, code).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		var (
			c uint
			v valueCount
		)
		for rows.Next() {
			if err := rows.Scan(&c, &v.x, &v.n); err != nil {
				return err
			}
			if keep(c) {
				runs[c] = append(runs[c], v)
			}
		}
		return rows.Err()
	})
	return runs, err
}

// runFigures computes the number figures of the values of runs together,
// each run in increasing order; nil when they have none.
func runFigures(runs ...[]valueCount) *NumberFigures {
	parts := make([][]valueCount, 0, len(runs))
	w := &rankWalk{}
	for _, r := range runs {
		for _, v := range r {
			w.n += v.n
			w.sum += v.x * float64(v.n)
		}
		if len(r) > 0 {
			parts = append(parts, r)
		}
	}
	if w.n == 0 {
		return nil
	}
	mergeRuns(parts, w.add)
	return w.figures()
}

// mergeRuns passes the values of runs, each in increasing order, to fn in
// increasing order overall.
func mergeRuns(runs [][]valueCount, fn func(x float64, n int)) {
	h := runHeap(runs)
	heap.Init(&h)
	for len(h) > 0 {
		fn(h[0][0].x, h[0][0].n)
		if h[0] = h[0][1:]; len(h[0]) == 0 {
			heap.Pop(&h)
		} else {
			heap.Fix(&h, 0)
		}
	}
}

// runHeap orders runs of values by their first value.
type runHeap [][]valueCount

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i][0].x < h[j][0].x }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.([]valueCount)) }
func (h *runHeap) Pop() any {
	old := *h
	last := old[len(old)-1]
	*h = old[:len(old)-1]
	return last
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

// valueRun holds counted values in increasing order, as cellsSQL returns
// a summary's number values: each is added after the ones before it, so
// neither a map nor a sort is needed. A value out of order, which no
// database sends, is put in its place.
type valueRun []valueCount

// add counts n more answers of value x.
func (r *valueRun) add(x float64, n int) {
	v := *r
	switch i := len(v) - 1; {
	case i < 0 || v[i].x < x:
		*r = append(v, valueCount{x, n})
	case v[i].x == x:
		v[i].n += n
	default:
		j, found := slices.BinarySearchFunc(v, x, func(c valueCount, x float64) int { return cmp.Compare(c.x, x) })
		if found {
			v[j].n += n
		} else {
			*r = slices.Insert(v, j, valueCount{x, n})
		}
	}
}

// merge returns the values of r and o together, in order.
func (r valueRun) merge(o valueRun) valueRun {
	switch {
	case len(o) == 0:
		return r
	case len(r) == 0:
		return slices.Clone(o)
	}
	out := make(valueRun, 0, len(r)+len(o))
	mergeRuns([][]valueCount{r, o}, func(x float64, n int) { out.add(x, n) })
	return out
}

// figures computes the number figures of the values, nil when there are
// none, exactly as runFigures does.
func (r valueRun) figures() *NumberFigures {
	if len(r) == 0 {
		return nil
	}
	return runFigures(r)
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
