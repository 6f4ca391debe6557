package xlsform

import (
	"fmt"
	"strconv"

	"github.com/unodc-csu/agora/forms"
)

// choiceQuestion reports whether typ holds option codes.
func choiceQuestion(typ string) bool {
	return typ == forms.TypeSingleChoice || typ == forms.TypeMultipleChoice || typ == forms.TypeRanking
}

// numericQuestion reports whether typ holds a number.
func numericQuestion(typ string) bool {
	return typ == forms.TypeInteger || typ == forms.TypeNumber || typ == forms.TypeScale
}

// compare translates a comparison. ODK compares everything as text or
// number; Agora's answers are typed, so a literal compared with a question
// is written in the question's type, and the idioms of XLSForm get their
// meaning in Agora: ${q} != ” is answered(q), since an unanswered
// question is nil rather than ”.
func (t *translator) compare(n *xnode) (out, error) {
	l, r := n.args[0], n.args[1]
	if isSelectedAt(l) || isSelectedAt(r) {
		return t.selectedAt(n)
	}
	if emptyString(r) && t.answerable(l) || emptyString(l) && t.answerable(r) {
		return t.answered(n)
	}
	lo, err := t.operand(l)
	if err != nil {
		return out{}, err
	}
	ro, err := t.operand(r)
	if err != nil {
		return out{}, err
	}
	if lo.null || ro.null {
		return t.compareNull(n.op, lo, ro), nil
	}
	if lo.sym != nil && ro.lit != nil {
		if ro.text, err = t.literalFor(lo.sym, n.op, ro.lit); err != nil {
			return out{}, err
		}
	}
	if ro.sym != nil && lo.lit != nil {
		if lo.text, err = t.literalFor(ro.sym, n.op, lo.lit); err != nil {
			return out{}, err
		}
	}
	// A column of the choices sheet holds text: compared with a number,
	// it is read as one.
	if lo.col && numericSide(ro) {
		lo.text, lo.prec = "float("+lo.text+")", precAtom
	}
	if ro.col && numericSide(lo) {
		ro.text, ro.prec = "float("+ro.text+")", precAtom
	}
	op := n.op
	if op == "=" {
		op = "=="
	}
	return out{text: paren(lo.out, precCmp+1) + " " + op + " " + paren(ro.out, precCmp+1), prec: precCmp}, nil
}

// numericSide reports whether an operand is a number.
func numericSide(o operand) bool {
	return o.lit != nil && o.lit.kind == xNum || o.sym != nil && numericQuestion(o.sym.typ)
}

// compareNull folds a comparison with a row Agora never has an answer for,
// which reads as unanswered: equal to ” and to an unanswered question,
// different from anything else, neither less nor more than anything.
func (t *translator) compareNull(op string, l, r operand) out {
	other := r
	if r.null {
		other = l
	}
	switch {
	case l.null && r.null:
		return constant(op == "=")
	case op != "=" && op != "!=":
		return constant(false)
	case other.lit != nil && other.lit.kind == xStr && other.lit.text == "":
		return constant(op == "=")
	case other.sym != nil:
		// ${uncollected} = ${q} holds when q is unanswered too.
		if op == "=" {
			return out{text: "not answered(" + other.text + ")", prec: precNot}
		}
		return out{text: "answered(" + other.text + ")", prec: precAtom}
	}
	return constant(op == "!=")
}

func emptyString(n *xnode) bool { return n.kind == xStr && n.text == "" }

// answerable reports whether a value may be unanswered: a literal cannot,
// nor a word of a choice filter that is no column (a text).
func (t *translator) answerable(n *xnode) bool {
	switch n.kind {
	case xStr, xNum:
		return false
	case xName:
		o, attr := t.column(n)
		return attr || o.text == "option.code"
	}
	return true
}

// answered translates ${q} = ” and ${q} != ”.
func (t *translator) answered(n *xnode) (out, error) {
	subj := n.args[0]
	if emptyString(subj) && t.answerable(n.args[1]) {
		subj = n.args[1]
	}
	if n.op != "=" && n.op != "!=" {
		return out{}, &xpathError{n.pos, fmt.Sprintf("%s with '' has no meaning: compare with = '' (not answered) or != '' (answered)", n.op)}
	}
	v, err := t.value(subj)
	switch {
	case err != nil:
		return out{}, err
	case v.null:
		return constant(n.op == "="), nil
	case v.lit:
		return constant((v.text == `""`) == (n.op == "=")), nil
	case n.op == "!=":
		return out{text: "answered(" + v.text + ")", prec: precAtom}, nil
	}
	return out{text: "not answered(" + v.text + ")", prec: precNot}, nil
}

// literalFor writes a literal compared with question sym in sym's type.
func (t *translator) literalFor(sym *symbol, op string, lit *xnode) (string, error) {
	text := lit.text
	if lit.kind == xNum {
		text, _ = number(lit) // already checked by operand
	}
	ref := "${" + sym.name + "}"
	switch {
	case choiceQuestion(sym.typ):
		if sym.typ != forms.TypeSingleChoice {
			return "", &xpathError{lit.pos, fmt.Sprintf("%s holds several choices: use selected(%s, '%s') rather than %s", ref, ref, text, op)}
		}
		if op != "=" && op != "!=" {
			return "", &xpathError{lit.pos, fmt.Sprintf("%s is a choice: compare it with = or != only", ref)}
		}
		code, ok := sym.codes[text]
		if !ok {
			return "", &xpathError{lit.pos, fmt.Sprintf("%s has no choice %q", ref, text)}
		}
		return strconv.Quote(code), nil
	case sym.typ == forms.TypeScale:
		if v, ok := sym.codes[text]; ok {
			return v, nil
		}
		v, err := strconv.Atoi(text)
		if err != nil {
			return "", &xpathError{lit.pos, fmt.Sprintf("%s is a scale of whole numbers; %q is not one", ref, text)}
		}
		return strconv.Itoa(v), nil
	case sym.typ == forms.TypeInteger || sym.typ == forms.TypeNumber:
		num, err := number(&xnode{text: text, pos: lit.pos})
		if err != nil {
			return "", &xpathError{lit.pos, fmt.Sprintf("%s is a number; %q is not one", ref, text)}
		}
		return num, nil
	case sym.typ == forms.TypeCalculate && lit.kind == xNum:
		return text, nil
	}
	return strconv.Quote(text), nil
}

// selected translates selected(${q}, 'x'): on a scale it is q == x. In a
// choice filter the choice may be a column: selected(${q}, cf).
func (t *translator) selected(n *xnode) (out, error) {
	if len(n.args) != 2 {
		return out{}, &xpathError{n.pos, "selected() takes a question and a choice name: selected(${q}, 'x')"}
	}
	subj, lit := n.args[0], n.args[1]
	if subj.kind != xRef && subj.kind != xSelf || lit.kind != xStr && lit.kind != xNum && lit.kind != xName {
		return out{}, &xpathError{n.pos, "selected() takes a question and a choice name: selected(${q}, 'x')"}
	}
	sym, err := t.subject(subj)
	if err != nil {
		return out{}, err
	}
	v, err := t.value(subj)
	if err != nil || v.null {
		return constant(false), err
	}
	if lit.kind == xName {
		col, _ := t.column(lit)
		return out{text: "selected(" + v.text + ", " + col.text + ")", prec: precAtom}, nil
	}
	text := lit.text
	if lit.kind == xNum {
		if text, err = number(lit); err != nil {
			return out{}, err
		}
	}
	ref := "${" + sym.name + "}"
	switch {
	case sym.typ == forms.TypeScale:
		p, err := t.literalFor(sym, "=", &xnode{kind: xStr, text: text, pos: lit.pos})
		return out{text: sym.code + " == " + p, prec: precCmp}, err
	case !choiceQuestion(sym.typ):
		return out{}, &xpathError{n.pos, fmt.Sprintf("selected() needs a select or rank question; %s is %s", ref, sym.typ)}
	}
	code, ok := sym.codes[text]
	if !ok {
		return out{}, &xpathError{lit.pos, fmt.Sprintf("%s has no choice %q", ref, text)}
	}
	return out{text: "selected(" + sym.code + ", " + strconv.Quote(code) + ")", prec: precAtom}, nil
}

func isSelectedAt(n *xnode) bool { return n.kind == xCall && n.op == "selected-at" }

// selectedAt translates selected-at(${q}, i) = 'x', the XLSForm way of
// asking for the choice ranked i+1, into rank_of(q, "x") == i+1.
func (t *translator) selectedAt(n *xnode) (out, error) {
	call, lit := n.args[0], n.args[1]
	if !isSelectedAt(call) {
		call, lit = lit, call
	}
	bad := &xpathError{call.pos, "selected-at() is read only as selected-at(${q}, n) = 'x', on a rank question"}
	if n.op != "=" || lit.kind != xStr && lit.kind != xNum || len(call.args) != 2 || call.args[1].kind != xNum ||
		(call.args[0].kind != xRef && call.args[0].kind != xSelf) {
		return out{}, bad
	}
	sym, err := t.subject(call.args[0])
	if err != nil {
		return out{}, err
	}
	i, err := strconv.Atoi(call.args[1].text)
	if err != nil || i < 0 || sym.typ != forms.TypeRanking {
		return out{}, bad
	}
	text := lit.text
	if lit.kind == xNum {
		text, _ = number(lit)
	}
	code, ok := sym.codes[text]
	if !ok {
		return out{}, &xpathError{lit.pos, fmt.Sprintf("${%s} has no choice %q", sym.name, text)}
	}
	return out{text: fmt.Sprintf("rank_of(%s, %s) == %d", sym.code, strconv.Quote(code), i+1), prec: precCmp}, nil
}
