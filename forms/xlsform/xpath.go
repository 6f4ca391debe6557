package xlsform

import (
	"fmt"
	"strings"
	"unicode"
)

// The expressions of an XLSForm are XPath. Agora reads the subset that
// relevance and constraints need (docs/xlsform.md): ${name}, '.', string
// and number literals, = != < <= > >=, and, or, not(), selected(),
// count-selected(), string-length() and selected-at(). This file parses it;
// translate.go turns the tree into Agora's expression language.

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
		return token{}, 0, &xpathError{pos, fmt.Sprintf("arithmetic (%c) is not supported", c)}
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
		return p.text == "and" || p.text == "or"
	}
	return false
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
}

// parseXPath parses an expression of the subset.
func parseXPath(src string) (*xnode, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &xparser{toks: toks}
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
	if t.kind == tName && (t.text == "div" || t.text == "mod") {
		return &xpathError{t.pos, fmt.Sprintf("arithmetic (%s) is not supported", t.text)}
	}
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

// comparison parses: primary (op primary)?; XPath allows chains such as
// a = b = c, whose meaning nobody intends.
func (p *xparser) comparison() (*xnode, error) {
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tName && (t.text == "div" || t.text == "mod") {
		return nil, unexpected(t)
	}
	if p.peek().kind != tOp {
		return left, nil
	}
	op := p.next()
	right, err := p.primary()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); {
	case t.kind == tOp:
		return nil, &xpathError{t.pos, "compare two values at a time: join comparisons with and / or"}
	case t.kind == tName && t.text != "and" && t.text != "or":
		return nil, unexpected(t)
	}
	return &xnode{kind: xCmp, op: op.text, args: []*xnode{left, right}, pos: op.pos}, nil
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
		return nil, &xpathError{name.pos, fmt.Sprintf("arithmetic (%s) is not supported", name.text)}
	}
	if p.peek().kind != tLParen {
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
