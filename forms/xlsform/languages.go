package xlsform

import (
	"regexp"
	"slices"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// languageNames are the names by which a UN language is recognized in a
// column header without a code: in English, in itself, and in the other
// official languages.
var languageNames = map[string][]string{
	"en": {"english", "anglais", "inglés", "ingles", "английский", "英语", "الإنجليزية", "الانجليزية"},
	"fr": {"french", "français", "francais", "francés", "frances", "французский", "法语", "الفرنسية"},
	"es": {"spanish", "español", "espanol", "castellano", "espagnol", "испанский", "西班牙语", "الإسبانية"},
	"ru": {"russian", "русский", "russe", "ruso", "俄语", "الروسية"},
	"zh": {"chinese", "中文", "汉语", "chinois", "chino", "китайский", "الصينية", "简体中文", "繁體中文"},
	"ar": {"arabic", "العربية", "arabe", "árabe", "арабский", "阿拉伯语"},
}

// iso639_2 maps the three-letter codes some forms use to Agora's codes.
var iso639_2 = map[string]string{
	"eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "rus": "ru", "zho": "zh", "chi": "zh", "ara": "ar",
}

// nativeNames name the languages in export headers: "label::Français (fr)".
var nativeNames = map[string]string{
	"en": "English", "fr": "Français", "es": "Español", "ru": "Русский", "zh": "中文", "ar": "العربية",
}

// languageHeader is the language part of an exported header.
func languageHeader(code string) string {
	name := nativeNames[code]
	if name == "" {
		name = code
	}
	return name + " (" + code + ")"
}

var codeInParens = regexp.MustCompile(`\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9-_]*)?\s*\)\s*$`)

// parseLanguage recognizes a language as XLSForm writes it: "English (en)",
// "Français (fr-FR)", "en", or a bare name such as "Español". It returns the
// Agora code, or "" when the language is not one Agora speaks.
func parseLanguage(s string) string {
	s = strings.TrimSpace(s)
	if m := codeInParens.FindStringSubmatch(s); m != nil {
		return unCode(m[1])
	}
	if c := unCode(strings.SplitN(strings.ReplaceAll(s, "_", "-"), "-", 2)[0]); c != "" && len(s) <= 10 {
		return c
	}
	name := strings.ToLower(s)
	for code, names := range languageNames {
		if slices.Contains(names, name) {
			return code
		}
	}
	return ""
}

// unCode maps a two- or three-letter code to an Agora language code.
func unCode(c string) string {
	c = strings.ToLower(c)
	if m, ok := iso639_2[c]; ok {
		return m
	}
	if slices.Contains(forms.Languages, c) {
		return c
	}
	return ""
}

// textSheets are the sheets whose text columns carry languages.
func (b *builder) textSheets() []*sheet {
	var out []*sheet
	for _, s := range []*sheet{b.wb.survey, b.wb.choices, b.wb.settings} {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// resolveLanguages gives every text column its Agora language, chooses the
// default language and lists the questionnaire's languages in the order
// their columns first appear.
func (b *builder) resolveLanguages() bool {
	unsupported := map[string]bool{}
	plain := false
	for _, s := range b.textSheets() {
		for _, c := range s.cols {
			if !textColumns[c.base] || c.sub != "" {
				continue
			}
			if c.lang == "" {
				plain = true
				continue
			}
			c.code = parseLanguage(c.lang)
			if c.code == "" && !unsupported[strings.ToLower(c.lang)] {
				unsupported[strings.ToLower(c.lang)] = true
				b.rep.skip(at{sheet: s.name, row: s.headerRow, column: c.header, letter: c.letter},
					"language %q is not one of Agora's languages (Arabic, Chinese, English, French, Russian, Spanish), or its code is missing: its columns are ignored", c.lang)
			}
		}
	}
	if !b.chooseDefault(plain) {
		return false
	}
	for _, s := range b.textSheets() {
		for _, c := range s.cols {
			if textColumns[c.base] && c.sub == "" && c.lang == "" {
				c.code = b.lang
			}
		}
	}
	if b.wb.survey.textCol("label", b.lang) == nil {
		where := at{sheet: b.wb.survey.name, row: b.wb.survey.headerRow}
		if set := b.wb.settings; len(set.rowsOrNil()) > 0 && set.col("default_language") != nil {
			where = set.at(set.rows[0], "default_language")
		}
		b.rep.refuse(where, "the survey sheet has no label column in the default language, %s", languageHeader(b.lang))
		return false
	}
	b.listLanguages()
	return true
}

// chooseDefault sets b.lang from settings default_language, else from the
// options for plain columns, else the first translated language.
func (b *builder) chooseDefault(plain bool) bool {
	set := b.wb.settings
	var first string
	for _, s := range b.textSheets() {
		for _, c := range s.cols {
			if first == "" && c.code != "" && c.lang != "" {
				first = c.code
			}
		}
	}
	if len(set.rowsOrNil()) > 0 {
		if v := set.get(set.rows[0], "default_language"); v != "" {
			where := set.at(set.rows[0], "default_language")
			if b.lang = parseLanguage(v); b.lang != "" {
				return true
			}
			if first == "" {
				b.rep.refuse(where, "default language %q is not one of Agora's languages (Arabic, Chinese, English, French, Russian, Spanish)", v)
				return false
			}
			b.lang = first
			b.rep.convert(where, "default language %q is not one of Agora's languages: %s is the default instead, and columns without a language are ignored", v, languageHeader(first))
			b.plainIgnored = true
			return true
		}
	}
	switch {
	case plain:
		b.lang = b.opts.DefaultLanguage
		if b.lang == "" {
			b.lang = "en"
		}
		b.rep.convert(at{sheet: b.wb.survey.name, row: b.wb.survey.headerRow},
			"columns without a language (such as label) are taken as %s: name the language in settings default_language, e.g. \"%s\"",
			languageHeader(b.lang), languageHeader(b.lang))
	case first != "":
		b.lang = first
	default:
		b.rep.refuse(at{sheet: b.wb.survey.name, row: b.wb.survey.headerRow},
			"no label column in a language Agora speaks: add a label column, e.g. \"label::English (en)\"")
		return false
	}
	return true
}

// listLanguages lists the languages that have text, default first found.
func (b *builder) listLanguages() {
	has := map[string]bool{b.lang: true}
	for _, s := range b.textSheets() {
		for _, c := range s.cols {
			if c.code == "" || !textColumns[c.base] || c.sub != "" || has[c.code] {
				continue
			}
			rows := s.rows
			if s == b.wb.settings && len(rows) > 1 {
				rows = rows[:1] // the settings are read from the first row only
			}
			for _, r := range rows {
				if r.cell(c) != "" {
					has[c.code] = true
					break
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range b.textSheets() {
		for _, c := range s.cols {
			if c.code != "" && has[c.code] && !seen[c.code] && textColumns[c.base] {
				seen[c.code] = true
				b.langs = append(b.langs, c.code)
			}
		}
	}
	if !seen[b.lang] {
		b.langs = append([]string{b.lang}, b.langs...)
	}
}

// rowsOrNil returns the rows of a sheet that may be missing.
func (s *sheet) rowsOrNil() []row {
	if s == nil {
		return nil
	}
	return s.rows
}

// text reads a translated text of row r: the column base in every
// language. A plain column and a translated one of the same language that
// disagree keep the translated one, with a warning.
func (b *builder) text(s *sheet, r row, base string) forms.Text {
	t := forms.Text{}
	for _, c := range s.cols {
		if c.base != base || c.sub != "" || c.code == "" || (c.lang == "" && b.plainIgnored) {
			continue
		}
		v := r.cell(c)
		if v == "" {
			continue
		}
		if prev, ok := t[c.code]; ok && prev != v {
			if c.lang == "" {
				v = prev
			}
			b.rep.convert(s.cellAt(r, c), "two columns give the %s text in %s and disagree; the one with the language in its header is kept", base, languageHeader(c.code))
		}
		t[c.code] = v
		if (base == "label" || base == "hint") && strings.Contains(v, "${") {
			b.rep.skip(s.cellAt(r, c), "references to answers in texts (${...}) are not filled in by Agora: the text is shown as written")
		}
	}
	if len(t) == 0 {
		return nil
	}
	return t
}
