package staff

import (
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

//go:embed templates/*.html
var templateFS embed.FS

// staffPages are the staff's server-rendered pages: login, password, portal.
var staffPages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// staffPage is what every staff page shows. Build it with Pages.page,
// which sets the language, the menu and the session's CSRF token; an
// area's own view data goes in Data.
type staffPage struct {
	Title, Error, Notice, Email, Token, CSRF string
	User                                     *accounts.Principal
	// Lang is the page's language, Msg its words, Languages the switcher.
	Lang      string
	Msg       web.Messages
	Languages []langLink
	// Nav names the menu entry to mark as current: "consultations",
	// "questionnaires", "stakeholders", "comparisons", "users", "audit".
	Nav string
	// Problems are a form's or an upload's problems, listed under Error.
	Problems []pageProblem
	// Warnings are what an accepted upload converted or left out, listed
	// under Notice.
	Warnings []pageProblem
	// Data is the area's own view (a questionnaire list, a stakeholder
	// form...), read by its templates as .Data.
	Data   any
	Users  []accounts.User
	Events []audit.Event
	// The admin's pages.
	Secret   string // a token or link shown once
	Roles    []string
	Tokens   map[uint][]accounts.APIToken
	Filter   audit.Filter
	From, To string
	// An export job's page.
	Job *exports.Job
	// Refresh reloads the page by itself after this many seconds (0: never),
	// while an export job runs or while a consultation is monitored.
	Refresh int
}

// pageProblem is one problem of a form or an upload, located as its user
// knows it: a row and column of a spreadsheet, or a field of a form.
type pageProblem struct {
	Row            int // 0 when not a spreadsheet row
	Field, Problem string
}

// reportTable is a table of problems (a refused form or upload) or of
// warnings (what an accepted upload converted or left out), with its
// words.
type reportTable struct {
	Caption, RowHead, FieldHead, WhatHead string
	Rows                                  []pageProblem
}

// ReportTable lays out the page's problems, or with warnings its
// warnings, for the layout's "report-table".
func (p *staffPage) ReportTable(warnings bool) reportTable {
	t := reportTable{RowHead: p.T("report.row"), FieldHead: p.T("report.field")}
	if warnings {
		t.Caption, t.WhatHead, t.Rows = p.T("report.warnings", "n", len(p.Warnings)), p.T("report.what"), p.Warnings
	} else {
		t.Caption, t.WhatHead, t.Rows = p.T("report.caption", "n", len(p.Problems)), p.T("report.problem"), p.Problems
	}
	return t
}

// renderStaff renders a staff page (a *staffPage, or a view that embeds
// one); they are never cached.
func renderStaff(c *gin.Context, status int, name string, p any) {
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := staffPages.ExecuteTemplate(c.Writer, name, p); err != nil {
		slog.Error("render staff page", "page", name, "err", err)
	}
}

// page starts a staff page for the signed-in caller, in their language:
// title is a catalog key, nav the area of the menu to mark as current. A
// ?notice= naming a catalog key that starts with "notice." is shown as the
// page's notice, which is how a form's redirect says what it did.
func (s *Pages) page(c *gin.Context, title, nav string) *staffPage {
	lang := staffLang(c)
	p := &staffPage{Lang: lang, Msg: staffCatalog.Messages(lang), Nav: nav, Languages: languageLinks(c.Request, lang)}
	p.Title = p.T(title)
	p.User = httpkit.Principal(c)
	if sess := httpkit.Session(c); sess != nil {
		p.CSRF = sess.CSRF
	}
	if key := c.Query("notice"); strings.HasPrefix(key, "notice.") && staffCatalog.Has("en", key) {
		p.Notice = p.T(key)
	}
	return p
}

// Dir is the page's writing direction: "rtl" for Arabic, else "ltr".
func (p *staffPage) Dir() string { return web.Direction(p.Lang) }

// T translates key into the page's language; pairs fill its placeholders.
func (p *staffPage) T(key string, pairs ...any) string {
	if p.Msg.Lang() == "" {
		p.Msg = staffCatalog.Messages("en")
	}
	return p.Msg.T(key, pairs...)
}

// redirectNotice answers a form post by sending the browser to target,
// which then shows the notice key (see Server.page).
func redirectNotice(c *gin.Context, target, notice string) {
	u, err := url.Parse(target)
	if err != nil {
		c.Redirect(http.StatusSeeOther, target)
		return
	}
	q := u.Query()
	q.Set("notice", notice)
	u.RawQuery = q.Encode()
	c.Redirect(http.StatusSeeOther, u.String())
}

// failPage answers a staff page's error as a page in the staff layout, in
// the caller's language, with the same status the API would give: 404 for
// what is missing or outside the caller's countries, 403, 409 with the
// reason, 422 with each field's problem, 503 while the database is away,
// 500 (logged) for anything else. The page links back to the workspace.
// It uses nothing of s, and may be called on a nil *Pages.
func (s *Pages) failPage(c *gin.Context, err error) {
	e := httpkit.ToError(err)
	if e == nil || e == httpkit.ErrUnavailable {
		httpkit.Fail(c, err) // logs, sets Retry-After, or notices a vanished client
		return
	}
	p := s.page(c, "error.title", "")
	switch e.Status {
	case http.StatusNotFound:
		p.Error = p.T("error.not_found")
	case http.StatusForbidden:
		p.Error = p.T("error.forbidden")
	default:
		p.Error = e.Message
	}
	p.Problems = fieldProblems(e.Fields)
	renderStaff(c, e.Status, "staff-error", p)
	c.Abort()
}

// FailPage answers a staff page's error as a page, for the middleware in
// front of the pages (a role refused).
func FailPage(c *gin.Context, err error) { (*Pages)(nil).failPage(c, err) }

// fieldProblems lists a validation error's fields as a page shows them:
// the field's path without its leading slash, and the problem.
func fieldProblems(fields []forms.FieldError) []pageProblem {
	out := make([]pageProblem, 0, len(fields))
	for _, f := range fields {
		out = append(out, pageProblem{Field: strings.TrimPrefix(f.Path, "/"), Problem: f.Message})
	}
	return out
}
