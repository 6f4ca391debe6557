package xlsform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// A matrix question (rows × one scale) is, in XLSForm, a group of select_one
// rows that share a choice list: the group has appearance table-list, or
// field-list with a first row of appearance label (the header of the
// table, as KoboToolbox and the ODK documentation build it). The list's
// names must be whole numbers, the scale's values.

// isHeaderRow reports whether n is the header row of a table: a select
// whose appearance is label, showing the choices without asking.
func (b *builder) isHeaderRow(n *node) bool {
	return n.t.kind == kindQuestion && strings.HasPrefix(n.t.name, "select") &&
		indexFold(strings.Fields(b.wb.survey.get(n.r, "appearance")), "label") >= 0
}

// tableRows returns the children of a group that are not header rows.
func (b *builder) tableRows(n *node) []*node {
	var rows []*node
	for _, c := range n.children {
		if !b.isHeaderRow(c) {
			rows = append(rows, c)
		}
	}
	return rows
}

// isMatrix reports whether group n is a table Agora stores as one matrix
// question.
func (b *builder) isMatrix(n *node) bool {
	if n.t.kind != kindBeginGroup || len(n.children) == 0 {
		return false
	}
	s := b.wb.survey
	app := strings.Fields(s.get(n.r, "appearance"))
	if indexFold(app, "table-list") < 0 && (indexFold(app, "field-list") < 0 || !b.isHeaderRow(n.children[0])) {
		return false
	}
	rows := b.tableRows(n)
	if len(rows) == 0 {
		return false
	}
	for _, c := range rows {
		if c.t.kind != kindQuestion || c.t.name != "select_one" || c.t.list != rows[0].t.list || c.t.orOther ||
			s.get(c.r, "relevant") != "" || s.get(c.r, "constraint") != "" {
			return false
		}
	}
	l := b.list(rows[0].t.list)
	return l != nil && l.integerNames()
}

// matrix adds a table group as one matrix question.
func (b *builder) matrix(c container, n *node, ctx groupCtx) {
	s := b.wb.survey
	rows := b.tableRows(n)
	app := slices.DeleteFunc(strings.Fields(s.get(n.r, "appearance")), func(w string) bool {
		return strings.EqualFold(w, "table-list") || strings.EqualFold(w, "field-list")
	})
	q := forms.Question{
		Code: b.codeIn(n, "question", ctx.group), Type: forms.TypeMatrix,
		Label: b.nodeText(n, "label"), Hint: b.nodeText(n, "hint"),
		ConstraintMessage: b.nodeText(n, "constraint_message"),
		Themes:            b.themes(s, n.r), Appearance: strings.Join(app, " "),
	}
	if q.Themes == nil {
		q.Themes = ctx.themes
	}
	b.rep.convert(s.at(n.r, "type"), "group %q is a table of %d rows sharing list %q: it becomes one matrix question", n.name, len(rows), rows[0].t.list)
	for _, c := range n.children {
		if b.isHeaderRow(c) {
			b.rep.skip(s.at(c.r, "appearance"), "the header row of a table only shows the choices; left out")
		}
	}
	b.matrixRequired(&q, rows)
	sym := &symbol{name: n.name, code: q.Code, typ: forms.TypeMatrix}
	ref := b.next(c)
	q.Scale = b.scalePoints(b.list(rows[0].t.list), sym)
	b.locateChoices(b.list(rows[0].t.list), "scale", ref)
	for i, r := range rows {
		q.Rows = append(q.Rows, b.matrixRow(r, q.Code))
		b.loc[fmt.Sprintf("%s/rows/%d", ref.pointer(), i)] = source{s, r.r}
	}
	b.unsupportedCells(n.r)
	if v := s.get(n.r, "required"); v != "" {
		b.rep.skip(s.at(n.r, "required"), "required of a table is read from its rows; ignored on the group")
	}
	b.addQuestion(c, q, source{s, n.r}, sym, n)
	b.queueExprs(ref, n, ctx, sym)
}

// matrixRequired makes the matrix required when its rows are, and takes
// the message of the first row that has one.
func (b *builder) matrixRequired(q *forms.Question, rows []*node) {
	s := b.wb.survey
	required := 0
	for _, c := range rows {
		if b.required(s, c.r) {
			required++
		}
		if q.RequiredMessage == nil {
			q.RequiredMessage = b.text(s, c.r, "required_message")
		}
	}
	q.Required = required > 0
	if required > 0 && required < len(rows) {
		b.rep.convert(s.at(rows[0].r, "required"), "%d of the %d rows of table %q are required: Agora requires a whole table or none, so every row is required", required, len(rows), q.Code)
	}
}

// matrixRow makes a matrix row of a select_one row of a table.
func (b *builder) matrixRow(c *node, matrix string) forms.Row {
	s := b.wb.survey
	code := toCode(c.name, "r")
	if c.name == "" {
		b.rep.refuse(s.at(c.r, "name"), "the row of the table has no name")
	} else if code != c.name {
		b.rep.convert(s.at(c.r, "name"), "name %q is stored as %q: Agora codes start with a letter and hold letters, digits and '_'", c.name, code)
	}
	if v := s.get(c.r, "hint"); v != "" {
		b.rep.skip(s.at(c.r, "hint"), "the rows of a table have no hint in Agora; ignored")
	}
	b.unsupportedCells(c.r)
	if _, dup := b.syms[c.name]; !dup && c.name != "" {
		b.syms[c.name] = &symbol{name: c.name, rowOf: matrix}
	}
	return forms.Row{Code: code, Label: b.text(s, c.r, "label"), Themes: b.themes(s, c.r)}
}
