package staff

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

var (
	staffPlaceholder = regexp.MustCompile(`\{[a-z_]+\}`)
	// staffVerb is a fmt verb (%d, %s, %.1f, %q...); a lone "%" (as in
	// "Submitted %" or "% of answers") is text, not a verb.
	staffVerb = regexp.MustCompile(`%[-+#0]*[0-9]*(?:\.[0-9]+)?[vdsqfgxXeEcbtTU]`)
)

// TestStaffCatalogsComplete checks that every staff language has every
// English key, non-empty, with the same placeholders and fmt verbs, and
// nothing more, so that no page of any language shows an English word
// or loses a figure.
func TestStaffCatalogsComplete(t *testing.T) {
	en := staffCatalog.Keys("en")
	if len(en) < 700 {
		t.Fatalf("the English staff catalog has only %d keys", len(en))
	}
	for _, lang := range staffLanguages[1:] {
		t.Run(lang, func(t *testing.T) {
			keys := staffCatalog.Keys(lang)
			for _, k := range en {
				if !slices.Contains(keys, k) {
					t.Errorf("missing key %q", k)
				}
			}
			for _, k := range keys {
				text, _ := staffCatalog.Text(lang, k)
				english, ok := staffCatalog.Text("en", k)
				if !ok {
					t.Errorf("key %q is not in the English catalog", k)
					continue
				}
				if strings.TrimSpace(text) == "" {
					t.Errorf("%q is empty", k)
				}
				for _, re := range []*regexp.Regexp{staffPlaceholder, staffVerb} {
					want, got := re.FindAllString(english, -1), re.FindAllString(text, -1)
					slices.Sort(want)
					slices.Sort(got)
					if !slices.Equal(want, got) {
						t.Errorf("%q has %v, English has %v", k, got, want)
					}
				}
				if nonLatin[lang] && text == english && len(englishWord.FindAllString(staffPlaceholder.ReplaceAllString(english, ""), -1)) >= 3 {
					t.Errorf("%q is an English copy: %q", k, text)
				}
			}
		})
	}
}

// nonLatin are the staff languages whose script is not the Latin one: a
// sentence identical to its English is an untranslated copy there.
var nonLatin = map[string]bool{"ar": true, "ru": true, "zh": true}

// englishWord is a word of Latin letters.
var englishWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// TestStaffLanguages checks that the workspace speaks the six UN
// languages, English first, and that the switcher offers each by its own
// name.
func TestStaffLanguages(t *testing.T) {
	want := []string{"en", "fr", "es", "ar", "ru", "zh"}
	if !slices.Equal(staffLanguages, want) {
		t.Fatalf("staff languages %v, want %v", staffLanguages, want)
	}
	for _, l := range forms.Languages {
		if !slices.Contains(staffLanguages, l) {
			t.Errorf("the UN language %q is not a staff language", l)
		}
	}
	links := languageLinks(httptest.NewRequest(http.MethodGet, "/portal?x=1&notice=notice.saved", nil), "ar")
	names := map[string]string{"ar": "العربية", "ru": "Русский", "zh": "中文"}
	for _, l := range links {
		if n, ok := names[l.Lang]; ok && l.Name != n {
			t.Errorf("%s is offered as %q, want %q", l.Lang, l.Name, n)
		}
		if l.Current != (l.Lang == "ar") || !strings.Contains(l.Href, "lang="+l.Lang) || strings.Contains(l.Href, "notice") {
			t.Errorf("link %+v", l)
		}
	}
	if len(links) != len(want) {
		t.Errorf("%d links, want %d", len(links), len(want))
	}
}

// staffKeyUses are the ways templates and code name a catalog key.
var staffKeyUses = []*regexp.Regexp{
	regexp.MustCompile(`\.T "([^"]+)"`),           // {{.T "key"}} / {{$.T "key" ...}}
	regexp.MustCompile(`\bT\("([a-z_]+\.[^"]+)"`), // p.T("key")
	regexp.MustCompile(`s\.page\(c, "([^"]+)"`),   // s.page(c, "title", ...)
	regexp.MustCompile(`redirectNotice\([^;\n]*"(notice\.[^"]+)"\)`),
}

// TestStaffKeysExist checks that every key a staff template or handler
// names literally is in the English catalog, so that no page shows a key.
func TestStaffKeysExist(t *testing.T) {
	files, _ := filepath.Glob("templates/*.html")
	gofiles, _ := filepath.Glob("*.go")
	if len(files) == 0 || len(gofiles) == 0 {
		t.Fatalf("no templates (%d) or Go files (%d) to read", len(files), len(gofiles))
	}
	for _, name := range append(files, gofiles...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var code strings.Builder // without comment lines
		for _, line := range strings.Split(string(raw), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "//") {
				code.WriteString(line + "\n")
			}
		}
		for _, key := range suppressedKeys {
			if !staffCatalog.Has("en", key) {
				t.Errorf("the suppression rules name %q, which the English staff catalog lacks", key)
			}
		}
		for _, re := range staffKeyUses {
			for _, m := range re.FindAllStringSubmatch(code.String(), -1) {
				if !staffCatalog.Has("en", m[1]) {
					t.Errorf("%s names %q, which the English staff catalog lacks", name, m[1])
				}
			}
		}
	}
}

func TestStaffLang(t *testing.T) {
	tests := []struct {
		name, query, cookie, accept, want string
		remembers                         bool
	}{
		{"default", "", "", "", "en", false},
		{"browser French", "", "", "fr-CA,fr;q=0.9,en;q=0.5", "fr", false},
		{"browser German falls back", "", "", "de-DE", "en", false},
		{"cookie", "", "es", "fr", "es", false},
		{"query wins and is remembered", "lang=fr", "es", "", "fr", true},
		{"unknown query ignored", "lang=de", "", "es", "es", false},
		{"browser Arabic", "", "", "ar-EG,ar;q=0.9", "ar", false},
		{"browser Chinese", "", "", "zh-CN,zh;q=0.9", "zh", false},
		{"query Russian", "lang=ru", "", "", "ru", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodGet, "/portal?"+tt.query, nil)
			if tt.cookie != "" {
				c.Request.AddCookie(&http.Cookie{Name: httpkit.LangCookie, Value: tt.cookie})
			}
			if tt.accept != "" {
				c.Request.Header.Set("Accept-Language", tt.accept)
			}
			if got := staffLang(c); got != tt.want {
				t.Errorf("staffLang = %q, want %q", got, tt.want)
			}
			set := w.Result().Cookies()
			if tt.remembers != (len(set) == 1 && set[0].Value == tt.want) {
				t.Errorf("cookies set %v, remembered wanted %v", set, tt.remembers)
			}
		})
	}
}

func TestPageNotice(t *testing.T) {
	tests := []struct{ query, want string }{
		{"notice=notice.saved&lang=fr", "Modifications enregistrées."},
		{"notice=layout.brand", ""},        // not a notice key
		{"notice=notice.%3Cscript%3E", ""}, // not in the catalog
	}
	s := &Pages{}
	for _, tt := range tests {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, "/portal?"+tt.query, nil)
		if got := s.page(c, "nav.consultations", "consultations").Notice; got != tt.want {
			t.Errorf("%s: notice %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestFailPage(t *testing.T) {
	ve := &forms.ValidationError{}
	ve.Add("/country", "is not a country: %q", "XXX")
	tests := []struct {
		name   string
		err    error
		status int
		want   []string
	}{
		{"not found", forms.ErrNotFound, http.StatusNotFound, []string{"Introuvable", `lang="fr"`}},
		{"invalid", ve, http.StatusUnprocessableEntity, []string{"<td>country</td>", "is not a country: &#34;XXX&#34;"}},
		{"conflict", &forms.ConflictError{Reason: "the questionnaire is published <b>"}, http.StatusConflict, []string{"the questionnaire is published &lt;b&gt;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodGet, "/portal/x?lang=fr", nil)
			(&Pages{}).failPage(c, tt.err)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("page lacks %q:\n%s", s, w.Body.String())
				}
			}
		})
	}
}
