package staff

import (
	"cmp"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
)

// The analysis pages: a consultation's dashboard and the comparison of
// countries, rendered on the server with their charts inline (see
// charts.go), readable without JavaScript and on a phone. They read the
// same Summary and Comparison as the JSON API, with the caller's scope and
// disclosure control.

// analysisPage is what the analysis pages show.
type analysisPage struct {
	staffPage
	Summary    *analysis.Summary
	Groups     *dataTable
	Rates      figureView
	Sections   []themeSection
	Priorities []prioritySection
	Comparison *analysis.Comparison
	Compared   []comparedTheme
	Query      string
}

// themeSection is one theme of the tree with the questions listed under it.
type themeSection struct {
	Name      string
	Sub       bool // a cluster or article, under its instrument
	Questions []figureView
}

// prioritySection is one instrument's priorities.
type prioritySection struct {
	Name      string
	Questions []figureView
}

// analysisError renders a failure as a page: an object outside the
// caller's countries is a 404 like one that does not exist.
func analysisError(c *gin.Context, p *analysisPage, err error) {
	var scopeErr *analysis.ScopeError
	e := httpkit.ToError(err)
	switch {
	case errors.As(err, &scopeErr):
		p.Title, p.Error = p.T("error.title"), p.T("analysis.scope_refused", "country", scopeErr.Country)
		renderStaff(c, http.StatusNotFound, "analysis_error", p)
	case e != nil && e.Status < 500:
		p.Title, p.Error = p.T("error.title"), p.T("error.not_found")
		if e.Status != http.StatusNotFound {
			p.Error = p.T("analysis.cannot_show")
			p.Problems = fieldProblems(e.Fields)
		}
		renderStaff(c, e.Status, "analysis_error", p)
	default:
		httpkit.Fail(c, err)
	}
}

// ConsultationDashboard answers GET /portal/consultations/:id/dashboard.
func (s *Pages) ConsultationDashboard(c *gin.Context) {
	p := httpkit.Principal(c)
	page := &analysisPage{staffPage: *s.page(c, "analysis.dashboard_title", "consultations")}
	w := newViewWords(page.Msg)
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		analysisError(c, page, httpkit.ErrNotFound)
		return
	}
	sum, err := s.analysis.Summary(c.Request.Context(), p.Scope(), httpkit.Viewer(p), id, analysis.SummaryOptions{ByType: true, Language: cmp.Or(c.Query("lang"), page.Lang)})
	if err != nil {
		analysisError(c, page, err)
		return
	}
	min := sum.Consultation.MinCellSize
	page.Title, page.Summary = sum.Consultation.Title, sum
	page.Rates = rateView(w, sum.ResponseRates)
	if len(sum.Groups) > 0 {
		page.Groups = &dataTable{Caption: w.T("analysis.groups_caption"), Head: []string{w.T("analysis.stakeholder_type"), w.T("analysis.respondents")},
			Rows: groupRows(w, sum.Groups, min)}
	}
	if !sum.Suppressed {
		page.Sections = dashboardSections(w, sum)
		for _, pr := range sum.Priorities {
			sec := prioritySection{Name: pr.Name}
			for _, q := range pr.Questions {
				sec.Questions = append(sec.Questions, priorityView(w, q, min))
			}
			page.Priorities = append(page.Priorities, sec)
		}
	}
	renderStaff(c, http.StatusOK, "dashboard", page)
}

// dashboardSections walks the theme tree in its order; a question tagged
// with several themes is shown under the first, and questions without a
// theme come last.
func dashboardSections(w viewWords, sum *analysis.Summary) []themeSection {
	byCode := map[string]*analysis.QuestionSummary{}
	for _, q := range sum.Questions {
		byCode[q.Code] = q
	}
	shown := map[string]bool{}
	var out []themeSection
	var walk func(n *analysis.ThemeNode, depth int)
	walk = func(n *analysis.ThemeNode, depth int) {
		sec := themeSection{Name: n.Name, Sub: depth > 0}
		for _, it := range n.Items {
			if q := byCode[it.Question]; q != nil && !shown[q.Code] {
				shown[q.Code] = true
				sec.Questions = append(sec.Questions, questionView(w, q, sum.Consultation.MinCellSize))
			}
		}
		out = append(out, sec)
		for _, ch := range n.Children {
			walk(ch, depth+1)
		}
	}
	for _, n := range sum.Themes {
		walk(n, 0)
	}
	rest := themeSection{Name: w.T("analysis.other_questions")}
	for _, q := range sum.Questions {
		if !shown[q.Code] {
			rest.Questions = append(rest.Questions, questionView(w, q, sum.Consultation.MinCellSize))
		}
	}
	if len(rest.Questions) > 0 {
		out = append(out, rest)
	}
	return out
}

// ComparisonPage answers GET /portal/comparisons?questionnaire=CODE with
// an optional &countries=KEN,MEX.
func (s *Pages) ComparisonPage(c *gin.Context) {
	p := httpkit.Principal(c)
	page := &analysisPage{staffPage: *s.page(c, "analysis.compare_title", "comparisons")}
	code := strings.TrimSpace(c.Query("questionnaire"))
	page.Query = code
	if code == "" {
		analysisError(c, page, httpkit.QueryError("/questionnaire", page.T("analysis.need_questionnaire")))
		return
	}
	opts := analysis.CompareOptions{Language: cmp.Or(c.Query("lang"), page.Lang)}
	for _, iso := range strings.Split(c.Query("countries"), ",") {
		if iso = strings.ToUpper(strings.TrimSpace(iso)); iso != "" {
			opts.Countries = append(opts.Countries, iso)
		}
	}
	res, err := s.analysis.Compare(c.Request.Context(), p.Scope(), httpkit.Viewer(p), code, opts)
	if err != nil {
		analysisError(c, page, err)
		return
	}
	page.Title = page.T("analysis.compare_of", "title", res.Questionnaire.Title)
	page.Comparison = res
	page.Compared = comparedThemes(newViewWords(page.Msg), res)
	renderStaff(c, http.StatusOK, "comparison", page)
}
