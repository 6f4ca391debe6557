package xlsform

import (
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// A loop ("begin loop over LIST") asks its questions once per choice of
// the list, with %(label)s in their texts standing for the choice's label
// (and %(name)s for its name). Agora copies them for each choice, named
// after the question and the choice ("number_pit_latrine"), each copy in
// a group labelled with the choice; expressions in a copy refer to the
// copies of the same choice.

// loopIter is one iteration of a loop.
type loopIter struct {
	choice *choice
	// local maps the loop's names as written to the copies of this
	// iteration, filled as they are added.
	local map[string]*symbol
}

// names are the iteration's names, for the expressions of its rows; nil
// outside loops.
func (it *loopIter) names() map[string]*symbol {
	if it == nil {
		return nil
	}
	return it.local
}

// expandLoops replaces each loop by a group of one group per choice, the
// loop's rows copied in each.
func (b *builder) expandLoops(nodes []*node) []*node {
	out := make([]*node, 0, len(nodes))
	for _, n := range nodes {
		n.children = b.expandLoops(n.children)
		if n.t.kind != kindBeginLoop {
			out = append(out, n)
			continue
		}
		l := b.list(n.t.list)
		if l == nil {
			b.rep.refuse(b.wb.survey.at(n.r, "type"), "choice list %q of the loop is not in the choices sheet", n.t.list)
			continue
		}
		b.rep.convert(b.wb.survey.at(n.r, "type"), "the loop over %q asks its questions once per choice: Agora makes a copy of them for each of the %d choices", n.t.list, len(l.choices))
		g := &node{r: n.r, t: xtype{name: "begin_group", kind: kindBeginGroup}, name: n.name, closed: true}
		for i := range l.choices {
			c := &l.choices[i]
			it := &loopIter{choice: c, local: map[string]*symbol{}}
			// The iteration's group has no cells of its own: the loop's
			// relevance and columns are the outer group's.
			iter := &node{r: row{num: n.r.num}, t: g.t, name: n.name + "_" + c.name, iter: it, orig: n.name, closed: true, iterGroup: true}
			iter.children = copyNodes(n.children, it)
			g.children = append(g.children, iter)
		}
		out = append(out, g)
	}
	return out
}

// copyNodes copies rows into a loop's iteration: each name gets the
// choice's name after it.
func copyNodes(nodes []*node, it *loopIter) []*node {
	out := make([]*node, len(nodes))
	for i, n := range nodes {
		c := *n
		c.iter, c.orig = it, n.name
		if n.name != "" {
			c.name = n.name + "_" + it.choice.name
		}
		c.children = copyNodes(n.children, it)
		out[i] = &c
	}
	return out
}

// nodeText reads a text of a row; in a loop's iteration, %(label)s and
// %(name)s stand for the choice's label and name. The group made for an
// iteration is labelled with its choice.
func (b *builder) nodeText(n *node, base string) forms.Text {
	if n.iterGroup && base == "label" {
		return n.iter.choice.label
	}
	t := b.text(b.wb.survey, n.r, base)
	if n.iter == nil || t == nil {
		return t
	}
	out := forms.Text{}
	for lang, s := range t {
		label := n.iter.choice.label.In(lang, b.lang)
		out[lang] = strings.NewReplacer("%(label)s", label, "%(name)s", n.iter.choice.name).Replace(s)
	}
	return out
}
