package forms

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
)

// MaxExpressionLength bounds relevant and constraint expressions. Real ones
// are a line or two; the bound keeps a hostile definition from making
// compilation slow.
const MaxExpressionLength = 2000

// reserved holds the names a question code may not take because they mean
// something else in an expression: keywords, literals, expr's builtins and
// our helpers.
var reserved = func() map[string]bool {
	m := map[string]bool{valueName: true, optionName: true}
	for _, w := range []string{"true", "false", "nil", "and", "or", "not", "in",
		"matches", "contains", "startsWith", "endsWith", "let", "if", "else"} {
		m[w] = true
	}
	for _, n := range builtin.Names {
		m[n] = true
	}
	for _, h := range helpers {
		m[h.name] = true
	}
	return m
}()

// The names an expression may use besides question codes: a
// constraint's own answer, and the option a choice filter is testing.
const (
	valueName  = "value"
	optionName = "option"
)

// ReservedWords lists, in order, the names a question code may not take
// because they mean something in expressions (importers rename such codes).
func ReservedWords() []string {
	return slices.Sorted(maps.Keys(reserved))
}

// exprScope says what an expression may see: the answers to questions at
// positions before `before`, and, in a constraint, its own question's answer
// as `value`; in a choice filter, the option as `option`. at is the
// question the expression belongs to (nil for a section): a repeat it is
// in cannot be named from inside.
type exprScope struct {
	before    int
	selfIndex int               // position of the question it belongs to, -1 for a section
	self      *compiledQuestion // the question `value` stands for; nil outside constraints
	at        *compiledQuestion
	filter    bool // a choice filter, where `option` is known
}

// exprKinds are the compile options of each kind of expression.
type exprKinds struct {
	relevant, constraint, value, filter []expr.Option
}

// expressions compiles every expression of the form, reporting problems at
// the field that holds them.
func (v *validator) expressions(f *Form) {
	env := types.Map{}
	for code := range v.index {
		if !reserved[code] {
			env[code] = types.Any
		}
	}
	with := func(name string) types.Map {
		m := types.Map{name: types.Any}
		for k, t := range env {
			m[k] = t
		}
		return m
	}
	k := exprKinds{
		relevant:   compileOptions(env, true),
		constraint: compileOptions(with(valueName), true),
		value:      compileOptions(env, false),
		filter:     compileOptions(with(optionName), true),
	}
	for si := range f.sections {
		s := &f.sections[si]
		first := len(f.questions)
		if len(s.questions) > 0 {
			first = s.questions[0].index
		}
		if src := v.d.Sections[si].Relevant; src != "" {
			path := fmt.Sprintf("/sections/%d/relevant", si)
			s.relevant = v.compileExpr(f, path, src, exprScope{before: first, selfIndex: -1}, k.relevant)
		}
	}
	for _, cq := range f.questions {
		v.questionExprs(f, cq, k)
	}
}

// questionExprs compiles the expressions of one question.
func (v *validator) questionExprs(f *Form, cq *compiledQuestion, k exprKinds) {
	q, path := cq.q, cq.defPath
	sc := exprScope{before: cq.index, selfIndex: cq.index, at: cq}
	if src := q.Relevant; src != "" {
		cq.relevant = v.compileExpr(f, path+"/relevant", src, sc, k.relevant)
	}
	if src := q.Constraint; src != "" && q.Asked() && q.Type != TypeRepeat {
		csc := sc
		csc.self = cq
		cq.constraint = v.compileExpr(f, path+"/constraint", src, csc, k.constraint)
	}
	if src := q.Calculation; src != "" && q.Type == TypeCalculate {
		cq.calculation = v.compileExpr(f, path+"/calculation", src, sc, k.value)
	}
	if src := q.ChoiceFilter; src != "" && usesOptions(q.Type) {
		fsc := sc
		fsc.filter = true
		cq.choiceFilter = v.compileExpr(f, path+"/choice_filter", src, fsc, k.filter)
		if cq.choiceFilter != nil {
			cq.filterRefs = v.questionRefs(src)
		}
	}
	if src := q.RepeatCount; src != "" && q.Type == TypeRepeat {
		cq.repeatCount = v.compileExpr(f, path+"/repeat_count", src, sc, k.value)
	}
}

// compileOptions are the expr options shared by every expression: the
// question codes as variables of unknown type (an unanswered question is
// nil, so no static type fits), the nil-safe operators and our helpers;
// conditions must give a boolean.
func compileOptions(env types.Map, condition bool) []expr.Option {
	opts := []expr.Option{expr.Env(env), expr.Patch(nilSafe{})}
	if condition {
		opts = append(opts, expr.AsBool())
	}
	return append(opts, functionOptions...)
}

// compileExpr checks what an expression refers to and compiles it. It
// returns nil after reporting the problems when it cannot be used.
func (v *validator) compileExpr(f *Form, path, src string, sc exprScope, opts []expr.Option) (prog *vm.Program) {
	if len(src) > MaxExpressionLength {
		v.ve.Add(path, "expression is too long (at most %d characters)", MaxExpressionLength)
		return nil
	}
	// expr is well fuzzed, but a definition comes from users and a panic
	// here would take the server down with it: report it as invalid.
	defer func() {
		if r := recover(); r != nil {
			v.ve.Add(path, "invalid expression")
			prog = nil
		}
	}()
	tree, err := parser.Parse(src)
	if err != nil {
		v.ve.Add(path, "invalid expression: %s", firstLine(err))
		return nil
	}
	problems := v.references(f, tree.Node, sc)
	for _, p := range problems {
		v.ve.Add(path, "%s", p)
	}
	if len(problems) > 0 {
		return nil
	}
	prog, err = expr.Compile(src, opts...)
	if err != nil {
		v.ve.Add(path, "invalid expression: %s", firstLine(err))
		return nil
	}
	return prog
}

// questionRefs lists the question codes an expression that compiled names.
func (v *validator) questionRefs(src string) []string {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	c := &refCollector{declared: map[string]bool{}}
	ast.Walk(&tree.Node, c)
	var out []string
	for _, id := range c.idents {
		if _, ok := v.index[id.Value]; ok && !slices.Contains(out, id.Value) {
			out = append(out, id.Value)
		}
	}
	return out
}

// firstLine drops the source excerpt expr appends to its messages: the
// path already says which expression it is.
func firstLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}

// refCollector gathers the identifiers and calls of an expression.
type refCollector struct {
	idents   []*ast.IdentifierNode
	calls    []*ast.CallNode
	declared map[string]bool
}

// Visit implements ast.Visitor.
func (c *refCollector) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.IdentifierNode:
		c.idents = append(c.idents, x)
	case *ast.CallNode:
		c.calls = append(c.calls, x)
	case *ast.VariableDeclaratorNode:
		c.declared[x.Name] = true
	}
}

// references lists, in order and without repeats, what is wrong with the
// names an expression uses: expr would only say "unknown name", while an
// author needs to know whether the question is missing or merely later.
func (v *validator) references(f *Form, root ast.Node, sc exprScope) []string {
	c := &refCollector{declared: map[string]bool{}}
	ast.Walk(&root, c)
	callees := map[ast.Node]bool{}
	for _, call := range c.calls {
		callees[call.Callee] = true
	}
	var problems []string
	add := func(p string) {
		if p != "" && !slices.Contains(problems, p) {
			problems = append(problems, p)
		}
	}
	for _, id := range c.idents {
		if !callees[id] && !c.declared[id.Value] {
			add(v.reference(f, id.Value, sc))
		}
	}
	for _, call := range c.calls {
		add(v.helperCall(f, call, sc))
	}
	return problems
}

// reference explains what is wrong with one name, or returns "".
func (v *validator) reference(f *Form, name string, sc exprScope) string {
	if name == valueName {
		if sc.self == nil {
			return `"value" is only available in a constraint`
		}
		return ""
	}
	if name == optionName {
		if !sc.filter {
			return `"option" is only available in a choice filter`
		}
		return ""
	}
	if name == "$env" {
		return "$env is not allowed; refer to questions by their code"
	}
	pos, ok := v.index[name]
	switch {
	case !ok:
		return fmt.Sprintf("refers to unknown question %q", name)
	case sc.at != nil && sc.at.within(f.questions[pos]):
		return fmt.Sprintf("refers to the repeat %q it is in", name)
	case pos == sc.selfIndex && sc.self != nil:
		return fmt.Sprintf("refers to its own question %q; use value instead", name)
	case pos == sc.selfIndex:
		return fmt.Sprintf("refers to its own question %q", name)
	case pos >= sc.before:
		return fmt.Sprintf("refers to later question %q", name)
	case f.questions[pos].q.Type == TypeNote:
		return fmt.Sprintf("refers to note %q, which takes no answer", name)
	}
	return ""
}

// helperCall checks the question and option a helper is called with, so
// that a misspelt option code is caught when the questionnaire is saved, not
// silently false forever.
func (v *validator) helperCall(f *Form, call *ast.CallNode, sc exprScope) string {
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || len(call.Arguments) == 0 {
		return ""
	}
	h := helperNamed(id.Value)
	if h == nil || h.types == nil {
		return ""
	}
	arg, ok := call.Arguments[0].(*ast.IdentifierNode)
	if !ok {
		return ""
	}
	var q *Question
	switch pos, known := v.index[arg.Value]; {
	case arg.Value == valueName && sc.self != nil:
		q = sc.self.q
	case known && pos < sc.before:
		q = f.questions[pos].q
	default:
		return "" // reported by reference
	}
	if !slices.Contains(h.types, q.Type) {
		return fmt.Sprintf("%s() needs a %s question; %q is %s", h.name,
			strings.Join(h.types, " or "), q.Code, q.Type)
	}
	if len(call.Arguments) < 2 {
		return ""
	}
	if lit, ok := call.Arguments[1].(*ast.StringNode); ok && q.Option(lit.Value) == nil {
		return fmt.Sprintf("question %q has no option %q", q.Code, lit.Value)
	}
	return ""
}

// exprMemoryBudget caps what one evaluation may allocate (expr counts the
// elements of ranges and collections built). Real expressions build next to
// nothing; the cap keeps a careless `1..1000000` from stalling every Check.
const exprMemoryBudget = 10000

// evaluator runs compiled expressions. It reuses one VM, so that the many
// evaluations of one Check share their stack; it is not safe for concurrent
// use, and each Check makes its own.
type evaluator struct {
	machine vm.VM
}

// value evaluates an expression over env; one that fails at run time
// gives nil, as an unanswered question would.
func (e *evaluator) value(p *vm.Program, env map[string]any) any {
	if p == nil {
		return nil
	}
	e.machine.MemoryBudget = exprMemoryBudget
	out, err := e.machine.Run(p, env)
	if err != nil {
		return nil
	}
	return out
}

// holds evaluates a boolean expression over env. An expression that fails at
// run time (arithmetic on an unanswered question, say) does not hold: a
// question whose relevance cannot be decided stays hidden, and an answer
// whose constraint cannot be decided is refused.
func (e *evaluator) holds(p *vm.Program, env map[string]any) bool {
	e.machine.MemoryBudget = exprMemoryBudget
	out, err := e.machine.Run(p, env)
	if err != nil {
		return false
	}
	b, _ := out.(bool)
	return b
}
