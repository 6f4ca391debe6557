package staff

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
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
	Picker     *comparePicker
	// CompareCountries are the countries the comparison was asked for,
	// for the workbook request.
	CompareCountries []string
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
	page.Rates = rateView(w, sum.ResponseRates, sum.Consultation.MinCellSize)
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

// comparePicker is the comparison page's form: the questionnaire, then
// its countries, a regional group and a theme.
type comparePicker struct {
	Questionnaires []pickOption
	Countries      []pickOption
	Regions        []pickOption
	Themes         []pickOption
	Chosen         bool // a questionnaire is chosen
}

// pickOption is one choice of the picker.
type pickOption struct {
	Value, Label string
	Selected     bool
}

// ComparisonPage answers GET /portal/comparisons: without a questionnaire,
// the picker; with ?questionnaire=CODE, the comparison of the countries
// ticked (&country=KEN&country=MEX, or &countries=KEN,MEX), of a regional
// group (&region=AFRICAN) or of every country in scope, for one instrument
// (&theme=TIP) or all.
func (s *Pages) ComparisonPage(c *gin.Context) {
	p := httpkit.Principal(c)
	page := &analysisPage{staffPage: *s.page(c, "analysis.compare_title", "comparisons")}
	w := newViewWords(page.Msg)
	code := strings.TrimSpace(c.Query("questionnaire"))
	page.Query = code
	lang := cmp.Or(c.Query("lang"), page.Lang)
	choices, err := s.analysis.Choices(c.Request.Context(), p.Scope(), httpkit.Viewer(p), code, lang)
	if err != nil {
		analysisError(c, page, err)
		return
	}
	pick := &comparePicker{Chosen: code != ""}
	page.Picker = pick
	for _, q := range choices.Questionnaires {
		pick.Questionnaires = append(pick.Questionnaires, pickOption{Value: q.Code, Label: q.Title + " (" + q.Code + ")", Selected: q.Code == code})
	}
	if code == "" {
		renderStaff(c, http.StatusOK, "comparison", page)
		return
	}
	opts := analysis.CompareOptions{Language: lang}
	ticked := c.QueryArray("country")
	ticked = append(ticked, strings.Split(c.Query("countries"), ",")...)
	for _, iso := range ticked {
		if iso = strings.ToUpper(strings.TrimSpace(iso)); iso != "" && !slices.Contains(opts.Countries, iso) {
			opts.Countries = append(opts.Countries, iso)
		}
	}
	region := c.Query("region")
	for _, rg := range choices.RegionalGroups {
		pick.Regions = append(pick.Regions, pickOption{Value: rg.Code, Label: w.regionName(rg.Code, rg.Name), Selected: rg.Code == region})
	}
	for _, ct := range choices.Countries {
		pick.Countries = append(pick.Countries, pickOption{Value: ct.ISO3, Label: ct.Name, Selected: slices.Contains(opts.Countries, ct.ISO3)})
		if region != "" && ct.RegionalGroup == region && !slices.Contains(opts.Countries, ct.ISO3) {
			opts.Countries = append(opts.Countries, ct.ISO3)
		}
	}
	if region != "" && !slices.ContainsFunc(choices.RegionalGroups, func(r analysis.RegionColumn) bool { return r.Code == region }) {
		analysisError(c, page, httpkit.QueryError("/region", page.T("analysis.bad_region", "code", region)))
		return
	}
	res, err := s.analysis.Compare(c.Request.Context(), p.Scope(), httpkit.Viewer(p), code, opts)
	if err != nil {
		analysisError(c, page, err)
		return
	}
	theme := c.Query("theme")
	for _, n := range res.Themes {
		pick.Themes = append(pick.Themes, pickOption{Value: n.Code, Label: n.Name, Selected: n.Code == theme})
	}
	if theme != "" {
		kept := slices.DeleteFunc(slices.Clone(res.Themes), func(n *analysis.ThemeNode) bool { return n.Code != theme })
		if len(kept) == 0 {
			analysisError(c, page, httpkit.QueryError("/theme", page.T("analysis.bad_theme", "code", theme)))
			return
		}
		res.Themes = kept
	}
	page.Title = page.T("analysis.compare_of", "title", res.Questionnaire.Title)
	page.Comparison = res
	page.Compared = comparedThemes(w, res, theme == "")
	page.CompareCountries = opts.Countries
	renderStaff(c, http.StatusOK, "comparison", page)
}
