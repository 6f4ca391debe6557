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
	// skipped says why the row was left out: Agora never has its answer,
	// so an expression reads it as unanswered. rowOf names the matrix of a
	// table row, which expressions cannot refer to.
	skipped string
	rowOf   string
	// today is set for the metadata row "today", read as today().
	today bool
	// row is the survey row of the question, to tell a later one.
	row int
}

// Modes of translation: what the expression is for.
const (
	modeRelevant = iota
	modeConstraint
	modeValue  // a calculation or a repeat_count
	modeFilter // a choice filter
)

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
	mode  int
	self  *symbol // the question '.' stands for, in a constraint
	// local are the names of a loop's iteration, which stand for the
	// iteration's copies; columns are the choices sheet's columns a
	// choice filter may name (see filterColumns).
	local   map[string]*symbol
	columns map[string]string
	set     func(string)
	// drop is called, instead of set, when the expression refers to a
	// row Agora does not collect and cannot be kept (a constraint, a
	// calculation): it reports why.
	drop func(why string)
}

// Precedences of Agora's expression language (expr), for parentheses.
const (
	precTernary = 5
	precOr      = 10
	precAnd     = 15
	precCmp     = 20
	precAdd     = 30
	precNot     = 50
	precMul     = 60
	precUnary   = 90
	precPow     = 95
	precAtom    = 100
)

// Constants a condition folds to when it refers to rows Agora never has
// answers for.
const (
	notConst = iota
	constTrue
	constFalse
)

// out is a translated expression with its precedence. konst is set when a
// condition is known to be always true or false; null when a value is
// always unanswered.
type out struct {
	text  string
	prec  int
	konst int
	null  bool
	lit   bool // a literal text or number
}

func constant(b bool) out {
	if b {
		return out{text: "true", prec: precAtom, konst: constTrue}
	}
	return out{text: "false", prec: precAtom, konst: constFalse}
}

var nullValue = out{text: "nil", prec: precAtom, null: true}

// errDropped refuses to keep an expression that reads a row Agora does not
// collect where reading it as unanswered would change its meaning.
type errDropped struct{ why string }

func (e *errDropped) Error() string { return e.why }

func asDropped(err error, target **errDropped) bool { return errors.As(err, target) }

func isUnknownRef(err error) bool {
	var u unknownRefError
	return errors.As(err, &u)
}

// translateAll translates the queued expressions, reporting each one that
// cannot be translated at its cell, and what was read differently.
func (b *builder) translateAll() {
	for _, p := range b.pending {
		parts := make([]out, 0, len(p.parts))
		ok := true
		for _, part := range p.parts {
			t := &translator{syms: b.syms, names: b.names, row: part.where.row, local: p.local, self: p.self, mode: p.mode, columns: p.columns}
			o, err := t.translate(part.src)
			var drop *errDropped
			switch {
			case errors.As(err, &drop) && p.drop != nil:
				b.rep.skip(part.where, "%s", drop.why)
				p.drop(drop.why)
				ok = false
				continue
			case err != nil:
				b.rep.refuse(part.where, "%s", err)
				ok = false
				continue
			}
			for _, n := range t.notes {
				b.rep.convert(part.where, "%s", n)
			}
			parts = append(parts, o)
		}
		// A condition that always holds is no condition.
		if o := foldAll(parts, "and"); ok && o.konst != constTrue {
			p.set(o.text)
		}
	}
}

// translateXPath translates one condition (self set: a constraint) into
// Agora's language.
func translateXPath(src string, syms map[string]*symbol, self *symbol) (out, error) {
	mode := modeRelevant
	if self != nil {
		mode = modeConstraint
	}
	t := &translator{syms: syms, self: self, mode: mode}
	return t.translate(src)
}

// translator translates parsed expressions.
type translator struct {
	syms    map[string]*symbol
	names   map[string]bool // every name of the survey sheet
	row     int             // the row of the expression, to tell later questions
	local   map[string]*symbol
	self    *symbol
	mode    int
	columns map[string]string
	// notes are what was read differently from ODK, or in a way worth
	// telling, for the report.
	notes []string
}

// note records a warning once.
func (t *translator) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, n := range t.notes {
		if n == msg {
			return
		}
	}
	t.notes = append(t.notes, msg)
}

// translate parses and translates an expression in the translator's mode.
func (t *translator) translate(src string) (out, error) {
	if len(src) > forms.MaxExpressionLength {
		return out{}, fmt.Errorf("the expression is longer than %d characters", forms.MaxExpressionLength)
	}
	if !utf8.ValidString(src) {
		// Invalid bytes would come back as U+FFFD, three bytes each: the
		// expression would change, and could outgrow the limit above.
		return out{}, errors.New("the expression is not valid UTF-8 text")
	}
	src, curly := plainQuotes(src)
	if curly {
		t.note("typographic quotes (‘ ’ “ ”) are read as plain quotes")
	}
	n, err := parseXPath(src, t.mode == modeFilter)
	if err != nil {
		return out{}, err
	}
	var o out
	if t.mode == modeValue {
		o, err = t.value(n)
		if err == nil && o.null {
			return out{}, &errDropped{"the calculation reads only rows Agora does not collect; it is left out"}
		}
	} else {
		o, err = t.cond(n)
		if err == nil && t.mode == modeFilter && o.konst == constFalse {
			t.note("the choice filter never holds: no choice is offered")
		}
	}
	if err == nil && len(o.text) > forms.MaxExpressionLength {
		// Quotes and control characters are escaped in Agora's strings,
		// so a long expression can outgrow the limit once translated.
		return out{}, fmt.Errorf("the expression is longer than %d characters once translated", forms.MaxExpressionLength)
	}
	return o, err
}

// foldAll joins conditions with and/or, folding the constant ones.
func foldAll(parts []out, word string) out {
	var kept []out
	for _, p := range parts {
		switch {
		case word == "and" && p.konst == constFalse, word == "or" && p.konst == constTrue:
			return p
		case p.konst != notConst:
			// true and x is x; false or x is x
		default:
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return constant(word == "and")
	}
	prec := precAnd
	if word == "or" {
		prec = precOr
	}
	return join(kept, word, prec)
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
	return out{text: strings.Join(texts, " "+word+" "), prec: prec}
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
			return foldAll(parts, "or"), nil
		}
		return foldAll(parts, "and"), nil
	case xNot:
		o, err := t.cond(n.args[0])
		switch {
		case err != nil:
			return out{}, err
		case o.konst != notConst:
			return constant(o.konst == constFalse), nil
		}
		return out{text: "not " + paren(o, precNot), prec: precNot}, nil
	case xCmp:
		return t.compare(n)
	case xCall:
		if f := conditionFuncs[n.op]; f != nil {
			return f(t, n)
		}
	}
	return t.truth(n)
}

// truth reads a value as a condition, as XPath does: a question is true
// when answered, a number when it is not 0, a text when it is not empty.
func (t *translator) truth(n *xnode) (out, error) {
	for n.kind == xNeg && n.args[0].kind == xNeg {
		n = n.args[0].args[0] // - - x is x
	}
	switch n.kind {
	case xNum:
		num, err := number(n)
		if err != nil {
			return out{}, err
		}
		t.note("the number %s as a condition is %v, as in ODK", n.text, num != "0")
		return constant(num != "0"), nil
	case xStr:
		t.note("a text as a condition is true when it is not empty, as in ODK")
		return constant(n.text != ""), nil
	case xName:
		o, attr := t.column(n)
		if !attr && o.text != "option.code" {
			return constant(true), nil // a text, not empty
		}
		t.note("a column alone as a condition is true when it is not empty, as in ODK")
		return out{text: "answered(" + o.text + ")", prec: precAtom}, nil
	}
	v, err := t.value(n)
	switch {
	case err != nil:
		return out{}, err
	case v.null:
		return constant(false), nil
	case v.lit:
		t.note("a value as a condition is true when it is not empty nor 0, as in ODK")
		return constant(v.text != `""` && v.text != "0"), nil
	case n.kind == xRef || n.kind == xSelf:
		t.note("${%s} alone as a condition is read as ${%s} != '' (answered), as in ODK", n.text, n.text)
		return out{text: "answered(" + v.text + ")", prec: precAtom}, nil
	case numericNode(n):
		t.note("a number as a condition is true when it is not 0, as in ODK")
		return out{text: paren(v, precCmp+1) + " != 0", prec: precCmp}, nil
	}
	t.note("a value as a condition is true when it is not empty, as in ODK")
	return out{text: "answered(" + v.text + ")", prec: precAtom}, nil
}

// numericNode reports whether n gives a number.
func numericNode(n *xnode) bool {
	switch n.kind {
	case xNum, xArith, xNeg:
		return true
	case xCall:
		switch n.op {
		case "count-selected", "string-length", "sum", "count", "int", "round", "min", "max", "number",
			"abs", "floor", "ceiling", "pow", "sqrt":
			return true
		}
	}
	return false
}

// operand is one side of a comparison.
type operand struct {
	out
	sym *symbol // the question it stands for, when it is ${q} or '.'
	lit *xnode  // the literal it is, when it is one
	col bool    // a column of the choices sheet, in a choice filter
}

// operand translates one side of a comparison.
func (t *translator) operand(n *xnode) (operand, error) {
	switch n.kind {
	case xRef, xSelf:
		sym, err := t.subject(n)
		if err != nil {
			return operand{}, err
		}
		o, err := t.value(n)
		return operand{out: o, sym: sym}, err
	case xStr, xNum:
		o, err := t.value(n)
		return operand{out: o, lit: n}, err
	case xOr, xAnd, xNot, xCmp:
		return operand{}, &xpathError{n.pos, "compare two values, not two conditions"}
	case xCall:
		if n.op == "selected" || n.op == "selected-at" {
			return operand{}, &xpathError{n.pos, n.op + "() cannot be compared here"}
		}
	case xName:
		o, attr := t.column(n)
		if !attr && o.text != "option.code" {
			// A word that is no column is read as a text: typed as one.
			return operand{out: o, lit: &xnode{kind: xStr, text: n.text, pos: n.pos}}, nil
		}
		return operand{out: o, col: attr}, nil
	}
	o, err := t.value(n)
	if err == nil && o.lit {
		// A literal after folding (- 1, if(true(), 'a', 'b')): typed as one.
		lit := &xnode{kind: xNum, text: o.text, pos: n.pos}
		if s, uerr := strconv.Unquote(o.text); uerr == nil {
			lit = &xnode{kind: xStr, text: s, pos: n.pos}
		}
		return operand{out: o, lit: lit}, nil
	}
	return operand{out: o}, err
}

// subject resolves ${name} or '.' to the question it stands for.
func (t *translator) subject(n *xnode) (*symbol, error) {
	if n.kind == xSelf {
		if t.self == nil {
			return nil, &xpathError{n.pos, "'.' (the answer itself) is only allowed in a constraint"}
		}
		return &symbol{name: t.self.name, code: "value", typ: t.self.typ, codes: t.self.codes}, nil
	}
	sym := t.local[n.text]
	if sym == nil {
		sym = t.syms[n.text]
	}
	if sym != nil && t.self != nil && sym.code == t.self.code && sym.skipped == "" {
		// A constraint naming its own question means the answer.
		return &symbol{name: sym.name, code: "value", typ: sym.typ, codes: sym.codes}, nil
	}
	switch {
	case sym == nil && t.names[n.text]:
		return nil, &xpathError{n.pos, fmt.Sprintf("${%s} comes later in the form: Agora reads answers in order, so an expression may use only the rows before it", n.text)}
	case sym == nil:
		return nil, unknownRefError{&xpathError{n.pos, fmt.Sprintf("${%s} is not a question of this form", n.text)}}
	case sym.rowOf != "":
		return nil, &xpathError{n.pos, fmt.Sprintf("${%s} is a row of table %q, which Agora stores as one matrix question: an expression cannot refer to one row", n.text, sym.rowOf)}
	case sym.typ == forms.TypeMatrix:
		return nil, &xpathError{n.pos, fmt.Sprintf("${%s} is a table: an expression cannot refer to it", n.text)}
	}
	return sym, nil
}

// reference translates ${name}: a row Agora never has an answer for
// (left out, or a note) reads as unanswered.
func (t *translator) reference(n *xnode) (out, error) {
	sym, err := t.subject(n)
	if err != nil {
		return out{}, err
	}
	switch {
	case sym.today:
		t.note("${%s} (the date of the interview) is read as today()", n.text)
		return out{text: "today()", prec: precAtom}, nil
	case sym.skipped != "":
		return t.uncollected(n, sym.skipped)
	case sym.typ == forms.TypeNote:
		return t.uncollected(n, "a note takes no answer")
	case t.row > 0 && sym.row > t.row && sym.code != "value":
		return t.uncollected(n, "it comes later, and Agora reads answers in order")
	}
	return out{text: sym.code, prec: precAtom}, nil
}

// uncollected is a reference to a row Agora never has an answer for.
func (t *translator) uncollected(n *xnode, why string) (out, error) {
	switch t.mode {
	case modeConstraint:
		return out{}, &errDropped{fmt.Sprintf("the constraint refers to ${%s}, whose answer Agora does not have (%s): it is not checked", n.text, why)}
	case modeValue:
		return out{}, &errDropped{fmt.Sprintf("the calculation refers to ${%s}, whose answer Agora does not have (%s): it is left out", n.text, why)}
	}
	t.note("${%s} has no answer in Agora (%s): it is read as unanswered", n.text, why)
	return nullValue, nil
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
