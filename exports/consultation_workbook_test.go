package exports

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// build writes a consultation workbook and opens it again with excelize.
func (fx *fixture) build(req ConsultationRequest) *excelize.File {
	fx.t.Helper()
	var buf bytes.Buffer
	if err := BuildConsultation(context.Background(), fx.db, fx.an, req, &buf); err != nil {
		fx.t.Fatalf("build: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		fx.t.Fatalf("reopen: %v", err)
	}
	fx.t.Cleanup(func() { f.Close() })
	return f
}

func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("rows of %s: %v", sheet, err)
	}
	return rows
}

func colIndex(header []string, code string) int { return slices.Index(header, code) }

func TestConsultationWorkbookSheetsAndCells(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 6, 5)
	f := fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Role: forms.RoleAdmin})

	want := []string{"Overview", "Summary by theme", "Priorities", "Open answers", "Responses", "Codebook"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	rows := rowsOf(t, f, "Responses")
	if len(rows) != 2+11 {
		t.Fatalf("Responses rows = %d, want 2 headers + 11", len(rows))
	}
	codes := rows[1]
	for _, c := range []string{"response_id", "stakeholder_type", "organization", "email", "q_org_type", "q_areas", "q_areas/tip", "q_priorities/tip", "q_priorities_why"} {
		if colIndex(codes, c) < 0 {
			t.Errorf("no column %s in %v", c, codes)
		}
	}
	why := colIndex(codes, "q_priorities_why")
	found := false
	for i, r := range rows[2:] {
		if why >= len(r) || r[why] != hyperlink {
			continue
		}
		found = true
		cell, _ := excelize.CoordinatesToCellName(why+1, i+3)
		assertLiteralText(t, f, "Responses", cell)
	}
	if !found {
		t.Errorf("the HYPERLINK answer is not written as its literal text")
	}
	// the 0/1 column of an option agrees with the readable column
	areas, tip := colIndex(codes, "q_areas"), colIndex(codes, "q_areas/tip")
	if rows[2][tip] != "1" || !strings.Contains(rows[2][areas], ";") {
		t.Errorf("q_areas = %q, q_areas/tip = %q", rows[2][areas], rows[2][tip])
	}
	// frozen panes, autofilter
	panes, err := f.GetPanes("Responses")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("Responses panes = %+v, %v", panes, err)
	}
	if panes, _ := f.GetPanes("Codebook"); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("Codebook panes = %+v", panes)
	}
	for _, sheet := range []string{"Responses", "Open answers", "Codebook"} {
		if tables, err := f.GetTables(sheet); err != nil || len(tables) != 1 {
			t.Errorf("no filtered table on %s: %v %v", sheet, tables, err)
		}
	}
	if charts := countCharts(f); charts < 3 {
		t.Errorf("charts = %d, want one per choice, scale and ranking question", charts)
	}
	// codebook: question code, type and options
	cb := rowsOf(t, f, "Codebook")
	if cb[0][0] != "Question code" || len(cb) < 10 {
		t.Errorf("codebook = %v", cb[:2])
	}
	// overview: the consultation and the row counts
	ov := rowsOf(t, f, "Overview")
	counted := slices.ContainsFunc(ov, func(r []string) bool { return len(r) > 1 && r[0] == "Rows" && strings.Contains(r[1], "11 responses") })
	if ov[2][1] != "Pilot KEN" || !counted {
		t.Errorf("overview = %v", ov[:15])
	}
}

// countCharts counts the chart parts of a workbook.
func countCharts(f *excelize.File) int {
	n := 0
	f.Pkg.Range(func(k, _ any) bool {
		if name, _ := k.(string); strings.HasPrefix(name, "xl/charts/chart") {
			n++
		}
		return true
	})
	return n
}

// assertLiteralText checks that a cell holding a formula-like text is a
// string cell, without formula, in the text format with the quote prefix.
func assertLiteralText(t *testing.T, f *excelize.File, sheet, cell string) {
	t.Helper()
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
		t.Errorf("%s!%s has the formula %q", sheet, cell, formula)
	}
	typ, _ := f.GetCellType(sheet, cell)
	if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("%s!%s has type %v, want a string", sheet, cell, typ)
	}
	id, _ := f.GetCellStyle(sheet, cell)
	style, err := f.GetStyle(id)
	if err != nil || style.NumFmt != 49 {
		t.Errorf("%s!%s style = %+v, %v; want the text format", sheet, cell, style, err)
	}
	if xf := f.Styles.CellXfs.Xf[id]; xf.QuotePrefix == nil || !*xf.QuotePrefix {
		t.Errorf("%s!%s has no quote prefix", sheet, cell)
	}
}

func TestCodesInsteadOfLabels(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 5, 0)
	labelled := rowsOf(t, fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Role: forms.RoleAdmin, Language: "fr"}), "Responses")
	coded := rowsOf(t, fx.build(ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Role: forms.RoleAdmin, Codes: true}), "Responses")
	col := colIndex(coded[1], "q_org_type")
	if coded[2][col] != "ngo" {
		t.Errorf("with codes, q_org_type = %q, want ngo", coded[2][col])
	}
	if labelled[2][col] == "ngo" || labelled[2][col] == "" {
		t.Errorf("with labels, q_org_type = %q", labelled[2][col])
	}
}

func TestResponseHeadersUniqueAndLongTextsCut(t *testing.T) {
	def := &forms.Definition{Code: "x", Version: 1, DefaultLanguage: "en", Sections: []forms.Section{{Code: "s", Questions: []forms.Question{
		{Code: "q", Type: forms.TypeMultipleChoice, Label: forms.Text{"en": "Q"}, Options: []forms.Option{
			{Code: "a", Label: forms.Text{"en": "A"}}, {Code: "specify", Label: forms.Text{"en": "Other"}, Other: true}}},
		{Code: "t", Type: forms.TypeLongText, Label: forms.Text{"en": "T"}},
	}}}}
	long := strings.Repeat("x", MaxCellRunes+10)
	cur := &sliceCursor{recs: []ResponseRecord{{ID: 1, StakeholderType: "ngo", Answers: []forms.AnswerRow{
		{QuestionCode: "q", OptionCode: "specify", Text: "@cmd"}, {QuestionCode: "t", Text: long}}}}}
	var buf bytes.Buffer
	err := WriteConsultation(&buf, ConsultationInput{Summary: &analysis.Summary{Language: "en"}, Consultation: &forms.Consultation{},
		Definition: def, Responses: cur, Access: forms.Access{Role: forms.RoleAdmin, Mode: forms.AnonymityConfidential}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := rowsOf(t, f, "Responses")
	if !slices.Contains(rows[1], "q/specify") || !slices.Contains(rows[1], "q/specify~2") {
		t.Errorf("headers = %v", rows[1])
	}
	text := rows[2][slices.Index(rows[1], "t")]
	if n := len([]rune(text)); n != MaxCellRunes || !strings.HasSuffix(text, "[…truncated]") {
		t.Errorf("long text: %d characters, ends %q", n, text[len(text)-20:])
	}
	cell, _ := excelize.CoordinatesToCellName(slices.Index(rows[1], "q/specify~2")+1, 3)
	if v, _ := f.GetCellValue("Responses", cell); v != "@cmd" {
		t.Errorf("other text = %q", v)
	}
	assertLiteralText(t, f, "Responses", cell)
}

// sliceCursor yields records from memory.
type sliceCursor struct {
	recs []ResponseRecord
	i    int
}

func (c *sliceCursor) Next() bool              { c.i++; return c.i <= len(c.recs) }
func (c *sliceCursor) Record() *ResponseRecord { return &c.recs[c.i-1] }
func (c *sliceCursor) Err() error              { return nil }
func (c *sliceCursor) Close() error            { return nil }
