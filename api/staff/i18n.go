package staff

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
)

// The staff's pages speak the six UN languages. Their words live in
// api/staff/i18n/<lang>/<area>.json, one file per area of the workspace, so
// that each area keeps its own words; the files of a language are merged.
// Templates write {{.T "key"}}; code builds pages with Pages.page.

// staffLanguages are the languages of the staff's pages, English first.
var staffLanguages = []string{"en", "fr", "es", "ar", "ru", "zh"}

//go:embed i18n
var staffI18nFS embed.FS

// staffCatalog holds the staff pages' words; a broken catalog stops the
// program at start, as a broken template does.
var staffCatalog = mustStaffCatalog()

func mustStaffCatalog() *web.Catalog {
	sub, err := fs.Sub(staffI18nFS, "i18n")
	if err != nil {
		panic(err)
	}
	cat, err := web.LoadCatalogDir(sub, staffLanguages)
	if err != nil {
		panic(err)
	}
	return cat
}

// staffLangs chooses a staff page's language: ?lang= (remembered in a
// cookie), then the cookie, then the browser's Accept-Language, then
// English.
var staffLangs = httpkit.NewLanguages(staffLanguages...)

// staffLang picks the language of a staff page.
func staffLang(c *gin.Context) string { return staffLangs.Choose(c) }

// savedStaffLang is the staff member's language without ?lang=. Pages
// where ?lang= names another language (the questionnaire preview's) use it.
func savedStaffLang(c *gin.Context) string { return staffLangs.Saved(c) }

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
