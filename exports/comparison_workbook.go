package exports

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// ComparisonRequest names a comparison workbook and who asks for it.
type ComparisonRequest struct {
	Questionnaire string
	Countries     []string
	Scope         forms.Scope
	Role          string // the requester's, which decides what is suppressed
	Language      string
	Codes         bool
}

// BuildComparison computes the comparison within the requester's scope and
// writes the CSU's workbook to w.
func BuildComparison(ctx context.Context, an *analysis.Analyzer, req ComparisonRequest, w io.Writer) error {
	c, err := an.Compare(ctx, req.Scope, analysis.Viewer{Role: req.Role}, req.Questionnaire,
		analysis.CompareOptions{Countries: req.Countries, Language: req.Language})
	if err != nil {
		return err
	}
	return WriteComparison(w, c, req.Codes)
}

// compColumn is one value column of a comparison sheet: a country or the
// subtotal of a regional group.
type compColumn struct {
	title, code string
	subtotal    bool
	suppressed  bool
}

// comparisonColumns orders countries by regional group, each group followed
// by its subtotal; countries without a group come last.
func comparisonColumns(c *analysis.Comparison) []compColumn {
	var cols []compColumn
	placed := map[string]bool{}
	for _, g := range c.RegionalGroups {
		for _, ct := range c.Countries {
			if ct.RegionalGroup == g.Code {
				cols = append(cols, compColumn{title: ct.Name + " (" + ct.ISO3 + ")", code: ct.ISO3, suppressed: ct.Suppressed})
				placed[ct.ISO3] = true
			}
		}
		cols = append(cols, compColumn{title: g.Name + " — subtotal", code: g.Code, subtotal: true, suppressed: g.Suppressed})
	}
	for _, ct := range c.Countries {
		if !placed[ct.ISO3] {
			cols = append(cols, compColumn{title: ct.Name + " (" + ct.ISO3 + ")", code: ct.ISO3, suppressed: ct.Suppressed})
		}
	}
	return cols
}

// WriteComparison writes a theme × country table per instrument, with
// regional-group subtotals and a chart of the subtotals, after an Overview
// of the countries compared.
func WriteComparison(w io.Writer, c *analysis.Comparison, codes bool) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	overview := SheetName("Overview", used)
	if err := f.SetSheetName("Sheet1", overview); err != nil {
		return err
	}
	if err := comparisonOverview(f, st, overview, c); err != nil {
		return err
	}
	cols := comparisonColumns(c)
	byCode := map[string]*analysis.QuestionComparison{}
	for _, q := range c.Questions {
		byCode[q.Code] = q
	}
	for _, inst := range c.Themes {
		if err := instrumentSheet(f, st, used, inst, byCode, cols, labels{codes: codes, st: st}); err != nil {
			return err
		}
	}
	if err := printSetup(f, func(string) bool { return false }); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: SafeText("Comparison " + c.Questionnaire.Code), Creator: "Agora"}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func comparisonOverview(f *excelize.File, st styles, sheet string, c *analysis.Comparison) error {
	g := &grid{f: f, sheet: sheet, r: 1}
	g.line(st.title, "Comparison of countries")
	g.line(0, "Questionnaire", SafeText(c.Questionnaire.Code+" — "+c.Questionnaire.Title), fmt.Sprint("versions ", c.Questionnaire.Versions))
	g.line(0, "Language of the labels", c.Language)
	g.line(0, "Exported (UTC)", c.Generated.UTC().Format("2006-01-02 15:04"))
	g.note(st, "How to read", "One sheet per instrument: a row per question (or matrix row) under its theme, a column per country, grouped by UN regional group with a subtotal. "+
		"A cell holds the question's key figure, named in the Figure column: the share of the most chosen option, the mean of a scale, the median of numbers, the Borda score of the first-ranked option, or the number who answered. "+
		"For a choice or a ranking the next row names, per country, the option the figure is about. \"suppressed\" marks a group too small to show. "+
		"Below each table, one chart per kind of figure compares the regional subtotals.")
	g.r++
	g.line(st.header, "Country", "ISO3", "Regional group", "Respondents", "Consultations")
	for _, ct := range c.Countries {
		var n any = ct.Respondents
		if ct.Suppressed {
			n = "suppressed"
		}
		g.line(0, ct.Name, ct.ISO3, ct.RegionalGroup, n, ct.Consultations)
	}
	if g.err != nil {
		return g.err
	}
	return f.SetColWidth(sheet, "A", "A", 28)
}

// compRow is one line of an instrument sheet: a question (or matrix row)
// and one of its figures, with a value (or label) per column.
type compRow struct {
	theme, question, figure string
	unit                    string // the chart the row goes to; "" for label rows
	cells                   []any
}

// instrumentSheet writes one instrument's theme × country table, then one
// chart per unit (percentages, means, medians, Borda scores, counts) below
// it, each drawn from a small table of its own rows.
func instrumentSheet(f *excelize.File, st styles, used map[string]bool, inst *analysis.ThemeNode,
	byCode map[string]*analysis.QuestionComparison, cols []compColumn, l labels) error {
	g, err := newGrid(f, used, inst.Code)
	if err != nil {
		return err
	}
	header := []any{"Theme", "Question", "Figure"}
	for _, c := range cols {
		header = append(header, c.title)
	}
	g.fitRow(header, []float64{16, 50}, 16)
	g.line(st.header, header...)
	var rows []compRow
	var walk func(n *analysis.ThemeNode)
	walk = func(n *analysis.ThemeNode) {
		for _, it := range n.Items {
			if q := byCode[it.Question]; q != nil {
				rows = append(rows, comparisonRows(n, q, it.Row, cols, l)...)
			}
		}
		for _, ch := range n.Children {
			walk(ch)
		}
	}
	walk(inst)
	for _, r := range rows {
		for i, v := range append([]any{r.theme, SafeText(r.question), r.figure}, r.cells...) {
			style := st.wrap
			if _, ok := v.(float64); ok {
				style = st.number
			}
			g.set(i+1, v, style)
		}
		g.fitRow(append([]any{r.theme, r.question, r.figure}, r.cells...), []float64{16, 50}, 16)
		g.r++
	}
	last := g.r - 1
	if g.err != nil {
		return g.err
	}
	if err := finishTable(f, g.sheet, len(header), last); err != nil {
		return err
	}
	return unitCharts(g, st, inst.Name, cols, rows)
}

// Units of the comparison figures: one chart each, never two on one axis.
const (
	unitPercent = "% choosing the most chosen option"
	unitMean    = "mean of the scale"
	unitMedian  = "median"
	unitBorda   = "Borda score of the first-ranked option"
	unitCount   = "number who answered"
)

// comparisonRows lays out one question (or one matrix row; every row of a
// matrix when row is empty) as lines of figures per column. A share or a
// ranking adds a line naming, per column, the option the figure is about:
// the most chosen option differs from one country to the next.
func comparisonRows(n *analysis.ThemeNode, q *analysis.QuestionComparison, row string, cols []compColumn, l labels) []compRow {
	if q.Type == forms.TypeMatrix && row == "" {
		var out []compRow
		for _, r := range matrixRowCodes(q, cols) {
			out = append(out, comparisonRows(n, q, r, cols, l)...)
		}
		return out
	}
	label := q.Code + " — " + q.Label
	if row != "" {
		label += " / " + matrixRowLabel(q, cols, row, l)
	}
	value := compRow{theme: n.Code, question: label}
	var named *compRow
	for _, c := range cols {
		fig := columnFigures(q, c)
		ind := indicatorOf(fig, row)
		switch {
		case fig != nil && fig.Suppressed:
			value.cells = append(value.cells, "suppressed")
		case ind == nil:
			value.cells = append(value.cells, nil)
		default:
			value.unit = indicatorUnit(ind.Kind)
			value.cells = append(value.cells, ind.Value)
		}
		if ind != nil && (ind.Kind == analysis.IndicatorShare || ind.Kind == analysis.IndicatorTop) && named == nil {
			named = &compRow{theme: n.Code, question: label, cells: make([]any, len(cols))}
		}
	}
	value.figure = value.unit
	if named == nil {
		return []compRow{value}
	}
	named.figure = "the most chosen option"
	if value.unit == unitBorda {
		named.figure = "the first-ranked option"
	}
	for i, c := range cols {
		fig := columnFigures(q, c)
		if ind := indicatorOf(fig, row); ind != nil {
			named.cells[i] = SafeText(l.pick(ind.Label, ind.Code))
		} else if fig != nil && fig.Suppressed {
			named.cells[i] = "suppressed"
		}
	}
	return []compRow{value, *named}
}

// columnFigures is the figures of q in one column.
func columnFigures(q *analysis.QuestionComparison, c compColumn) *analysis.Figures {
	if c.subtotal {
		return q.ByRegionalGroup[c.code]
	}
	return q.ByCountry[c.code]
}

// matrixRowCodes lists a matrix's rows in the order the first column
// with figures gives them.
func matrixRowCodes(q *analysis.QuestionComparison, cols []compColumn) []string {
	var out []string
	for _, c := range cols {
		if fig := columnFigures(q, c); fig != nil && !fig.Suppressed {
			for _, r := range fig.Rows {
				if !slices.Contains(out, r.Code) {
					out = append(out, r.Code)
				}
			}
		}
	}
	return out
}

func matrixRowLabel(q *analysis.QuestionComparison, cols []compColumn, row string, l labels) string {
	for _, c := range cols {
		if fig := columnFigures(q, c); fig != nil {
			for _, r := range fig.Rows {
				if r.Code == row {
					return l.pick(r.Label, r.Code)
				}
			}
		}
	}
	return row
}

func indicatorUnit(kind string) string {
	switch kind {
	case analysis.IndicatorShare:
		return unitPercent
	case analysis.IndicatorMean:
		return unitMean
	case analysis.IndicatorMedian:
		return unitMedian
	case analysis.IndicatorTop:
		return unitBorda
	}
	return unitCount
}

func indicatorOf(f *analysis.Figures, row string) *analysis.Indicator {
	if f == nil || f.Suppressed {
		return nil
	}
	if row != "" {
		for _, r := range f.Rows {
			if r.Code == row {
				return r.Indicator
			}
		}
		return nil
	}
	return f.Indicator
}

// finishTable freezes the header row and first two columns, sets the
// filter, widths and print titles of a comparison sheet.
func finishTable(f *excelize.File, sheet string, ncols, last int) error {
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(ncols, max(last, 1))
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 50); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(max(ncols, 3))
	if err := f.SetColWidth(sheet, "C", lastCol, 16); err != nil {
		return err
	}
	return printTitles(f, sheet, 1)
}

// unitCharts writes, below the table, one small table per unit holding
// the rows of that unit (the regional subtotals, or the countries when
// no country has a group), and a bar chart of it beside: series names are
// references to its header cells, and counts tick at whole numbers.
func unitCharts(g *grid, st styles, title string, cols []compColumn, rows []compRow) error {
	var keep []int
	for i, c := range cols {
		if c.subtotal {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		for i := range cols {
			keep = append(keep, i)
		}
	}
	g.r += 2
	for _, unit := range []string{unitPercent, unitMean, unitMedian, unitBorda, unitCount} {
		var mine []compRow
		for _, r := range rows {
			if r.unit == unit {
				mine = append(mine, r)
			}
		}
		if len(mine) == 0 {
			continue
		}
		if err := unitChart(g, st, title, unit, cols, keep, mine); err != nil {
			return err
		}
	}
	return g.err
}

func unitChart(g *grid, st styles, title, unit string, cols []compColumn, keep []int, rows []compRow) error {
	g.line(st.bold, SafeText(title)+": "+unit)
	head := g.r
	header := []any{"Question"}
	for _, i := range keep {
		header = append(header, cols[i].title)
	}
	g.line(st.header, header...)
	first, top := g.r, 0.0
	for _, r := range rows {
		line := []any{SafeText(truncateRunes(r.question, 60))}
		for _, i := range keep {
			v, _ := r.cells[i].(float64)
			if _, ok := r.cells[i].(float64); ok {
				line = append(line, v)
				top = max(top, v)
			} else {
				line = append(line, nil)
			}
		}
		g.line(0, line...)
	}
	last := g.r - 1
	if g.err != nil {
		return g.err
	}
	var series []excelize.ChartSeries
	for k := range keep {
		series = append(series, excelize.ChartSeries{Name: g.cellRef(2+k, head),
			Categories: g.ref(1, first, last), Values: g.ref(2+k, first, last)})
	}
	axis := excelize.ChartAxis{MajorGridLines: true, Minimum: ptr(0.0)}
	switch unit {
	case unitCount, unitBorda:
		axis.MajorUnit = niceStep(top)
		axis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: "0"}
	case unitPercent:
		axis.Maximum = ptr(100.0)
		axis.MajorUnit = 20
		axis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: "0"}
	}
	cell, _ := excelize.CoordinatesToCellName(len(keep)+3, head-1)
	height := min(1200, max(260, 80+28*len(rows)*max(1, len(keep))/2))
	if err := g.f.AddChart(g.sheet, cell, &excelize.Chart{
		Type: excelize.Bar, Series: series, YAxis: axis, XAxis: excelize.ChartAxis{ReverseOrder: true},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: truncateRunes(title, 80) + ": " + unit, Font: &excelize.Font{Size: 11}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: uint(height)},
	}); err != nil {
		return err
	}
	// keep the next table below the chart (rows are 20 px high)
	g.r = max(g.r, head-1+height/20+2)
	return nil
}

// niceStep is a whole-number tick step giving about five ticks up to top.
func niceStep(top float64) float64 {
	step := 1.0
	for top/step > 6 {
		switch {
		case step*2 >= top/6:
			step *= 2
		case step*5 >= top/6:
			step *= 5
		default:
			step *= 10
		}
	}
	return step
}
