package exports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/analysis"
)

// grid writes a small sheet cell by cell (the summary sheets are bounded by
// the number of questions and options, not of responses).
type grid struct {
	f     *excelize.File
	sheet string
	r     int
	err   error
}

// set writes v at column col of the current row, keeping the first error.
func (g *grid) set(col int, v any, style int) {
	if g.err != nil || v == nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(col, g.r)
	if g.err = g.f.SetCellValue(g.sheet, cell, v); g.err == nil && style != 0 {
		g.err = g.f.SetCellStyle(g.sheet, cell, cell, style)
	}
}

// line writes values from column 1 on the current row, then moves down.
func (g *grid) line(style int, values ...any) {
	for i, v := range values {
		g.set(i+1, v, style)
	}
	g.r++
}

// ref is an absolute reference to a column range of this sheet.
func (g *grid) ref(col, from, to int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", strings.ReplaceAll(g.sheet, "'", "''"), c, from, c, to)
}

// note writes a label and a long text on one row, the text wrapped over
// columns B to H, and makes the row tall enough to show it whole.
func (g *grid) note(st styles, label, text string) {
	g.set(1, label, st.header)
	g.set(2, text, st.wrap)
	if g.err == nil {
		b, _ := excelize.CoordinatesToCellName(2, g.r)
		h, _ := excelize.CoordinatesToCellName(8, g.r)
		g.err = g.f.MergeCell(g.sheet, b, h)
	}
	if g.err == nil {
		lines := 2 + len([]rune(text))/75
		g.err = g.f.SetRowHeight(g.sheet, g.r, float64(15*lines+3))
	}
	g.r++
}

// fitRow makes the current row tall enough for its wrapped texts, given
// the widths of the first columns (in characters) and of the others:
// LibreOffice keeps the default height of rows written without one.
func (g *grid) fitRow(values []any, widths []float64, rest float64) {
	lines := 1
	for i, v := range values {
		s, ok := v.(string)
		if !ok {
			continue
		}
		w := rest
		if i < len(widths) {
			w = widths[i]
		}
		lines = max(lines, int(float64(len([]rune(s)))/(w*1.1))+1)
	}
	if lines > 1 && g.err == nil {
		g.err = g.f.SetRowHeight(g.sheet, g.r, float64(min(lines, 12)*15))
	}
}

// cellRef is an absolute reference to one cell of this sheet, as a chart
// series name wants it.
func (g *grid) cellRef(col, row int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("'%s'!$%s$%d", strings.ReplaceAll(g.sheet, "'", "''"), c, row)
}

func newGrid(f *excelize.File, used map[string]bool, name string) (*grid, error) {
	sheet := SheetName(name, used)
	if _, err := f.NewSheet(sheet); err != nil {
		return nil, err
	}
	return &grid{f: f, sheet: sheet, r: 1}, nil
}

// writeSummarySheet writes one block per theme, with each question's
// figures and a bar chart beside choice, scale and ranking questions.
func writeSummarySheet(f *excelize.File, st styles, used map[string]bool, s *analysis.Summary, l labels) error {
	g, err := newGrid(f, used, "Summary by theme")
	if err != nil {
		return err
	}
	byCode := map[string]*analysis.QuestionSummary{}
	for _, q := range s.Questions {
		byCode[q.Code] = q
	}
	g.line(st.title, "Summary by theme")
	g.line(0, fmt.Sprintf("%d respondents. Percentages are of those who answered the question.", s.Respondents))
	if s.Suppressed {
		g.line(st.bold, "Every figure is withheld: fewer respondents than the smallest group shown.")
	}
	g.r++
	seen := map[string]bool{}
	var walk func(n *analysis.ThemeNode, depth int)
	walk = func(n *analysis.ThemeNode, depth int) {
		g.line(st.header, strings.Repeat("  ", depth)+n.Code+" — "+n.Name)
		for _, it := range n.Items {
			if q := byCode[it.Question]; q != nil {
				seen[q.Code] = true
				questionBlock(g, st, q, it.Row, l)
			}
		}
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	for _, n := range s.Themes {
		walk(n, 0)
	}
	first := true
	for _, q := range s.Questions {
		if !seen[q.Code] {
			if first {
				g.line(st.header, "Questions without a theme")
				first = false
			}
			questionBlock(g, st, q, "", l)
		}
	}
	if g.err != nil {
		return g.err
	}
	if err := f.SetColWidth(g.sheet, "A", "A", 48); err != nil {
		return err
	}
	return f.SetColWidth(g.sheet, "B", "H", 12)
}

// questionBlock writes one question's figures; row, when set, limits a
// matrix to that row.
func questionBlock(g *grid, st styles, q *analysis.QuestionSummary, row string, l labels) {
	g.line(st.bold, SafeText(q.Code+" — "+q.Label))
	fig := q.Overall
	if fig == nil || fig.Suppressed {
		rule := analysis.SuppressedSelection
		if fig != nil {
			rule = fig.SuppressedBy
		}
		g.line(0, SuppressedNote(rule, l.minCell))
		g.r++
		return
	}
	g.line(0, "Respondents", fig.Respondents, "Answered", fig.Answered, "Not answered", fig.NotAnswered, "Not shown", fig.NotShown)
	switch {
	case fig.Ranking != nil:
		g.line(st.header, "Option", "Borda score", "Order", "First", "Top 3", "First %", "Top 3 %")
		start := g.r
		for _, it := range fig.Ranking.Items {
			g.line(0, SafeText(l.pick(it.Label, it.Code)), it.Borda, it.Order, it.First, it.Top3, it.FirstPercent, it.Top3Percent)
		}
		if fig.Ranking.KendallW != nil {
			g.line(0, "Kendall's W (agreement)", *fig.Ranking.KendallW)
		}
		chart(g, q.Label, start, start+len(fig.Ranking.Items)-1, "Borda score")
	case len(fig.Options) > 0:
		g.line(st.header, "Option", "Count", "Percent")
		start := g.r
		for _, o := range fig.Options {
			if o.Suppressed {
				g.line(0, SafeText(l.pick(o.Label, o.Code)), SuppressedNote(o.SuppressedBy, l.minCell))
				continue
			}
			g.line(0, SafeText(l.pick(o.Label, o.Code)), o.Count, o.Percent)
		}
		chart(g, q.Label, start, g.r-1, "Count")
	case fig.Scale != nil:
		scaleBlock(g, st, q.Label, fig.Scale)
	case fig.Number != nil:
		n := fig.Number
		g.line(st.header, "Count", "Mean", "Min", "Q1", "Median", "Q3", "Max")
		g.line(0, n.Count, n.Mean, n.Min, n.Q1, n.Median, n.Q3, n.Max)
	case len(fig.Rows) > 0:
		g.line(st.header, "Row", "Answered", "Mean", "Valid")
		for _, r := range fig.Rows {
			if row != "" && r.Code != row {
				continue
			}
			if r.Suppressed {
				g.line(0, SafeText(l.pick(r.Label, r.Code)), SuppressedNote(r.SuppressedBy, l.minCell))
				continue
			}
			var mean any
			if r.Scale.Mean != nil {
				mean = *r.Scale.Mean
			}
			g.line(0, SafeText(l.pick(r.Label, r.Code)), r.Answered, mean, r.Scale.Valid)
		}
	}
	g.r++
}

func scaleBlock(g *grid, st styles, label string, sc *analysis.ScaleFigures) {
	g.line(st.header, "Point", "Count", "Percent", "Value")
	start := g.r
	for _, p := range sc.Points {
		g.line(0, SafeText(p.Label), p.Count, p.Percent, p.Value)
	}
	chart(g, label, start, g.r-1, "Count")
	if sc.Mean != nil {
		g.line(0, "Mean (valid answers)", *sc.Mean, "Valid", sc.Valid)
	}
}

// pick returns the code instead of the label when codes were asked for.
func (l labels) pick(label, code string) string {
	if l.codes && code != "" {
		return code
	}
	return label
}

// chart places a bar chart of column B over rows from..to beside the block.
func chart(g *grid, title string, from, to int, series string) {
	if g.err != nil || to < from {
		return
	}
	g.err = g.f.AddChart(g.sheet, fmt.Sprintf("J%d", from-2), &excelize.Chart{
		Type:      excelize.Bar,
		Series:    []excelize.ChartSeries{{Name: series, Categories: g.ref(1, from, to), Values: g.ref(2, from, to)}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: truncateRunes(title, 120)}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 480, Height: uint(max(160, 40+22*(to-from+1)))},
		Format:    excelize.GraphicOptions{ScaleX: 1, ScaleY: 1},
	})
	// keep the next block below the chart
	if rows := max(8, 2+(to-from+1)*22/20) - (g.r - from); rows > 0 {
		g.r += rows
	}
}

// writePriorities lists, per instrument, the ranking questions' top items
// with the agreement measure.
func writePriorities(f *excelize.File, st styles, used map[string]bool, s *analysis.Summary, l labels) error {
	g, err := newGrid(f, used, "Priorities")
	if err != nil {
		return err
	}
	g.line(st.title, "Priorities")
	g.line(0, "Top items of each ranking question, by Borda score. Kendall's W: 0 no agreement, 1 all rank alike; below 0.1 read the top-3 share rather than the order.")
	g.r++
	if len(s.Priorities) == 0 {
		g.line(0, "No ranking question in this questionnaire.")
	}
	for _, p := range s.Priorities {
		g.line(st.header, p.Theme+" — "+p.Name)
		for _, q := range p.Questions {
			g.line(st.bold, SafeText(q.Question+" — "+q.Label))
			if q.Suppressed {
				g.line(0, SuppressedNote(q.SuppressedBy, l.minCell))
				continue
			}
			var w any
			if q.KendallW != nil {
				w = *q.KendallW
			}
			g.line(0, "Answered", q.Answered, "Kendall's W", w)
			g.line(st.header, "Rank", "Option", "Borda score", "First", "Top 3", "First %", "Top 3 %", "Mean rank")
			for _, it := range q.Top {
				var mean any
				if it.MeanRank != nil {
					mean = *it.MeanRank
				}
				g.line(0, it.Order, SafeText(l.pick(it.Label, it.Code)), it.Borda, it.First, it.Top3, it.FirstPercent, it.Top3Percent, mean)
			}
			g.r++
		}
	}
	if g.err != nil {
		return g.err
	}
	if err := f.SetColWidth(g.sheet, "A", "A", 40); err != nil {
		return err
	}
	return f.SetColWidth(g.sheet, "B", "B", 36)
}
