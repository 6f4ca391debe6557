package xlsform

import (
	"strings"
)

// column is one column of a sheet, its header taken apart.
type column struct {
	index  int
	header string // as written
	letter string
	// base is the normalized column name: "label", "list_name", "media".
	base string
	// sub qualifies a media or bind column: "image" in "media::image".
	sub string
	// lang is the language part of a translated column as written
	// ("Français (fr)"), empty for a plain column.
	lang string
	// code is the Agora language of the column once languages are
	// resolved: the default language for a plain text column, "" for a
	// language Agora does not speak.
	code string
}

// sheet is a sheet of the workbook: its header and its non-blank rows.
type sheet struct {
	name      string // as in the workbook
	kind      string // sheetSurvey, sheetChoices or sheetSettings
	headerRow int
	cols      []*column
	rows      []row
}

// headerAliases maps the spellings found in the wild to the column names
// of the XLSForm specification, after lower-casing and turning runs of
// spaces into '_' ("List name" → "list_name").
var headerAliases = map[string]string{
	"caption":              "label",
	"constraining_message": "constraint_message",
	"command":              "type",
	"tag":                  "name",
	"value":                "name",
	"relevance":            "relevant",
	"jr:constraintmsg":     "constraint_message",
	"jr:requiredmsg":       "required_message",
	"requiredmsg":          "required_message",
	"constraintmsg":        "constraint_message",
	"readonly":             "read_only",
	"calculate":            "calculation",
	"repeat_count":         "repeat_count",
	"jr:count":             "repeat_count",
	"count":                "repeat_count",
	"listname":             "list_name",
	"formid":               "form_id",
	"formtitle":            "form_title",
	"id_string":            "form_id",
	"title":                "form_title",
}

// mediaColumns are the media columns of labels and choices: "image" is
// short for "media::image".
var mediaColumns = map[string]bool{"image": true, "big-image": true, "audio": true, "video": true}

// textColumns are the columns that hold human-readable text, translated
// with a "::Language (code)" suffix.
var textColumns = map[string]bool{
	"label": true, "hint": true, "guidance_hint": true, "constraint_message": true,
	"required_message": true, "form_title": true, "description": true,
}

// normBase normalizes a column name: lower case, no stray spaces, runs of
// spaces as '_', known aliases resolved.
func normBase(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), "_")
	if a, ok := headerAliases[s]; ok {
		return a
	}
	return s
}

// splitHeader takes a header apart: "Label :: Français (fr)" is base
// "label" in language "Français (fr)"; "media::image::English (en)" is base
// "media", sub "image", in English; "image" alone is media::image.
func splitHeader(h string) (base, sub, lang string) {
	h = stripBindPrefix(h)
	parts := strings.Split(h, "::")
	if len(parts) == 1 {
		// An old spelling: "label:English". Only for text columns, since
		// "jr:constraintMsg" is a name.
		if b, l, ok := strings.Cut(h, ":"); ok && textColumns[normBase(b)] {
			parts = []string{b, l}
		}
	}
	base = normBase(parts[0])
	rest := parts[1:]
	switch {
	case mediaColumns[base]:
		base, sub = "media", base
	case (base == "media" || base == "bind" || base == "instance" || base == "body") && len(rest) > 0:
		sub, rest = strings.ToLower(strings.TrimSpace(rest[0])), rest[1:]
	}
	lang = strings.TrimSpace(strings.Join(rest, "::"))
	return base, sub, lang
}

// bindPrefixes are the prefixes of pyxform's early spellings of columns:
// "bind:relevant", "bind::jr:constraintMsg", "control:appearance".
var bindPrefixes = []string{"bind::", "bind:", "control::", "control:"}

// bindColumns are the columns those prefixes may name.
var bindColumns = map[string]bool{
	"relevant": true, "constraint": true, "constraint_message": true, "required": true,
	"required_message": true, "read_only": true, "calculation": true, "appearance": true,
	"repeat_count": true,
}

// stripBindPrefix turns "bind:relevant" into "relevant" when what follows
// the prefix is a column Agora knows; other bind columns stay as they are
// and are reported as unsupported.
func stripBindPrefix(h string) string {
	lower := strings.ToLower(strings.TrimSpace(h))
	for _, p := range bindPrefixes {
		if rest, ok := strings.CutPrefix(lower, p); ok && bindColumns[normBase(rest)] {
			return strings.TrimSpace(h)[len(p):]
		}
	}
	return h
}

// setHeader parses the header row; duplicate columns are refused, since
// which of the two holds the truth cannot be known.
func (s *sheet) setHeader(header []string, rep *Report) bool {
	if header == nil && s.kind == sheetSurvey {
		rep.refuse(at{sheet: s.name}, "the survey sheet is empty")
		return false
	}
	seen := map[string]*column{}
	for i, h := range header {
		if h == "" {
			continue
		}
		c := &column{index: i, header: h, letter: columnLetter(i)}
		c.base, c.sub, c.lang = splitHeader(h)
		key := c.base + "::" + c.sub + "::" + strings.ToLower(c.lang)
		if prev := seen[key]; prev != nil {
			// Refused, but the rest is still read (from the first of
			// the two) so that the report lists every problem.
			rep.refuse(at{sheet: s.name, row: s.headerRow, letter: c.letter},
				"column %q repeats column %s (%q): keep one of them", h, prev.letter, prev.header)
			continue
		}
		seen[key] = c
		s.cols = append(s.cols, c)
	}
	s.checkHeaderless(rep)
	return true
}

// checkHeaderless reports values in columns that have no header, which
// every XLSForm tool ignores.
func (s *sheet) checkHeaderless(rep *Report) {
	named := map[int]bool{}
	for _, c := range s.cols {
		named[c.index] = true
	}
	reported := map[int]bool{}
	for _, r := range s.rows {
		for i, v := range r.cells {
			if v != "" && !named[i] && !reported[i] {
				reported[i] = true
				rep.skip(at{sheet: s.name, row: r.num, letter: columnLetter(i)},
					"column %s has no header, so its values are ignored", columnLetter(i))
			}
		}
	}
}

// col returns the plain column named base (no language, no sub), or nil.
func (s *sheet) col(base string) *column {
	if s == nil {
		return nil
	}
	for _, c := range s.cols {
		if c.base == base && c.sub == "" && c.lang == "" {
			return c
		}
	}
	return nil
}

// cell returns the value of column c in r.
func (r row) cell(c *column) string {
	if c == nil || c.index >= len(r.cells) {
		return ""
	}
	return r.cells[c.index]
}

// get returns the value of the plain column base in r.
func (s *sheet) get(r row, base string) string { return r.cell(s.col(base)) }

// rowAt locates a whole row.
func (s *sheet) rowAt(r row) at { return at{sheet: s.name, row: r.num} }

// cellAt locates the cell of column c in r.
func (s *sheet) cellAt(r row, c *column) at {
	if c == nil {
		return s.rowAt(r)
	}
	return at{sheet: s.name, row: r.num, column: c.header, letter: c.letter}
}

// at locates the cell of the plain column base in r, or the row when the
// sheet has no such column.
func (s *sheet) at(r row, base string) at { return s.cellAt(r, s.col(base)) }

// textCol returns the column of base in the Agora language code, preferring
// the translated one ("label::English (en)") to the plain one.
func (s *sheet) textCol(base, code string) *column {
	if s == nil {
		return nil
	}
	var plain *column
	for _, c := range s.cols {
		if c.base != base || c.sub != "" || c.code != code {
			continue
		}
		if c.lang != "" {
			return c
		}
		plain = c
	}
	return plain
}
