package xlsform

import (
	"errors"
	"fmt"
	"slices"
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
	xprecAdd  = 4
	xprecMul  = 5
	xprecNeg  = 6
	xprecAtom = 9
)

// expr translates one expression of the definition into XPath, recording
// what cannot be translated: a condition, or with value set a value (a
// calculation, a repeat_count).
func (x *exporter) expr(path, src string) string {
	return x.exprAs(path, src, modeRelevant)
}

func (x *exporter) exprAs(path, src string, mode int) string {
	if src == "" {
		return ""
	}
	s, cols, err := writeXPath(src, mode)
	if err != nil {
		x.ve.Add(path, "%s", err)
	}
	for _, k := range cols {
		// Every column a filter tests is written, filled or not: without
		// it, the re-import would read a bare name as a text.
		if !choiceColumnNames[strings.ToLower(k)] && !strings.Contains(k, "::") && !slices.Contains(x.attrs, k) {
			x.attrs = append(x.attrs, k)
		}
	}
	return s
}

// toXPath translates a condition of Agora's language into the XPath that
// Import reads back into the same expression.
func toXPath(src string) (string, error) { return toXPathAs(src, modeRelevant) }

// toXPathAs translates an expression in a mode of translate.go: a
// condition, a value, or a choice filter (where option.x is column x).
func toXPathAs(src string, mode int) (string, error) {
	s, _, err := writeXPath(src, mode)
	return s, err
}

// writeXPath is toXPathAs that also gives the choices columns a choice
// filter tests (option.x), in order.
func writeXPath(src string, mode int) (s string, cols []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, cols, err = "", nil, errors.New("the expression cannot be read")
		}
	}()
	tree, err := parser.Parse(src)
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return "", nil, fmt.Errorf("invalid expression: %s", msg)
	}
	w := xwriter{filter: mode == modeFilter, cols: &cols}
	var o out
	if mode == modeValue {
		o, err = w.val(tree.Node)
	} else {
		o, err = w.cond(tree.Node)
	}
	return o.text, cols, err
}

// xwriter writes XPath; filter is set in a choice filter, whose columns
// column notes in cols.
type xwriter struct {
	filter bool
	cols   *[]string
}

// noXPath explains what has no XLSForm form.
func noXPath(n ast.Node) error {
	return fmt.Errorf("%q has no XLSForm equivalent (see docs/xlsform.md for what has)", n.String())
}

func xout(text string, prec int) out { return out{text: text, prec: prec} }

// cond translates a condition.
func (w xwriter) cond(n ast.Node) (out, error) {
	switch n := n.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "and", "&&", "or", "||":
			return w.logic(n)
		case "==", "!=", "<", "<=", ">", ">=":
			return w.compare(n)
		case "in":
			return w.between(n)
		case "contains", "startsWith", "endsWith":
			name := map[string]string{"contains": "contains", "startsWith": "starts-with", "endsWith": "ends-with"}[n.Operator]
			return w.calln(name, []ast.Node{n.Left, n.Right})
		}
	case *ast.UnaryNode:
		if n.Operator == "not" || n.Operator == "!" {
			if c, ok := n.Node.(*ast.CallNode); ok && calleeName(c) == "answered" && len(c.Arguments) == 1 {
				subj, err := w.val(c.Arguments[0])
				return xout(paren(subj, xprecCmp+1)+" = ''", xprecCmp), err
			}
			o, err := w.cond(n.Node)
			return xout("not("+o.text+")", xprecAtom), err
		}
	case *ast.BoolNode:
		if n.Value {
			return xout("true()", xprecAtom), nil
		}
		return xout("false()", xprecAtom), nil
	case *ast.CallNode:
		return w.callCond(n)
	}
	return out{}, noXPath(n)
}

// logic translates and / or.
func (w xwriter) logic(n *ast.BinaryNode) (out, error) {
	word, prec := "and", xprecAnd
	if n.Operator == "or" || n.Operator == "||" {
		word, prec = "or", xprecOr
	}
	l, err := w.cond(n.Left)
	if err != nil {
		return out{}, err
	}
	r, err := w.cond(n.Right)
	if err != nil {
		return out{}, err
	}
	return xout(paren(l, prec)+" "+word+" "+paren(r, prec), prec), nil
}

// compare translates a comparison, writing q != nil as ${q} != ” and
// rank_of(q, "x") == n as selected-at(${q}, n-1) = 'x'.
func (w xwriter) compare(n *ast.BinaryNode) (out, error) {
	op := n.Operator
	if op == "==" {
		op = "="
	}
	l, r := n.Left, n.Right
	if _, isNil := l.(*ast.NilNode); isNil {
		l, r = r, l
	}
	if _, isNil := r.(*ast.NilNode); isNil && (op == "=" || op == "!=") {
		subj, err := w.val(l)
		return xout(paren(subj, xprecCmp+1)+" "+op+" ''", xprecCmp), err
	}
	if c, ok := r.(*ast.CallNode); ok && calleeName(c) == "rank_of" {
		l, r = r, l
	}
	if c, ok := l.(*ast.CallNode); ok && calleeName(c) == "rank_of" {
		return w.rankOf(c, op, r)
	}
	ls, err := w.val(l)
	if err != nil {
		return out{}, err
	}
	rs, err := w.val(r)
	if err != nil {
		return out{}, err
	}
	return xout(paren(ls, xprecCmp+1)+" "+op+" "+paren(rs, xprecCmp+1), xprecCmp), nil
}

// rankOf translates rank_of(q, "x") == n.
func (w xwriter) rankOf(c *ast.CallNode, op string, n ast.Node) (out, error) {
	num, ok := n.(*ast.IntegerNode)
	if op != "=" || !ok || num.Value < 1 || len(c.Arguments) != 2 {
		return out{}, fmt.Errorf("rank_of() has an XLSForm equivalent only as rank_of(q, \"x\") == 1, 2...: %q", c.String()+" "+op+" "+n.String())
	}
	subj, err := w.subject(c.Arguments[0])
	if err != nil {
		return out{}, err
	}
	code, err := xstring(c.Arguments[1])
	if err != nil {
		return out{}, err
	}
	return xout(fmt.Sprintf("selected-at(%s, %d) = %s", subj, num.Value-1, code), xprecCmp), nil
}

// between translates x in a..b.
func (w xwriter) between(n *ast.BinaryNode) (out, error) {
	rng, ok := n.Right.(*ast.BinaryNode)
	if !ok || rng.Operator != ".." {
		return out{}, noXPath(n)
	}
	v, err := w.val(n.Left)
	if err != nil {
		return out{}, err
	}
	lo, err := w.val(rng.Left)
	if err != nil {
		return out{}, err
	}
	hi, err := w.val(rng.Right)
	if err != nil {
		return out{}, err
	}
	return xout(v.text+" >= "+lo.text+" and "+v.text+" <= "+hi.text, xprecAnd), nil
}

// callCond translates selected(), answered() and regex().
func (w xwriter) callCond(c *ast.CallNode) (out, error) {
	switch name := calleeName(c); {
	case name == "selected" && len(c.Arguments) == 2:
		subj, err := w.subject(c.Arguments[0])
		if err != nil {
			return out{}, err
		}
		code, err := w.choice(c.Arguments[1])
		return xout("selected("+subj+", "+code+")", xprecAtom), err
	case name == "answered" && len(c.Arguments) == 1:
		subj, err := w.val(c.Arguments[0])
		return xout(paren(subj, xprecCmp+1)+" != ''", xprecCmp), err
	case name == "regex":
		return w.calln("regex", c.Arguments)
	}
	return out{}, noXPath(c)
}

// choice writes the choice of selected(): a literal, or a column in a
// choice filter.
func (w xwriter) choice(n ast.Node) (string, error) {
	if m, ok := n.(*ast.MemberNode); ok && w.filter {
		o, err := w.val(m)
		return o.text, err
	}
	return xstring(n)
}

func calleeName(c *ast.CallNode) string {
	if id, ok := c.Callee.(*ast.IdentifierNode); ok {
		return id.Value
	}
	return ""
}

// subject translates a question reference: ${q}, or '.' for value.
func (w xwriter) subject(n ast.Node) (string, error) {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		return "", noXPath(n)
	}
	if id.Value == "value" {
		return ".", nil
	}
	return "${" + id.Value + "}", nil
}

// xfuncNames are Agora's functions with their XLSForm names, when they
// differ.
var xfuncNames = map[string]string{
	"count_selected": "count-selected", "string_length": "string-length",
	"float": "number", "ceil": "ceiling",
}

// xvalueFuncs are the functions a value may call, by Agora name.
var xvalueFuncs = map[string]bool{
	"count_selected": true, "string_length": true, "today": true, "sum": true, "min": true, "max": true,
	"concat": true, "coalesce": true, "int": true, "round": true, "date": true, "float": true,
	"abs": true, "floor": true, "ceil": true,
}

// arithNames are Agora's operators in XPath.
var arithNames = map[string]struct {
	op   string
	prec int
}{"+": {"+", xprecAdd}, "-": {"-", xprecAdd}, "*": {"*", xprecMul}, "/": {"div", xprecMul}, "%": {"mod", xprecMul}}

// val translates a value: a reference, a literal, arithmetic, a function
// call, a condition.
func (w xwriter) val(n ast.Node) (out, error) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		s, err := w.subject(n)
		return xout(s, xprecAtom), err
	case *ast.StringNode:
		s, err := xstring(n)
		return xout(s, xprecAtom), err
	case *ast.IntegerNode:
		return xout(strconv.Itoa(n.Value), xprecAtom), nil
	case *ast.FloatNode:
		return xout(strconv.FormatFloat(n.Value, 'f', -1, 64), xprecAtom), nil
	case *ast.NilNode:
		return xout("''", xprecAtom), nil
	case *ast.UnaryNode:
		if n.Operator == "-" {
			v, err := w.val(n.Node)
			if err != nil {
				return out{}, err
			}
			if isNumber(n.Node) {
				return xout("-"+v.text, xprecAtom), nil
			}
			if strings.HasPrefix(v.text, ".") {
				v.prec = 0 // -. would read as a number
			}
			return xout("-"+paren(v, xprecNeg), xprecNeg), nil
		}
	case *ast.BinaryNode:
		if op, ok := arithNames[n.Operator]; ok {
			l, err := w.val(n.Left)
			if err != nil {
				return out{}, err
			}
			r, err := w.val(n.Right)
			if err != nil {
				return out{}, err
			}
			return xout(paren(l, op.prec)+" "+op.op+" "+paren(r, op.prec+1), op.prec), nil
		}
		if n.Operator == "**" {
			return w.calln("pow", []ast.Node{n.Left, n.Right})
		}
	case *ast.ConditionalNode:
		c, err := w.cond(n.Cond)
		if err != nil {
			return out{}, err
		}
		a, err := w.val(n.Exp1)
		if err != nil {
			return out{}, err
		}
		b, err := w.val(n.Exp2)
		return xout("if("+c.text+", "+a.text+", "+b.text+")", xprecAtom), err
	case *ast.BuiltinNode:
		return w.builtin(n.Name, n.Arguments, n)
	case *ast.CallNode:
		if name := calleeName(n); xvalueFuncs[name] {
			return w.builtin(name, n.Arguments, n)
		}
	case *ast.MemberNode:
		return w.column(n)
	}
	return w.cond(n)
}

// builtin translates a call of a function of Agora with an XLSForm
// equivalent; len(q ?? []) counts a repeat's entries: count(${q}).
func (w xwriter) builtin(name string, args []ast.Node, n ast.Node) (out, error) {
	if name == "len" && len(args) == 1 {
		if b, ok := args[0].(*ast.BinaryNode); ok && b.Operator == "??" {
			if arr, ok := b.Right.(*ast.ArrayNode); ok && len(arr.Nodes) == 0 {
				subj, err := w.subject(b.Left)
				return xout("count("+subj+")", xprecAtom), err
			}
		}
		return out{}, noXPath(n)
	}
	if !xvalueFuncs[name] {
		return out{}, noXPath(n)
	}
	if x, ok := xfuncNames[name]; ok {
		name = x
	}
	return w.calln(name, args)
}

// calln writes name(args...).
func (w xwriter) calln(name string, args []ast.Node) (out, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		v, err := w.val(a)
		if err != nil {
			return out{}, err
		}
		parts[i] = v.text
	}
	return xout(name+"("+strings.Join(parts, ", ")+")", xprecAtom), nil
}

// column writes option.x of a choice filter as the column x; option.code
// is the choice's name.
func (w xwriter) column(m *ast.MemberNode) (out, error) {
	id, ok := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if !w.filter || !ok || !ok2 || id.Value != "option" || m.Optional {
		return out{}, noXPath(m)
	}
	if prop.Value == "code" {
		return xout("name", xprecAtom), nil
	}
	if !slices.Contains(*w.cols, prop.Value) {
		*w.cols = append(*w.cols, prop.Value)
	}
	return xout(prop.Value, xprecAtom), nil
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
