package exports

import (
	"context"
	"fmt"
	"io"

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
	g.line(0, "How to read", "One sheet per instrument: a row per question (or matrix row) under its theme, a column per country, grouped by UN regional group with a subtotal. A cell holds the question's key figure (see Indicator); \"suppressed\" marks a group too small to show.")
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

// instrumentSheet writes one instrument's theme × country table.
func instrumentSheet(f *excelize.File, st styles, used map[string]bool, inst *analysis.ThemeNode,
	byCode map[string]*analysis.QuestionComparison, cols []compColumn, l labels) error {
	g, err := newGrid(f, used, inst.Code)
	if err != nil {
		return err
	}
	header := []any{"Theme", "Question", "Indicator"}
	for _, c := range cols {
		header = append(header, c.title)
	}
	g.line(st.header, header...)
	first := g.r
	var walk func(n *analysis.ThemeNode)
	walk = func(n *analysis.ThemeNode) {
		for _, it := range n.Items {
			if q := byCode[it.Question]; q != nil {
				comparisonRow(g, n, q, it.Row, cols, l)
			}
		}
		for _, ch := range n.Children {
			walk(ch)
		}
	}
	walk(inst)
	last := g.r - 1
	if g.err != nil {
		return g.err
	}
	if err := finishTable(f, g.sheet, len(header), last); err != nil {
		return err
	}
	return subtotalChart(g, inst.Name, cols, first, last)
}

// comparisonRow writes one question's (or matrix row's) indicator per
// column.
func comparisonRow(g *grid, n *analysis.ThemeNode, q *analysis.QuestionComparison, row string, cols []compColumn, l labels) {
	label := q.Code + " — " + q.Label
	if row != "" {
		label += " / " + row
	}
	values := []any{n.Code, SafeText(label), ""}
	for _, c := range cols {
		fig := q.ByCountry[c.code]
		if c.subtotal {
			fig = q.ByRegionalGroup[c.code]
		}
		ind := indicatorOf(fig, row)
		switch {
		case fig != nil && fig.Suppressed:
			values = append(values, "suppressed")
		case ind == nil:
			values = append(values, nil)
		default:
			values[2] = ind.Kind
			if ind.Kind == analysis.IndicatorTop || ind.Kind == analysis.IndicatorShare {
				values[2] = ind.Kind + ": " + l.pick(ind.Label, ind.Code)
			}
			values = append(values, ind.Value)
		}
	}
	g.line(0, values...)
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

// subtotalChart charts the regional subtotals of every row.
func subtotalChart(g *grid, title string, cols []compColumn, first, last int) error {
	if last < first {
		return nil
	}
	var series []excelize.ChartSeries
	for i, c := range cols {
		if c.subtotal {
			series = append(series, excelize.ChartSeries{Name: c.title, Categories: g.ref(2, first, last), Values: g.ref(4+i, first, last)})
		}
	}
	if len(series) == 0 {
		return nil
	}
	cell, _ := excelize.CoordinatesToCellName(len(cols)+5, 2)
	return g.f.AddChart(g.sheet, cell, &excelize.Chart{
		Type: excelize.Bar, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: truncateRunes(title, 120) + ": regional subtotals"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: uint(min(1200, max(240, 60+24*(last-first+1))))},
	})
}
