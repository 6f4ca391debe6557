package web

import (
	"net/url"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// StatusPage explains why a link does not lead to the questionnaire, or
// why a request was refused: a closed consultation, a revoked link, too
// many attempts. It shows no technical detail.
type StatusPage struct {
	Layout
	Heading string
	Body    string
	Extra   string
	// Link leads back to the questionnaire, when there is one to go back to.
	Link, LinkText string
}

func (*StatusPage) template() string { return "status" }

// Status builds the page of a status key: link_unknown, link_closed,
// rate_limited, csrf... (the catalog holds KEY_title and KEY_body). v.Form
// may be nil.
func (r *Renderer) Status(v *Visit, key string) *StatusPage {
	m := r.cat.Messages(v.Lang)
	p := &StatusPage{Heading: m.T(key + "_title"), Body: m.T(key + "_body")}
	p.Layout = r.layout(v, p.Heading, url.Values{})
	return p
}

// SavedPage confirms that the answers were saved, and gives the link to
// come back with.
type SavedPage struct {
	Layout
	Link        string // the full personal link, to copy or bookmark
	ContinueURL string
}

func (*SavedPage) template() string { return "saved" }

// Saved builds the page shown after "save and continue later". link is the
// full address of the personal link.
func (r *Renderer) Saved(v *Visit, link string) *SavedPage {
	p := &SavedPage{Link: link, ContinueURL: v.Path}
	p.Layout = r.layout(v, r.cat.Messages(v.Lang).T("saved_title"), url.Values{})
	return p
}

// OpenPage welcomes a visitor of an open link: they declare the kind of
// organization they answer for and their language, and get a personal link.
type OpenPage struct {
	Layout
	Action, CSRF string
	Description  Txt
	Types        []OptionView
	LanguageList []LanguageLink
	Error        string
}

func (*OpenPage) template() string { return "open" }

// Open builds the open-link page; chosen is the type already chosen, and
// failed is set when the visitor sent the form without choosing.
func (r *Renderer) Open(v *Visit, chosen string, failed bool) *OpenPage {
	m := r.cat.Messages(v.Lang)
	p := &OpenPage{Action: v.Path, CSRF: v.CSRF, Description: v.txt(v.Form.Definition().Description)}
	p.Layout = r.layout(v, m.T("open_title"), url.Values{})
	for _, t := range forms.StakeholderTypes {
		p.Types = append(p.Types, OptionView{ID: "type-" + t, Value: t, Label: Txt{S: m.T("type_" + t)}, Checked: t == chosen})
	}
	for _, l := range v.Languages {
		p.LanguageList = append(p.LanguageList, LanguageLink{Code: l, Name: LanguageName(l), Current: l == v.Lang})
	}
	if failed {
		p.Error = m.T("err_type")
		p.HasErrors = true
	}
	return p
}

// surveyLanguages are the languages of the pages' own words, English
// (the fallback) first.
var surveyLanguages = httpkit.NewLanguages("en", "ar", "zh", "fr", "ru", "es")

// Negotiate returns the UN language a browser's Accept-Language header
// prefers, English when it names none of them.
func Negotiate(acceptLanguage string) string { return surveyLanguages.Negotiate(acceptLanguage) }
