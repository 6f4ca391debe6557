// Package web is the stakeholder's survey pages: their handlers (Survey,
// whose Page and Post the route table of package api names for /s/{token}),
// and their rendering: html/template pages, the style sheet and the message
// catalogs in the six UN languages, all embedded in the binary. A handler
// resolves the link (httpkit.LinkGuard), calls the forms domain, and hands
// the Renderer the data to show; the workspace's preview of a questionnaire
// uses the same Renderer.
//
// Pages work without JavaScript. Every page is one of the *Page types, built
// by the Renderer's constructors and written by Render.
//
// # Form field names
//
// One section is one HTML form. Its fields are named after the question
// codes (which cannot contain a dot, so the names below never clash):
//
//   - single_choice, scale: radios name=CODE value=OPTION or scale value;
//   - multiple_choice: checkboxes name=CODE value=OPTION, one per option;
//   - "other, please specify": a text input name=CODE.other;
//   - text, long_text, number, integer, date: one input name=CODE;
//   - matrix: radios name=CODE.ROW value=scale value, one group per row;
//   - ranking: one select per option name=CODE.rank.OPTION, value 1..N or
//     empty for "not ranked".
//
// The controls of the page itself are action (next, back, save, submit,
// start), section (the index of the section posted), return, csrf and, on
// the review page, submission_id. ParseSection reads a posted section back
// into forms.Answers.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"

	"github.com/unodc-csu/agora/api/httpkit"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/agora.css
var styleSheet []byte

// Page is the data of one page; the *Page types of this package implement it.
type Page interface {
	base() *Layout
	template() string
}

// Renderer holds the parsed templates, the catalogs and the style sheet.
// It is immutable after New and safe for concurrent use.
type Renderer struct {
	cat    *Catalog
	pages  map[string]*template.Template
	assets *httpkit.Assets
}

// pageNames are the page templates, each a file of templates/.
var pageNames = []string{"section", "review", "done", "saved", "open", "status"}

// New parses the embedded templates and catalogs, and adds the pages'
// style sheet to assets (a set of its own when nil), which serves it.
func New(assets *httpkit.Assets) (*Renderer, error) {
	cat, err := LoadCatalog()
	if err != nil {
		return nil, err
	}
	r := &Renderer{cat: cat, pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/parts.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	if assets == nil {
		assets = httpkit.NewAssets()
	}
	assets.Add("agora.css", styleSheet, "text/css; charset=utf-8")
	r.assets = assets
	return r, nil
}

// Catalog returns the message catalogs.
func (r *Renderer) Catalog() *Catalog { return r.cat }

// funcs are the few helpers the templates use.
var funcs = template.FuncMap{
	"pair": func(page, q any) pair { return pair{page, q} },
}

// pair hands a part template the page (for its words) and one item.
type pair struct{ Page, Q any }

// Render writes page as a complete HTML document. The page is executed in
// memory first, so that a failure never sends half a page.
func (r *Renderer) Render(w io.Writer, p Page) error {
	t := r.pages[p.template()]
	if t == nil {
		return fmt.Errorf("web: no template %q", p.template())
	}
	p.base().CSS = r.CSSPath()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// CSSPath is the address of the style sheet, fingerprinted so that it can
// be cached for a year.
func (r *Renderer) CSSPath() string { return r.assets.Path("agora.css") }

// StyleSheet returns the style sheet, for tests of the page weight.
func (r *Renderer) StyleSheet() []byte { return styleSheet }
