package api

import (
	"fmt"
	"html/template"
	"slices"
	"strconv"

	"github.com/unodc-csu/agora/analysis"
)

// The views of the analysis pages: every figure becomes a table, and the
// ones that can be drawn also a chart. A suppressed cell is said so in
// words, never shown as zero.

// dataTable is a figure as a table, the accessible form of its chart.
type dataTable struct {
	Caption string
	Head    []string
	Rows    [][]string
	// Groups, when set, head the columns in a first header row.
	Groups []headGroup
}

// figureView is one chart with the table it is drawn from.
type figureView struct {
	Title string
	Note  string // respondents, mean, agreement... or why it is withheld
	Chart template.HTML
	Alt   string // what the chart shows, for those who cannot see it
	Table *dataTable
	// ByType is the breakdown by stakeholder type, when there is one.
	ByType *dataTable
	Texts  []string
}

// suppressedText is how a withheld cell reads on every page.
func suppressedText(min int) string {
	return fmt.Sprintf("suppressed (fewer than %d respondents)", min)
}

func pct(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "%" }

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optPct(v *float64) string {
	if v == nil {
		return "–"
	}
	return pct(*v)
}

// withChart draws the bars of a view; a failure to draw leaves the table.
func (v *figureView) withChart(labels []string, values []float64, max float64, alt string) {
	svg, err := barChart{Labels: labels, Values: values, Max: max}.svg()
	if err == nil && svg != "" {
		v.Chart, v.Alt = svg, alt
	}
}

// rateView is the response rates by stakeholder type.
func rateView(r analysis.ResponseRates) figureView {
	v := figureView{Title: "Response rates", Table: &dataTable{Caption: "Response rates by stakeholder type",
		Head: []string{"Stakeholder type", "Invited", "Open-link visits", "Opened", "Started", "Submitted", "Submitted %"}}}
	row := func(name string, c analysis.RateCounts) []string {
		return []string{name, strconv.Itoa(c.Invited), strconv.Itoa(c.OpenVisits), strconv.Itoa(c.Opened),
			strconv.Itoa(c.Started), strconv.Itoa(c.Submitted), optPct(c.SubmittedPercent)}
	}
	var labels []string
	var values []float64
	types := make([]string, 0, len(r.ByType))
	for t := range r.ByType {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		c := r.ByType[t]
		v.Table.Rows = append(v.Table.Rows, row(t, c))
		if c.SubmittedPercent != nil {
			labels, values = append(labels, t), append(values, *c.SubmittedPercent)
		}
	}
	v.Table.Rows = append(v.Table.Rows, row("All", r.RateCounts))
	if r.SubmittedPercent != nil {
		labels, values = append(labels, "All"), append(values, *r.SubmittedPercent)
	}
	v.withChart(labels, values, 100, "Bar chart of the share of invitations submitted, by stakeholder type; the table gives the figures.")
	return v
}

// questionView is one question's overall figures.
func questionView(q *analysis.QuestionSummary, min int) figureView {
	v := figureView{Title: q.Label}
	f := q.Overall
	if f == nil {
		v.Note = "No figures."
		return v
	}
	if f.Suppressed {
		v.Note = suppressedText(min)
		return v
	}
	v.Note = fmt.Sprintf("%d respondents asked, %d answered, %d did not answer, %d not shown.", f.Respondents, f.Answered, f.NotAnswered, f.NotShown)
	switch {
	case len(f.Options) > 0:
		v.Table = &dataTable{Caption: "Answers to: " + q.Label, Head: []string{"Option", "Count", "% of answers"}}
		var labels []string
		var values []float64
		for _, o := range f.Options {
			v.Table.Rows = append(v.Table.Rows, []string{o.Label, strconv.Itoa(o.Count), pct(o.Percent)})
			labels, values = append(labels, o.Label), append(values, o.Percent)
		}
		v.withChart(labels, values, 100, "Bar chart of the share of answers per option; the table gives the figures.")
	case f.Scale != nil:
		v.Table, v.Chart, v.Alt = scaleView(q.Label, f.Scale)
		if f.Scale.Mean != nil {
			v.Note += " Mean " + strconv.FormatFloat(*f.Scale.Mean, 'f', 2, 64) + "."
		}
	case f.Number != nil:
		n := f.Number
		v.Table = &dataTable{Caption: "Numbers given in answer to: " + q.Label, Head: []string{"Count", "Mean", "Minimum", "First quartile", "Median", "Third quartile", "Maximum"},
			Rows: [][]string{{strconv.Itoa(n.Count), strconv.FormatFloat(n.Mean, 'f', 2, 64), num(n.Min), num(n.Q1), num(n.Median), num(n.Q3), num(n.Max)}}}
	case f.Ranking != nil:
		v.Table, v.Chart, v.Alt = rankingView(q.Label, f.Ranking.Items)
		if f.Ranking.KendallW != nil {
			v.Note += " Agreement (Kendall's W) " + strconv.FormatFloat(*f.Ranking.KendallW, 'f', 2, 64) + "."
		}
	case len(f.Rows) > 0:
		v.Table = &dataTable{Caption: "Rows of: " + q.Label, Head: []string{"Row", "Answered", "Mean"}}
		var labels []string
		var values []float64
		for _, r := range f.Rows {
			mean := "–"
			if r.Scale.Mean != nil {
				mean = strconv.FormatFloat(*r.Scale.Mean, 'f', 2, 64)
				labels, values = append(labels, r.Label), append(values, *r.Scale.Mean)
			}
			v.Table.Rows = append(v.Table.Rows, []string{r.Label, strconv.Itoa(r.Answered), mean})
		}
		v.withChart(labels, values, 0, "Bar chart of the mean per row; the table gives the figures.")
	}
	for _, t := range q.Texts {
		v.Texts = append(v.Texts, t.Text)
	}
	v.ByType = byTypeTable(q, min)
	return v
}

// byTypeTable says how many of each stakeholder type answered, or that the
// group is suppressed.
func byTypeTable(q *analysis.QuestionSummary, min int) *dataTable {
	if len(q.ByType) == 0 {
		return nil
	}
	t := &dataTable{Caption: "By stakeholder type: " + q.Label, Head: []string{"Stakeholder type", "Respondents asked", "Answered"}}
	types := make([]string, 0, len(q.ByType))
	for typ := range q.ByType {
		types = append(types, typ)
	}
	slices.Sort(types)
	for _, typ := range types {
		switch f := q.ByType[typ]; {
		case f == nil:
		case f.Suppressed:
			t.Rows = append(t.Rows, []string{typ, suppressedText(min), suppressedText(min)})
		default:
			t.Rows = append(t.Rows, []string{typ, strconv.Itoa(f.Respondents), strconv.Itoa(f.Answered)})
		}
	}
	return t
}

func scaleView(label string, s *analysis.ScaleFigures) (*dataTable, template.HTML, string) {
	t := &dataTable{Caption: "Answers to: " + label, Head: []string{"Point", "Count", "% of answers"}}
	var labels []string
	var values []float64
	for _, p := range s.Points {
		t.Rows = append(t.Rows, []string{p.Label, strconv.Itoa(p.Count), pct(p.Percent)})
		labels, values = append(labels, p.Label), append(values, p.Percent)
	}
	svg, err := barChart{Labels: labels, Values: values, Max: 100}.svg()
	if err != nil {
		svg = ""
	}
	return t, svg, "Bar chart of the share of answers per point of the scale; the table gives the figures."
}

func rankingView(label string, items []analysis.RankedItem) (*dataTable, template.HTML, string) {
	t := &dataTable{Caption: "Priorities in: " + label, Head: []string{"Place", "Option", "Borda score", "Ranked first", "% in top 3"}}
	var labels []string
	var values []float64
	for _, it := range items {
		t.Rows = append(t.Rows, []string{strconv.Itoa(it.Order), it.Label, strconv.Itoa(it.Borda), strconv.Itoa(it.First), pct(it.Top3Percent)})
		labels, values = append(labels, it.Label), append(values, float64(it.Borda))
	}
	svg, err := barChart{Labels: labels, Values: values}.svg()
	if err != nil {
		svg = ""
	}
	return t, svg, "Bar chart of the Borda score per option; the table gives the figures."
}

// priorityView is one ranking question of an instrument's priorities.
func priorityView(q analysis.PriorityQuestion, min int) figureView {
	v := figureView{Title: q.Label}
	if q.Suppressed {
		v.Note = suppressedText(min)
		return v
	}
	v.Note = fmt.Sprintf("%d respondents ranked.", q.Answered)
	if q.KendallW != nil {
		v.Note += " Agreement (Kendall's W, 0 none to 1 complete) " + strconv.FormatFloat(*q.KendallW, 'f', 2, 64) + "."
	}
	v.Table, v.Chart, v.Alt = rankingView(q.Label, q.Top)
	return v
}

// groupRows lists the respondents of each group of a breakdown.
func groupRows(groups []analysis.Group, min int) [][]string {
	var rows [][]string
	for _, g := range groups {
		n := strconv.Itoa(g.Respondents)
		if g.Suppressed {
			n = suppressedText(min)
		}
		name := g.Name
		if name == "" {
			name = g.Code
		}
		rows = append(rows, []string{name, n})
	}
	return rows
}
