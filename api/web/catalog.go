package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// catalogFS holds the pages' own words, one JSON object (key → text) per UN
// language. Placeholders are written {name} and filled by Messages.T.
//
//go:embed i18n/*.json
var catalogFS embed.FS

// Catalog is the pages' own words in every language Agora speaks.
type Catalog struct {
	texts map[string]map[string]string // language → key → text
}

// LoadCatalog reads the embedded catalogs, one per language of
// forms.Languages. A missing catalog is an error: the pages must speak every
// UN language.
func LoadCatalog() (*Catalog, error) {
	c := &Catalog{texts: map[string]map[string]string{}}
	for _, lang := range forms.Languages {
		raw, err := catalogFS.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("i18n/%s.json: %w", lang, err)
		}
		c.texts[lang] = m
	}
	return c, nil
}

// LoadCatalogDir reads catalogs kept one directory per language, each
// holding any number of JSON files (key → text) that are merged: fsys holds
// en/*.json, fr/*.json and so on for each of langs. A key defined twice in
// one language is an error, so that two files cannot silently disagree.
// English must be among langs: it is the fallback.
func LoadCatalogDir(fsys fs.FS, langs []string) (*Catalog, error) {
	if !slices.Contains(langs, "en") {
		return nil, fmt.Errorf("catalogs: English is the fallback and must be among %v", langs)
	}
	c := &Catalog{texts: map[string]map[string]string{}}
	for _, lang := range langs {
		files, err := fs.Glob(fsys, lang+"/*.json")
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("catalogs: no %s/*.json", lang)
		}
		all := map[string]string{}
		for _, name := range files {
			raw, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			m := map[string]string{}
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for k, v := range m {
				if _, dup := all[k]; dup {
					return nil, fmt.Errorf("%s: key %q is already defined in another file of %s", name, k, path.Dir(name))
				}
				all[k] = v
			}
		}
		c.texts[lang] = all
	}
	return c, nil
}

// Has reports whether lang's catalog defines key.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.texts[lang][key]
	return ok
}

// Text returns the raw text of key in lang, and whether it is defined.
func (c *Catalog) Text(lang, key string) (string, bool) {
	s, ok := c.texts[lang][key]
	return s, ok
}

// Keys lists the keys of one language's catalog, sorted.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.texts[lang]))
	for k := range c.texts[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Messages returns the words of lang; an unknown language speaks English.
func (c *Catalog) Messages(lang string) Messages {
	if _, ok := c.texts[lang]; !ok {
		lang = "en"
	}
	return Messages{lang: lang, texts: c.texts[lang], fallback: c.texts["en"]}
}

// Messages are the words of one language, handed to the templates.
type Messages struct {
	lang     string
	texts    map[string]string
	fallback map[string]string
}

// Lang is the language of the messages.
func (m Messages) Lang() string { return m.lang }

// T returns the text of key with its placeholders filled from pairs of name
// and value: T("progress", "n", 2, "total", 5). A key missing in the
// language falls back to English, then to the key itself, so that a gap
// shows rather than breaks a page.
func (m Messages) T(key string, pairs ...any) string {
	s, ok := m.texts[key]
	if !ok {
		if s, ok = m.fallback[key]; !ok {
			s = key
		}
	}
	if len(pairs) < 2 || !strings.Contains(s, "{") {
		return s
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		args = append(args, "{"+fmt.Sprint(pairs[i])+"}", fmt.Sprint(pairs[i+1]))
	}
	return strings.NewReplacer(args...).Replace(s)
}

// languageNames are the languages' names in themselves, for the switcher.
var languageNames = map[string]string{
	"ar": "العربية", "zh": "中文", "en": "English",
	"fr": "Français", "ru": "Русский", "es": "Español",
}

// LanguageName returns the name of lang in that language.
func LanguageName(lang string) string {
	if n, ok := languageNames[lang]; ok {
		return n
	}
	return lang
}

// Direction is "rtl" for languages written right to left, else "ltr".
func Direction(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
}
