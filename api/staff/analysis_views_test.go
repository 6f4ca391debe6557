package staff

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/analysis"
)

var (
	inlineSVG   = regexp.MustCompile(`(?s)<svg .*?</svg>`)
	styleInHTML = regexp.MustCompile(`(?i)\sstyle\s*=|<style`)
)

// TestDashboardEscapesLabels renders a summary whose labels carry markup:
// they stay text in the page and in the charts.
func TestDashboardEscapesLabels(t *testing.T) {
	evil := `<script>alert(1)</script><b onmouseover="x()">`
	q := &analysis.QuestionSummary{QuestionInfo: analysis.QuestionInfo{Code: "q1", Type: "single_choice", Label: evil},
		Overall: &analysis.Figures{Respondents: 5, Answered: 5, Options: []analysis.OptionCount{{Code: "a", Label: evil, Count: 5, Percent: 100}}}}
	sum := &analysis.Summary{Consultation: analysis.ConsultationInfo{Title: evil, MinCellSize: 5}, Respondents: 5, Questions: []*analysis.QuestionSummary{q}}
	w := newViewWords(staffCatalog.Messages("en"))
	page := &analysisPage{staffPage: staffPage{Title: evil}, Summary: sum, Rates: rateView(w, sum.ResponseRates), Sections: dashboardSections(w, sum)}
	var buf bytes.Buffer
	if err := staffPages.ExecuteTemplate(&buf, "dashboard", page); err != nil {
		t.Fatal(err)
	}
	body := buf.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b ") {
		t.Errorf("markup in a label is live:\n%s", body)
	}
	CheckCharts(t, "escaped dashboard", body)
}

// TemplateEscape escapes s as html/template writes text.
func TemplateEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// CheckCharts asserts that a page has charts, each well-formed XML without
// script, and no inline style anywhere.
func CheckCharts(t *testing.T, what, body string) {
	t.Helper()
	svgs := inlineSVG.FindAllString(body, -1)
	if len(svgs) == 0 {
		t.Errorf("%s: no chart", what)
	}
	for _, svg := range svgs {
		if strings.Contains(strings.ToLower(svg), "<script") {
			t.Errorf("%s: script in a chart", what)
		}
		dec := xml.NewDecoder(strings.NewReader(svg))
		dec.Entity = map[string]string{}
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: chart is not well-formed XML: %v\n%s", what, err, svg)
			}
		}
	}
	if loc := styleInHTML.FindStringIndex(body); loc != nil {
		t.Errorf("%s: inline style at %d: %s", what, loc[0], body[loc[0]:min(len(body), loc[0]+80)])
	}
}
