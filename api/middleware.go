package api

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/staff"
)

// recovery turns a panic into a logged 500 with the JSON error body, and
// keeps the server alive.
func recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.Error("panic", "method", c.Request.Method, "path", c.FullPath(), "panic", v, "stack", string(debug.Stack()))
				c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": &httpkit.Error{Code: "internal", Message: "something went wrong on our side; the error was logged"}})
			}
		}()
		c.Next()
	}
}

// securityHeaders sets the headers every response carries. The policy
// allows no inline script or style and no outside origin: the pages ship
// their own files.
func securityHeaders(hsts bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		hd := c.Writer.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

// limitBody bounds every request body: n for forms and JSON, upload for
// multipart uploads (XLSForm, stakeholder imports). Reading past the bound
// fails with a *http.MaxBytesError, which the error renderer answers with
// 413.
func limitBody(n, upload int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := n
		if isUpload(c.Request) {
			limit = upload
		}
		if c.Request.ContentLength > limit {
			httpkit.Fail(c, httpkit.ErrTooLarge)
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

// isUpload tells multipart uploads apart: they have a larger limit.
func isUpload(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// authenticate requires a valid bearer token or login session cookie and
// stores the principal. A request authenticated by the cookie that changes
// state must carry the session's CSRF token (see sessionPrincipal).
func (s *Server) authenticate(c *gin.Context) {
	token, ok := bearer(c.GetHeader("Authorization"))
	if !ok {
		p, err := s.sessions.Principal(c)
		if err != nil {
			httpkit.Fail(c, err)
			return
		}
		httpkit.SetPrincipal(c, p)
		c.Next()
		return
	}
	p, err := s.accounts.Authenticate(c.Request.Context(), token)
	if err != nil {
		httpkit.Fail(c, err)
		return
	}
	httpkit.SetPrincipal(c, p)
	c.Next()
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// requireRole lets through only principals holding one of roles.
func requireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := httpkit.Principal(c)
		if p == nil {
			httpkit.Fail(c, httpkit.ErrUnauthenticated)
			return
		}
		if !p.HasRole(roles...) {
			if isPage(c.Request) {
				staff.FailPage(c, httpkit.ErrForbidden)
				return
			}
			httpkit.Fail(c, httpkit.ErrForbidden)
			return
		}
		c.Next()
	}
}

// isPage tells the staff's pages from the JSON API: a refusal on a page is
// a page too.
func isPage(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/")
}

// refuseNUL answers 400 to a query string holding a NUL byte: no filter
// value ever needs one, and PostgreSQL refuses it in text, which would
// otherwise surface as a 500.
func refuseNUL() gin.HandlerFunc {
	return func(c *gin.Context) {
		if strings.Contains(c.Request.URL.RawQuery, "%00") || strings.ContainsRune(c.Request.URL.Path, 0) {
			httpkit.Fail(c, httpkit.BadRequest("the address holds a NUL character"))
			return
		}
		c.Next()
	}
}

// limitRate refuses clients that exceed the configured rate with 429.
func (s *Server) limitRate() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.URL.Path != "/healthz" && !s.limiter.Allow(c.ClientIP()) {
			c.Header("Retry-After", "10")
			httpkit.Fail(c, httpkit.ErrRateLimited)
			return
		}
		c.Next()
	}
}
