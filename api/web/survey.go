package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// Survey answers the stakeholder's links: the handlers of the survey
// pages, over the renderer of this package. The route table names its
// methods Page and Post.
type Survey struct {
	forms   *forms.Store
	render  *Renderer
	guard   *httpkit.LinkGuard
	links   *httpkit.Links
	csrfKey []byte
	visits  *httpkit.Limiter // open-link visits started, per client address
}

// openVisitsPerHour bounds the personal links one address may take from an
// open link.
const openVisitsPerHour = 10

// NewSurvey prepares the pages of store's links, rendered by render, with
// links resolved through guard and addressed by links. secret keys the
// forms' CSRF tokens (AGORA_SECRET); every instance behind a load
// balancer must share it.
func NewSurvey(store *forms.Store, render *Renderer, guard *httpkit.LinkGuard, links *httpkit.Links, secret string) *Survey {
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
	return &Survey{forms: store, render: render, guard: guard, links: links, csrfKey: mac.Sum(nil),
		visits: httpkit.NewHourly(openVisitsPerHour)}
}

// csrfToken is the hidden field of every form of a link: an HMAC of the
// link's token hash, so that only pages this server rendered for this link
// can post to it. The stakeholder has no session to tie it to; the link is
// the session.
func (s *Survey) csrfToken(token string) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte(forms.TokenHash(token)))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfValid checks a posted CSRF token in constant time.
func (s *Survey) csrfValid(token, got string) bool {
	return hmac.Equal([]byte(s.csrfToken(token)), []byte(got))
}

// renderPage writes a page with the headers every survey page carries:
// never cached (it shows personal answers), never indexed, and sending its
// origin with the forms it posts so that httpkit.SameOrigin can check it.
func (s *Survey) renderPage(c *gin.Context, status int, p Page) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.render.Render(c.Writer, p); err != nil {
		slog.Error("render survey page", "path", c.FullPath(), "err", err)
		c.String(http.StatusInternalServerError, "internal error")
	}
	c.Abort()
}
