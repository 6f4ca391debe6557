package httpkit

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms/accounts"
)

// SessionCookie names the login session's cookie. Its value is a 256-bit
// random secret; the database keeps only its SHA-256.
const SessionCookie = "agora_session"

// sessionKey holds the request's *accounts.Session, when it has one.
const sessionKey = "agora.session"

// ErrCSRF refuses a state-changing request of a session without the
// session's CSRF token.
var ErrCSRF = &Error{Status: http.StatusForbidden, Code: "csrf_failed", Message: "send the session's CSRF token in the X-CSRF-Token header or the csrf form field"}

// Sessions reads and writes the staff's login sessions: the cookie, and
// the CSRF token every change must carry. The JSON API and the workspace
// share it.
type Sessions struct {
	accounts *accounts.Store
	// secure marks the cookie Secure even on a plain request: behind a
	// proxy that terminates TLS (HSTS configured, or an https base URL).
	secure bool
}

// NewSessions reads sessions from store; secure is set when the server is
// reached over TLS through a proxy.
func NewSessions(store *accounts.Store, secure bool) *Sessions {
	return &Sessions{accounts: store, secure: secure}
}

// Principal authenticates a request by its session cookie. For a request
// that changes state (anything but GET, HEAD, OPTIONS) it also requires
// the session's CSRF token, so that another site cannot make a signed-in
// browser act.
func (s *Sessions) Principal(c *gin.Context) (*accounts.Principal, error) {
	cookie, err := c.Cookie(SessionCookie)
	if err != nil || cookie == "" {
		return nil, ErrUnauthenticated
	}
	p, sess, err := s.accounts.SessionPrincipal(c.Request.Context(), cookie)
	if err != nil {
		return nil, err
	}
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		got := c.GetHeader("X-CSRF-Token")
		if ct := c.GetHeader("Content-Type"); got == "" &&
			(strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data")) {
			got = c.PostForm("csrf")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
			return nil, ErrCSRF
		}
	}
	c.Set(sessionKey, sess)
	return p, nil
}

// Session returns the request's login session, or nil.
func Session(c *gin.Context) *accounts.Session {
	v, _ := c.Get(sessionKey)
	sess, _ := v.(*accounts.Session)
	return sess
}

// SetCookie sends the session cookie: HttpOnly, SameSite=Lax, and Secure
// when the server is reached over TLS (directly or behind a proxy that
// terminates it).
func (s *Sessions) SetCookie(c *gin.Context, value string, maxAge int) {
	secure := c.Request.TLS != nil || s.secure
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}
