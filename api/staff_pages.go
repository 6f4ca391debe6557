package api

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

//go:embed staff/*.html
var staffFS embed.FS

// staffPages are the staff's server-rendered pages: login, password, portal.
var staffPages = template.Must(template.ParseFS(staffFS, "staff/*.html"))

// staffPage is what every staff page shows. Build it with Server.page,
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

// renderStaff renders a staff page; they are never cached.
func renderStaff(c *gin.Context, status int, name string, p *staffPage) {
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := staffPages.ExecuteTemplate(c.Writer, name, p); err != nil {
		slog.Error("render staff page", "page", name, "err", err)
	}
}

func (s *Server) loginPage(c *gin.Context) {
	if cookie, err := c.Cookie(sessionCookie); err == nil {
		if _, _, err := s.accounts.SessionPrincipal(c.Request.Context(), cookie); err == nil {
			c.Redirect(http.StatusSeeOther, "/portal")
			return
		}
	}
	renderStaff(c, http.StatusOK, "login", s.page(c, "auth.login_title", ""))
}

// login checks the credentials, starts a session and records the attempt.
func (s *Server) login(c *gin.Context) {
	email := c.PostForm("email")
	page := s.page(c, "auth.login_title", "")
	page.Email = email
	if !sameOrigin(c.Request, s.cfg.BaseURL) {
		page.Error = page.T("auth.other_site")
		renderStaff(c, http.StatusForbidden, "login", page)
		return
	}
	ctx := c.Request.Context()
	p, err := s.accounts.Login(ctx, email, c.PostForm("password"), c.ClientIP())
	if errors.Is(err, accounts.ErrUnauthenticated) || errors.Is(err, accounts.ErrLocked) {
		_ = s.audit.Record(ctx, audit.Event{Action: audit.LoginFailed, ObjectType: "user", ActorEmail: email, IP: c.ClientIP()},
			map[string]bool{"locked": errors.Is(err, accounts.ErrLocked)})
		page.Error = page.T("auth.login_refused")
		renderStaff(c, http.StatusUnauthorized, "login", page)
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	cookie, sess, err := s.accounts.NewSession(ctx, p.UserID, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(principalKey, p)
	s.record(c, audit.LoginSucceeded, "user", p.UserID, "", nil)
	s.setSessionCookie(c, cookie, int(time.Until(sess.ExpiresAt).Seconds()))
	c.Redirect(http.StatusSeeOther, "/portal")
}

// logout ends the session (authenticate has checked its CSRF token).
func (s *Server) logout(c *gin.Context) {
	if cookie, err := c.Cookie(sessionCookie); err == nil {
		if err := s.accounts.EndSession(c.Request.Context(), cookie); err != nil {
			fail(c, err)
			return
		}
	}
	s.record(c, audit.Logout, "user", principal(c).UserID, "", nil)
	s.setSessionCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}

// pageSession lets a page through only with a valid session; others are
// sent to the login page.
func (s *Server) pageSession(c *gin.Context) {
	p, err := s.sessionPrincipal(c)
	if err != nil {
		c.Redirect(http.StatusSeeOther, "/login")
		c.Abort()
		return
	}
	c.Set(principalKey, p)
	c.Next()
}

func (s *Server) passwordPage(c *gin.Context) {
	page := s.page(c, "auth.password_title", "")
	u, err := s.accounts.PasswordLinkUser(c.Request.Context(), c.Param("token"))
	if err != nil {
		page.Error = page.T("auth.link_invalid")
		renderStaff(c, http.StatusNotFound, "password", page)
		return
	}
	page.Email, page.Token = u.Email, c.Param("token")
	renderStaff(c, http.StatusOK, "password", page)
}

// setPassword spends a one-time link: the link's secret is the proof, and
// the same-origin check keeps other sites from posting it.
func (s *Server) setPassword(c *gin.Context) {
	token := c.Param("token")
	page := s.page(c, "auth.password_title", "")
	if !sameOrigin(c.Request, s.cfg.BaseURL) {
		page.Error = page.T("auth.other_site")
		renderStaff(c, http.StatusForbidden, "password", page)
		return
	}
	u, err := s.accounts.UsePasswordLink(c.Request.Context(), token, c.PostForm("password"))
	var ve *forms.ValidationError
	switch {
	case errors.As(err, &ve):
		page.Token, page.Error = token, page.T("auth.password_too_short")
		if lu, err := s.accounts.PasswordLinkUser(c.Request.Context(), token); err == nil {
			page.Email = lu.Email
		}
		renderStaff(c, http.StatusUnprocessableEntity, "password", page)
		return
	case errors.Is(err, forms.ErrNotFound):
		s.passwordPage(c)
		return
	case err != nil:
		fail(c, err)
		return
	}
	id := u.ID
	_ = s.audit.Record(c.Request.Context(), audit.Event{ActorID: &id, ActorEmail: u.Email, Action: audit.UserPassword, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), IP: c.ClientIP()}, map[string]string{"via": "link"})
	page = s.page(c, "auth.login_title", "")
	page.Notice, page.Email = page.T("auth.password_set"), u.Email
	renderStaff(c, http.StatusOK, "login", page)
}

// portalExport requests the Excel workbook of a consultation from the
// portal, as POST /api/v1/exports does, and shows the job's progress (its
// JSON, which links the file when it is ready).
func (s *Server) portalExport(c *gin.Context) {
	id, err := strconv.ParseUint(c.PostForm("consultation_id"), 10, 32)
	if err != nil || id == 0 {
		s.failPage(c, errNotFound)
		return
	}
	p := principal(c)
	job, reused, err := s.exports.Submit(c.Request.Context(), requester(p), exports.Request{Kind: "consultation", ConsultationID: uint(id)})
	var scopeErr *analysis.ScopeError
	if errors.As(err, &scopeErr) {
		s.failPage(c, errNotFound)
		return
	}
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.record(c, audit.ExportRequest, "export", job.ID, "", map[string]any{"kind": job.Kind, "consultation_id": id, "reused": reused, "via": "portal"})
	s.wakeExports()
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/portal/exports/%d", job.ID))
}
