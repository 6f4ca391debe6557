package xlsform

import (
	"math"
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// settingsColumns are the settings Agora reads; the other XLSForm settings
// (style, instance_name, submission_url, public_key...) concern ODK servers
// and are reported as ignored when set.
var settingsColumns = map[string]bool{
	"form_id": true, "form_title": true, "version": true, "default_language": true,
	"kind": true, "description": true,
}

// settings fills the questionnaire-level fields from the settings sheet.
func (b *builder) settings(def *forms.Definition) {
	def.Kind = b.opts.Kind
	s := b.wb.settings
	var r row
	if len(s.rowsOrNil()) > 0 {
		r = s.rows[0]
		b.loc[""] = source{s, r}
		for _, extra := range s.rows[1:] {
			b.rep.skip(s.rowAt(extra), "only the first row of settings is read; this row is ignored")
		}
		for _, c := range s.cols {
			if v := r.cell(c); v != "" && !settingsColumns[c.base] {
				b.rep.skip(s.cellAt(r, c), "a setting Agora does not use; ignored")
			}
		}
		if k := s.get(r, "kind"); k != "" {
			def.Kind = k
		}
		def.Title = b.text(s, r, "form_title")
		def.Description = b.text(s, r, "description")
		def.Version = b.version(s, r)
	}
	if def.Kind == "" {
		def.Kind = forms.KindOther
	}
	def.Code = b.code(s, r)
	if strings.TrimSpace(def.Title[b.lang]) == "" && def.Code != "" {
		if def.Title == nil {
			def.Title = forms.Text{}
		}
		def.Title[b.lang] = def.Code
		where := at{sheet: sheetSettings}
		if s != nil && s.rows != nil {
			where = s.at(r, "form_title")
		}
		b.rep.convert(where, "no form_title in %s: the title is the questionnaire code, %q", languageHeader(b.lang), def.Code)
	}
}

// code reads form_id, or falls back to the code given in the options,
// making it a valid questionnaire code.
func (b *builder) code(s *sheet, r row) string {
	raw, where, from := "", at{sheet: sheetSettings}, "form_id"
	if s != nil && s.rows != nil {
		raw, where = s.get(r, "form_id"), s.at(r, "form_id")
	}
	if raw == "" && b.opts.Code != "" {
		raw, from = b.opts.Code, "the file name"
	}
	if raw == "" {
		b.rep.refuse(where, "the form has no form_id: add a settings sheet with a form_id column, e.g. pilot-issues")
		return ""
	}
	code := sanitizeCode(raw)
	switch {
	case code == "":
		b.rep.refuse(where, "%s %q has no letter to make a questionnaire code of: add a settings sheet with a form_id column", from, raw)
	case from != "form_id":
		b.rep.convert(where, "the form has no form_id: the questionnaire code %q comes from the file name", code)
	case code != raw:
		b.rep.convert(where, "form_id %q is stored as %q: a questionnaire code has letters, digits, '_' and '-', starts with a letter and has at most %d characters", raw, code, forms.MaxCodeLength)
	}
	return code
}

// sanitizeCode turns a form_id into a questionnaire code: other characters
// become '-', a leading non-letter is dropped, the length is bounded.
func sanitizeCode(raw string) string {
	var sb strings.Builder
	for _, ch := range raw {
		switch {
		case ch < 128 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z'):
			sb.WriteRune(ch)
		case ch >= '0' && ch <= '9' || ch == '_' || ch == '-':
			if sb.Len() > 0 {
				sb.WriteRune(ch)
			}
		default:
			if sb.Len() > 0 && !strings.HasSuffix(sb.String(), "-") {
				sb.WriteByte('-')
			}
		}
	}
	code := strings.TrimRight(sb.String(), "-")
	if len(code) > forms.MaxCodeLength {
		code = strings.TrimRight(code[:forms.MaxCodeLength], "-")
	}
	return code
}

// version reads the version, which spreadsheets often store as a number.
// Agora numbers stored versions itself, so a version that is not a whole
// number is only reported.
func (b *builder) version(s *sheet, r row) int {
	v := s.get(r, "version")
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= math.MaxInt32 {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= math.MaxInt32 && f == math.Trunc(f) {
		return int(f)
	}
	b.rep.skip(s.at(r, "version"), "version %q is not a whole number; Agora numbers the versions it stores itself", v)
	return 0
}
