package xlsform

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// surveyColumns are the columns of the survey sheet Agora reads. themes,
// min, max and max_length are Agora's own (see docs/xlsform.md); ODK and
// KoboToolbox ignore them.
var surveyColumns = map[string]bool{
	"type": true, "name": true, "label": true, "hint": true, "required": true,
	"required_message": true, "relevant": true, "constraint": true, "constraint_message": true,
	"appearance": true, "themes": true, "min": true, "max": true, "max_length": true,
	"parameters": true,
}

// unsupportedColumns are XLSForm columns Agora knows but does not support:
// a value in one is reported on its row.
var unsupportedColumns = map[string]string{
	"choice_filter": "choice filters are not supported: every choice is shown",
	"default":       "default answers are not supported; ignored",
	"read_only":     "read-only questions are not supported; ignored",
	"calculation":   "calculations are not supported; ignored",
	"repeat_count":  "repeats are not supported; ignored",
	"trigger":       "triggers are not supported; ignored",
	"media":         "media (image, audio, video) are not supported; ignored",
	"guidance_hint": "guidance hints are not supported; ignored",
	"bind":          "bind columns are not supported; ignored",
	"body":          "body columns are not supported; ignored",
	"instance":      "instance columns are not supported; ignored",
}

// question adds one question row to section si.
func (b *builder) question(si int, n *node, ctx groupCtx) {
	s := b.wb.survey
	r := n.r
	q := forms.Question{
		Code: b.codeOf(n, "question"), Type: questionTypes[n.t.name],
		Label: b.text(s, r, "label"), Hint: b.text(s, r, "hint"),
		RequiredMessage:   b.text(s, r, "required_message"),
		ConstraintMessage: b.text(s, r, "constraint_message"),
		Required:          b.required(s, r),
		Themes:            b.themes(s, r),
	}
	if q.Themes == nil {
		q.Themes = ctx.themes
	}
	app := strings.Fields(s.get(r, "appearance"))
	sym := &symbol{name: n.name, code: q.Code}
	switch n.t.name {
	case "select_one", "select_multiple", "rank":
		app = b.choicesFor(&q, n, app, sym)
	case "text":
		if i := indexFold(app, "multiline"); i >= 0 {
			q.Type, app = forms.TypeLongText, slices.Delete(app, i, i+1)
		}
	case "range":
		b.rangeScale(&q, r)
	}
	if p := s.get(r, "parameters"); p != "" && n.t.name != "range" {
		b.rep.skip(s.at(r, "parameters"), "parameters are not supported for %s; ignored", n.t.name)
	}
	q.Appearance = strings.Join(app, " ")
	b.bounds(&q, r)
	b.unsupportedCells(r)
	sym.typ = q.Type
	b.addQuestion(si, q, source{s, r}, sym)
	b.queueExprs(si, len(b.def.Sections[si].Questions)-1, r, ctx, sym)
}

// addQuestion appends q to section si, remembering where it came from and
// the name expressions know it by.
func (b *builder) addQuestion(si int, q forms.Question, src source, sym *symbol) {
	sec := &b.def.Sections[si]
	qi := len(sec.Questions)
	sec.Questions = append(sec.Questions, q)
	b.loc[fmt.Sprintf("/sections/%d/questions/%d", si, qi)] = src
	if sym != nil && sym.name != "" {
		if prev, dup := b.syms[sym.name]; !dup || prev.skipped != "" {
			b.syms[sym.name] = sym
		}
	}
}

// queueExprs queues the relevant and constraint of a question row for
// translation once every question is known.
func (b *builder) queueExprs(si, qi int, r row, ctx groupCtx, self *symbol) {
	s := b.wb.survey
	parts := ctx.relevant
	if src := s.get(r, "relevant"); src != "" {
		parts = append(append([]exprPart{}, parts...), exprPart{src: src, where: s.at(r, "relevant")})
	}
	if len(parts) > 0 {
		b.pending = append(b.pending, pendingExpr{parts: parts,
			set: func(e string) { b.def.Sections[si].Questions[qi].Relevant = e }})
	}
	if src := s.get(r, "constraint"); src != "" {
		b.pending = append(b.pending, pendingExpr{self: self,
			parts: []exprPart{{src: src, where: s.at(r, "constraint")}},
			set:   func(e string) { b.def.Sections[si].Questions[qi].Constraint = e }})
	}
}

// noteFromGroup keeps the label of a flattened group as a note.
func (b *builder) noteFromGroup(si int, n *node, label forms.Text, ctx groupCtx) {
	s := b.wb.survey
	q := forms.Question{Code: b.codeOf(n, "question"), Type: forms.TypeNote, Label: label,
		Hint: b.text(s, n.r, "hint")}
	b.addQuestion(si, q, source{s, n.r}, nil)
	if len(ctx.relevant) > 0 {
		qi := len(b.def.Sections[si].Questions) - 1
		b.pending = append(b.pending, pendingExpr{parts: ctx.relevant,
			set: func(e string) { b.def.Sections[si].Questions[qi].Relevant = e }})
	}
}

// required reads the required column. XLSForm allows an expression there;
// Agora's required is yes or no.
func (b *builder) required(s *sheet, r row) bool {
	v := s.get(r, "required")
	yes, ok := parseBool(v)
	if !ok {
		b.rep.convert(s.at(r, "required"), "required %q is not yes or no: conditional requirements are not supported, so the question is optional", v)
	}
	return yes
}

// parseBool reads yes/no cells in the spellings spreadsheets produce.
func parseBool(v string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "no", "n", "false", "false()", "0":
		return false, true
	case "yes", "y", "true", "true()", "1":
		return true, true
	}
	return false, false
}

// themes reads the themes column: taxonomy codes separated by spaces (or
// commas), in any case.
func (b *builder) themes(s *sheet, r row) []string {
	v := s.get(r, "themes")
	if v == "" {
		return nil
	}
	var out []string
	for _, f := range strings.FieldsFunc(v, func(c rune) bool { return c == ' ' || c == ',' || c == ';' || c == '\n' || c == '\t' }) {
		out = append(out, strings.ToUpper(f))
	}
	return out
}

// bounds reads Agora's min, max and max_length columns.
func (b *builder) bounds(q *forms.Question, r row) {
	s := b.wb.survey
	for _, f := range []struct {
		col string
		dst **float64
	}{{"min", &q.Min}, {"max", &q.Max}} {
		v := s.get(r, f.col)
		if v == "" {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			b.rep.refuse(s.at(r, f.col), "%q is not a number", v)
			continue
		}
		*f.dst = &x
	}
	if v := s.get(r, "max_length"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			b.rep.refuse(s.at(r, "max_length"), "%q is not a whole number of characters", v)
			return
		}
		q.MaxLength = n
	}
}

// unsupportedCells reports the values of a row in columns Agora does not
// support.
func (b *builder) unsupportedCells(r row) {
	s := b.wb.survey
	for _, c := range s.cols {
		why, ok := unsupportedColumns[c.base]
		if ok && r.cell(c) != "" {
			b.rep.skip(s.cellAt(r, c), "%s", why)
		}
	}
}

// checkColumns reports, once a column, the columns that are neither read
// nor known as unsupported. Columns starting with '$' are KoboToolbox's
// bookkeeping and are ignored quietly.
func (b *builder) checkColumns(s *sheet, known map[string]bool) {
	if s == nil {
		return
	}
	for _, c := range s.cols {
		if known[c.base] || strings.HasPrefix(c.base, "$") {
			continue
		}
		if _, ok := unsupportedColumns[c.base]; ok && s.kind == sheetSurvey {
			continue
		}
		for _, r := range s.rows {
			if r.cell(c) != "" {
				b.rep.skip(s.cellAt(r, c), "not a column Agora reads; its values are ignored")
				break
			}
		}
	}
}

// indexFold finds a word in a list of appearance words, in any case.
func indexFold(words []string, w string) int {
	return slices.IndexFunc(words, func(x string) bool { return strings.EqualFold(x, w) })
}
