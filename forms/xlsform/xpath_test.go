package xlsform

import (
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// testSymbols are the questions the expression tests refer to.
func testSymbols() map[string]*symbol {
	opts := map[string]string{"yes": "yes", "no": "no", "1": "c1", "tip": "tip"}
	return map[string]*symbol{
		"q_yn":    {name: "q_yn", code: "q_yn", typ: forms.TypeSingleChoice, codes: opts},
		"q_multi": {name: "q_multi", code: "q_multi", typ: forms.TypeMultipleChoice, codes: opts},
		"q_rank":  {name: "q_rank", code: "q_rank", typ: forms.TypeRanking, codes: opts},
		"q_scale": {name: "q_scale", code: "q_scale", typ: forms.TypeScale, codes: map[string]string{"1": "1", "2": "2", "9": "9"}},
		"q_age":   {name: "q_age", code: "q_age", typ: forms.TypeInteger},
		"q_text":  {name: "q_text", code: "q_text", typ: forms.TypeText},
		"date":    {name: "date", code: "q_date", typ: forms.TypeDate},
		"calc":    {name: "calc", skipped: "its calculation cannot be computed by Agora"},
		"q_calc":  {name: "q_calc", code: "q_calc", typ: forms.TypeCalculate},
		"q_note":  {name: "q_note", code: "q_note", typ: forms.TypeNote},
		"today":   {name: "today", skipped: "metadata", today: true},
		"art5":    {name: "art5", rowOf: "q_law"},
		"q_law":   {name: "q_law", code: "q_law", typ: forms.TypeMatrix},
	}
}

// exportedSymbols are testSymbols as a re-import of an export sees them:
// choices are named by their codes.
func exportedSymbols() map[string]*symbol {
	syms := testSymbols()
	for _, s := range syms {
		if s.codes != nil {
			ids := map[string]string{}
			for _, code := range s.codes {
				ids[code] = code
			}
			s.codes = ids
		}
	}
	return syms
}

func TestTranslateXPath(t *testing.T) {
	self := &symbol{name: "q_self", code: "q_self", typ: forms.TypeInteger}
	syms := testSymbols()
	syms["q_self"] = self
	tests := []struct {
		name, src, want string
		constraint      bool
	}{
		{"reference and =", `${q_yn} = 'yes'`, `q_yn == "yes"`, false},
		{"double quotes", `${q_yn} = "no"`, `q_yn == "no"`, false},
		{"!=", `${q_yn} != 'no'`, `q_yn != "no"`, false},
		{"< <= > >=", `${q_age} < 5 or ${q_age} <= 6 or ${q_age} > 7 or ${q_age} >= 8`, `q_age < 5 or q_age <= 6 or q_age > 7 or q_age >= 8`, false},
		{"and binds tighter than or", `${q_age} > 1 or ${q_age} < 0 and ${q_yn} = 'yes'`, `q_age > 1 or q_age < 0 and q_yn == "yes"`, false},
		{"parentheses kept where needed", `(${q_age} > 1 or ${q_age} < 0) and ${q_yn} = 'yes'`, `(q_age > 1 or q_age < 0) and q_yn == "yes"`, false},
		{"redundant parentheses dropped", `((${q_age} > 1))`, `q_age > 1`, false},
		{"not()", `not(${q_yn} = 'yes')`, `not (q_yn == "yes")`, false},
		{"not() of a call", `not(selected(${q_multi}, 'tip'))`, `not selected(q_multi, "tip")`, false},
		{"selected", `selected(${q_multi}, 'tip')`, `selected(q_multi, "tip")`, false},
		{"selected on a single choice", `selected(${q_yn}, 'yes')`, `selected(q_yn, "yes")`, false},
		{"selected on a scale", `selected(${q_scale}, '9')`, `q_scale == 9`, false},
		{"count-selected", `count-selected(${q_multi}) >= 2`, `count_selected(q_multi) >= 2`, false},
		{"string-length", `string-length(${q_text}) > 10`, `string_length(q_text) > 10`, false},
		{"answered", `${q_text} != ''`, `answered(q_text)`, false},
		{"not answered", `${q_text} = ''`, `not answered(q_text)`, false},
		{"'' on the left", `'' != ${q_text}`, `answered(q_text)`, false},
		{"selected-at", `selected-at(${q_rank}, 0) = 'tip'`, `rank_of(q_rank, "tip") == 1`, false},
		{"literal on the left", `'yes' = ${q_yn}`, `"yes" == q_yn`, false},
		{"numeric choice name converted", `${q_yn} = '1'`, `q_yn == "c1"`, false},
		{"number literal for a choice", `${q_yn} = 1`, `q_yn == "c1"`, false},
		{"text literal for a number", `${q_age} > '18'`, `q_age > 18`, false},
		{"text literal for a scale", `${q_scale} <= '2'`, `q_scale <= 2`, false},
		{"number normalized", `${q_age} > 007 and ${q_age} < 1.50`, `q_age > 7 and q_age < 1.5`, false},
		{"negative number", `${q_age} > -1`, `q_age > -1`, false},
		{"renamed question", `${date} > '2020-01-01'`, `q_date > "2020-01-01"`, false},
		{"text with a quote", `${q_text} = "it's"`, `q_text == "it's"`, false},
		{". in a constraint", `. >= 18 and . <= 120`, `value >= 18 and value <= 120`, true},
		{"string-length(.)", `string-length(.) <= 300`, `string_length(value) <= 300`, true},
		{". != ''", `. != ''`, `answered(value)`, true},
		{"spaces and newlines", "${q_age}  >\n 3", `q_age > 3`, false},
		{"arithmetic", `${q_age} + 1 > 3 * 2 - 1`, `q_age + 1 > 3 * 2 - 1`, false},
		{"div and mod", `${q_age} div 2 > ${q_age} mod 3`, `q_age / 2 > q_age % 3`, false},
		{"parentheses of arithmetic", `(${q_age} - 1) * 2 > 10 - (3 - 1)`, `(q_age - 1) * 2 > 10 - (3 - 1)`, false},
		{"unary minus", `-${q_age} < -1`, `-q_age < -1`, false},
		{"today()", `${date} < today()`, `q_date < today()`, false},
		{"now() as today()", `${date} < now()`, `q_date < today()`, false},
		{"regex", `regex(${q_text}, '^a')`, `regex(q_text, "^a")`, false},
		{"contains", `contains(${q_text}, 'x')`, `q_text contains "x"`, false},
		{"starts-with", `starts-with(${q_text}, 'x') or ends-with(${q_text}, 'y')`, `q_text startsWith "x" or q_text endsWith "y"`, false},
		{"if()", `if(${q_age} > 3, 1, 0) = 1`, `(q_age > 3 ? 1 : 0) == 1`, false},
		{"functions of values", `int(${q_age}) + round(2.5) + sum(${q_age}) + max(${q_age}, 1) + min(1, 2) >= string-length(concat('a', ${q_text}))`,
			`int(q_age) + round(2.5) + sum(q_age) + max(q_age, 1) + min(1, 2) >= string_length(concat("a", q_text))`, false},
		{"coalesce and date", `date(coalesce(${date}, '2020-01-01')) > '2019-12-31'`, `date(coalesce(q_date, "2020-01-01")) > "2019-12-31"`, false},
		{"pow and sqrt", `pow(${q_age}, 2) > sqrt(16)`, `q_age ** 2 > 16 ** 0.5`, false},
		{"number() and string()", `number(${q_text}) > 1 and string(${q_age}) != '3'`, `float(q_text) > 1 and concat(q_age) != "3"`, false},
		{"a calculation", `${q_calc} = 'big' or ${q_calc} > 3`, `q_calc == "big" or q_calc > 3`, false},
		{"curly quotes", "${q_yn} = \u2018yes\u2019", `q_yn == "yes"`, false},
		{"its own name in a constraint", `${q_self} > 1`, `value > 1`, true},
		{"../name", `../q_age > 1`, `q_age > 1`, false},
		{"a bare reference", `${q_text}`, `answered(q_text)`, false},
		{"not of a bare reference", `not(${q_text})`, `not answered(q_text)`, false},
		{"a bare number", `0`, `false`, false},
		{"true()", `true() and ${q_age} > 1`, `q_age > 1`, false},
		{"false() folds", `false() and ${q_age} > 1`, `false`, false},
		{"a skipped row", `${calc} = 'x' or ${q_age} > 1`, `q_age > 1`, false},
		{"a skipped row, unanswered", `${calc} = ''`, `true`, false},
		{"a note", `${q_note} != ''`, `false`, false},
		{"the date of the interview", `${today} > '2020-01-01'`, `today() > "2020-01-01"`, false},
		{"a count of entries", `count(${q_text}) > 1`, `len(q_text ?? []) > 1`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s *symbol
			if tt.constraint {
				s = self
			}
			got, err := translateXPath(tt.src, syms, s)
			if err != nil {
				t.Fatalf("translateXPath(%q): %v", tt.src, err)
			}
			if got.text != tt.want {
				t.Errorf("translateXPath(%q) = %q, want %q", tt.src, got.text, tt.want)
			}
		})
	}
}

func TestTranslateXPathErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown function", `position(..) > 1`, "'..' (the parent) is not supported"},
		{"a function Agora lacks", `sin(${q_age}) > 0`, "function sin() is not supported"},
		{"if() of two", `if(${q_age} > 3, 1) = 1`, "if() takes 3 arguments, not 2"},
		{"div without a left side", `div 2`, `"div" needs a number before it`},
		{"unknown question", `${nowhere} = 'x'`, "${nowhere} is not a question of this form"},
		{"matrix row", `${art5} = 1`, `${art5} is a row of table "q_law"`},
		{"matrix", `${q_law} != ''`, "${q_law} is a table"},
		{". outside a constraint", `. = 'x'`, "'.' (the answer itself) is only allowed in a constraint"},
		{"path", `/data/q_age > 3`, "paths (/) are not supported"},
		{"parent", `.. > 3`, "'..' (the parent) is not supported"},
		{"== instead of =", `${q_yn} == 'yes'`, "write = rather than =="},
		{"&&", `${q_age} > 1 && ${q_age} < 3`, "write and / or rather than && / ||"},
		{"!", `!selected(${q_multi}, 'tip')`, "write not(...)"},
		{"incomplete", `${q_age} > 18 and`, "the expression ends too early"},
		{"unclosed (", `(${q_age} > 18`, "missing )"},
		{"unclosed text", `${q_yn} = 'yes`, "is not closed with '"},
		{"unclosed ${", `${q_yn = 'yes'`, "${ is not closed with }"},
		{"bare name", `q_yn = 'yes'`, `"q_yn" is not a function call: refer to a question as ${q_yn}`},
		{"chained comparison", `1 < ${q_age} < 3`, "compare two values at a time"},
		{"condition as operand", `(${q_age} > 1) = (${q_age} < 3)`, "compare two values, not two conditions"},
		{"= on a select_multiple", `${q_multi} = 'tip'`, "${q_multi} holds several choices: use selected(${q_multi}, 'tip')"},
		{"< on a choice", `${q_yn} < 'yes'`, "${q_yn} is a choice: compare it with = or != only"},
		{"unknown choice", `${q_yn} = 'maybe'`, `${q_yn} has no choice "maybe"`},
		{"unknown choice in selected()", `selected(${q_multi}, 'maybe')`, `${q_multi} has no choice "maybe"`},
		{"selected() on text", `selected(${q_text}, 'a')`, "selected() needs a select or rank question"},
		{"selected() arity", `selected(${q_multi})`, "selected() takes a question and a choice name"},
		{"scale with text", `${q_scale} = 'high'`, `${q_scale} is a scale of whole numbers; "high" is not one`},
		{"number with text", `${q_age} = 'old'`, `${q_age} is a number; "old" is not one`},
		{"< ''", `${q_text} < ''`, "< with '' has no meaning"},
		{"selected-at elsewhere", `selected-at(${q_multi}, 0) = 'tip'`, "selected-at() is read only as selected-at(${q}, n) = 'x', on a rank question"},
		{"count-selected of a text", `count-selected('a') > 1`, "count-selected() takes a question"},
		{"too deep", strings.Repeat("(", 60) + "${q_age} > 1" + strings.Repeat(")", 60), "nested too deeply"},
		{"too long", strings.Repeat("${q_age} > 1 and ", 200) + "${q_age} > 1", "longer than 2000 characters"},
		{"huge number", `${q_age} > 99999999999999999999`, "is not a number Agora can read"},
		{"union", `${q_age} | ${q_yn}`, `'|' is not supported`},
		{"count of a text", `count('a') > 1`, "count() takes a repeat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := translateXPath(tt.src, testSymbols(), nil)
			if err == nil {
				t.Fatalf("translateXPath(%q) = %q, want an error", tt.src, got.text)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("translateXPath(%q) error %q, want it to contain %q", tt.src, err, tt.want)
			}
		})
	}
}

// TestTranslatedExpressionsExportBack checks that every expression the
// importer writes has an XLSForm form that imports back to itself, which is
// what makes import(export(q)) reproduce q.
func TestTranslatedExpressionsExportBack(t *testing.T) {
	srcs := []string{
		`${q_yn} = 'yes' or ${q_yn} = 'no'`, `not(${q_yn} = 'yes') and ${q_age} > 3`,
		`(${q_age} > 1 or ${q_age} < 0) and selected(${q_multi}, 'tip')`, `${q_text} = ''`,
		`${q_text} != '' and not(selected(${q_multi}, 'tip'))`, `selected-at(${q_rank}, 2) = 'tip'`,
		`count-selected(${q_multi}) >= 2`, `string-length(${q_text}) > 10`, `${q_age} > -1.5`,
		`${q_text} = "it's"`, `selected(${q_scale}, '9')`, `not(not(${q_age} > 1))`, `${q_yn} = '1'`,
		`${q_age} - 1 - 2 > 3 * (2 - 1) div 4`, `if(${q_age} > 3, 1, if(${q_age} > 1, 2, 3)) = 1`,
		`regex(${q_text}, '^a') and contains(${q_text}, 'b')`, `${q_text} < today()`, `-${q_age} < -1`,
		`pow(${q_age}, 2) > round(${q_age} mod 3, 1) + sum(${q_age})`, `count(${q_text}) > 0`,
		`concat(${q_text}, 'x') = 'ax'`, `coalesce(${q_age}, 0) + int(number(${q_text})) >= 1`, `false()`,
	}
	for _, src := range srcs {
		t.Run(src, func(t *testing.T) {
			first, err := translateXPath(src, testSymbols(), nil)
			if err != nil {
				t.Fatal(err)
			}
			x, err := toXPath(first.text)
			if err != nil {
				t.Fatalf("toXPath(%q): %v", first.text, err)
			}
			again, err := translateXPath(x, exportedSymbols(), nil)
			if err != nil {
				t.Fatalf("translateXPath(%q): %v", x, err)
			}
			if again.text != first.text {
				t.Errorf("%q → %q → %q → %q", src, first.text, x, again.text)
			}
		})
	}
}

func TestToXPathErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`rank_of(q_rank, "tip") <= 2`, "rank_of() has an XLSForm equivalent only as"},
		{`q_text matches "^a"`, "has no XLSForm equivalent"},
		{`q_articles.art5 > 1`, "has no XLSForm equivalent"},
		{`len(q) > 1`, "has no XLSForm equivalent"},
		{`q_text == "a'b\"c"`, "holds both kinds of quotes"},
		{`q_age >`, "invalid expression"},
		{`all(q, # > 1)`, "has no XLSForm equivalent"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := toXPath(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("toXPath(%q) = %q, %v; want an error containing %q", tt.src, got, err, tt.want)
			}
		})
	}
}

// TestValuesExportBack checks the calculations, repeat counts and choice
// filters the importer writes: each has an XLSForm form that imports back
// to itself.
func TestValuesExportBack(t *testing.T) {
	tests := []struct {
		src  string
		mode int
	}{
		{`${q_age} * 2 + 1`, modeValue},
		{`if(${q_age} >= 18, 'adult', 'minor')`, modeValue},
		{`concat('n=', string(${q_age}))`, modeValue},
		{`${q_age} > 3`, modeValue},
		{`date(today())`, modeValue},
		{`count(${q_text})`, modeValue},
		{`state = ${q_yn} and number(size) > ${q_age}`, modeFilter},
		{`selected(${q_multi}, name)`, modeFilter},
		{`cf = 'x' or name != 'y'`, modeFilter},
	}
	columns := map[string]string{"state": "state", "size": "size", "cf": "cf", "name": ""}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			tr := &translator{syms: testSymbols(), mode: tt.mode, columns: columns}
			first, err := tr.translate(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			x, err := toXPathAs(first.text, tt.mode)
			if err != nil {
				t.Fatalf("toXPathAs(%q): %v", first.text, err)
			}
			tr = &translator{syms: exportedSymbols(), mode: tt.mode, columns: columns}
			again, err := tr.translate(x)
			if err != nil {
				t.Fatalf("translate(%q): %v", x, err)
			}
			if again.text != first.text {
				t.Errorf("%q → %q → %q → %q", tt.src, first.text, x, again.text)
			}
		})
	}
}

func TestToXPath(t *testing.T) {
	tests := []struct{ src, want string }{
		{`q_coop != nil && q_coop <= 2`, `${q_coop} != '' and ${q_coop} <= 2`},
		{`nil == q`, `${q} = ''`},
		{`answered(q) && !selected(q, "yes")`, `${q} != '' and not(selected(${q}, 'yes'))`},
		{`not answered(q)`, `${q} = ''`},
		{`q in 1..2`, `${q} >= 1 and ${q} <= 2`},
		{`(a == "x" || b == "y") && c > 2`, `(${a} = 'x' or ${b} = 'y') and ${c} > 2`},
		{`rank_of(q, "tip") == 1`, `selected-at(${q}, 0) = 'tip'`},
		{`1 == rank_of(q, "tip")`, `selected-at(${q}, 0) = 'tip'`},
		{`value >= 0.5 and string_length(value) < 10`, `. >= 0.5 and string-length(.) < 10`},
		{`count_selected(q) > -1`, `count-selected(${q}) > -1`},
		{`q == "it's"`, `${q} = "it's"`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := toXPath(tt.src)
			if err != nil || got != tt.want {
				t.Errorf("toXPath(%q) = %q, %v; want %q", tt.src, got, err, tt.want)
			}
		})
	}
}
