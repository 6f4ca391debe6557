package api

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// pageAs calls a page with caller's login session.
func (e *testEnv) pageAs(caller, path string) (int, string) {
	e.t.Helper()
	cookie, _ := e.login(caller)
	rec := e.doRequest("GET", path, nil, map[string]string{"Cookie": sessionCookie + "=" + cookie})
	return rec.Code, rec.Body.String()
}

var (
	inlineSVG   = regexp.MustCompile(`(?s)<svg .*?</svg>`)
	styleInHTML = regexp.MustCompile(`(?i)\sstyle\s*=|<style`)
)

// checkCharts asserts that a page has charts, each well-formed XML without
// script, and no inline style anywhere.
func checkCharts(t *testing.T, what, body string) {
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

func TestConsultationDashboard(t *testing.T) {
	env := newTestEnv(t)
	qid := env.deployDemo()
	ken := env.demoConsultation(qid, "KEN", map[string]int{"ngo": 12, "academia": 3, "private_sector": 7})
	path := pathf("/portal/consultations/%d/dashboard", ken)

	code, body := env.pageAs("admin", path)
	if code != http.StatusOK {
		t.Fatalf("admin: %d %s", code, body)
	}
	sum, err := env.srv.analysis.Summary(t.Context(), forms.AllCountries, analysis.Viewer{Admin: true}, ken, analysis.SummaryOptions{ByType: true})
	if err != nil {
		t.Fatal(err)
	}
	// The response rates, and the counts of the first choice question, are
	// in the tables as the summary gives them.
	for _, want := range []string{"<th scope=\"row\">All</th><td>22</td><td>0</td>", "<th scope=\"row\">Academia</th><td>3</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("admin: no %q in the rates table", want)
		}
	}
	en := newViewWords(staffCatalog.Messages("en"))
	checked := 0
	for _, q := range sum.Questions {
		if q.Overall == nil || len(q.Overall.Options) == 0 {
			continue
		}
		for _, o := range q.Overall.Options {
			cell := "<th scope=\"row\">" + templateEscape(o.Label) + "</th><td>" + itoa(o.Count) + "</td><td>" + en.pct(o.Percent) + "</td>"
			if !strings.Contains(body, cell) {
				t.Errorf("admin: %s option %s: no %q", q.Code, o.Code, cell)
			}
			checked++
		}
	}
	if checked == 0 || strings.Contains(body, "suppressed (") {
		t.Errorf("admin: %d options checked; suppressed shown to an admin: %v", checked, strings.Contains(body, "suppressed ("))
	}
	if len(sum.Priorities) > 0 && !strings.Contains(body, "Kendall") {
		t.Error("admin: no agreement measure in the priorities")
	}
	if n := strings.Count(body, "<th scope=\"row\">Academia</th><td>3</td>"); n < len(sum.Questions) {
		t.Errorf("admin: academia's 3 respondents in %d breakdowns", n)
	}
	checkCharts(t, "dashboard", body)

	// Kenya's focal point sees the small groups suppressed, in words.
	code, body = env.pageAs("focal_ken", path)
	if code != http.StatusOK || !strings.Contains(body, "<th scope=\"row\">Academia</th><td>suppressed (fewer than") {
		t.Errorf("focal point of Kenya: %d, suppressed group not said so", code)
	}
	// ...in every question's breakdown too, where the admin sees counts.
	perQuestion := "<th scope=\"row\">Academia</th><td>suppressed (fewer than 5 respondents)</td><td>suppressed"
	if n := strings.Count(body, perQuestion); n != len(sum.Questions) {
		t.Errorf("focal point of Kenya: academia suppressed in %d questions of %d", n, len(sum.Questions))
	}
	checkCharts(t, "focal point's dashboard", body)
	// Mexico's does not see Kenya at all; nor does anyone see a consultation
	// that does not exist.
	if code, body := env.pageAs("focal_mex", path); code != http.StatusNotFound || !strings.Contains(body, "<html") {
		t.Errorf("focal point of Mexico: %d %s", code, truncate(body))
	}
	if code, _ := env.pageAs("analyst", "/portal/consultations/99999/dashboard"); code != http.StatusNotFound {
		t.Errorf("no such consultation: %d", code)
	}
	if code, body := env.pageAs("analyst", "/portal"); code != http.StatusOK || !strings.Contains(body, path) {
		t.Errorf("the portal does not link the dashboard: %d", code)
	}
}

func TestComparisonPage(t *testing.T) {
	env := newTestEnv(t)
	qid := env.deployDemo()
	env.demoConsultation(qid, "KEN", map[string]int{"ngo": 6})
	env.demoConsultation(qid, "MEX", map[string]int{"ngo": 3, "academia": 4})

	code, body := env.pageAs("analyst", "/portal/comparisons?questionnaire=pilot-issues")
	if code != http.StatusOK {
		t.Fatalf("analyst: %d %s", code, body)
	}
	for _, want := range []string{"Kenya", "Mexico", "scope=\"colgroup\"", "Latin American"} {
		if !strings.Contains(body, want) {
			t.Errorf("analyst: no %q", want)
		}
	}
	checkCharts(t, "comparison", body)
	if code, _ := env.pageAs("focal_ken", "/portal/comparisons?questionnaire=pilot-issues&countries=MEX"); code != http.StatusNotFound {
		t.Errorf("focal point of Kenya, Mexico: %d", code)
	}
	if code, body := env.pageAs("focal_mex", "/portal/comparisons?questionnaire=pilot-issues"); code != http.StatusOK || strings.Contains(body, "Kenya") {
		t.Errorf("focal point of Mexico: %d, Kenya shown %v", code, strings.Contains(body, "Kenya"))
	}
	if code, _ := env.pageAs("admin", "/portal/comparisons"); code != http.StatusUnprocessableEntity {
		t.Errorf("no questionnaire: %d", code)
	}
}

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
	checkCharts(t, "escaped dashboard", body)
}

func templateEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func itoa(n int) string { return pathf("%d", n) }

func TestInertSVG(t *testing.T) {
	got := string(inertSVG(`<svg xmlns="http://www.w3.org/2000/svg"><path d="M 0 0" style="stroke:none;fill:rgb(1,2,3);behavior:url(x)"/><text style="font-family:'Roboto',sans-serif">on=1 javascript: &lt;b&gt;</text></svg>`))
	want := `<svg class="chart" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><path d="M 0 0" stroke="none" fill="rgb(1,2,3)"/><text font-family="&#39;Roboto&#39;,sans-serif">on=1 javascript: &lt;b&gt;</text></svg>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []string{
		`<svg><script>alert(1)</script></svg>`,
		`<svg><style>*{}</style></svg>`,
		`<svg><a href="javascript:x()"><text>x</text></a></svg>`,
		`<svg><rect onload="x()"/></svg>`,
		`<svg><foreignObject><div></div></foreignObject></svg>`,
	} {
		if got := inertSVG(bad); got != "" {
			t.Errorf("%s kept as %s", bad, got)
		}
	}
}

// TestAnalysisPagesTranslated renders the dashboard and the comparison in
// French and Spanish: the page's words, stakeholder types and regional
// groups by their names, the suppressed marker and the numbers as the
// language writes them.
func TestAnalysisPagesTranslated(t *testing.T) {
	env := newTestEnv(t)
	qid := env.deployDemo()
	ken := env.demoConsultation(qid, "KEN", map[string]int{"ngo": 6, "academia": 2})
	env.demoConsultation(qid, "MEX", map[string]int{"ngo": 3, "academia": 4})
	dash := pathf("/portal/consultations/%d/dashboard", ken)
	tests := []struct {
		name, caller, path string
		want, not          []string
	}{
		{"dashboard in English", "admin", dash, []string{`lang="en"`, "<th scope=\"row\">Non-governmental organization</th>", "Response rates"},
			[]string{"<th scope=\"row\">ngo</th>"}},
		{"dashboard in French", "admin", dash + "?lang=fr", []string{`lang="fr"`, "<th scope=\"row\">Organisation non gouvernementale</th>",
			"Taux de réponse", "Réponses par thème", "<th scope=\"row\">Ensemble</th>", ",0\u00a0%", ">% des réponses</text>", `aria-current="page">Consultations`},
			[]string{"<th scope=\"row\">ngo</th>", "Response rates"}},
		{"dashboard in Spanish", "analyst", dash + "?lang=es", []string{`lang="es"`, "<th scope=\"row\">Organización no gubernamental</th>",
			"Tasas de respuesta", "Tipo de parte interesada"}, []string{"<th scope=\"row\">ngo</th>", "Response rates"}},
		{"suppressed in French", "focal_ken", dash + "?lang=fr", []string{"<th scope=\"row\">Milieu universitaire</th><td>masqué (moins de 5 répondants)</td>"},
			[]string{"suppressed"}},
		{"comparison in French", "analyst", "/portal/comparisons?questionnaire=pilot-issues&lang=fr", []string{`lang="fr"`, "Comparaison",
			"Groupe des États d’Amérique latine et des Caraïbes", "Groupe des États d’Afrique", "Chiffres clés par pays", `aria-current="page">Comparaison entre pays`},
			[]string{"Latin American", "Key figures"}},
		{"comparison in Spanish", "analyst", "/portal/comparisons?questionnaire=pilot-issues&lang=es", []string{`lang="es"`, "Comparación",
			"Grupo de los Estados de América Latina y el Caribe", "Cifras clave por país"}, []string{"Latin American"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := env.pageAs(tt.caller, tt.path)
			if code != http.StatusOK {
				t.Fatalf("%d %s", code, truncate(body))
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("%q shown", w)
				}
			}
			checkCharts(t, tt.name, body)
		})
	}
	if code, body := env.pageAs("focal_ken", "/portal/comparisons?questionnaire=pilot-issues&countries=MEX&lang=es"); code != http.StatusNotFound ||
		!strings.Contains(body, "MEX no es uno de sus países") {
		t.Errorf("another country, in Spanish: %d %s", code, truncate(body))
	}
}

func TestNumberFormat(t *testing.T) {
	tests := []struct {
		lang          string
		pct, big, dec string
	}{
		{"en", "12.5%", "12,345", "0.67"},
		{"fr", "12,5\u00a0%", "12\u00a0345", "0,67"},
		{"es", "12,5\u00a0%", "12.345", "0,67"},
	}
	for _, tt := range tests {
		w := newViewWords(staffCatalog.Messages(tt.lang))
		if got := w.pct(12.5); got != tt.pct {
			t.Errorf("%s: pct %q, want %q", tt.lang, got, tt.pct)
		}
		if got := w.Int(12345); got != tt.big {
			t.Errorf("%s: int %q, want %q", tt.lang, got, tt.big)
		}
		if got := w.Dec(0.6667, 2); got != tt.dec {
			t.Errorf("%s: dec %q, want %q", tt.lang, got, tt.dec)
		}
	}
}
