package xlsform

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// XPath precedences, for parentheses.
const (
	xprecOr   = 1
	xprecAnd  = 2
	xprecCmp  = 3
	xprecAtom = 9
)

// expr translates one expression of the definition into XPath, recording
// what cannot be translated.
func (x *exporter) expr(path, src string) string {
	if src == "" {
		return ""
	}
	s, err := toXPath(src)
	if err != nil {
		x.ve.Add(path, "%s", err)
	}
	return s
}

// toXPath translates an expression of Agora's language into the XPath
// subset that Import reads back into the same expression.
func toXPath(src string) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = "", errors.New("the expression cannot be read")
		}
	}()
	tree, err := parser.Parse(src)
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return "", fmt.Errorf("invalid expression: %s", msg)
	}
	o, err := xcond(tree.Node)
	return o.text, err
}

// noXPath explains what has no XLSForm form.
func noXPath(n ast.Node) error {
	return fmt.Errorf("%q has no XLSForm equivalent (see docs/xlsform.md for what has)", n.String())
}

// xcond translates a condition.
func xcond(n ast.Node) (out, error) {
	switch n := n.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "and", "&&", "or", "||":
			return xlogic(n)
		case "==", "!=", "<", "<=", ">", ">=":
			return xcompare(n)
		case "in":
			return xbetween(n)
		}
	case *ast.UnaryNode:
		if n.Operator == "not" || n.Operator == "!" {
			if c, ok := n.Node.(*ast.CallNode); ok && calleeName(c) == "answered" && len(c.Arguments) == 1 {
				subj, err := xsubject(c.Arguments[0])
				return out{subj + " = ''", xprecCmp}, err
			}
			o, err := xcond(n.Node)
			return out{"not(" + o.text + ")", xprecAtom}, err
		}
	case *ast.CallNode:
		return xcallCond(n)
	}
	return out{}, noXPath(n)
}

// xlogic translates and / or.
func xlogic(n *ast.BinaryNode) (out, error) {
	word, prec := "and", xprecAnd
	if n.Operator == "or" || n.Operator == "||" {
		word, prec = "or", xprecOr
	}
	l, err := xcond(n.Left)
	if err != nil {
		return out{}, err
	}
	r, err := xcond(n.Right)
	if err != nil {
		return out{}, err
	}
	return out{paren(l, prec) + " " + word + " " + paren(r, prec), prec}, nil
}

// xcompare translates a comparison, writing q != nil as ${q} != ” and
// rank_of(q, "x") == n as selected-at(${q}, n-1) = 'x'.
func xcompare(n *ast.BinaryNode) (out, error) {
	op := n.Operator
	if op == "==" {
		op = "="
	}
	l, r := n.Left, n.Right
	if _, isNil := l.(*ast.NilNode); isNil {
		l, r = r, l
	}
	if _, isNil := r.(*ast.NilNode); isNil && (op == "=" || op == "!=") {
		subj, err := xsubject(l)
		return out{subj + " " + op + " ''", xprecCmp}, err
	}
	if c, ok := r.(*ast.CallNode); ok && calleeName(c) == "rank_of" {
		l, r = r, l
	}
	if c, ok := l.(*ast.CallNode); ok && calleeName(c) == "rank_of" {
		return xrankOf(c, op, r)
	}
	ls, err := xvalue(l)
	if err != nil {
		return out{}, err
	}
	rs, err := xvalue(r)
	if err != nil {
		return out{}, err
	}
	return out{ls + " " + op + " " + rs, xprecCmp}, nil
}

// xrankOf translates rank_of(q, "x") == n.
func xrankOf(c *ast.CallNode, op string, n ast.Node) (out, error) {
	num, ok := n.(*ast.IntegerNode)
	if op != "=" || !ok || num.Value < 1 || len(c.Arguments) != 2 {
		return out{}, fmt.Errorf("rank_of() has an XLSForm equivalent only as rank_of(q, \"x\") == 1, 2...: %q", c.String()+" "+op+" "+n.String())
	}
	subj, err := xsubject(c.Arguments[0])
	if err != nil {
		return out{}, err
	}
	code, err := xstring(c.Arguments[1])
	if err != nil {
		return out{}, err
	}
	return out{fmt.Sprintf("selected-at(%s, %d) = %s", subj, num.Value-1, code), xprecCmp}, nil
}

// xbetween translates x in a..b.
func xbetween(n *ast.BinaryNode) (out, error) {
	rng, ok := n.Right.(*ast.BinaryNode)
	if !ok || rng.Operator != ".." {
		return out{}, noXPath(n)
	}
	v, err := xvalue(n.Left)
	if err != nil {
		return out{}, err
	}
	lo, err := xvalue(rng.Left)
	if err != nil {
		return out{}, err
	}
	hi, err := xvalue(rng.Right)
	if err != nil {
		return out{}, err
	}
	return out{v + " >= " + lo + " and " + v + " <= " + hi, xprecAnd}, nil
}

// xcallCond translates selected() and answered().
func xcallCond(c *ast.CallNode) (out, error) {
	switch calleeName(c) {
	case "selected":
		if len(c.Arguments) == 2 {
			subj, err := xsubject(c.Arguments[0])
			if err != nil {
				return out{}, err
			}
			code, err := xstring(c.Arguments[1])
			return out{"selected(" + subj + ", " + code + ")", xprecAtom}, err
		}
	case "answered":
		if len(c.Arguments) == 1 {
			subj, err := xsubject(c.Arguments[0])
			return out{subj + " != ''", xprecCmp}, err
		}
	}
	return out{}, noXPath(c)
}

func calleeName(c *ast.CallNode) string {
	if id, ok := c.Callee.(*ast.IdentifierNode); ok {
		return id.Value
	}
	return ""
}

// xsubject translates a question reference: ${q}, or '.' for value.
func xsubject(n ast.Node) (string, error) {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		return "", noXPath(n)
	}
	if id.Value == "value" {
		return ".", nil
	}
	return "${" + id.Value + "}", nil
}

// xvalue translates an operand of a comparison.
func xvalue(n ast.Node) (string, error) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return xsubject(n)
	case *ast.StringNode:
		return xstring(n)
	case *ast.IntegerNode:
		return strconv.Itoa(n.Value), nil
	case *ast.FloatNode:
		return strconv.FormatFloat(n.Value, 'f', -1, 64), nil
	case *ast.UnaryNode:
		if n.Operator == "-" {
			if v, err := xvalue(n.Node); err == nil && !strings.HasPrefix(v, "-") && (isNumber(n.Node)) {
				return "-" + v, nil
			}
		}
	case *ast.CallNode:
		name := map[string]string{"count_selected": "count-selected", "string_length": "string-length"}[calleeName(n)]
		if name != "" && len(n.Arguments) == 1 {
			arg, err := xvalue(n.Arguments[0])
			return name + "(" + arg + ")", err
		}
	}
	return "", noXPath(n)
}

func isNumber(n ast.Node) bool {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return true
	}
	return false
}

// xstring writes a string literal in XPath, which has no escapes: in
// single quotes, or double quotes when the text has a single quote.
func xstring(n ast.Node) (string, error) {
	s, ok := n.(*ast.StringNode)
	switch {
	case !ok:
		return "", noXPath(n)
	case !strings.Contains(s.Value, "'"):
		return "'" + s.Value + "'", nil
	case !strings.Contains(s.Value, `"`):
		return `"` + s.Value + `"`, nil
	}
	return "", fmt.Errorf("the text %q holds both kinds of quotes, which XPath cannot write", s.Value)
}
