// Package api is Agora's HTTP face: the server, its one route table, the
// middleware that authenticates, authorizes, limits and protects every
// request, and the JSON handlers of /api/v1. The pages live beside it: the
// staff's workspace in api/staff, the stakeholder's survey pages in
// api/web; what the three share (sessions, CSRF, errors, language choice,
// links, rate limits) is in api/httpkit. It holds no SQL: handlers decode,
// authorize, call one domain function and render.
package api

import (
	"context"
	"log/slog"
	"net/http"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/staff"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/mail"
)

// Config is what the HTTP layer needs to know about its deployment.
type Config struct {
	// BaseURL is the public address, used to build personal links.
	BaseURL string
	// MaxBodyBytes bounds JSON bodies; uploads have their own, larger bound.
	MaxBodyBytes int64
	// MaxUploadBytes bounds file uploads (XLSForm, stakeholder imports).
	MaxUploadBytes int64
	// HSTS sends Strict-Transport-Security; only right behind TLS.
	HSTS bool
	// RatePerMinute is the sustained request rate allowed per client address.
	RatePerMinute int
	// TrustedProxies are the addresses whose X-Forwarded-For is believed;
	// empty trusts none, so a client cannot pick its own address.
	TrustedProxies []string
	// Secret keys the signatures of the survey pages' forms (AGORA_SECRET).
	// Every instance behind a load balancer must share it. When empty, a
	// random key is drawn at start, and forms shown before a restart or by
	// another instance are refused.
	Secret string
	// SMTP is the server that emails invitations and reminders to
	// stakeholders (AGORA_SMTP_URL, parsed by mail.ParseURL); nil turns
	// emailing off, and the pages point to the mail-merge workbook. Its
	// password is never logged or shown.
	SMTP *mail.Config
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxUploadBytes == 0 {
		c.MaxUploadBytes = 10 << 20
	}
	if c.RatePerMinute == 0 {
		c.RatePerMinute = 600
	}
	return c
}

// Server holds the handlers' dependencies. There is no global state: tests
// build as many servers as they like. The JSON handlers are its methods;
// the workspace's pages are staff's, the survey pages web's.
type Server struct {
	cfg       Config
	db        *gorm.DB
	forms     *forms.Store
	accounts  *accounts.Store
	limiter   *httpkit.Limiter
	guard     *httpkit.LinkGuard
	sessions  *httpkit.Sessions
	links     *httpkit.Links
	recorder  *httpkit.Recorder
	mailMerge *httpkit.MailMerge
	assets    *httpkit.Assets
	analysis  *analysis.Analyzer
	audit     *audit.Log
	exports   *exports.Jobs
	runner    *exports.Runner
	mailer    *mail.Mailer
	staff     *staff.Pages
	survey    *web.Survey
}

// New returns a server over db.
func New(cfg Config, db *gorm.DB) *Server {
	cfg = cfg.withDefaults()
	store := forms.NewStore(db)
	s := &Server{
		cfg:      cfg,
		db:       db,
		forms:    store,
		accounts: accounts.NewStore(db),
		limiter:  httpkit.NewPerMinute(cfg.RatePerMinute),
		guard:    httpkit.NewLinkGuard(store),
		links:    httpkit.NewLinks(cfg.BaseURL),
		assets:   httpkit.NewAssets(),
		analysis: analysis.New(db),
		exports:  exports.NewJobs(db),
		audit:    audit.New(db),
		mailer:   newMailer(cfg.SMTP, db, store),
	}
	s.sessions = httpkit.NewSessions(s.accounts, cfg.HSTS || strings.HasPrefix(cfg.BaseURL, "https://"))
	s.recorder = httpkit.NewRecorder(s.audit)
	s.mailMerge = httpkit.NewMailMerge(store, s.links)
	// The templates are embedded, so a failure here is a defect of the
	// build, not of the deployment.
	render, err := web.New(s.assets)
	if err != nil {
		panic("survey pages: " + err.Error())
	}
	s.survey = web.NewSurvey(store, render, s.guard, s.links, cfg.Secret)
	s.staff = staff.New(staff.Deps{
		Forms: store, Accounts: s.accounts, Analysis: s.analysis, Exports: s.exports, Audit: s.audit,
		Mailer: s.mailer, Recorder: s.recorder, Sessions: s.sessions, Links: s.links, Render: render,
		Assets: s.assets, WakeExports: s.wakeExports,
	})
	return s
}

// newMailer sends through cfg's server, or, without one, only plans and
// lists what was sent.
func newMailer(cfg *mail.Config, db *gorm.DB, store *forms.Store) *mail.Mailer {
	if cfg == nil {
		return mail.New(db, store, nil, netmail.Address{})
	}
	return mail.New(db, store, mail.NewSender(*cfg), cfg.From)
}

// StartExports runs the export job runner of this instance until ctx ends.
func (s *Server) StartExports(ctx context.Context) {
	s.runner = exports.NewRunner(s.db, s.analysis)
	s.runner.Start(ctx)
}

// wakeExports asks the runner, if any, to look at the queue now.
func (s *Server) wakeExports() {
	if s.runner != nil {
		s.runner.Wake()
	}
}

// Forms returns the questionnaire store the server uses.
func (s *Server) Forms() *forms.Store { return s.forms }

// Survey returns the handlers of the survey pages.
func (s *Server) Survey() *web.Survey { return s.survey }

// Analysis returns the analyzer the server uses.
func (s *Server) Analysis() *analysis.Analyzer { return s.analysis }

// Accounts returns the account store the server uses.
func (s *Server) Accounts() *accounts.Store { return s.accounts }

// Handler returns the HTTP handler with every route.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	if err := r.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		slog.Warn("trusted proxies ignored", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	s.routes(r)
	return r
}

// serveStatic answers GET /static/*file: the pages' style sheets and
// the workspace's script.
func (s *Server) serveStatic(c *gin.Context) {
	s.assets.Serve(c.Writer, c.Request, c.Param("file"))
}

// healthz reports liveness and whether the database answers.
func (s *Server) healthz(c *gin.Context) {
	if err := database.Ping(c.Request.Context(), s.db); err != nil {
		slog.Warn("health check: database unreachable", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unhealthy", "database": "unreachable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "database": "ok", "schema_version": database.Latest()})
}

// Serve runs the handler on addr until ctx ends, then shuts down gracefully,
// giving requests in flight up to grace to finish.
func Serve(ctx context.Context, addr string, h http.Handler, grace time.Duration, ready func(addr string)) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	slog.Info("shutting down", "grace", grace)
	return srv.Shutdown(shutdown)
}
