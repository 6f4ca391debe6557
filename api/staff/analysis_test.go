package staff_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/staff"
	"github.com/unodc-csu/agora/forms"
)

func TestConsultationDashboard(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	ken := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 12, "academia": 3, "private_sector": 7})
	path := fmt.Sprintf("/portal/consultations/%d/dashboard", ken)

	code, body := env.PageAs("admin", path)
	if code != http.StatusOK {
		t.Fatalf("admin: %d %s", code, body)
	}
	sum, err := env.Server.Analysis().Summary(t.Context(), forms.AllCountries, analysis.Viewer{Role: forms.RoleAdmin}, ken, analysis.SummaryOptions{ByType: true})
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

	checked := 0
	for _, q := range sum.Questions {
		if q.Overall == nil || len(q.Overall.Options) == 0 {
			continue
		}
		for _, o := range q.Overall.Options {
			cell := "<th scope=\"row\">" + staff.TemplateEscape(o.Label) + "</th><td>" + strconv.Itoa(o.Count) + "</td><td>" + staff.Percent("en", o.Percent) + "</td>"
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
	staff.CheckCharts(t, "dashboard", body)

	// Kenya's focal point sees the small groups suppressed, in words.
	code, body = env.PageAs("focal_ken", path)
	if code != http.StatusOK || !strings.Contains(body, "<th scope=\"row\">Academia</th><td>suppressed: fewer than") {
		t.Errorf("focal point of Kenya: %d, suppressed group not said so", code)
	}
	// ...in every question's breakdown too, where the admin sees counts.
	perQuestion := "<th scope=\"row\">Academia</th><td>suppressed: fewer than 5 respondents in this group</td><td>–"
	if n := strings.Count(body, perQuestion); n != len(sum.Questions) {
		t.Errorf("focal point of Kenya: academia suppressed in %d questions of %d", n, len(sum.Questions))
	}
	staff.CheckCharts(t, "focal point's dashboard", body)
	// Mexico's does not see Kenya at all; nor does anyone see a consultation
	// that does not exist.
	if code, body := env.PageAs("focal_mex", path); code != http.StatusNotFound || !strings.Contains(body, "<html") {
		t.Errorf("focal point of Mexico: %d %s", code, apitest.Truncate(body))
	}
	if code, _ := env.PageAs("analyst", "/portal/consultations/99999/dashboard"); code != http.StatusNotFound {
		t.Errorf("no such consultation: %d", code)
	}
	if code, body := env.PageAs("analyst", "/portal"); code != http.StatusOK || !strings.Contains(body, path) {
		t.Errorf("the portal does not link the dashboard: %d", code)
	}
}

func TestComparisonPage(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6})
	env.DemoConsultation(qid, "MEX", map[string]int{"ngo": 3, "academia": 4})

	code, body := env.PageAs("analyst", "/portal/comparisons?questionnaire=pilot-issues")
	if code != http.StatusOK {
		t.Fatalf("analyst: %d %s", code, body)
	}
	for _, want := range []string{"Kenya", "Mexico", "scope=\"colgroup\"", "Latin American"} {
		if !strings.Contains(body, want) {
			t.Errorf("analyst: no %q", want)
		}
	}
	staff.CheckCharts(t, "comparison", body)
	if code, _ := env.PageAs("focal_ken", "/portal/comparisons?questionnaire=pilot-issues&countries=MEX"); code != http.StatusNotFound {
		t.Errorf("focal point of Kenya, Mexico: %d", code)
	}
	if code, body := env.PageAs("focal_mex", "/portal/comparisons?questionnaire=pilot-issues"); code != http.StatusOK || strings.Contains(body, "Kenya") {
		t.Errorf("focal point of Mexico: %d, Kenya shown %v", code, strings.Contains(body, "Kenya"))
	}
	if code, body := env.PageAs("focal_mex", "/portal/comparisons?questionnaire=pilot-issues"); code != http.StatusOK || strings.Contains(body, `value="KEN"`) {
		t.Errorf("focal point of Mexico: %d, Kenya offered in the picker %v", code, strings.Contains(body, `value="KEN"`))
	}
	for _, tc := range []struct {
		name, path string
		status     int
		want, not  []string
	}{
		{"picker", "/portal/comparisons", http.StatusOK,
			[]string{`<select id="pick-q" name="questionnaire">`, `value="pilot-issues"`}, []string{`name="country"`, "<table"}},
		{"questionnaire chosen", "/portal/comparisons?questionnaire=pilot-issues", http.StatusOK,
			[]string{`name="country" value="KEN"`, `name="country" value="MEX"`, `<option value="GRULAC"`, `<option value="UNTOC"`, "Police", `name="questionnaire" value="pilot-issues"`}, nil},
		{"regional group", "/portal/comparisons?questionnaire=pilot-issues&region=GRULAC", http.StatusOK,
			[]string{"<th scope=\"col\">Mexico</th>", `<option value="GRULAC" selected>`}, []string{"<th scope=\"col\">Kenya</th>"}},
		{"countries ticked", "/portal/comparisons?questionnaire=pilot-issues&country=KEN", http.StatusOK,
			[]string{"<th scope=\"col\">Kenya</th>", `value="KEN" checked`, `<input type="hidden" name="country" value="KEN">`}, []string{"<th scope=\"col\">Mexico</th>"}},
		{"theme", "/portal/comparisons?questionnaire=pilot-issues&theme=XC", http.StatusOK,
			[]string{`<option value="XC" selected>`}, []string{"Police"}},
		{"unknown region", "/portal/comparisons?questionnaire=pilot-issues&region=NOPE", http.StatusUnprocessableEntity, []string{"NOPE"}, nil},
		{"unknown theme", "/portal/comparisons?questionnaire=pilot-issues&theme=NOPE", http.StatusUnprocessableEntity, []string{"NOPE"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := env.PageAs("admin", tc.path)
			if code != tc.status {
				t.Fatalf("%d %s", code, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("%q shown", w)
				}
			}
		})
	}
}

// TestAnalysisPagesTranslated renders the dashboard and the comparison in
// French and Spanish: the page's words, stakeholder types and regional
// groups by their names, the suppressed marker and the numbers as the
// language writes them.
func TestAnalysisPagesTranslated(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	ken := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6, "academia": 2})
	env.DemoConsultation(qid, "MEX", map[string]int{"ngo": 3, "academia": 4})
	dash := fmt.Sprintf("/portal/consultations/%d/dashboard", ken)
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
		{"suppressed in French", "focal_ken", dash + "?lang=fr", []string{"<th scope=\"row\">Milieu universitaire</th><td>masqué : moins de 5 répondants dans ce groupe</td>"},
			[]string{"suppressed"}},
		{"comparison in French", "analyst", "/portal/comparisons?questionnaire=pilot-issues&lang=fr", []string{`lang="fr"`, "Comparaison",
			"Groupe des États d’Amérique latine et des Caraïbes", "Groupe des États d’Afrique", "Chiffres clés par pays", `aria-current="page">Comparaison entre pays`},
			[]string{"Latin American", "Key figures"}},
		{"comparison in Spanish", "analyst", "/portal/comparisons?questionnaire=pilot-issues&lang=es", []string{`lang="es"`, "Comparación",
			"Grupo de los Estados de América Latina y el Caribe", "Cifras clave por país"}, []string{"Latin American"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := env.PageAs(tt.caller, tt.path)
			if code != http.StatusOK {
				t.Fatalf("%d %s", code, apitest.Truncate(body))
			}
			apitest.CheckBody(t, body, tt.want, tt.not)
			staff.CheckCharts(t, tt.name, body)
		})
	}
	if code, body := env.PageAs("focal_ken", "/portal/comparisons?questionnaire=pilot-issues&countries=MEX&lang=es"); code != http.StatusNotFound ||
		!strings.Contains(body, "MEX no es uno de sus países") {
		t.Errorf("another country, in Spanish: %d %s", code, apitest.Truncate(body))
	}
}
