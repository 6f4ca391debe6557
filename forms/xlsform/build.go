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
	// when names are converted.
	sectionCodes map[string]bool
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
}

func newBuilder(wb *workbook, opts Options, rep *Report) *builder {
	return &builder{
		wb: wb, opts: opts, rep: rep,
		lists: map[string]*choiceList{}, syms: map[string]*symbol{},
		loc: map[string]source{}, sectionCodes: map[string]bool{},
	}
}

// build makes the definition, or returns nil when the form is refused.
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
	if !b.resolveLanguages() {
		return nil
	}
	b.def = &forms.Definition{DefaultLanguage: b.lang, Languages: b.langs}
	b.settings(b.def)
	b.readChoices()
	b.checkColumns(s, surveyColumns)
	roots := b.tree()
	if b.rep.HasErrors() {
		return nil
	}
	b.sections(roots)
	if len(b.def.Sections) == 0 && !b.rep.HasErrors() {
		b.rep.refuse(at{sheet: s.name}, "%s", NothingToAskMessage)
	}
	b.translateAll()
	return b.def
}

// tree reads the survey rows into a forest of groups and questions.
func (b *builder) tree() []*node {
	s := b.wb.survey
	root := &node{}
	stack := []*node{root}
	for _, r := range s.rows {
		t := parseType(s.get(r, "type"))
		n := &node{r: r, t: t, name: s.get(r, "name")}
		top := stack[len(stack)-1]
		switch {
		case t.name == "end_repeat" && len(stack) > 1 && stack[len(stack)-1].t.name == "begin_repeat":
			stack = stack[:len(stack)-1] // the begin repeat was reported
		case t.name == "begin_repeat":
			b.rep.refuse(s.at(r, "type"), "%s", t.why)
			stack = append(stack, n)
		case t.kind == kindRefused:
			b.rep.refuse(s.at(r, "type"), "%s", t.why)
		case t.kind == kindSkipped:
			b.skipRow(n)
		case t.kind == kindBeginGroup:
			top.children = append(top.children, n)
			stack = append(stack, n)
		case t.kind == kindEndGroup:
			if len(stack) == 1 {
				b.rep.refuse(s.at(r, "type"), "end group without a begin group")
				continue
			}
			top.closed = true
			stack = stack[:len(stack)-1]
		default:
			top.children = append(top.children, n)
		}
	}
	for _, open := range stack[1:] {
		if open.t.kind == kindBeginGroup {
			b.rep.refuse(s.at(open.r, "type"), "group %q is never closed: add an end group row", open.name)
		}
	}
	return root.children
}

// skipRow reports a row left out and remembers its name, so that an
// expression referring to it can say why it cannot.
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
	if n.name != "" {
		if _, dup := b.syms[n.name]; !dup {
			b.syms[n.name] = &symbol{name: n.name, skipped: n.t.why}
		}
	}
}

// groupCtx is what a flattened group passes on to its questions: its
// relevance (which must keep holding for them) and its themes.
type groupCtx struct {
	relevant []exprPart
	themes   []string
	path     string // the groups' names, for messages
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
		b.addNode(implicit, n, groupCtx{})
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
}

// groupSection makes a section of a top-level group.
func (b *builder) groupSection(n *node) {
	s := b.wb.survey
	code := b.uniqueSectionCode(b.codeOf(n, "section"))
	sec := forms.Section{
		Code: code, Title: b.text(s, n.r, "label"), Description: b.text(s, n.r, "hint"),
	}
	if sec.Title == nil {
		sec.Title = forms.Text{}
	}
	b.groupCells(n)
	si := b.addSection(sec, n.r)
	ctx := groupCtx{themes: b.themes(s, n.r), path: n.name}
	for _, c := range n.children {
		b.addNode(si, c, ctx)
	}
	if len(b.def.Sections[si].Questions) == 0 {
		b.rep.skip(s.at(n.r, "type"), "group %q has no question Agora can ask; the group is left out", n.name)
		b.dropLastSection()
		return
	}
	if src := s.get(n.r, "relevant"); src != "" {
		b.pending = append(b.pending, pendingExpr{
			parts: []exprPart{{src: src, where: s.at(n.r, "relevant")}},
			set:   func(e string) { b.def.Sections[si].Relevant = e },
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

// addNode adds a question, a table or a flattened nested group to section si.
func (b *builder) addNode(si int, n *node, ctx groupCtx) {
	switch {
	case b.isHeaderRow(n):
		b.rep.skip(b.wb.survey.at(n.r, "appearance"), "a row with appearance label only shows the choices of a table; left out")
	case n.t.kind == kindQuestion:
		b.question(si, n, ctx)
	case b.isMatrix(n):
		b.matrix(si, n, ctx)
	default:
		b.flatten(si, n, ctx)
	}
}

// flatten adds the questions of a nested group to the enclosing section:
// Agora's sections do not nest. The group's relevance is added to each of
// its questions, and its label becomes a note so that the heading is kept.
func (b *builder) flatten(si int, n *node, ctx groupCtx) {
	s := b.wb.survey
	sec := b.def.Sections[si].Code
	b.rep.convert(s.at(n.r, "type"), "group %q is inside another group: Agora's sections do not nest, so its questions join section %q", n.name, sec)
	b.groupCells(n)
	inner := groupCtx{relevant: ctx.relevant, themes: ctx.themes, path: ctx.path + "/" + n.name}
	if src := s.get(n.r, "relevant"); src != "" {
		inner.relevant = append(append([]exprPart{}, ctx.relevant...), exprPart{src: src, where: s.at(n.r, "relevant")})
	}
	if t := b.themes(s, n.r); len(t) > 0 {
		inner.themes = t
	}
	if label := b.text(s, n.r, "label"); label != nil {
		note := &node{r: n.r, t: xtype{name: "note", kind: kindQuestion}, name: n.name}
		b.noteFromGroup(si, note, label, inner)
	}
	for _, c := range n.children {
		b.addNode(si, c, inner)
	}
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

// codeOf makes a code of a row's name, reporting a conversion.
func (b *builder) codeOf(n *node, what string) string {
	s := b.wb.survey
	if n.name == "" {
		b.rep.refuse(s.at(n.r, "name"), "the %s has no name", what)
		return ""
	}
	code := toCode(n.name, "q")
	if what == "question" && reserved[code] {
		code = "q_" + code
	}
	if code != n.name {
		b.rep.convert(s.at(n.r, "name"), "name %q is stored as %q: Agora codes start with a letter and hold letters, digits and '_'%s",
			n.name, code, reservedNote(n.name, what))
	}
	return code
}

func reservedNote(name, what string) string {
	if what == "question" && reserved[strings.TrimSpace(name)] {
		return ", and " + name + " is a reserved word in expressions"
	}
	return ""
}
