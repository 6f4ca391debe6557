package xlsform

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/unodc-csu/agora/forms"
)

// symbol is what an expression can refer to as ${name}.
type symbol struct {
	name string // the XLSForm name
	code string // the Agora code
	typ  string // the Agora question type
	// codes maps choice names to option codes (scale values, for a scale).
	codes map[string]string
	// skipped says why the row was left out; rowOf names the matrix of a
	// table row. Expressions can refer to neither.
	skipped string
	rowOf   string
}

// exprPart is one XPath expression and the cell it is in.
type exprPart struct {
	src   string
	where at
}

// pendingExpr is an expression to translate once every question is known:
// the parts (a question's relevant and those of the groups flattened
// around it) must all hold.
type pendingExpr struct {
	parts []exprPart
	self  *symbol // the question '.' stands for, in a constraint
	set   func(string)
}

// Precedences of Agora's expression language (expr), for parentheses.
const (
	precOr   = 10
	precAnd  = 15
	precCmp  = 20
	precNot  = 50
	precAtom = 100
)

// out is a translated expression with its precedence.
type out struct {
	text string
	prec int
}

// translateAll translates the queued expressions, reporting each one that
// cannot be translated at its cell.
func (b *builder) translateAll() {
	for _, p := range b.pending {
		parts := make([]out, 0, len(p.parts))
		ok := true
		for _, part := range p.parts {
			o, err := translateXPath(part.src, b.syms, p.self)
			if err != nil {
				b.rep.refuse(part.where, "%s", err)
				ok = false
				continue
			}
			parts = append(parts, o)
		}
		if ok {
			p.set(join(parts, "and", precAnd).text)
		}
	}
}

// translateXPath translates one XPath expression into Agora's language.
// self is the question of a constraint, nil in a relevance expression.
func translateXPath(src string, syms map[string]*symbol, self *symbol) (out, error) {
	if len(src) > forms.MaxExpressionLength {
		return out{}, fmt.Errorf("the expression is longer than %d characters", forms.MaxExpressionLength)
	}
	if !utf8.ValidString(src) {
		// Invalid bytes would come back as U+FFFD, three bytes each: the
		// expression would change, and could outgrow the limit above.
		return out{}, errors.New("the expression is not valid UTF-8 text")
	}
	n, err := parseXPath(src)
	if err != nil {
		return out{}, err
	}
	t := &translator{syms: syms, self: self}
	o, err := t.cond(n)
	if err == nil && len(o.text) > forms.MaxExpressionLength {
		// Quotes and control characters are escaped in Agora's strings,
		// so a long expression can outgrow the limit once translated.
		return out{}, fmt.Errorf("the expression is longer than %d characters once translated", forms.MaxExpressionLength)
	}
	return o, err
}

// translator translates parsed expressions.
type translator struct {
	syms map[string]*symbol
	self *symbol
}

// join joins conditions with and/or, in parentheses where needed.
func join(parts []out, word string, prec int) out {
	if len(parts) == 1 {
		return parts[0]
	}
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = paren(p, prec)
	}
	return out{strings.Join(texts, " "+word+" "), prec}
}

// paren wraps o in parentheses when it binds less tightly than prec.
func paren(o out, prec int) string {
	if o.prec < prec {
		return "(" + o.text + ")"
	}
	return o.text
}

// cond translates a node that must be a condition.
func (t *translator) cond(n *xnode) (out, error) {
	switch n.kind {
	case xOr, xAnd:
		parts := make([]out, 0, len(n.args))
		for _, a := range n.args {
			o, err := t.cond(a)
			if err != nil {
				return out{}, err
			}
			parts = append(parts, o)
		}
		if n.kind == xOr {
			return join(parts, "or", precOr), nil
		}
		return join(parts, "and", precAnd), nil
	case xNot:
		o, err := t.cond(n.args[0])
		if err != nil {
			return out{}, err
		}
		return out{"not " + paren(o, precNot), precNot}, nil
	case xCmp:
		return t.compare(n)
	case xCall:
		if n.op == "selected" {
			return t.selected(n)
		}
		if _, ok := valueFuncs[n.op]; !ok {
			return out{}, unsupportedFunc(n)
		}
	}
	return out{}, &xpathError{n.pos, "this is a value, not a condition: compare it, e.g. ${q} = 'yes' or ${q} != ''"}
}

// valueFuncs are the XPath functions that give a value, with their names
// in Agora.
var valueFuncs = map[string]string{"count-selected": "count_selected", "string-length": "string_length"}

func unsupportedFunc(n *xnode) error {
	return &xpathError{n.pos, fmt.Sprintf("function %s() is not supported (Agora reads selected, count-selected, string-length, selected-at and not)", n.op)}
}

// operand is one side of a comparison.
type operand struct {
	out
	sym *symbol // the question it stands for, when it is ${q} or '.'
	lit *xnode  // the literal it is, when it is one
}

// operand translates a value: a reference, '.', a literal or a value
// function.
func (t *translator) operand(n *xnode) (operand, error) {
	switch n.kind {
	case xRef, xSelf:
		sym, err := t.subject(n)
		if err != nil {
			return operand{}, err
		}
		return operand{out: out{sym.code, precAtom}, sym: sym}, nil
	case xStr:
		return operand{out: out{strconv.Quote(n.text), precAtom}, lit: n}, nil
	case xNum:
		num, err := number(n)
		return operand{out: out{num, precAtom}, lit: n}, err
	case xCall:
		if name, ok := valueFuncs[n.op]; ok {
			return t.valueCall(n, name)
		}
		if n.op == "selected" || n.op == "selected-at" {
			return operand{}, &xpathError{n.pos, n.op + "() cannot be compared here"}
		}
		return operand{}, unsupportedFunc(n)
	}
	return operand{}, &xpathError{n.pos, "compare two values, not two conditions"}
}

// subject resolves ${name} or '.' to the question it stands for.
func (t *translator) subject(n *xnode) (*symbol, error) {
	if n.kind == xSelf {
		if t.self == nil {
			return nil, &xpathError{n.pos, "'.' (the answer itself) is only allowed in a constraint"}
		}
		return &symbol{name: t.self.name, code: "value", typ: t.self.typ, codes: t.self.codes}, nil
	}
	sym := t.syms[n.text]
	switch {
	case sym == nil:
		return nil, &xpathError{n.pos, fmt.Sprintf("${%s} is not a question of this form", n.text)}
	case sym.skipped != "":
		return nil, &xpathError{n.pos, fmt.Sprintf("${%s} refers to a row that was left out (%s)", n.text, sym.skipped)}
	case sym.rowOf != "":
		return nil, &xpathError{n.pos, fmt.Sprintf("${%s} is a row of table %q, which Agora stores as one matrix question: an expression cannot refer to one row", n.text, sym.rowOf)}
	case sym.typ == forms.TypeMatrix:
		return nil, &xpathError{n.pos, fmt.Sprintf("${%s} is a table: an expression cannot refer to it", n.text)}
	}
	return sym, nil
}

// number normalizes a number literal: "007" is 7, ".50" is 0.5.
func number(n *xnode) (string, error) {
	if !strings.Contains(n.text, ".") {
		i, err := strconv.ParseInt(n.text, 10, 64)
		if err != nil {
			return "", &xpathError{n.pos, fmt.Sprintf("%q is not a number Agora can read", n.text)}
		}
		return strconv.FormatInt(i, 10), nil
	}
	f, err := strconv.ParseFloat(n.text, 64)
	if err != nil || strings.Count(n.text, ".") > 1 || f > 1e15 || f < -1e15 {
		return "", &xpathError{n.pos, fmt.Sprintf("%q is not a number Agora can read", n.text)}
	}
	if f == 0 {
		f = 0 // "-0." is zero too: written "-0", it would not read back the same
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

// valueCall translates count-selected() and string-length().
func (t *translator) valueCall(n *xnode, name string) (operand, error) {
	if len(n.args) != 1 {
		return operand{}, &xpathError{n.pos, n.op + "() takes one argument"}
	}
	a := n.args[0]
	if name == "count_selected" && a.kind != xRef && a.kind != xSelf {
		return operand{}, &xpathError{a.pos, "count-selected() takes a question, ${name} or '.'"}
	}
	arg, err := t.operand(a)
	if err != nil {
		return operand{}, err
	}
	if arg.sym == nil && arg.lit == nil {
		return operand{}, &xpathError{a.pos, n.op + "() takes a question or a text"}
	}
	return operand{out: out{name + "(" + arg.text + ")", precAtom}}, nil
}
