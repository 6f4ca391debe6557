package analysis

import (
	"slices"
	"sort"
)

// rankTally holds one option's ranking counts.
type rankTally struct {
	n, rankSum, first, top3 int
	byDepth                 map[int]int // options ranked by the respondent → times this option was ranked
}

func (t *tally) rankOf(code string) *rankTally {
	r := t.rank[code]
	if r == nil {
		r = &rankTally{byDepth: map[int]int{}}
		t.rank[code] = r
	}
	return r
}

func (r *rankTally) add(o *rankTally) {
	r.n += o.n
	r.rankSum += o.rankSum
	r.first += o.first
	r.top3 += o.top3
	for d, n := range o.byDepth {
		r.byDepth[d] += n
	}
}

// depths returns how many respondents gave t rows, for each t.
func depths(t *tally) map[int]int {
	out := make(map[int]int, len(t.depth))
	for d, n := range t.depth {
		if d > 0 {
			out[d] = n / d
		}
	}
	return out
}

// rankFigures turns a tally into Borda scores, first and top-3 shares, the
// overall order and Kendall's W.
func (q *question) rankFigures(t *tally) *RankFigures {
	codes := make([]string, 0, len(q.options))
	for _, o := range q.options {
		codes = append(codes, o.code)
	}
	for _, c := range sortedKeys(t.rank) {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	m := q.answered(t)
	p := q.positions()
	f := &RankFigures{Positions: p, KendallW: kendallW(t, codes, depths(t), m), Items: make([]RankedItem, 0, len(codes))}
	for _, c := range codes {
		r := t.rank[c]
		if r == nil {
			r = &rankTally{}
		}
		it := RankedItem{
			Code: c, Label: q.optionLabel(c), Borda: r.n*(p+1) - r.rankSum, Ranked: r.n,
			First: r.first, Top3: r.top3, FirstPercent: percent(r.first, m), Top3Percent: percent(r.top3, m),
		}
		if r.n > 0 {
			mean := round(float64(r.rankSum)/float64(r.n), 4)
			it.MeanRank = &mean
		}
		f.Items = append(f.Items, it)
	}
	orderItems(f.Items)
	return f
}

// orderItems sorts by Borda score, then first places, then option order,
// and numbers the places; equal scores share a place (1, 2, 2, 4).
func orderItems(items []RankedItem) {
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].Borda != items[j].Borda {
			return items[i].Borda > items[j].Borda
		}
		return items[i].First > items[j].First
	})
	for i := range items {
		items[i].Order = i + 1
		if i > 0 && items[i].Borda == items[i-1].Borda {
			items[i].Order = items[i-1].Order
		}
	}
}

// kendallW is Kendall's coefficient of concordance among the m respondents
// over the k options, with the correction for ties. A respondent who ranked
// only t options is taken to tie the others at the mean of the places left,
// (t+1+k)/2; with complete rankings this is the textbook W. Without the
// depths of the m rankings (comparisons do not count them), there is none.
func kendallW(t *tally, codes []string, dep map[int]int, m int) *float64 {
	k, counted := len(codes), 0
	for _, n := range dep {
		counted += n
	}
	if m < 2 || k < 2 || counted != m {
		return nil
	}
	mid := func(d int) float64 { return float64(d+1+k) / 2 }
	var all, ties float64
	for d, n := range dep {
		all += float64(n) * mid(d)
		if g := float64(k - d); g > 1 {
			ties += float64(n) * (g*g*g - g)
		}
	}
	mean := float64(m) * float64(k+1) / 2
	var s float64
	for _, c := range codes {
		sum, own := 0.0, 0.0
		if r := t.rank[c]; r != nil {
			sum = float64(r.rankSum)
			for d, n := range r.byDepth {
				own += float64(n) * mid(d)
			}
		}
		ri := sum + all - own
		s += (ri - mean) * (ri - mean)
	}
	fm, fk := float64(m), float64(k)
	den := fm*fm*(fk*fk*fk-fk) - fm*ties
	if den <= 0 {
		return nil
	}
	w := round(12*s/den, 3)
	return &w
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
