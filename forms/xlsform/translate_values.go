package xlsform

import (
	"fmt"
	"strconv"
	"strings"
)

// value translates a node that gives a value: a reference, a literal,
// arithmetic, a function of XLSForm, or a condition (true or false).
func (t *translator) value(n *xnode) (out, error) {
	switch n.kind {
	case xRef, xSelf:
		if n.kind == xSelf {
			sym, err := t.subject(n)
			if err != nil {
				return out{}, err
			}
			return out{text: sym.code, prec: precAtom}, nil
		}
		return t.reference(n)
	case xStr:
		return out{text: strconv.Quote(n.text), prec: precAtom, lit: true}, nil
	case xNum:
		num, err := number(n)
		return out{text: num, prec: precAtom, lit: true}, err
	case xNeg:
		if a := n.args[0]; a.kind == xNeg {
			return t.value(a.args[0]) // - - x is x
		}
		if a := n.args[0]; a.kind == xNum {
			neg, minus := strings.CutPrefix(a.text, "-")
			if !minus {
				neg = "-" + a.text
			}
			num, err := number(&xnode{kind: xNum, text: neg, pos: n.pos})
			return out{text: num, prec: precAtom, lit: true}, err
		}
		v, err := t.value(n.args[0])
		if err != nil || v.null {
			return v, err
		}
		return out{text: "-" + paren(v, precUnary), prec: precUnary}, nil
	case xArith:
		return t.arith(n)
	case xName:
		o, _ := t.column(n)
		return o, nil
	case xCall:
		if f := valueFuncs[n.op]; f != nil {
			return f(t, n)
		}
		if f := conditionFuncs[n.op]; f != nil {
			return f(t, n)
		}
		return out{}, unsupportedFunc(n)
	}
	return t.cond(n) // a condition's value: true or false
}

// arithOps are XPath's operators in Agora's language, with precedences.
var arithOps = map[string]struct {
	op   string
	prec int
}{"+": {"+", precAdd}, "-": {"-", precAdd}, "*": {"*", precMul}, "div": {"/", precMul}, "mod": {"%", precMul}}

// arith translates + - * div mod; arithmetic on a row Agora does not
// collect is unanswered.
func (t *translator) arith(n *xnode) (out, error) {
	op := arithOps[n.op]
	l, err := t.value(n.args[0])
	if err != nil {
		return out{}, err
	}
	r, err := t.value(n.args[1])
	if err != nil {
		return out{}, err
	}
	if l.null || r.null {
		return nullValue, nil
	}
	// Operators of one precedence group to the left: the right operand
	// needs parentheses when it is of the same precedence.
	return out{text: paren(l, op.prec) + " " + op.op + " " + paren(r, op.prec+1), prec: op.prec}, nil
}

// column translates a bare name of a choice filter: a column of the
// choices sheet, which the option's attributes hold ("name" is its code).
// attr tells whether it is an attribute. A name that is no column is read
// as a text, as its author surely meant.
func (t *translator) column(n *xnode) (o out, attr bool) {
	key, ok := t.columns[strings.ToLower(n.text)]
	switch {
	case !ok:
		t.note("%s is not a column of the choices sheet: it is read as the text '%s' (write it in quotes)", n.text, n.text)
		return out{text: strconv.Quote(n.text), prec: precAtom, lit: true}, false
	case key == "":
		return out{text: "option.code", prec: precAtom}, false
	}
	return out{text: "option." + key, prec: precAtom}, true
}

// xfunc translates one call of an XLSForm function.
type xfunc func(t *translator, n *xnode) (out, error)

// valueFuncs translate the functions that give values; their Agora
// counterparts are in forms/expression_funcs.go or expr's builtins.
var valueFuncs map[string]xfunc

// conditionFuncs translate the functions that give true or false.
var conditionFuncs map[string]xfunc

func init() {
	valueFuncs = map[string]xfunc{
		"count-selected": refCall("count_selected"),
		"string-length":  call("string_length", 1, 1),
		"if":             ifCall,
		"today":          call("today", 0, 0),
		"now": func(t *translator, n *xnode) (out, error) {
			t.note("now() is read as today()")
			return call("today", 0, 0)(t, n)
		},
		"sum":      call("sum", 1, 1),
		"min":      call("min", 1, 10),
		"max":      call("max", 1, 10),
		"concat":   call("concat", 1, 20),
		"coalesce": coalesceCall,
		"int":      call("int", 1, 1),
		"round":    call("round", 1, 2),
		"date":     call("date", 1, 1),
		"number":   call("float", 1, 1),
		"string":   call("concat", 1, 1),
		"abs":      call("abs", 1, 1),
		"floor":    call("floor", 1, 1),
		"ceiling":  call("ceil", 1, 1),
		"count":    countCall,
		"pow":      powCall,
		"sqrt": func(t *translator, n *xnode) (out, error) {
			if len(n.args) != 1 {
				return out{}, arity(n, 1, 1)
			}
			return powOf(t, n.args[0], &xnode{kind: xNum, text: "0.5", pos: n.pos})
		},
	}
	conditionFuncs = map[string]xfunc{
		"selected":    func(t *translator, n *xnode) (out, error) { return t.selected(n) },
		"regex":       call("regex", 2, 2),
		"contains":    operatorCall("contains"),
		"starts-with": operatorCall("startsWith"),
		"ends-with":   operatorCall("endsWith"),
		"true":        constCall(true),
		"false":       constCall(false),
		"boolean": func(t *translator, n *xnode) (out, error) {
			if len(n.args) != 1 {
				return out{}, arity(n, 1, 1)
			}
			return t.truth(n.args[0])
		},
	}
}

func unsupportedFunc(n *xnode) error {
	return &xpathError{n.pos, fmt.Sprintf("function %s() is not supported (docs/xlsform.md lists the functions Agora reads)", n.op)}
}

func arity(n *xnode, lo, hi int) error {
	want := strconv.Itoa(lo)
	if hi > lo {
		want = fmt.Sprintf("%d to %d", lo, hi)
	}
	return &xpathError{n.pos, fmt.Sprintf("%s() takes %s arguments, not %d", n.op, want, len(n.args))}
}

// args translates the arguments of a call; null is set when one of them
// reads a row Agora does not collect.
func (t *translator) args(n *xnode) (args []string, null bool, err error) {
	args = make([]string, 0, len(n.args))
	for _, a := range n.args {
		v, err := t.value(a)
		if err != nil {
			return nil, false, err
		}
		null = null || v.null
		args = append(args, v.text)
	}
	return args, null, nil
}

// call translates a function of the same arguments in Agora. A function
// of a row Agora does not collect is unanswered (false, for a condition).
func call(name string, lo, hi int) xfunc {
	return func(t *translator, n *xnode) (out, error) {
		if len(n.args) < lo || len(n.args) > hi {
			return out{}, arity(n, lo, hi)
		}
		args, null, err := t.args(n)
		switch {
		case err != nil:
			return out{}, err
		case null && conditionFuncs[n.op] != nil:
			return constant(false), nil
		case null:
			return nullValue, nil
		}
		return out{text: name + "(" + strings.Join(args, ", ") + ")", prec: precAtom}, nil
	}
}

// coalesceCall translates coalesce(a, b), leaving out an argument Agora
// never has an answer for.
func coalesceCall(t *translator, n *xnode) (out, error) {
	if len(n.args) != 2 {
		return out{}, arity(n, 2, 2)
	}
	var kept []out
	for _, a := range n.args {
		v, err := t.value(a)
		if err != nil {
			return out{}, err
		}
		if !v.null {
			kept = append(kept, v)
		}
	}
	switch len(kept) {
	case 0:
		return nullValue, nil
	case 1:
		return kept[0], nil
	}
	return out{text: "coalesce(" + kept[0].text + ", " + kept[1].text + ")", prec: precAtom}, nil
}

// refCall translates a function of one question.
func refCall(name string) xfunc {
	return func(t *translator, n *xnode) (out, error) {
		if len(n.args) != 1 {
			return out{}, arity(n, 1, 1)
		}
		if a := n.args[0]; a.kind != xRef && a.kind != xSelf {
			return out{}, &xpathError{a.pos, n.op + "() takes a question, ${name} or '.'"}
		}
		return call(name, 1, 1)(t, n)
	}
}

// ifCall translates if(c, a, b) into c ? a : b.
func ifCall(t *translator, n *xnode) (out, error) {
	if len(n.args) != 3 {
		return out{}, arity(n, 3, 3)
	}
	c, err := t.cond(n.args[0])
	if err != nil {
		return out{}, err
	}
	a, err := t.value(n.args[1])
	if err != nil {
		return out{}, err
	}
	b, err := t.value(n.args[2])
	if err != nil {
		return out{}, err
	}
	switch c.konst {
	case constTrue:
		return a, nil
	case constFalse:
		return b, nil
	}
	return out{text: paren(c, precTernary+1) + " ? " + paren(a, precTernary+1) + " : " + paren(b, precTernary), prec: precTernary}, nil
}

// countCall translates count(${repeat}), the number of its entries (or of
// a repeat's question's answers, one per entry).
func countCall(t *translator, n *xnode) (out, error) {
	if len(n.args) != 1 || n.args[0].kind != xRef {
		return out{}, &xpathError{n.pos, "count() takes a repeat, ${name}"}
	}
	v, err := t.value(n.args[0])
	if err != nil || v.null {
		return out{text: "0", prec: precAtom}, err
	}
	return out{text: "len(" + v.text + " ?? [])", prec: precAtom}, nil
}

// powCall translates pow(a, b) into a ** b.
func powCall(t *translator, n *xnode) (out, error) {
	if len(n.args) != 2 {
		return out{}, arity(n, 2, 2)
	}
	return powOf(t, n.args[0], n.args[1])
}

func powOf(t *translator, base, exp *xnode) (out, error) {
	a, err := t.value(base)
	if err != nil {
		return out{}, err
	}
	b, err := t.value(exp)
	if err != nil {
		return out{}, err
	}
	if a.null || b.null {
		return nullValue, nil
	}
	return out{text: paren(a, precPow+1) + " ** " + paren(b, precPow+1), prec: precPow}, nil
}

// operatorCall translates contains(a, b) and its kind into Agora's
// operators: a contains b.
func operatorCall(op string) xfunc {
	return func(t *translator, n *xnode) (out, error) {
		if len(n.args) != 2 {
			return out{}, arity(n, 2, 2)
		}
		args := make([]out, 2)
		for i, a := range n.args {
			v, err := t.value(a)
			if err != nil {
				return out{}, err
			}
			if v.null {
				return constant(false), nil
			}
			args[i] = v
		}
		return out{text: paren(args[0], precCmp+1) + " " + op + " " + paren(args[1], precCmp+1), prec: precCmp}, nil
	}
}

func constCall(b bool) xfunc {
	return func(t *translator, n *xnode) (out, error) {
		if len(n.args) != 0 {
			return out{}, arity(n, 0, 0)
		}
		return constant(b), nil
	}
}
