package api

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
)

// The staff's pages speak English, French and Spanish. Their words live in
// api/staff/i18n/<lang>/<area>.json, one file per area of the workspace, so
// that each area keeps its own words; the files of a language are merged.
// Templates write {{.T "key"}}; code builds pages with Server.page.

// staffLanguages are the languages of the staff's pages, English first.
var staffLanguages = []string{"en", "fr", "es"}

//go:embed staff/i18n
var staffI18nFS embed.FS

// staffCatalog holds the staff pages' words; a broken catalog stops the
// program at start, as a broken template does.
var staffCatalog = mustStaffCatalog()

func mustStaffCatalog() *web.Catalog {
	sub, err := fs.Sub(staffI18nFS, "staff/i18n")
	if err != nil {
		panic(err)
	}
	cat, err := web.LoadCatalogDir(sub, staffLanguages)
	if err != nil {
		panic(err)
	}
	return cat
}

// staffLangCookie remembers the language a staff member picked.
const staffLangCookie = "agora_lang"

var staffMatcher = language.NewMatcher([]language.Tag{language.English, language.French, language.Spanish})

// staffLang picks the language of a staff page: ?lang= (remembered in a
// cookie), then the cookie, then the browser's Accept-Language, then
// English.
func staffLang(c *gin.Context) string {
	if l := c.Query("lang"); slices.Contains(staffLanguages, l) {
		http.SetCookie(c.Writer, &http.Cookie{Name: staffLangCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil})
		return l
	}
	return savedStaffLang(c)
}

// savedStaffLang is the staff member's language without ?lang=: the
// cookie, then the browser's Accept-Language, then English. Pages where
// ?lang= names another language (the questionnaire preview's) use it.
func savedStaffLang(c *gin.Context) string {
	if l, err := c.Cookie(staffLangCookie); err == nil && slices.Contains(staffLanguages, l) {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(c.GetHeader("Accept-Language"))
	if err == nil && len(tags) > 0 {
		if _, i, conf := staffMatcher.Match(tags...); conf != language.No {
			return staffLanguages[i]
		}
	}
	return "en"
}

// langLink is one entry of the pages' language switcher.
type langLink struct {
	Lang, Name, Href string
	Current          bool
}

// languageLinks links the current page in each staff language, keeping
// its query (filters, selections) but for lang and notice.
func languageLinks(r *http.Request, current string) []langLink {
	links := make([]langLink, 0, len(staffLanguages))
	for _, l := range staffLanguages {
		q := r.URL.Query()
		q.Del("notice")
		q.Set("lang", l)
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		links = append(links, langLink{Lang: l, Name: web.LanguageName(l), Href: u.String(), Current: l == current})
	}
	return links
}

// page starts a staff page for the signed-in caller, in their language:
// title is a catalog key, nav the area of the menu to mark as current. A
// ?notice= naming a catalog key that starts with "notice." is shown as the
// page's notice, which is how a form's redirect says what it did.
func (s *Server) page(c *gin.Context, title, nav string) *staffPage {
	lang := staffLang(c)
	p := &staffPage{Lang: lang, Msg: staffCatalog.Messages(lang), Nav: nav, Languages: languageLinks(c.Request, lang)}
	p.Title = p.T(title)
	p.User = principal(c)
	if sess := session(c); sess != nil {
		p.CSRF = sess.CSRF
	}
	if key := c.Query("notice"); strings.HasPrefix(key, "notice.") && staffCatalog.Has("en", key) {
		p.Notice = p.T(key)
	}
	return p
}

// T translates key into the page's language; pairs fill its placeholders.
func (p *staffPage) T(key string, pairs ...any) string {
	if p.Msg.Lang() == "" {
		p.Msg = staffCatalog.Messages("en")
	}
	return p.Msg.T(key, pairs...)
}

// redirectNotice answers a form post by sending the browser to target,
// which then shows the notice key (see Server.page).
func redirectNotice(c *gin.Context, target, notice string) {
	u, err := url.Parse(target)
	if err != nil {
		c.Redirect(http.StatusSeeOther, target)
		return
	}
	q := u.Query()
	q.Set("notice", notice)
	u.RawQuery = q.Encode()
	c.Redirect(http.StatusSeeOther, u.String())
}

// failPage answers a staff page's error as a page in the staff layout, in
// the caller's language, with the same status the API would give: 404 for
// what is missing or outside the caller's countries, 403, 409 with the
// reason, 422 with each field's problem, 503 while the database is away,
// 500 (logged) for anything else. The page links back to the workspace.
// It uses nothing of s, and may be called on a nil *Server.
func (s *Server) failPage(c *gin.Context, err error) {
	e := toError(err)
	if e == nil || e == errUnavailable {
		fail(c, err) // logs, sets Retry-After, or notices a vanished client
		return
	}
	p := s.page(c, "error.title", "")
	switch e.Status {
	case http.StatusNotFound:
		p.Error = p.T("error.not_found")
	case http.StatusForbidden:
		p.Error = p.T("error.forbidden")
	default:
		p.Error = e.Message
	}
	p.Problems = fieldProblems(e.Fields)
	renderStaff(c, e.Status, "staff-error", p)
	c.Abort()
}

// fieldProblems lists a validation error's fields as a page shows them:
// the field's path without its leading slash, and the problem.
func fieldProblems(fields []forms.FieldError) []pageProblem {
	out := make([]pageProblem, 0, len(fields))
	for _, f := range fields {
		out = append(out, pageProblem{Field: strings.TrimPrefix(f.Path, "/"), Problem: f.Message})
	}
	return out
}
