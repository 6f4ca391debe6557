package xlsform

import (
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// repeat adds a repeat (begin repeat … end repeat) to container c: a
// question of type repeat whose questions are its rows, asked once per
// entry. Groups inside it are flattened into it, repeats inside it nest.
func (b *builder) repeat(c container, n *node, ctx groupCtx) {
	s := b.wb.survey
	r := n.r
	q := forms.Question{
		Code: b.codeIn(n, "question", ctx.group), Type: forms.TypeRepeat,
		Label: b.nodeText(n, "label"), Hint: b.nodeText(n, "hint"),
		Themes: b.themes(s, r), Appearance: s.get(r, "appearance"),
	}
	if q.Label == nil || strings.TrimSpace(q.Label[b.lang]) == "" {
		b.labelOrName(&q, n)
	}
	if q.Themes == nil {
		q.Themes = ctx.themes
	}
	b.bounds(&q, r)
	b.unsupportedCells(r)
	for _, col := range []string{"required", "constraint", "calculation", "choice_filter"} {
		b.notFor(r, col)
	}
	sym := &symbol{name: n.name, code: q.Code, typ: forms.TypeRepeat}
	ref := b.addQuestion(c, q, source{s, r}, sym, n)
	if src := s.get(r, "repeat_count"); src != "" {
		b.repeatCount(ref, n, src)
	}
	inner := groupCtx{themes: ctx.themes, path: ctx.path + "/" + n.name, group: n.name}
	if t := b.themes(s, r); len(t) > 0 {
		inner.themes = t
	}
	for _, ch := range n.children {
		b.addNode(ref.inside(), ch, inner)
	}
	if len(b.question(ref).Questions) == 0 {
		b.rep.refuse(s.at(r, "type"), "repeat %q has no question Agora can ask", n.name)
	}
	if parts := b.relevantParts(n, ctx); len(parts) > 0 {
		b.pending = append(b.pending, pendingExpr{parts: parts, local: n.iter.names(),
			set: func(e string) { b.question(ref).Relevant = e }})
	}
}

// repeatCount translates a repeat_count now, as a calculation is: one that
// Agora cannot compute leaves the respondent to add the entries.
func (b *builder) repeatCount(ref qref, n *node, src string) {
	s := b.wb.survey
	where := s.at(n.r, "repeat_count")
	t := &translator{syms: b.syms, names: b.names, local: n.iter.names(), mode: modeValue}
	o, err := t.translate(src)
	switch {
	case isUnknownRef(err):
		b.rep.refuse(where, "%s", err)
	case err != nil:
		b.rep.skip(where, "Agora cannot compute this repeat_count (%s): the respondent adds the entries instead", err)
	default:
		for _, note := range t.notes {
			b.rep.convert(where, "%s", note)
		}
		q := b.question(ref)
		q.RepeatCount = o.text
		if q.Min != nil || q.Max != nil {
			b.rep.skip(where, "min and max of a repeat apply only without a repeat_count; they are ignored")
			q.Min, q.Max = nil, nil
		}
	}
}
