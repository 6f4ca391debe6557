// Package staff is the workspace of the CSU and the focal points: the
// server-rendered pages behind /login, /portal and /admin, with their
// templates, message catalogs, charts and static files, all embedded. The
// pages work without JavaScript.
//
// Handlers are methods of Pages, named by the one route table of package
// api. Like the JSON API, they decode, authorize, call one domain function
// and render; the pieces they share with the API and the survey pages
// (sessions, CSRF, errors, language choice, links) are in api/httpkit.
package staff

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
	"github.com/unodc-csu/agora/forms/mail"
)

//go:embed static/staff.css
var styleSheet []byte

//go:embed static/staff.js
var script []byte

// Deps are what the pages need: the domain's stores and services, and
// the HTTP pieces shared with the API.
type Deps struct {
	Forms    *forms.Store
	Accounts *accounts.Store
	Analysis *analysis.Analyzer
	Exports  *exports.Jobs
	Audit    *audit.Log
	Mailer   *mail.Mailer
	Recorder *httpkit.Recorder
	Sessions *httpkit.Sessions
	Links    *httpkit.Links
	// Render renders the survey pages, which the questionnaire preview
	// shows as stakeholders see them.
	Render *web.Renderer
	// Assets serves the static files; the workspace adds its own.
	Assets *httpkit.Assets
	// WakeExports asks the export runner to look at its queue now.
	WakeExports func()
}

// Pages holds the workspace's handlers and their dependencies.
type Pages struct {
	forms     *forms.Store
	accounts  *accounts.Store
	analysis  *analysis.Analyzer
	exports   *exports.Jobs
	audit     *audit.Log
	mailer    *mail.Mailer
	recorder  *httpkit.Recorder
	sessions  *httpkit.Sessions
	links     *httpkit.Links
	mailMerge *httpkit.MailMerge
	render    *web.Renderer
	wake      func()
}

// New returns the workspace over d, and adds its static files to d.Assets.
func New(d Deps) *Pages {
	d.Assets.Add("staff.css", styleSheet, "text/css; charset=utf-8")
	d.Assets.Add("staff.js", script, "text/javascript; charset=utf-8")
	wake := d.WakeExports
	if wake == nil {
		wake = func() {}
	}
	return &Pages{forms: d.Forms, accounts: d.Accounts, analysis: d.Analysis, exports: d.Exports, audit: d.Audit,
		mailer: d.Mailer, recorder: d.Recorder, sessions: d.Sessions, links: d.Links, mailMerge: httpkit.NewMailMerge(d.Forms, d.Links), render: d.Render, wake: wake}
}

// Session lets a page through only with a valid session; others are sent
// to the login page.
func (s *Pages) Session(c *gin.Context) {
	p, err := s.sessions.Principal(c)
	if err != nil {
		c.Redirect(http.StatusSeeOther, "/login")
		c.Abort()
		return
	}
	httpkit.SetPrincipal(c, p)
	c.Next()
}
