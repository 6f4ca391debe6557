package web

import (
	"net/url"

	"github.com/unodc-csu/agora/forms"
)

// Layout is what every page shares: its language and direction, the words
// of the interface, the header and the language switcher.
type Layout struct {
	Lang     string
	Dir      string
	M        Messages
	DocTitle string // the document title
	// Survey is the questionnaire's title, shown in the header; empty on
	// pages that have no questionnaire to name.
	Survey    Txt
	Languages []LanguageLink
	CSS       string // set by Render
	HasErrors bool   // prefixes the document title with "Error:"
}

func (l *Layout) base() *Layout { return l }

// LanguageLink is one entry of the language switcher.
type LanguageLink struct {
	Code, Name, URL string
	Current         bool
}

// Txt is a questionnaire text in the language it could be found in. Lang
// (and Dir when the direction differs) is set only when that is not the
// page's language — a fallback to the questionnaire's default — so that
// the page can mark it for screen readers and bidirectional layout.
type Txt struct {
	S, Lang, Dir string
}

// Visit is what every page of one link needs: the questionnaire, the
// language to show, the languages offered, and where the link lives.
type Visit struct {
	Form *forms.Form
	// Lang is the language of the page, one of forms.Languages.
	Lang string
	// Languages are the languages the consultation offers, for the switcher.
	Languages []string
	// Path is the link's address, "/s/{token}".
	Path string
	// CSRF is the token every form of the page carries.
	CSRF string
	// Anonymity and MinCell are the consultation's, which the pages tell
	// stakeholders before they answer: who will see what. Empty in a
	// preview.
	Anonymity string
	MinCell   int
}

// privacy is the sentence that tells a stakeholder who will see their
// answers, from the consultation's anonymity mode (docs/protection.md);
// empty when there is no consultation.
func (r *Renderer) privacy(v *Visit) string {
	if v.Anonymity == "" {
		return ""
	}
	return r.cat.Messages(v.Lang).T("privacy_"+v.Anonymity, "n", v.MinCell)
}

// layout builds the shared part of a page of the visit. page is the query
// that shows the same page, kept by the language links.
func (r *Renderer) layout(v *Visit, title string, page url.Values) Layout {
	l := Layout{Lang: v.Lang, Dir: Direction(v.Lang), M: r.cat.Messages(v.Lang), DocTitle: title}
	if v.Form != nil {
		l.Survey = v.txt(v.Form.Definition().Title)
		if title == "" {
			l.DocTitle = l.Survey.S
		} else {
			l.DocTitle = title + " – " + l.Survey.S
		}
	}
	if len(v.Languages) > 1 {
		for _, code := range v.Languages {
			q := url.Values{}
			for k, vs := range page {
				q[k] = vs
			}
			q.Set("lang", code)
			l.Languages = append(l.Languages, LanguageLink{
				Code: code, Name: LanguageName(code), URL: v.Path + "?" + q.Encode(), Current: code == v.Lang,
			})
		}
	}
	return l
}

// txt picks the text of t in the visit's language, falling back as
// forms.Text.In does, and tells which language it found.
func (v *Visit) txt(t forms.Text) Txt {
	if s := t[v.Lang]; s != "" {
		return Txt{S: s}
	}
	def := v.Form.Definition().DefaultLanguage
	found := ""
	if t[def] != "" {
		found = def
	} else {
		for _, l := range forms.Languages {
			if t[l] != "" {
				found = l
				break
			}
		}
	}
	if found == "" {
		return Txt{}
	}
	out := Txt{S: t[found], Lang: found}
	if d := Direction(found); d != Direction(v.Lang) {
		out.Dir = d
	}
	return out
}

// plain is text typed by the stakeholder: shown as it is, in no
// particular language.
func plain(s string) Txt { return Txt{S: s} }
