// Package web renders the stakeholder's survey pages: html/template pages,
// their style sheet and the message catalogs in the six UN languages, all
// embedded in the binary. It knows nothing of HTTP routing: the api package
// resolves the link, calls the forms domain, and hands web the data to show.
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
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/agora.css
var styleSheet []byte

//go:embed static/staff.css
var staffSheet []byte

//go:embed static/staff.js
var staffScript []byte

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
	sheets map[string]*sheet // by file name
}

// sheet is one static file (a style sheet, or the workspace's one
// script), with its type, fingerprint and compressed form.
type sheet struct {
	body, gzip []byte
	hash, typ  string
}

func newSheet(body []byte) *sheet { return newAsset(body, "text/css; charset=utf-8") }

func newAsset(body []byte, typ string) *sheet {
	sum := sha256.Sum256(body)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	return &sheet{body: body, gzip: gz.Bytes(), hash: hex.EncodeToString(sum[:6]), typ: typ}
}

// pageNames are the page templates, each a file of templates/.
var pageNames = []string{"section", "review", "done", "saved", "open", "status"}

// New parses the embedded templates and catalogs.
func New() (*Renderer, error) {
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
	r.sheets = map[string]*sheet{"agora.css": newSheet(styleSheet), "staff.css": newSheet(staffSheet),
		"staff.js": newAsset(staffScript, "text/javascript; charset=utf-8")}
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
func (r *Renderer) CSSPath() string { return r.SheetPath("agora.css") }

// SheetPath is the fingerprinted address of the style sheet name
// ("agora.css", or "staff.css" for the staff's pages).
func (r *Renderer) SheetPath(name string) string {
	if sh, ok := r.sheets[name]; ok {
		return "/static/" + name + "?v=" + sh.hash
	}
	return "/static/" + name
}

// StyleSheet returns the style sheet, for tests of the page weight.
func (r *Renderer) StyleSheet() []byte { return styleSheet }

// ServeStatic answers a request for the static file name (a style sheet,
// or the workspace's script), compressed when the client accepts gzip.
func (r *Renderer) ServeStatic(w http.ResponseWriter, req *http.Request, name string) {
	sh, ok := r.sheets[strings.TrimPrefix(name, "/")]
	if !ok {
		http.NotFound(w, req)
		return
	}
	h := w.Header()
	h.Set("Content-Type", sh.typ)
	h.Set("Vary", "Accept-Encoding")
	if req.URL.Query().Get("v") == sh.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	etag := `"` + sh.hash + `"`
	h.Set("ETag", etag)
	if req.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := sh.body
	if strings.Contains(req.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = sh.gzip
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if req.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
