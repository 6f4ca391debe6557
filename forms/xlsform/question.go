package xlsform

import (
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
	"parameters": true, "calculation": true, "choice_filter": true, "repeat_count": true, "disabled": true,
}

// unsupportedColumns are XLSForm columns Agora knows but does not support:
// a value in one is reported on its row.
var unsupportedColumns = map[string]string{
	"default":       "default answers are not supported; ignored",
	"read_only":     "read-only questions are not supported; ignored",
	"trigger":       "triggers are not supported; ignored",
	"media":         "media (image, audio, video) are not supported; ignored",
	"guidance_hint": "guidance hints are not supported; ignored",
	"bind":          "bind columns are not supported; ignored",
	"body":          "body columns are not supported; ignored",
	"instance":      "instance columns are not supported; ignored",
}

// addQuestionRow adds one question row to container c: a question, or a
// calculation.
func (b *builder) addQuestionRow(c container, n *node, ctx groupCtx) {
	if n.t.name == "calculate" {
		b.calculate(c, n, ctx)
		return
	}
	s := b.wb.survey
	r := n.r
	typ := questionTypes[n.t.name]
	if n.t.as != "" {
		typ = questionTypes[n.t.as]
		b.rep.convert(s.at(r, "type"), "%s", n.t.why)
	}
	q := forms.Question{
		Code: b.codeIn(n, "question", ctx.group), Type: typ,
		Label: b.nodeText(n, "label"), Hint: b.nodeText(n, "hint"),
		RequiredMessage:   b.nodeText(n, "required_message"),
		ConstraintMessage: b.nodeText(n, "constraint_message"),
		Required:          b.required(s, r),
		Themes:            b.themes(s, r),
	}
	if q.Themes == nil {
		q.Themes = ctx.themes
	}
	app := strings.Fields(s.get(r, "appearance"))
	sym := &symbol{name: n.name, code: q.Code}
	ref := b.next(c)
	switch n.t.name {
	case "select_one", "select_multiple", "rank":
		app = b.choicesFor(&q, n, app, sym, ref)
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
	if q.Type == forms.TypeNote && strings.TrimSpace(q.Label[b.lang]) == "" {
		b.rep.skip(s.at(r, "type"), "the note has no text in %s (only media, perhaps); it is left out", languageHeader(b.lang))
		b.skippedSymbol(n.name, "a note takes no answer", false)
		return
	}
	b.labelOrName(&q, n)
	q.Appearance = strings.Join(app, " ")
	b.bounds(&q, r)
	b.unsupportedCells(r)
	b.notFor(r, "calculation", "repeat_count")
	sym.typ = q.Type
	b.addQuestion(c, q, source{s, r}, sym, n)
	b.queueExprs(ref, n, ctx, sym)
}

// labelOrName gives a question without a label its name as label, as
// XLSForm tools show it.
func (b *builder) labelOrName(q *forms.Question, n *node) {
	if q.Type == forms.TypeNote || q.Type == forms.TypeCalculate || strings.TrimSpace(q.Label[b.lang]) != "" || n.name == "" {
		return
	}
	if q.Label == nil {
		q.Label = forms.Text{}
	}
	q.Label[b.lang] = n.name
	b.rep.convert(b.wb.survey.at(n.r, "label"), "%s has no label in %s: its name, %q, is shown instead", q.Code, languageHeader(b.lang), n.name)
}

// notFor reports values in columns that do not apply to the row's type.
func (b *builder) notFor(r row, cols ...string) {
	s := b.wb.survey
	for _, col := range cols {
		if v := s.get(r, col); v != "" {
			b.rep.skip(s.at(r, col), "%s does not apply to this type; ignored", col)
		}
	}
}

// calculate adds a calculate row: its calculation is translated now, so
// that a calculation Agora cannot compute is left out (with the rows that
// read it reading it as unanswered) rather than refusing the form.
func (b *builder) calculate(c container, n *node, ctx groupCtx) {
	s := b.wb.survey
	r := n.r
	src := s.get(r, "calculation")
	if src == "" {
		b.rep.refuse(s.at(r, "calculation"), "a calculate row needs a calculation")
		return
	}
	t := &translator{syms: b.syms, names: b.names, local: n.iter.names(), mode: modeValue}
	o, err := t.translate(src)
	if err != nil {
		b.uncomputed(n, s.at(r, "calculation"), err)
		return
	}
	for _, note := range t.notes {
		b.rep.convert(s.at(r, "calculation"), "%s", note)
	}
	q := forms.Question{Code: b.codeIn(n, "question", ctx.group), Type: forms.TypeCalculate, Calculation: o.text,
		Label: b.nodeText(n, "label"), Themes: b.themes(s, r)}
	for _, col := range []string{"required", "constraint", "appearance", "choice_filter", "repeat_count"} {
		b.notFor(r, col)
	}
	sym := &symbol{name: n.name, code: q.Code, typ: forms.TypeCalculate}
	ref := b.next(c)
	b.addQuestion(c, q, source{s, r}, sym, n)
	parts := b.relevantParts(n, ctx)
	if len(parts) > 0 {
		b.pending = append(b.pending, pendingExpr{parts: parts, local: n.iter.names(),
			set: func(e string) { b.question(ref).Relevant = e }})
	}
}

// uncomputed reports a calculation Agora cannot compute: a reference to no
// question refuses the form, as in XLSForm tools; anything else leaves the
// row out.
func (b *builder) uncomputed(n *node, where at, err error) {
	if isUnknownRef(err) {
		b.rep.refuse(where, "%s", err)
		return
	}
	why := "Agora cannot compute this calculation: " + err.Error()
	var drop *errDropped
	if asDropped(err, &drop) {
		why = drop.why
	}
	b.rep.skip(where, "%s; the row is left out", why)
	b.skippedSymbol(n.name, "its calculation cannot be computed by Agora", false)
	if n.iter != nil {
		n.iter.local[n.orig] = b.syms[n.name]
	}
}

// addQuestion appends q to container c, remembering where it came from and
// the name expressions know it by.
func (b *builder) addQuestion(c container, q forms.Question, src source, sym *symbol, n *node) qref {
	l := b.questionsOf(c)
	ref := qref{c, len(*l)}
	*l = append(*l, q)
	b.loc[ref.pointer()] = src
	if sym != nil && sym.name != "" {
		sym.row = src.r.num
		if prev, dup := b.syms[sym.name]; !dup || prev.skipped != "" {
			b.syms[sym.name] = sym
		}
		if n != nil && n.iter != nil && n.orig != "" {
			n.iter.local[n.orig] = sym
		}
	}
	return ref
}

// relevantParts are the relevance of a row and of the groups flattened
// around it.
func (b *builder) relevantParts(n *node, ctx groupCtx) []exprPart {
	s := b.wb.survey
	parts := ctx.relevant
	if src := s.get(n.r, "relevant"); src != "" {
		parts = append(append([]exprPart{}, parts...), exprPart{src: src, where: s.at(n.r, "relevant")})
	}
	return parts
}

// queueExprs queues the relevant, constraint and choice filter of a
// question row for translation once every question is known.
func (b *builder) queueExprs(ref qref, n *node, ctx groupCtx, self *symbol) {
	s := b.wb.survey
	r := n.r
	if parts := b.relevantParts(n, ctx); len(parts) > 0 {
		b.pending = append(b.pending, pendingExpr{parts: parts, local: n.iter.names(),
			set: func(e string) { b.question(ref).Relevant = e }})
	}
	if src := s.get(r, "constraint"); src != "" {
		b.pending = append(b.pending, pendingExpr{self: self, mode: modeConstraint, local: n.iter.names(),
			parts: []exprPart{{src: src, where: s.at(r, "constraint")}},
			set:   func(e string) { b.question(ref).Constraint = e },
			drop:  func(string) { b.question(ref).ConstraintMessage = nil }})
	}
}

// noteFromGroup keeps the label of a flattened group as a note.
func (b *builder) noteFromGroup(c container, n *node, label forms.Text, ctx groupCtx) {
	q := forms.Question{Code: b.codeIn(n, "question", ctx.group), Type: forms.TypeNote, Label: label,
		Hint: b.nodeText(n, "hint")}
	ref := b.addQuestion(c, q, source{b.wb.survey, n.r}, nil, nil)
	if len(ctx.relevant) > 0 {
		b.pending = append(b.pending, pendingExpr{parts: ctx.relevant, local: n.iter.names(),
			set: func(e string) { b.question(ref).Relevant = e }})
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
		if s.kind == sheetChoices && (b.filterColumns[strings.ToLower(c.header)] || b.filterColumns[c.base]) {
			continue // read as the options' attributes
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
