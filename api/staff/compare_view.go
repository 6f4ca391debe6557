package staff

import (
	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// comparedTheme is one theme of a comparison: a table of its questions'
// key figures by country, grouped by regional group, and a chart.
type comparedTheme struct {
	Name  string
	Sub   bool
	Table *dataTable
	Chart figureView
}

// headGroup spans columns of a table's first header row.
type headGroup struct {
	Name string
	Span int
}

// compareColumn is one column of a comparison table: a country, or the
// aggregate of a regional group.
type compareColumn struct {
	code, head string
	region     bool
}

// compareColumns orders the countries by regional group, each group
// followed by its aggregate; countries of no listed group come last.
func compareColumns(w viewWords, cmp *analysis.Comparison) ([]compareColumn, []headGroup) {
	var cols []compareColumn
	var groups []headGroup
	placed := map[string]bool{}
	for _, rg := range cmp.RegionalGroups {
		g := headGroup{Name: w.regionName(rg.Code, rg.Name)}
		for _, c := range cmp.Countries {
			if c.RegionalGroup == rg.Code {
				cols, placed[c.ISO3] = append(cols, compareColumn{code: c.ISO3, head: c.Name}), true
				g.Span++
			}
		}
		cols = append(cols, compareColumn{code: rg.Code, head: w.T("analysis.region_all", "group", g.Name), region: true})
		groups = append(groups, headGroup{Name: g.Name, Span: g.Span + 1})
	}
	other := headGroup{Name: w.T("analysis.other_countries")}
	for _, c := range cmp.Countries {
		if !placed[c.ISO3] {
			cols = append(cols, compareColumn{code: c.ISO3, head: c.Name})
			other.Span++
		}
	}
	if other.Span > 0 {
		groups = append(groups, other)
	}
	return cols, groups
}

// indicatorText is a comparison cell in words.
func indicatorText(w viewWords, f *analysis.Figures) string {
	switch {
	case f == nil:
		return "–"
	case f.Suppressed:
		return w.T("analysis.suppressed_cell")
	case f.Indicator == nil:
		return w.T("analysis.no_answers")
	}
	in := f.Indicator
	switch in.Kind {
	case analysis.IndicatorShare:
		return w.T("analysis.indicator_share", "option", in.Label, "n", w.pct(in.Value))
	case analysis.IndicatorMean:
		return w.T("analysis.indicator_mean", "n", w.Dec(in.Value, 2))
	case analysis.IndicatorMedian:
		return w.T("analysis.indicator_median", "n", w.Num(in.Value))
	case analysis.IndicatorTop:
		return w.T("analysis.indicator_top", "option", in.Label, "n", w.Num(in.Value))
	case analysis.IndicatorAnswered:
		return w.T("analysis.indicator_answered", "n", w.Num(in.Value))
	}
	return w.Num(in.Value)
}

// comparedThemes walks the theme tree; a question is shown under its first
// theme only, and questions under no theme come last when rest is set.
// Themes with no question are left out.
func comparedThemes(w viewWords, cmp *analysis.Comparison, rest bool) []comparedTheme {
	byCode := map[string]*analysis.QuestionComparison{}
	for _, q := range cmp.Questions {
		byCode[q.Code] = q
	}
	cols, groups := compareColumns(w, cmp)
	shown := map[string]bool{}
	var out []comparedTheme
	var walk func(n *analysis.ThemeNode, depth int)
	walk = func(n *analysis.ThemeNode, depth int) {
		var qs []*analysis.QuestionComparison
		for _, it := range n.Items {
			if q := byCode[it.Question]; q != nil && !shown[q.Code] {
				shown[q.Code] = true
				qs = append(qs, q)
			}
		}
		if len(qs) > 0 {
			out = append(out, compareTheme(w, cmp, n.Name, depth > 0, qs, cols, groups))
		}
		for _, ch := range n.Children {
			walk(ch, depth+1)
		}
	}
	for _, n := range cmp.Themes {
		walk(n, 0)
	}
	var others []*analysis.QuestionComparison
	for _, q := range cmp.Questions {
		if !shown[q.Code] && rest {
			others = append(others, q)
		}
	}
	if len(others) > 0 {
		out = append(out, compareTheme(w, cmp, w.T("analysis.other_questions"), false, others, cols, groups))
	}
	return out
}

func compareTheme(w viewWords, cmp *analysis.Comparison, name string, sub bool, qs []*analysis.QuestionComparison, cols []compareColumn, groups []headGroup) comparedTheme {
	t := &dataTable{Caption: w.T("analysis.compare_caption", "theme", name), Head: []string{w.T("analysis.question")}, Groups: groups}
	for _, col := range cols {
		t.Head = append(t.Head, col.head)
	}
	for _, q := range qs {
		cell := func(col compareColumn) *analysis.Figures {
			if col.region {
				return q.ByRegionalGroup[col.code]
			}
			return q.ByCountry[col.code]
		}
		if q.Type == forms.TypeMatrix {
			for _, r := range matrixRows(q) {
				row := []string{q.Label + " — " + r.Label}
				for _, col := range cols {
					row = append(row, indicatorText(w, rowFigures(cell(col), r.Code)))
				}
				t.Rows = append(t.Rows, row)
			}
			continue
		}
		row := []string{q.Label}
		for _, col := range cols {
			row = append(row, indicatorText(w, cell(col)))
		}
		t.Rows = append(t.Rows, row)
	}
	return comparedTheme{Name: name, Sub: sub, Table: t, Chart: compareChart(w, cmp, qs)}
}

// compareChart draws the first question of the theme with a mean, by
// country; without one, the number who answered the first question.
func compareChart(w viewWords, cmp *analysis.Comparison, qs []*analysis.QuestionComparison) figureView {
	pick, mean := qs[0], false
	for _, q := range qs {
		for _, f := range q.ByCountry {
			if f != nil && !f.Suppressed && f.Indicator != nil && f.Indicator.Kind == analysis.IndicatorMean {
				pick, mean = q, true
			}
		}
		if mean {
			break
		}
	}
	v, axis := figureView{Title: w.T("analysis.chart_answered", "question", pick.Label)}, w.T("analysis.answered")
	if mean {
		v.Title, axis = w.T("analysis.chart_mean", "question", pick.Label), w.T("analysis.mean")
	}
	var labels []string
	var values []float64
	for _, c := range cmp.Countries {
		f := pick.ByCountry[c.ISO3]
		switch {
		case f == nil || f.Suppressed:
			continue
		case mean && f.Indicator != nil && f.Indicator.Kind == analysis.IndicatorMean:
			labels, values = append(labels, c.Name), append(values, f.Indicator.Value)
		case !mean:
			labels, values = append(labels, c.Name), append(values, float64(f.Answered))
		}
	}
	v.Note = w.T("analysis.chart_note", "title", v.Title)
	v.withChart(w, labels, values, 0, axis, w.T("analysis.chart_alt", "title", v.Title))
	return v
}

// matrixRows lists a matrix's rows as the first country with figures
// gives them.
func matrixRows(q *analysis.QuestionComparison) []analysis.RowFigures {
	for _, f := range q.ByCountry {
		if f != nil && !f.Suppressed && len(f.Rows) > 0 {
			return f.Rows
		}
	}
	for _, f := range q.ByRegionalGroup {
		if f != nil && !f.Suppressed && len(f.Rows) > 0 {
			return f.Rows
		}
	}
	return nil
}

// rowFigures are one matrix row's figures in a cell, as a cell of their
// own: suppressed when the cell is.
func rowFigures(f *analysis.Figures, row string) *analysis.Figures {
	if f == nil || f.Suppressed {
		return f
	}
	for _, r := range f.Rows {
		if r.Code == row {
			return &analysis.Figures{Answered: r.Answered, Indicator: r.Indicator}
		}
	}
	return &analysis.Figures{}
}
