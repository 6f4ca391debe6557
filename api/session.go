package api

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms/accounts"
)

// sessionCookie names the login session's cookie. Its value is a 256-bit
// random secret; the database keeps only its SHA-256.
const sessionCookie = "agora_session"

// sessionKey holds the request's *accounts.Session, when it has one.
const sessionKey = "agora.session"

var errCSRF = &Error{Status: http.StatusForbidden, Code: "csrf_failed", Message: "send the session's CSRF token in the X-CSRF-Token header or the csrf form field"}

// sessionPrincipal authenticates a request by its session cookie. For a
// request that changes state (anything but GET, HEAD, OPTIONS) it also
// requires the session's CSRF token, so that another site cannot make a
// signed-in browser act.
func (s *Server) sessionPrincipal(c *gin.Context) (*accounts.Principal, error) {
	cookie, err := c.Cookie(sessionCookie)
	if err != nil || cookie == "" {
		return nil, errUnauthenticated
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
			return nil, errCSRF
		}
	}
	c.Set(sessionKey, sess)
	return p, nil
}

// session returns the request's login session, or nil.
func session(c *gin.Context) *accounts.Session {
	v, _ := c.Get(sessionKey)
	sess, _ := v.(*accounts.Session)
	return sess
}

// setSessionCookie sends the session cookie: HttpOnly, SameSite=Lax, and
// Secure when the server is reached over TLS (directly or, as HSTS
// configures, behind a proxy that terminates it).
func (s *Server) setSessionCookie(c *gin.Context, value string, maxAge int) {
	secure := c.Request.TLS != nil || s.cfg.HSTS || strings.HasPrefix(s.cfg.BaseURL, "https://")
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}
