package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
)

// Aggregated results. Every role may read them within its scope: the
// analyzer applies the scope in SQL (another country's consultation is a
// 404) and suppresses small cells for everyone but admins.

// consultationSummary answers GET /consultations/:id/summary with
// ?by=stakeholder_type for a breakdown, ?stakeholder_type=ngo to keep one
// type, ?lang=fr for the labels and ?texts=N for the number of text
// answers listed per question.
func (s *Server) consultationSummary(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	opts, err := summaryOptions(c)
	if err != nil {
		return err
	}
	p := httpkit.Principal(c)
	sum, err := s.analysis.Summary(c.Request.Context(), p.Scope(), httpkit.Viewer(p), id, opts)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sum)
	return nil
}

func summaryOptions(c *gin.Context) (analysis.SummaryOptions, error) {
	opts := analysis.SummaryOptions{StakeholderType: c.Query("stakeholder_type"), Language: c.Query("lang")}
	switch c.Query("by") {
	case "":
	case "stakeholder_type":
		opts.ByType = true
	default:
		return opts, httpkit.QueryError("/by", "the only breakdown is by=stakeholder_type")
	}
	var err error
	if _, ok := c.GetQuery("texts"); ok {
		if opts.TextLimit, err = httpkit.QueryInt(c, "texts"); err == nil && opts.TextLimit == 0 {
			opts.TextLimit = -1 // texts=0 lists none
		}
	}
	return opts, err
}

// compareCountries answers GET /comparisons?questionnaire=CODE with an
// optional ?countries=KEN,MEX (default: every country in scope with
// responses) and ?lang=. A focal point naming a country that is not theirs
// gets a 403 that says which.
func (s *Server) compareCountries(c *gin.Context) error {
	code := strings.TrimSpace(c.Query("questionnaire"))
	if code == "" {
		return httpkit.QueryError("/questionnaire", "give the code of a questionnaire, e.g. questionnaire=pilot-issues")
	}
	opts := analysis.CompareOptions{Language: c.Query("lang")}
	for _, iso := range strings.Split(c.Query("countries"), ",") {
		if iso = strings.ToUpper(strings.TrimSpace(iso)); iso != "" {
			opts.Countries = append(opts.Countries, iso)
		}
	}
	p := httpkit.Principal(c)
	cmp, err := s.analysis.Compare(c.Request.Context(), p.Scope(), httpkit.Viewer(p), code, opts)
	var scopeErr *analysis.ScopeError
	if errors.As(err, &scopeErr) {
		return &httpkit.Error{Status: http.StatusForbidden, Code: "forbidden", Message: scopeErr.Error()}
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, cmp)
	return nil
}
