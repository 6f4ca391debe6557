package httpkit

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"
)

// LangCookie remembers the language a visitor picked with ?lang=.
const LangCookie = "agora_lang"

// Languages chooses the language of a page among the ones a family of
// pages speaks: ?lang= (remembered in a cookie), then the cookie, then the
// browser's Accept-Language, then the first language.
type Languages struct {
	codes   []string
	matcher language.Matcher
}

// NewLanguages chooses among codes, the first being the fallback.
func NewLanguages(codes ...string) *Languages {
	tags := make([]language.Tag, len(codes))
	for i, c := range codes {
		tags[i] = language.Make(c)
	}
	return &Languages{codes: codes, matcher: language.NewMatcher(tags)}
}

// Codes lists the languages, the fallback first.
func (l *Languages) Codes() []string { return l.codes }

// Has tells whether code is one of the languages.
func (l *Languages) Has(code string) bool { return slices.Contains(l.codes, code) }

// Choose picks the request's language, remembering a ?lang= choice.
func (l *Languages) Choose(c *gin.Context) string {
	if code := c.Query("lang"); l.Has(code) {
		http.SetCookie(c.Writer, &http.Cookie{Name: LangCookie, Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil})
		return code
	}
	return l.Saved(c)
}

// Saved is the request's language without ?lang=: the cookie, then the
// browser's Accept-Language, then the fallback. Pages where ?lang= names
// another language (a questionnaire's preview) use it.
func (l *Languages) Saved(c *gin.Context) string {
	if code, err := c.Cookie(LangCookie); err == nil && l.Has(code) {
		return code
	}
	return l.Negotiate(c.GetHeader("Accept-Language"))
}

// Negotiate returns the language an Accept-Language header prefers, the
// fallback when it names none of them.
func (l *Languages) Negotiate(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err == nil && len(tags) > 0 {
		if _, i, conf := l.matcher.Match(tags...); conf != language.No {
			return l.codes[i]
		}
	}
	return l.codes[0]
}
