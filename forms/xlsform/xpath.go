package xlsform

import (
	"fmt"
	"strings"
	"unicode"
)

// The expressions of an XLSForm are XPath. Agora reads the part that
// relevance, constraints, calculations, choice filters and repeat counts
// use (docs/xlsform.md): ${name}, '.', string and number literals,
// arithmetic, comparisons, and, or, and the functions translate.go knows.
// This file parses it; translate.go turns the tree into Agora's expression
// language.

// Kinds of xnode.
const (
	xOr = iota
	xAnd
	xNot
	xCmp
	xRef
	xSelf
	xStr
	xNum
	xCall
	xArith // op is + - * div mod
	xNeg   // unary minus
	xName  // a bare name: a column of the choices sheet, in a choice filter
)

// xnode is a node of a parsed XPath expression.
type xnode struct {
	kind int
	op   string   // comparison operator, or function name of a call
	text string   // name of a reference, value of a string, digits of a number
	args []*xnode // operands
	pos  int      // character offset in the source, from 1
}

// xpathError is a syntax error, located in the expression.
type xpathError struct {
	pos int
	msg string
}

// unknownRefError names no row of the form, which refuses even a
// calculation, as XLSForm tools refuse it.
type unknownRefError struct{ *xpathError }

func (e *xpathError) Error() string {
	if e.pos > 0 {
		return fmt.Sprintf("%s (at character %d)", e.msg, e.pos)
	}
	return e.msg
}

// Token kinds.
const (
	tEOF = iota
	tRef
	tDot
	tStr
	tNum
	tName
	tOp
	tLParen
	tRParen
	tComma
)

type token struct {
	kind int
	text string
	pos  int // rune offset, from 1
}

// maxDepth bounds the nesting of parentheses and calls.
const maxDepth = 50

// lex splits an expression into tokens.
func lex(src string) ([]token, error) {
	rs := []rune(src)
	var out []token
	for i := 0; i < len(rs); {
		c := rs[i]
		pos := i + 1
		switch {
		case unicode.IsSpace(c):
			i++
			continue
		case c == '$':
			if i+1 >= len(rs) || rs[i+1] != '{' {
				return nil, &xpathError{pos, "'$' must start a reference such as ${name}"}
			}
			end := indexRune(rs, '}', i+2)
			if end < 0 {
				return nil, &xpathError{pos, "${ is not closed with }"}
			}
			name := strings.TrimSpace(string(rs[i+2 : end]))
			if name == "" {
				return nil, &xpathError{pos, "${} names no question"}
			}
			out, i = append(out, token{tRef, name, pos}), end+1
		case c == '\'' || c == '"':
			end := indexRune(rs, c, i+1)
			if end < 0 {
				return nil, &xpathError{pos, "the text starting here is not closed with " + string(c)}
			}
			out, i = append(out, token{tStr, string(rs[i+1 : end]), pos}), end+1
		case isDigit(c) || c == '.' && i+1 < len(rs) && isDigit(rs[i+1]) ||
			c == '-' && i+1 < len(rs) && (isDigit(rs[i+1]) || rs[i+1] == '.') && operandExpected(out):
			j := i + 1
			for j < len(rs) && (isDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			out, i = append(out, token{tNum, string(rs[i:j]), pos}), j
		case c == '.':
			if i+1 < len(rs) && rs[i+1] == '.' {
				// ../name, the old spelling of ${name}.
				j := i + 3
				for j < len(rs) && isNameChar(rs[j]) {
					j++
				}
				if i+2 < len(rs) && rs[i+2] == '/' && j > i+3 && isNameStart(rs[i+3]) {
					out, i = append(out, token{tRef, string(rs[i+3 : j]), pos}), j
					continue
				}
				return nil, &xpathError{pos, "'..' (the parent) is not supported: refer to questions as ${name}"}
			}
			out, i = append(out, token{tDot, ".", pos}), i+1
		case isNameStart(c):
			j := i + 1
			for j < len(rs) && isNameChar(rs[j]) {
				j++
			}
			out, i = append(out, token{tName, string(rs[i:j]), pos}), j
		default:
			tok, n, err := lexPunct(rs, i)
			if err != nil {
				return nil, err
			}
			out, i = append(out, tok), i+n
		}
	}
	return append(out, token{tEOF, "", len(rs) + 1}), nil
}

// lexPunct reads an operator or a parenthesis, or explains why the
// character is not supported.
func lexPunct(rs []rune, i int) (token, int, error) {
	c, pos := rs[i], i+1
	next := rune(0)
	if i+1 < len(rs) {
		next = rs[i+1]
	}
	switch {
	case c == '(':
		return token{tLParen, "(", pos}, 1, nil
	case c == ')':
		return token{tRParen, ")", pos}, 1, nil
	case c == ',':
		return token{tComma, ",", pos}, 1, nil
	case c == '=':
		if next == '=' {
			return token{}, 0, &xpathError{pos, "write = rather than == in XLSForm"}
		}
		return token{tOp, "=", pos}, 1, nil
	case c == '!' && next == '=':
		return token{tOp, "!=", pos}, 2, nil
	case (c == '<' || c == '>') && next == '=':
		return token{tOp, string(c) + "=", pos}, 2, nil
	case c == '<' || c == '>':
		return token{tOp, string(c), pos}, 1, nil
	case c == '!':
		return token{}, 0, &xpathError{pos, "'!' is not XPath: write not(...)"}
	case c == '&' || c == '|' && next == '|':
		return token{}, 0, &xpathError{pos, "write and / or rather than && / ||"}
	case c == '+' || c == '-' || c == '*':
		return token{tOp, string(c), pos}, 1, nil
	case c == '/':
		return token{}, 0, &xpathError{pos, "paths (/) are not supported: refer to questions as ${name}"}
	}
	return token{}, 0, &xpathError{pos, fmt.Sprintf("%q is not supported in expressions", c)}
}

// operandExpected reports whether a '-' at this point starts a negative
// number rather than a subtraction.
func operandExpected(prev []token) bool {
	if len(prev) == 0 {
		return true
	}
	switch p := prev[len(prev)-1]; p.kind {
	case tOp, tLParen, tComma:
		return true
	case tName:
		return p.text == "and" || p.text == "or" || p.text == "div" || p.text == "mod"
	}
	return false
}

// smartQuotes are the typographic quotes spreadsheets put in text, which
// XLSForm tools read as plain quotes.
var smartQuotes = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`)

// plainQuotes replaces typographic quotes, reporting whether there were any.
func plainQuotes(src string) (string, bool) {
	out := smartQuotes.Replace(src)
	return out, out != src
}

func indexRune(rs []rune, r rune, from int) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func isNameStart(c rune) bool { return unicode.IsLetter(c) || c == '_' }

func isNameChar(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == '-' || c == '.' || c == ':'
}

// xparser is a recursive-descent parser over the tokens.
type xparser struct {
	toks  []token
	i     int
	depth int
	// names is set in a choice filter, where a bare name is a column of
	// the choices sheet.
	names bool
}

// parseXPath parses an expression; with names, bare names are columns of
// the choices sheet (a choice filter).
func parseXPath(src string, names bool) (*xnode, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &xparser{toks: toks, names: names}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, unexpected(t)
	}
	return n, nil
}

// unexpected explains a token found where it makes no sense.
func unexpected(t token) error {
	return &xpathError{t.pos, fmt.Sprintf("unexpected %q", t.text)}
}

func (p *xparser) peek() token { return p.toks[p.i] }

func (p *xparser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *xparser) isWord(w string) bool {
	t := p.peek()
	return t.kind == tName && t.text == w
}

// or parses: and ('or' and)*.
func (p *xparser) or() (*xnode, error) { return p.logic("or", xOr, p.and) }

// and parses: comparison ('and' comparison)*.
func (p *xparser) and() (*xnode, error) { return p.logic("and", xAnd, p.comparison) }

func (p *xparser) logic(word string, kind int, operand func() (*xnode, error)) (*xnode, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	n := first
	for p.isWord(word) {
		t := p.next()
		right, err := operand()
		if err != nil {
			return nil, err
		}
		if n == first {
			n = &xnode{kind: kind, args: []*xnode{first}, pos: t.pos}
		}
		n.args = append(n.args, right)
	}
	return n, nil
}

// isComparison tells the comparison operators from arithmetic.
func isComparison(t token) bool {
	return t.kind == tOp && t.text != "+" && t.text != "-" && t.text != "*"
}

// comparison parses: additive (op additive)?; XPath allows chains such as
// a = b = c, whose meaning nobody intends.
func (p *xparser) comparison() (*xnode, error) {
	left, err := p.additive()
	if err != nil {
		return nil, err
	}
	if !isComparison(p.peek()) {
		return left, p.junk()
	}
	op := p.next()
	right, err := p.additive()
	if err != nil {
		return nil, err
	}
	if isComparison(p.peek()) {
		return nil, &xpathError{p.peek().pos, "compare two values at a time: join comparisons with and / or"}
	}
	return &xnode{kind: xCmp, op: op.text, args: []*xnode{left, right}, pos: op.pos}, p.junk()
}

// junk refuses a name after a complete operand that is not and / or.
func (p *xparser) junk() error {
	if t := p.peek(); t.kind == tName && t.text != "and" && t.text != "or" {
		return unexpected(t)
	}
	return nil
}

// additive parses: multiplicative (('+' | '-') multiplicative)*.
func (p *xparser) additive() (*xnode, error) {
	n, err := p.multiplicative()
	for err == nil {
		t := p.peek()
		if t.kind != tOp || t.text != "+" && t.text != "-" {
			return n, nil
		}
		p.next()
		var right *xnode
		if right, err = p.multiplicative(); err == nil {
			n = &xnode{kind: xArith, op: t.text, args: []*xnode{n, right}, pos: t.pos}
		}
	}
	return nil, err
}

// multiplicative parses: unary (('*' | 'div' | 'mod') unary)*.
func (p *xparser) multiplicative() (*xnode, error) {
	n, err := p.unary()
	for err == nil {
		t := p.peek()
		if !(t.kind == tOp && t.text == "*" || t.kind == tName && (t.text == "div" || t.text == "mod")) {
			return n, nil
		}
		p.next()
		var right *xnode
		if right, err = p.unary(); err == nil {
			n = &xnode{kind: xArith, op: t.text, args: []*xnode{n, right}, pos: t.pos}
		}
	}
	return nil, err
}

// unary parses: '-' unary | primary.
func (p *xparser) unary() (*xnode, error) {
	if t := p.peek(); t.kind == tOp && t.text == "-" {
		p.next()
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, &xpathError{t.pos, "the expression is nested too deeply"}
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &xnode{kind: xNeg, args: []*xnode{n}, pos: t.pos}, nil
	}
	return p.primary()
}

// primary parses a parenthesized expression, a reference, '.', a literal
// or a function call.
func (p *xparser) primary() (*xnode, error) {
	p.depth++
	defer func() { p.depth-- }()
	t := p.next()
	if p.depth > maxDepth {
		return nil, &xpathError{t.pos, "the expression is nested too deeply"}
	}
	switch t.kind {
	case tLParen:
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, &xpathError{c.pos, "missing )"}
		}
		return n, nil
	case tRef:
		return &xnode{kind: xRef, text: t.text, pos: t.pos}, nil
	case tDot:
		return &xnode{kind: xSelf, pos: t.pos}, nil
	case tStr:
		return &xnode{kind: xStr, text: t.text, pos: t.pos}, nil
	case tNum:
		return &xnode{kind: xNum, text: t.text, pos: t.pos}, nil
	case tName:
		return p.call(t)
	case tEOF:
		return nil, &xpathError{t.pos, "the expression ends too early"}
	}
	return nil, unexpected(t)
}

// call parses name(args...).
func (p *xparser) call(name token) (*xnode, error) {
	switch name.text {
	case "and", "or":
		return nil, &xpathError{name.pos, fmt.Sprintf("%q needs a condition before it", name.text)}
	case "div", "mod":
		return nil, &xpathError{name.pos, fmt.Sprintf("%q needs a number before it", name.text)}
	}
	if p.peek().kind != tLParen {
		if p.names {
			return &xnode{kind: xName, text: name.text, pos: name.pos}, nil
		}
		return nil, &xpathError{name.pos, fmt.Sprintf("%q is not a function call: refer to a question as ${%s}, to a text as '%s'", name.text, name.text, name.text)}
	}
	p.next()
	n := &xnode{kind: xCall, op: name.text, pos: name.pos}
	if p.peek().kind == tRParen {
		p.next()
		return n, nil
	}
	for {
		arg, err := p.or()
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, arg)
		switch t := p.next(); t.kind {
		case tComma:
			continue
		case tRParen:
			if n.op == "not" {
				if len(n.args) != 1 {
					return nil, &xpathError{name.pos, "not() takes one condition"}
				}
				return &xnode{kind: xNot, args: n.args, pos: n.pos}, nil
			}
			return n, nil
		default:
			return nil, &xpathError{t.pos, fmt.Sprintf("expected , or ) in %s(), not %q", n.op, t.text)}
		}
	}
}
