package staff

import (
	"html/template"
	"slices"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/web"
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
	// Texts are text answers, listed under TextsLabel.
	Texts      []string
	TextsLabel string
}

// viewWords are an analysis page's words and number formats, in its
// language; the views are built with them.
type viewWords struct {
	web.Messages
	numberFormat
}

func newViewWords(m web.Messages) viewWords {
	return viewWords{Messages: m, numberFormat: newNumberFormat(m.Lang())}
}

// typeKeyPrefix and regionKeyPrefix name the catalog keys of stakeholder
// types (shared with the other staff pages) and of regional groups.
const (
	typeKeyPrefix   = "type."
	regionKeyPrefix = "analysis.region."
)

// typeName is a stakeholder type's label; an unknown code shows as itself.
func (w viewWords) typeName(code string) string {
	if staffCatalog.Has("en", typeKeyPrefix+code) {
		return w.T(typeKeyPrefix + code)
	}
	return code
}

// regionName is a regional group's name; name is the reference data's,
// for a group the catalog does not know.
func (w viewWords) regionName(code, name string) string {
	if staffCatalog.Has("en", regionKeyPrefix+code) {
		return w.T(regionKeyPrefix + code)
	}
	return name
}

// suppressed is how a withheld cell reads on every page.
func (w viewWords) suppressed(min int) string {
	return w.T("analysis.suppressed", "n", w.Int(min))
}

// pct writes a percentage with one decimal.
func (w viewWords) pct(v float64) string { return w.T("analysis.percent", "n", w.Dec(v, 1)) }

func (w viewWords) optPct(v *float64) string {
	if v == nil {
		return "–"
	}
	return w.pct(*v)
}

// withChart draws the bars of a view; a failure to draw leaves the table.
func (v *figureView) withChart(w viewWords, labels []string, values []float64, max float64, axis, alt string) {
	svg, err := barChart{Labels: labels, Values: values, Max: max, Format: w.Num, Axis: axis}.svg()
	if err == nil && svg != "" {
		v.Chart, v.Alt = svg, alt
	}
}

// rateView is the response rates by stakeholder type.
func rateView(w viewWords, r analysis.ResponseRates) figureView {
	v := figureView{Title: w.T("analysis.rates"), Table: &dataTable{Caption: w.T("analysis.rates_caption"),
		Head: []string{w.T("analysis.stakeholder_type"), w.T("analysis.invited"), w.T("analysis.open_visits"), w.T("analysis.opened"),
			w.T("analysis.started"), w.T("analysis.submitted"), w.T("analysis.submitted_pct")}}}
	row := func(name string, c analysis.RateCounts) []string {
		return []string{name, w.Int(c.Invited), w.Int(c.OpenVisits), w.Int(c.Opened),
			w.Int(c.Started), w.Int(c.Submitted), w.optPct(c.SubmittedPercent)}
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
		v.Table.Rows = append(v.Table.Rows, row(w.typeName(t), c))
		if c.SubmittedPercent != nil {
			labels, values = append(labels, w.typeName(t)), append(values, *c.SubmittedPercent)
		}
	}
	v.Table.Rows = append(v.Table.Rows, row(w.T("analysis.all"), r.RateCounts))
	if r.SubmittedPercent != nil {
		labels, values = append(labels, w.T("analysis.all")), append(values, *r.SubmittedPercent)
	}
	v.withChart(w, labels, values, 100, w.T("analysis.submitted_pct"), w.T("analysis.rates_alt"))
	return v
}

// questionView is one question's overall figures.
func questionView(w viewWords, q *analysis.QuestionSummary, min int) figureView {
	v := figureView{Title: q.Label}
	f := q.Overall
	if f == nil {
		v.Note = w.T("analysis.no_figures")
		return v
	}
	if f.Suppressed {
		v.Note = w.suppressed(min)
		return v
	}
	v.Note = w.T("analysis.answered_note", "asked", w.Int(f.Respondents), "answered", w.Int(f.Answered),
		"unanswered", w.Int(f.NotAnswered), "hidden", w.Int(f.NotShown))
	switch {
	case len(f.Options) > 0:
		v.Table = &dataTable{Caption: w.T("analysis.answers_to", "question", q.Label),
			Head: []string{w.T("analysis.option"), w.T("analysis.count"), w.T("analysis.share")}}
		var labels []string
		var values []float64
		for _, o := range f.Options {
			v.Table.Rows = append(v.Table.Rows, []string{o.Label, w.Int(o.Count), w.pct(o.Percent)})
			labels, values = append(labels, o.Label), append(values, o.Percent)
		}
		v.withChart(w, labels, values, 100, w.T("analysis.share"), w.T("analysis.options_alt"))
	case f.Scale != nil:
		v.Table, v.Chart, v.Alt = scaleView(w, q.Label, f.Scale)
		if f.Scale.Mean != nil {
			v.Note += " " + w.T("analysis.mean_note", "n", w.Dec(*f.Scale.Mean, 2))
		}
	case f.Number != nil:
		n := f.Number
		v.Table = &dataTable{Caption: w.T("analysis.numbers_caption", "question", q.Label),
			Head: []string{w.T("analysis.count"), w.T("analysis.mean"), w.T("analysis.minimum"), w.T("analysis.q1"),
				w.T("analysis.median"), w.T("analysis.q3"), w.T("analysis.maximum")},
			Rows: [][]string{{w.Int(n.Count), w.Dec(n.Mean, 2), w.Num(n.Min), w.Num(n.Q1), w.Num(n.Median), w.Num(n.Q3), w.Num(n.Max)}}}
	case f.Ranking != nil:
		v.Table, v.Chart, v.Alt = rankingView(w, q.Label, f.Ranking.Items)
		if f.Ranking.KendallW != nil {
			v.Note += " " + w.T("analysis.agreement_note", "n", w.Dec(*f.Ranking.KendallW, 2))
		}
	case len(f.Rows) > 0:
		v.Table = &dataTable{Caption: w.T("analysis.rows_caption", "question", q.Label),
			Head: []string{w.T("analysis.row"), w.T("analysis.answered"), w.T("analysis.mean")}}
		var labels []string
		var values []float64
		for _, r := range f.Rows {
			mean := "–"
			if r.Scale.Mean != nil {
				mean = w.Dec(*r.Scale.Mean, 2)
				labels, values = append(labels, r.Label), append(values, *r.Scale.Mean)
			}
			v.Table.Rows = append(v.Table.Rows, []string{r.Label, w.Int(r.Answered), mean})
		}
		v.withChart(w, labels, values, 0, w.T("analysis.mean"), w.T("analysis.rows_alt"))
	}
	for _, t := range q.Texts {
		v.Texts = append(v.Texts, t.Text)
	}
	if len(v.Texts) > 0 {
		v.TextsLabel = w.T("analysis.texts", "n", w.Int(len(v.Texts)))
	}
	v.ByType = byTypeTable(w, q, min)
	return v
}

// byTypeTable says how many of each stakeholder type answered, or that the
// group is suppressed.
func byTypeTable(w viewWords, q *analysis.QuestionSummary, min int) *dataTable {
	if len(q.ByType) == 0 {
		return nil
	}
	t := &dataTable{Caption: w.T("analysis.by_type_caption", "question", q.Label),
		Head: []string{w.T("analysis.stakeholder_type"), w.T("analysis.asked"), w.T("analysis.answered")}}
	types := make([]string, 0, len(q.ByType))
	for typ := range q.ByType {
		types = append(types, typ)
	}
	slices.Sort(types)
	for _, typ := range types {
		switch f := q.ByType[typ]; {
		case f == nil:
		case f.Suppressed:
			t.Rows = append(t.Rows, []string{w.typeName(typ), w.suppressed(min), w.suppressed(min)})
		default:
			t.Rows = append(t.Rows, []string{w.typeName(typ), w.Int(f.Respondents), w.Int(f.Answered)})
		}
	}
	return t
}

func scaleView(w viewWords, label string, s *analysis.ScaleFigures) (*dataTable, template.HTML, string) {
	t := &dataTable{Caption: w.T("analysis.answers_to", "question", label),
		Head: []string{w.T("analysis.point"), w.T("analysis.count"), w.T("analysis.share")}}
	var labels []string
	var values []float64
	for _, p := range s.Points {
		t.Rows = append(t.Rows, []string{p.Label, w.Int(p.Count), w.pct(p.Percent)})
		labels, values = append(labels, p.Label), append(values, p.Percent)
	}
	svg, err := barChart{Labels: labels, Values: values, Max: 100, Format: w.Num, Axis: w.T("analysis.share")}.svg()
	if err != nil {
		svg = ""
	}
	return t, svg, w.T("analysis.scale_alt")
}

func rankingView(w viewWords, label string, items []analysis.RankedItem) (*dataTable, template.HTML, string) {
	t := &dataTable{Caption: w.T("analysis.priorities_caption", "question", label),
		Head: []string{w.T("analysis.place"), w.T("analysis.option"), w.T("analysis.borda"), w.T("analysis.first"), w.T("analysis.top3")}}
	var labels []string
	var values []float64
	for _, it := range items {
		t.Rows = append(t.Rows, []string{w.Int(it.Order), it.Label, w.Int(it.Borda), w.Int(it.First), w.pct(it.Top3Percent)})
		labels, values = append(labels, it.Label), append(values, float64(it.Borda))
	}
	svg, err := barChart{Labels: labels, Values: values, Format: w.Num, Axis: w.T("analysis.borda")}.svg()
	if err != nil {
		svg = ""
	}
	return t, svg, w.T("analysis.ranking_alt")
}

// priorityView is one ranking question of an instrument's priorities.
func priorityView(w viewWords, q analysis.PriorityQuestion, min int) figureView {
	v := figureView{Title: q.Label}
	if q.Suppressed {
		v.Note = w.suppressed(min)
		return v
	}
	v.Note = w.T("analysis.ranked_note", "n", w.Int(q.Answered))
	if q.KendallW != nil {
		v.Note += " " + w.T("analysis.agreement_scale_note", "n", w.Dec(*q.KendallW, 2))
	}
	v.Table, v.Chart, v.Alt = rankingView(w, q.Label, q.Top)
	return v
}

// groupRows lists the respondents of each group of a breakdown.
func groupRows(w viewWords, groups []analysis.Group, min int) [][]string {
	var rows [][]string
	for _, g := range groups {
		n := w.Int(g.Respondents)
		if g.Suppressed {
			n = w.suppressed(min)
		}
		name := g.Name
		if name == "" {
			name = w.typeName(g.Code)
		}
		rows = append(rows, []string{name, n})
	}
	return rows
}
