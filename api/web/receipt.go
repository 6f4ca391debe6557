package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms"
)

// A submitted response opens to its link only with its receipt code (see
// forms.Session.Sealed). Once the stakeholder has typed it, a cookie of
// this link's own, signed by the server, keeps the response open in that
// browser for a while; a forwarded or re-issued link opens nothing.

// receiptCookie names the cookie; receiptCookieAge is how long it lasts.
const (
	receiptCookie    = "agora_receipt"
	receiptCookieAge = 2 * 60 * 60
)

// receiptMark is the cookie's value for the link token: an HMAC of its
// hash, which only this server can make.
func (s *Survey) receiptMark(token string) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte("receipt shown\x00" + forms.TokenHash(token)))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// unlockByCookie opens a submitted response whose receipt this browser
// showed for this link.
func (s *Survey) unlockByCookie(c *gin.Context, sess *forms.Session) {
	if !sess.Submitted() {
		return
	}
	if got, err := c.Cookie(receiptCookie); err == nil && hmac.Equal([]byte(got), []byte(s.receiptMark(c.Param("token")))) {
		sess.Unlocked = true
	}
}

// postUnlock checks the receipt code posted from the sealed page. A wrong
// code spends the address's budget of wrong guesses, as an unknown link
// does.
func (s *Survey) postUnlock(v *surveyVisit) {
	c, sess := v.c, v.sess
	if !sess.Submitted() {
		c.Redirect(http.StatusSeeOther, v.view.Path)
		return
	}
	if !sess.Unlock(c.Request.PostForm.Get("receipt")) {
		s.guard.Miss(c)
		s.renderPage(c, http.StatusUnprocessableEntity, s.render.Sealed(v.view, true))
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: receiptCookie, Value: s.receiptMark(v.token), Path: "/s/" + url.PathEscape(v.token),
		MaxAge: receiptCookieAge, HttpOnly: true, Secure: c.Request.TLS != nil || s.links.Secure(), SameSite: http.SameSiteStrictMode})
	c.Redirect(http.StatusSeeOther, v.view.Path+"?page=done")
}
