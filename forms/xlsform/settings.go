package xlsform

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// settingsColumns are the settings Agora reads; the other XLSForm settings
// (style, instance_name, submission_url, public_key...) concern ODK servers
// and are reported as ignored when set.
var settingsColumns = map[string]bool{
	"form_id": true, "form_title": true, "version": true, "default_language": true,
	"kind": true, "description": true, "allow_choice_duplicates": true,
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
	if d, ok := b.cellDate(s, r, "form_id"); ok {
		raw = d // Excel read "2024-01-15" as a date
	}
	if raw == "" && b.opts.Code != "" {
		raw, from = b.opts.Code, "the file name"
	}
	if raw == "" {
		b.rep.refuse(where, "the form has no form_id: add a settings sheet with a form_id column, e.g. pilot-issues")
		return ""
	}
	code := sanitizeCode(raw)
	if fallback := sanitizeCode(b.opts.Code); code == "" && from == "form_id" && fallback != "" {
		b.rep.convert(where, "form_id %q has no letter to make a questionnaire code of: the code %q comes from the file name", raw, fallback)
		return fallback
	}
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
	if d, ok := b.cellDate(s, r, "version"); ok {
		v = d
	}
	b.rep.skip(s.at(r, "version"), "version %q is not a whole number; Agora numbers the versions it stores itself", v)
	return 0
}

// cellDate reads a settings cell that Excel stores as a date (a serial
// number shown in a date format) as the date it shows, YYYY-MM-DD (with
// the time when it has one).
func (b *builder) cellDate(s *sheet, r row, base string) (string, bool) {
	c := s.col(base)
	v := r.cell(c)
	serial, err := strconv.ParseFloat(v, 64)
	if c == nil || v == "" || err != nil || serial <= 0 || serial > 2958465 {
		return "", false
	}
	ref, err := excelize.CoordinatesToCellName(c.index+1, r.num)
	if err != nil {
		return "", false
	}
	id, err := b.wb.book.File.GetCellStyle(s.name, ref)
	if err != nil {
		return "", false
	}
	st, err := b.wb.book.File.GetStyle(id)
	if err != nil || st == nil || !dateFormat(st) {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		return "", false
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly), true
	}
	return t.Format(time.DateTime), true
}

// dateFormat reports whether a cell style shows numbers as dates: Excel's
// built-in date formats, or a custom one with days, months or years.
func dateFormat(st *excelize.Style) bool {
	if n := st.NumFmt; n >= 14 && n <= 22 || n >= 45 && n <= 47 {
		return true
	}
	if st.CustomNumFmt == nil {
		return false
	}
	f := strings.ToLower(*st.CustomNumFmt)
	return strings.ContainsAny(f, "dy") || strings.Contains(f, "mm") && !strings.Contains(f, "0")
}

// settingMissing reports whether the settings sheet leaves a setting empty.
func (b *builder) settingMissing(name string) bool {
	s := b.wb.settings
	return len(s.rowsOrNil()) == 0 || s.get(s.rows[0], name) == ""
}
