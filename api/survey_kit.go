package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
)

// surveyKit holds what the stakeholder's pages need beyond the stores: the
// renderer, the key of their CSRF tokens and the open-link limiter.
type surveyKit struct {
	web     *web.Renderer
	csrfKey []byte
	visits  *ipLimiter // open-link visits started, per client address
}

// openVisitsPerHour bounds the personal links one address may take from an
// open link.
const openVisitsPerHour = 10

// newSurveyKit prepares the pages. The templates are embedded, so a failure
// here is a defect of the build, not of the deployment.
func newSurveyKit(secret string) *surveyKit {
	r, err := web.New()
	if err != nil {
		panic("survey pages: " + err.Error())
	}
	if secret == "" {
		slog.Warn("no secret configured (AGORA_SECRET): survey forms are signed with a random key, " +
			"so forms opened before a restart or on another instance will be refused")
		var b [32]byte
		_, _ = rand.Read(b[:])
		secret = string(b[:])
	}
	// The CSRF key is derived, so that the secret can key other things too.
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("agora survey csrf v1"))
	return &surveyKit{web: r, csrfKey: mac.Sum(nil), visits: newHourlyLimiter(openVisitsPerHour)}
}

// csrfToken is the hidden field of every form of a link: an HMAC of the
// link's token hash, so that only pages this server rendered for this link
// can post to it. The stakeholder has no session to tie it to; the link is
// the session.
func (k *surveyKit) csrfToken(token string) string {
	mac := hmac.New(sha256.New, k.csrfKey)
	mac.Write([]byte(forms.TokenHash(token)))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfValid checks a posted CSRF token in constant time.
func (k *surveyKit) csrfValid(token, got string) bool {
	return hmac.Equal([]byte(k.csrfToken(token)), []byte(got))
}

// sameOrigin refuses a post that says it comes from another site. The
// pages ask browsers to send their origin to us (Referrer-Policy:
// same-origin); a client that sends neither Origin nor Referer is judged
// by the CSRF token alone.
func sameOrigin(r *http.Request, baseURL string) bool {
	from := r.Header.Get("Origin")
	if from == "" || from == "null" {
		from = r.Header.Get("Referer")
	}
	if from == "" {
		return true
	}
	u, err := url.Parse(from)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	b, err := url.Parse(baseURL)
	return err == nil && b.Host != "" && strings.EqualFold(u.Host, b.Host)
}

// newHourlyLimiter allows perHour requests an hour per address, all of
// them at once if need be.
func newHourlyLimiter(perHour int) *ipLimiter {
	return newLimiter(rate.Every(time.Hour/time.Duration(perHour)), perHour)
}

// renderPage writes a page with the headers every survey page carries:
// never cached (it shows personal answers), never indexed, and sending its
// origin with the forms it posts so that sameOrigin can check it.
func (s *Server) renderPage(c *gin.Context, status int, p web.Page) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.survey.web.Render(c.Writer, p); err != nil {
		slog.Error("render survey page", "path", c.FullPath(), "err", err)
		c.String(http.StatusInternalServerError, "internal error")
	}
	c.Abort()
}

// serveStatic answers GET /static/*file.
func (s *Server) serveStatic(c *gin.Context) {
	s.survey.web.ServeStatic(c.Writer, c.Request, c.Param("file"))
}

// personalLink is the full address of a link, to bookmark.
func (s *Server) personalLink(c *gin.Context, token string) string {
	base := strings.TrimRight(s.cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + c.Request.Host
	}
	return base + "/s/" + url.PathEscape(token)
}
