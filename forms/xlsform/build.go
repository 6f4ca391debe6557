package xlsform

import (
	"fmt"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// builder turns the sheets of a workbook into a Definition.
type builder struct {
	wb   *workbook
	opts Options
	rep  *Report
	// lang is the default language; langs every language, in order.
	lang  string
	langs []string
	// plainIgnored is set when columns without a language are in a
	// language Agora does not speak.
	plainIgnored bool
	lists        map[string]*choiceList
	syms         map[string]*symbol
	def          *forms.Definition
	// loc maps the JSON pointer of every section, question, option, scale
	// point and matrix row to the row it came from, to report the problems
	// forms.Compile finds where the author can fix them.
	loc     map[string]source
	pending []pendingExpr
	// sectionCodes and questionCodes avoid giving two things one code
	// when names are converted or repeated in other groups.
	sectionCodes  map[string]bool
	questionCodes map[string]bool
	// names are every name of the survey sheet, to tell a reference to a
	// later row from one to nothing.
	names map[string]bool
	// filterColumns are the columns of the choices sheet that choice
	// filters name (lower case), which options carry as attributes.
	filterColumns map[string]bool
	// allowDuplicates is the allow_choice_duplicates setting.
	allowDuplicates bool
}

// source is the row a part of the definition came from.
type source struct {
	s *sheet
	r row
}

// node is one row of the survey sheet in the tree that groups make.
type node struct {
	r        row
	t        xtype
	name     string
	children []*node
	closed   bool
	// iter is the iteration of a loop the row is copied in; orig is then
	// its name as written, which the iteration's expressions use.
	iter *loopIter
	orig string
	// iterGroup is set on the group made for one iteration of a loop.
	iterGroup bool
}

func newBuilder(wb *workbook, opts Options, rep *Report) *builder {
	return &builder{
		wb: wb, opts: opts, rep: rep,
		lists: map[string]*choiceList{}, syms: map[string]*symbol{},
		loc: map[string]source{}, sectionCodes: map[string]bool{}, questionCodes: map[string]bool{},
		names: map[string]bool{}, filterColumns: map[string]bool{},
	}
}

// build makes the definition, or returns nil when the form cannot be read
// at all. Problems are reported as they are found, and the rest of the form
// is still checked.
func (b *builder) build() *forms.Definition {
	s := b.wb.survey
	if s.col("type") == nil {
		b.rep.refuse(at{sheet: s.name, row: s.headerRow}, "the survey sheet has no type column (its first non-blank row must be the header: type, name, label...)")
		return nil
	}
	if s.col("name") == nil {
		b.rep.refuse(at{sheet: s.name, row: s.headerRow}, "the survey sheet has no name column")
		return nil
	}
	b.resolveLanguages()
	b.def = &forms.Definition{DefaultLanguage: b.lang, Languages: b.langs}
	b.settings(b.def)
	b.scanSurvey()
	b.readChoices()
	b.checkColumns(s, surveyColumns)
	roots := b.expandLoops(b.tree())
	b.sections(roots)
	if !asks(b.def) && !b.rep.HasErrors() {
		b.rep.refuse(at{sheet: s.name}, "%s", NothingToAskMessage)
	}
	b.translateAll()
	return b.def
}

// scanSurvey notes every name of the survey sheet, and the columns of the
// choices sheet that choice filters name.
func (b *builder) scanSurvey() {
	s := b.wb.survey
	for _, r := range s.rows {
		if n := s.get(r, "name"); n != "" {
			b.names[n] = true
		}
		if f := s.get(r, "choice_filter"); f != "" {
			for _, name := range filterNames(f) {
				b.filterColumns[strings.ToLower(name)] = true
			}
		}
	}
}

// tree reads the survey rows into a forest of groups, repeats and
// questions. A misplaced end is reported and the rest still read.
func (b *builder) tree() []*node {
	s := b.wb.survey
	root := &node{}
	stack := []*node{root}
	for _, r := range s.rows {
		if b.disabled(r) {
			continue
		}
		t := parseType(s.get(r, "type"))
		n := &node{r: r, t: t, name: s.get(r, "name")}
		top := stack[len(stack)-1]
		switch t.kind {
		case kindRefused:
			b.unknownRow(n)
		case kindSkipped:
			b.skipRow(n)
		case kindSetting:
			b.surveySetting(n)
		case kindBeginGroup, kindBeginRepeat, kindBeginLoop:
			top.children = append(top.children, n)
			stack = append(stack, n)
		case kindEndGroup, kindEndRepeat, kindEndLoop:
			if len(stack) == 1 {
				end := strings.ReplaceAll(t.name, "_", " ")
				b.rep.refuse(s.at(r, "type"), "%s without a %s", end, strings.Replace(end, "end", "begin", 1))
				continue
			}
			if want := top.t.kind + 1; t.kind != want {
				b.rep.refuse(s.at(r, "type"), "%s closes %s %q, which needs its own end", strings.ReplaceAll(t.name, "_", " "), what(top), top.name)
			}
			top.closed = true
			stack = stack[:len(stack)-1]
		default:
			top.children = append(top.children, n)
		}
	}
	for _, open := range stack[1:] {
		b.rep.refuse(s.at(open.r, "type"), "%s %q is never closed: add an end %s row", what(open), open.name, what(open))
	}
	return root.children
}

// what names the kind of a container row.
func what(n *node) string {
	switch n.t.kind {
	case kindBeginRepeat:
		return "repeat"
	case kindBeginLoop:
		return "loop"
	}
	return "group"
}

// disabled reports a row the disabled column turns off, which XLSForm
// tools leave out.
func (b *builder) disabled(r row) bool {
	s := b.wb.survey
	v := s.get(r, "disabled")
	if yes, _ := parseBool(v); !yes {
		return false
	}
	b.rep.skip(s.at(r, "disabled"), "the row is disabled; it is left out")
	return true
}

// unknownRow refuses a row whose type no tool knows, unless it has no
// name and no label: it is a comment then, as XLSForm tools read it.
func (b *builder) unknownRow(n *node) {
	s := b.wb.survey
	if n.t.unknown && n.name == "" && !b.hasLabel(s, n.r) {
		b.rep.skip(s.at(n.r, "type"), "%s on a row with no name and no label: read as a comment, the row is left out", n.t.why)
		return
	}
	b.rep.refuse(s.at(n.r, "type"), "%s", n.t.why)
}

// hasLabel reports whether a row has a label in some column.
func (b *builder) hasLabel(s *sheet, r row) bool {
	for _, c := range s.cols {
		if c.base == "label" && r.cell(c) != "" {
			return true
		}
	}
	return false
}

// skipRow reports a row left out and remembers its name, so that an
// expression referring to it reads it as unanswered.
func (b *builder) skipRow(n *node) {
	s := b.wb.survey
	if n.t.why == "the row has no type" {
		for i, v := range n.r.cells {
			if v != "" {
				b.rep.skip(s.rowAt(n.r), "the row has no type, so it is ignored (it has %q in column %s)", v, columnLetter(i))
				return
			}
		}
		return
	}
	b.rep.skip(s.at(n.r, "type"), "%s; the row is left out", n.t.why)
	b.skippedSymbol(n.name, n.t.why, n.t.name == "today")
}

// skippedSymbol remembers a name whose row was left out.
func (b *builder) skippedSymbol(name, why string, today bool) {
	if name == "" {
		return
	}
	if _, dup := b.syms[name]; !dup {
		b.syms[name] = &symbol{name: name, skipped: why, today: today}
	}
}

// surveySetting reads a "set form title" or "set form id" row of the
// survey sheet, when the settings sheet does not set it.
func (b *builder) surveySetting(n *node) {
	s := b.wb.survey
	where := s.at(n.r, "name")
	switch {
	case n.name == "":
		b.rep.skip(s.at(n.r, "type"), "%s without a value in the name column; ignored", n.t.name)
	case n.t.name == "form_title" && b.def.Title[b.lang] == b.def.Code:
		b.def.Title = forms.Text{b.lang: n.name}
		b.rep.convert(where, "the form's title is set on the survey sheet")
	case n.t.name == "form_id" && b.settingMissing("form_id"):
		if code := sanitizeCode(n.name); code != "" {
			b.def.Code = code
			b.rep.convert(where, "the form's id is set on the survey sheet: the questionnaire code is %q", code)
		}
	default:
		b.rep.skip(where, "the settings sheet already sets %s; ignored", n.t.name)
	}
}

// groupCtx is what a flattened group passes on to its questions: its
// relevance (which must keep holding for them) and its themes.
type groupCtx struct {
	relevant []exprPart
	themes   []string
	path     string // the groups' names, for messages
	group    string // the name of the innermost group, to tell repeated names apart
}

// container is where questions go: a section's list, or a repeat's.
type container struct {
	si   int
	path []int // the question indexes down to the repeat; nil for the section
}

// qref locates one question of the definition.
type qref struct {
	c container
	i int
}

// questionsOf returns the questions of a container.
func (b *builder) questionsOf(c container) *[]forms.Question {
	l := &b.def.Sections[c.si].Questions
	for _, i := range c.path {
		l = &(*l)[i].Questions
	}
	return l
}

// pointer is the JSON pointer of a container's questions.
func (c container) pointer() string {
	p := fmt.Sprintf("/sections/%d/questions", c.si)
	for _, i := range c.path {
		p += fmt.Sprintf("/%d/questions", i)
	}
	return p
}

// question returns the question a qref locates.
func (b *builder) question(r qref) *forms.Question { return &(*b.questionsOf(r.c))[r.i] }

// next is the qref the next question added to c gets.
func (b *builder) next(c container) qref { return qref{c, len(*b.questionsOf(c))} }

// pointer is the JSON pointer of a question.
func (r qref) pointer() string { return fmt.Sprintf("%s/%d", r.c.pointer(), r.i) }

// inside is the container of a repeat's questions.
func (r qref) inside() container {
	return container{si: r.c.si, path: append(append([]int{}, r.c.path...), r.i)}
}

// sections turns the top level of the tree into sections: each group is
// one, and the questions between groups form sections of their own.
func (b *builder) sections(roots []*node) {
	implicit := -1
	for _, n := range roots {
		if n.t.kind == kindBeginGroup && !b.isMatrix(n) {
			implicit = -1
			b.groupSection(n)
			continue
		}
		if implicit < 0 {
			code := b.uniqueSectionCode(fmt.Sprintf("section_%d", len(b.def.Sections)+1))
			implicit = b.addSection(forms.Section{Code: code, Title: forms.Text{}}, n.r)
		}
		b.addNode(container{si: implicit}, n, groupCtx{})
	}
}

// addSection appends a section and returns its index.
func (b *builder) addSection(sec forms.Section, r row) int {
	si := len(b.def.Sections)
	b.def.Sections = append(b.def.Sections, sec)
	b.loc[fmt.Sprintf("/sections/%d", si)] = source{b.wb.survey, r}
	return si
}

// dropLastSection removes a section that has no question.
func (b *builder) dropLastSection() {
	si := len(b.def.Sections) - 1
	b.def.Sections = b.def.Sections[:si]
	delete(b.loc, fmt.Sprintf("/sections/%d", si))
	for p := range b.loc {
		if strings.HasPrefix(p, fmt.Sprintf("/sections/%d/", si)) {
			delete(b.loc, p)
		}
	}
}

// groupSection makes a section of a top-level group.
func (b *builder) groupSection(n *node) {
	s := b.wb.survey
	code := b.uniqueSectionCode(b.codeOf(n, "section"))
	sec := forms.Section{
		Code: code, Title: b.nodeText(n, "label"), Description: b.nodeText(n, "hint"),
		Appearance: s.get(n.r, "appearance"),
	}
	if sec.Title == nil {
		sec.Title = forms.Text{}
	}
	b.groupCells(n)
	si := b.addSection(sec, n.r)
	ctx := groupCtx{themes: b.themes(s, n.r), path: n.name, group: n.name}
	for _, c := range n.children {
		b.addNode(container{si: si}, c, ctx)
	}
	if len(b.def.Sections[si].Questions) == 0 {
		b.rep.skip(s.at(n.r, "type"), "group %q has no question Agora can ask; the group is left out", n.name)
		b.dropLastSection()
		return
	}
	if src := s.get(n.r, "relevant"); src != "" {
		b.pending = append(b.pending, pendingExpr{
			parts: []exprPart{{src: src, where: s.at(n.r, "relevant")}}, local: n.iter.names(),
			set: func(e string) { b.def.Sections[si].Relevant = e },
		})
	}
}

// groupCells reports the columns of a group row that Agora does not use.
func (b *builder) groupCells(n *node) {
	s := b.wb.survey
	for _, base := range []string{"required", "constraint"} {
		if v := s.get(n.r, base); v != "" {
			b.rep.skip(s.at(n.r, base), "%s does not apply to a group; ignored", base)
		}
	}
	b.unsupportedCells(n.r)
}

// addNode adds a question, a table, a repeat or a flattened nested group
// to container c.
func (b *builder) addNode(c container, n *node, ctx groupCtx) {
	switch {
	case b.isHeaderRow(n):
		b.rep.skip(b.wb.survey.at(n.r, "appearance"), "a row with appearance label only shows the choices of a table; left out")
	case n.t.kind == kindQuestion:
		b.addQuestionRow(c, n, ctx)
	case n.t.kind == kindBeginRepeat:
		b.repeat(c, n, ctx)
	case b.isMatrix(n):
		b.matrix(c, n, ctx)
	default:
		b.flatten(c, n, ctx)
	}
}

// flatten adds the questions of a nested group to the enclosing section
// or repeat: Agora's sections do not nest. The group's relevance is added
// to each of its questions, and its label becomes a note so that the
// heading is kept.
func (b *builder) flatten(c container, n *node, ctx groupCtx) {
	s := b.wb.survey
	into := b.def.Sections[c.si].Code
	if len(c.path) > 0 {
		into = b.question(qref{container{si: c.si, path: c.path[:len(c.path)-1]}, c.path[len(c.path)-1]}).Code
	}
	if !n.iterGroup {
		b.rep.convert(s.at(n.r, "type"), "group %q is inside another group or a repeat: its questions join %q", n.name, into)
	}
	b.groupCells(n)
	inner := groupCtx{relevant: ctx.relevant, themes: ctx.themes, path: ctx.path + "/" + n.name, group: n.name}
	if src := s.get(n.r, "relevant"); src != "" {
		inner.relevant = append(append([]exprPart{}, ctx.relevant...), exprPart{src: src, where: s.at(n.r, "relevant")})
	}
	if t := b.themes(s, n.r); len(t) > 0 {
		inner.themes = t
	}
	if label := b.nodeText(n, "label"); label != nil {
		note := &node{r: n.r, t: xtype{name: "note", kind: kindQuestion}, name: n.name, iter: n.iter}
		b.noteFromGroup(c, note, label, inner)
	}
	for _, ch := range n.children {
		b.addNode(c, ch, inner)
	}
}

// asks reports whether the definition has a question the respondent
// answers: notes and calculations alone make no survey.
func asks(def *forms.Definition) bool {
	for _, q := range def.Questions() {
		if q.Asked() && q.Type != forms.TypeRepeat {
			return true
		}
	}
	return false
}

// uniqueSectionCode returns code, or code with a number added when a
// section already has it.
func (b *builder) uniqueSectionCode(code string) string {
	base := code
	for i := 2; b.sectionCodes[code]; i++ {
		code = fmt.Sprintf("%s_%d", base, i)
	}
	b.sectionCodes[code] = true
	return code
}

// codeOf makes a code of a row's name, reporting a conversion. A question
// name used again in another group (which XLSForm allows) gets the group's
// name in front.
func (b *builder) codeOf(n *node, what string) string {
	return b.codeIn(n, what, "")
}

func (b *builder) codeIn(n *node, what, group string) string {
	s := b.wb.survey
	if n.name == "" {
		if n.t.name == "note" {
			return b.noteCode(n)
		}
		b.rep.refuse(s.at(n.r, "name"), "the %s has no name", what)
		return ""
	}
	code := toCode(n.name, "q")
	if what == "question" && reserved[code] {
		code = "q_" + code
	}
	if code != n.name && n.iter == nil {
		b.rep.convert(s.at(n.r, "name"), "name %q is stored as %q: Agora codes start with a letter and hold letters, digits and '_'%s",
			n.name, code, reservedNote(n.name, what))
	}
	if what != "question" {
		return code
	}
	if b.questionCodes[code] {
		base := code
		if g := toCode(group, "g"); g != "" && !b.questionCodes[g+"_"+code] {
			code = g + "_" + code
		}
		for i := 2; b.questionCodes[code]; i++ {
			code = fmt.Sprintf("%s_%d", base, i)
		}
		b.rep.convert(s.at(n.r, "name"), "name %q is used by another question too: this one is stored as %q (Agora's codes are unique in the questionnaire)", n.name, code)
	}
	b.questionCodes[code] = true
	return code
}

// noteCode names a note that has no name, as XLSForm tools do.
func (b *builder) noteCode(n *node) string {
	code := fmt.Sprintf("note_%d", n.r.num)
	for i := 2; b.questionCodes[code]; i++ {
		code = fmt.Sprintf("note_%d_%d", n.r.num, i)
	}
	b.questionCodes[code] = true
	return code
}

func reservedNote(name, what string) string {
	if what == "question" && reserved[strings.TrimSpace(name)] {
		return ", and " + name + " is a reserved word in expressions"
	}
	return ""
}
