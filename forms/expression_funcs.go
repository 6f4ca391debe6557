package forms

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"
)

// helper is a function that questionnaire expressions may call.
type helper struct {
	name string
	fn   func(params ...any) (any, error)
	sig  any // a *func value that gives expr the parameter and result types
	// types lists the question types the first argument must be, when it
	// names a question; nil accepts any.
	types []string
}

var choiceTypes = []string{TypeSingleChoice, TypeMultipleChoice, TypeRanking}

// helpers are the functions documented in docs/questionnaire-format.md.
// The second group are XLSForm's functions (today(), regex()...), which
// calculations use most; sum, min, max, int, round and date replace expr's
// builtins of the same names with versions that skip unanswered questions
// and read numbers written as text, as XLSForm does (expression_values.go).
var helpers = []helper{
	{"selected", fnSelected, new(func(any, string) bool), choiceTypes},
	{"count_selected", fnCountSelected, new(func(any) int), choiceTypes},
	{"answered", fnAnswered, new(func(any) bool), nil},
	{"string_length", fnStringLength, new(func(any) int), nil},
	{"rank_of", fnRankOf, new(func(any, string) int), []string{TypeRanking}},

	{"today", fnToday, new(func() string), nil},
	{"regex", fnRegex, new(func(any, any) bool), nil},
	{"sum", fnSum, new(func(...any) any), nil},
	{"min", fnMin, new(func(...any) any), nil},
	{"max", fnMax, new(func(...any) any), nil},
	{"concat", fnConcat, new(func(...any) string), nil},
	{"coalesce", fnCoalesce, new(func(...any) any), nil},
	{"int", fnInt, new(func(any) any), nil},
	{"round", fnRound, new(func(any, ...any) any), nil},
	{"date", fnDate, new(func(any) any), nil},
}

// helperNamed returns the helper called name, or nil.
func helperNamed(name string) *helper {
	for i := range helpers {
		if helpers[i].name == name {
			return &helpers[i]
		}
	}
	return nil
}

// nilSafeOps maps the operators that expr would fail on when a side is nil
// (an unanswered question) to functions that are false instead. The names
// start with "__", which no question code can.
var nilSafeOps = map[string]string{
	"<": "__lt", "<=": "__le", ">": "__gt", ">=": "__ge", "%": "__mod",
	"in": "__in", "contains": "__contains", "startsWith": "__startsWith", "endsWith": "__endsWith",
}

// functionOptions registers the helpers and the nil-safe operators.
var functionOptions = func() []expr.Option {
	var opts []expr.Option
	for _, h := range helpers {
		opts = append(opts, expr.Function(h.name, h.fn, h.sig))
	}
	cmp := func(ok func(int) bool) func(...any) (any, error) {
		return func(p ...any) (any, error) {
			c, comparable := compare(p[0], p[1])
			return comparable && ok(c), nil
		}
	}
	strOp := func(op func(string, string) bool) func(...any) (any, error) {
		return func(p ...any) (any, error) {
			a, ok1 := p[0].(string)
			b, ok2 := p[1].(string)
			return ok1 && ok2 && op(a, b), nil
		}
	}
	bin := new(func(any, any) bool)
	return append(opts,
		expr.Function("__lt", cmp(func(c int) bool { return c < 0 }), bin),
		expr.Function("__le", cmp(func(c int) bool { return c <= 0 }), bin),
		expr.Function("__gt", cmp(func(c int) bool { return c > 0 }), bin),
		expr.Function("__ge", cmp(func(c int) bool { return c >= 0 }), bin),
		expr.Function("__contains", strOp(strings.Contains), bin),
		expr.Function("__startsWith", strOp(strings.HasPrefix), bin),
		expr.Function("__endsWith", strOp(strings.HasSuffix), bin),
		expr.Function("__in", fnIn, bin),
		expr.Function("__mod", fnMod, new(func(any, any) any)),
		expr.Function("__between", fnBetween, new(func(any, any, any) bool)),
	)
}()

// nilSafe rewrites comparisons into calls of the nil-safe functions, so that
// `q_age > 18` is simply false while q_age is unanswered.
type nilSafe struct{}

// Visit implements ast.Visitor. Walk visits children first, so an inner
// range `a..b` is still intact when its `in` is visited.
func (nilSafe) Visit(n *ast.Node) {
	b, ok := (*n).(*ast.BinaryNode)
	if !ok {
		return
	}
	if r, isRange := b.Right.(*ast.BinaryNode); isRange && b.Operator == "in" && r.Operator == ".." {
		// `x in 1..10` as a bounds check, rather than building the range
		// on every evaluation.
		ast.Patch(n, call("__between", b.Left, r.Left, r.Right))
		return
	}
	if name := nilSafeOps[b.Operator]; name != "" {
		ast.Patch(n, call(name, b.Left, b.Right))
	}
}

func call(name string, args ...ast.Node) *ast.CallNode {
	return &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: args}
}

// compare orders two numbers or two strings (dates compare as strings,
// since YYYY-MM-DD sorts by date). Anything else is incomparable.
func compare(a, b any) (int, bool) {
	if x, ok := a.(string); ok {
		y, ok := b.(string)
		return strings.Compare(x, y), ok
	}
	x, ok1 := toFloat(a)
	y, ok2 := toFloat(b)
	if !ok1 || !ok2 || math.IsNaN(x) || math.IsNaN(y) {
		return 0, false
	}
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

func fnIn(p ...any) (any, error) {
	switch c := p[1].(type) {
	case nil:
		return false, nil
	case []string:
		s, ok := p[0].(string)
		return ok && slices.Contains(c, s), nil
	case map[string]int:
		s, ok := p[0].(string)
		_, found := c[s]
		return ok && found, nil
	case string:
		s, ok := p[0].(string)
		return ok && strings.Contains(c, s), nil
	}
	// Literal arrays and the like: expr's own semantics. It panics on
	// what cannot hold anything; the VM turns that into an error, and an
	// expression that errs is false.
	return runtime.In(p[0], p[1]), nil
}

func fnBetween(p ...any) (any, error) {
	lo, ok1 := compare(p[0], p[1])
	hi, ok2 := compare(p[0], p[2])
	return ok1 && ok2 && lo >= 0 && hi <= 0, nil
}

func fnSelected(p ...any) (any, error) {
	code, _ := p[1].(string)
	return selected(p[0], code), nil
}

// selected is true when a single choice equals code or a multiple choice
// or ranking contains it.
func selected(v any, code string) bool {
	switch v := v.(type) {
	case string:
		return v == code
	case []string:
		return slices.Contains(v, code)
	case []any:
		return slices.Contains(v, any(code))
	}
	return false
}

func fnCountSelected(p ...any) (any, error) {
	switch v := p[0].(type) {
	case string:
		if v != "" {
			return 1, nil
		}
	case []string:
		return len(v), nil
	case []any:
		return len(v), nil
	}
	return 0, nil
}

func fnAnswered(p ...any) (any, error) {
	switch v := p[0].(type) {
	case nil:
		return false, nil
	case string:
		return v != "", nil
	case []string:
		return len(v) > 0, nil
	case []any:
		return len(v) > 0, nil
	case map[string]int:
		return len(v) > 0, nil
	case map[string]any:
		return len(v) > 0, nil
	}
	return true, nil
}

// string_length counts characters (runes), as the text limits do.
func fnStringLength(p ...any) (any, error) {
	s, _ := p[0].(string)
	return utf8.RuneCountInString(s), nil
}

// rank_of is the 1-based position of code in a ranking, 0 when not ranked.
func fnRankOf(p ...any) (any, error) {
	code, _ := p[1].(string)
	switch v := p[0].(type) {
	case []string:
		return slices.Index(v, code) + 1, nil
	case []any:
		return slices.Index(v, any(code)) + 1, nil
	}
	return 0, nil
}
