package analysis

import (
	"slices"
	"sort"

	"github.com/unodc-csu/agora/forms"
)

// figures computes the figures of q in one cell from its tally and, for
// number questions, the number figures of that cell.
func (q *question) figures(t *tally, num *NumberFigures) *Figures {
	f := &Figures{Respondents: t.asked, Answered: q.answered(t), NotShown: t.notShown}
	switch q.info.Type {
	case forms.TypeSingleChoice, forms.TypeMultipleChoice:
		f.Options = q.optionCounts(t, f.Answered)
		f.Indicator = shareIndicator(f.Options)
	case forms.TypeScale:
		s := q.scale(t, "", f.Answered)
		f.Scale = &s
		f.Indicator = meanIndicator(s.Mean)
	case forms.TypeMatrix:
		f.Rows = q.matrixRows(t, f.Respondents-f.NotShown)
	case forms.TypeNumber, forms.TypeInteger:
		if num == nil {
			num = t.hist.figures()
		}
		if num != nil {
			f.Number = num
			f.Indicator = &Indicator{Kind: IndicatorMedian, Value: num.Median}
		}
	case forms.TypeRanking:
		f.Ranking = q.rankFigures(t)
		if len(f.Ranking.Items) > 0 && f.Answered > 0 {
			top := f.Ranking.Items[0]
			f.Indicator = &Indicator{Kind: IndicatorTop, Code: top.Code, Label: top.Label, Value: float64(top.Borda)}
		}
	default: // texts and dates
		f.Indicator = &Indicator{Kind: IndicatorAnswered, Value: float64(f.Answered)}
	}
	f.NotAnswered = max(0, f.Respondents-f.Answered-f.NotShown)
	return f
}

// answered counts the respondents who answered q: for a ranking, those
// who ranked an option first, since every ranking has a first place.
func (q *question) answered(t *tally) int {
	if q.info.Type != forms.TypeRanking {
		return t.answered()
	}
	n := 0
	for _, r := range t.rank {
		n += r.first
	}
	return n
}

// optionCounts lists every option in definition order, then any option
// the answers hold that no version defines.
func (q *question) optionCounts(t *tally, answered int) []OptionCount {
	out := make([]OptionCount, 0, len(q.options))
	seen := map[string]bool{}
	for _, o := range q.options {
		n := t.values[valueKey{option: o.code}]
		out = append(out, OptionCount{Code: o.code, Label: o.label, Count: n, Percent: percent(n, answered)})
		seen[o.code] = true
	}
	var extra []string
	for k := range t.values {
		if !k.scaled && k.option != "" && !seen[k.option] {
			extra = append(extra, k.option)
			seen[k.option] = true
		}
	}
	sort.Strings(extra)
	for _, c := range extra {
		n := t.values[valueKey{option: c}]
		out = append(out, OptionCount{Code: c, Label: c, Count: n, Percent: percent(n, answered)})
	}
	return out
}

// scale computes the distribution of one row (the empty row for a scale
// question) over the points, and the mean of the non-missing points.
func (q *question) scale(t *tally, row string, answered int) ScaleFigures {
	values := []int{}
	for _, p := range q.points {
		values = append(values, p.value)
	}
	var extra []int
	for k := range t.values {
		if k.scaled && k.row == row && !slices.Contains(values, k.value) && !slices.Contains(extra, k.value) {
			extra = append(extra, k.value)
		}
	}
	sort.Ints(extra)
	s := ScaleFigures{Points: make([]PointCount, 0, len(values)+len(extra))}
	sum := 0
	for _, v := range append(values, extra...) {
		p := q.pointOf(v)
		n := t.values[valueKey{row: row, value: v, scaled: true}]
		s.Points = append(s.Points, PointCount{Value: v, Label: p.label, Missing: p.missing, Count: n, Percent: percent(n, answered)})
		if !p.missing {
			s.Valid += n
			sum += n * v
		}
	}
	if s.Valid > 0 {
		mean := round(float64(sum)/float64(s.Valid), 4)
		s.Mean = &mean
	}
	return s
}

// matrixRows computes each row's figures; shown is the number of
// respondents the question was shown to.
func (q *question) matrixRows(t *tally, shown int) []RowFigures {
	out := make([]RowFigures, 0, len(q.rows))
	for _, r := range q.rows {
		answered := 0
		for k, n := range t.values {
			if k.scaled && k.row == r.code {
				answered += n
			}
		}
		s := q.scale(t, r.code, answered)
		out = append(out, RowFigures{
			Code: r.code, Label: r.label, Themes: r.themes, Answered: answered,
			NotAnswered: max(0, shown-answered), Scale: s, Indicator: meanIndicator(s.Mean),
		})
	}
	return out
}

// shareIndicator is the most chosen option and its percentage; the first
// in option order wins a tie.
func shareIndicator(opts []OptionCount) *Indicator {
	best := -1
	for i, o := range opts {
		if o.Count > 0 && (best < 0 || o.Count > opts[best].Count) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	o := opts[best]
	return &Indicator{Kind: IndicatorShare, Code: o.Code, Label: o.Label, Value: o.Percent}
}

func meanIndicator(mean *float64) *Indicator {
	if mean == nil {
		return nil
	}
	return &Indicator{Kind: IndicatorMean, Value: *mean}
}
