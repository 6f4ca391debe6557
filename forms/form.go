package forms

import (
	"fmt"
	"strconv"

	"github.com/expr-lang/expr/vm"
)

// Form is a compiled questionnaire: a Definition that passed validation,
// with its expressions compiled once so that checking answers is fast. A Form
// is immutable and safe for concurrent use.
type Form struct {
	def       *Definition
	sections  []compiledSection
	questions []*compiledQuestion // every question, depth first
	byCode    map[string]*compiledQuestion
	top       map[string]*compiledQuestion // the questions outside repeats
	// repeats is set when the form has a repeat: its answers are then not
	// the environment of its expressions as they are.
	repeats bool
}

// compiledSection is a section with its relevance program. displays is
// set when it has something to show: a section of calculations only is
// computed, never shown.
type compiledSection struct {
	code      string
	relevant  *vm.Program
	questions []*compiledQuestion
	displays  bool
}

// compiledQuestion holds what checking an answer needs, precomputed so that
// Check does no lookups in the definition and builds no strings.
type compiledQuestion struct {
	q          *Question
	index      int // position in the whole questionnaire, from 0
	section    int
	relevant   *vm.Program
	constraint *vm.Program
	// calculation computes a calculate question; choiceFilter keeps the
	// options of a cascading select; repeatCount counts a repeat's entries.
	calculation  *vm.Program
	choiceFilter *vm.Program
	repeatCount  *vm.Program
	// parent is the repeat the question is in, nil at the top; children
	// are a repeat's questions; end is the position after its last one.
	parent     *compiledQuestion
	children   []*compiledQuestion
	childCodes map[string]*compiledQuestion // a repeat's questions, by code
	end        int
	// optionEnvs are the options as a choice filter sees them: code and
	// attributes; filterRefs the questions the filter reads.
	optionEnvs []map[string]any
	filterRefs []string
	defPath    string // JSON pointer of the question in the definition
	optIndex   map[string]int
	rows       map[string]bool
	otherCode  string // code of the "other, please specify" option, if any
	otherKey   string // answer key of the specified text: code + ".other"
	path       string // "/answers/<code>"
	otherPath  string
	required   string // message for a missing required answer
	violated   string // message for a failed constraint
}

// OtherSuffix ends the answer key that carries the text of an "other, please
// specify" option: the text for question q_org is under "q_org.other". Codes
// cannot contain a dot, so the key never clashes with a question code.
const OtherSuffix = ".other"

// Compile validates d and compiles its expressions. When d has problems it
// returns a *ValidationError listing every one of them, each located by a
// JSON pointer into the definition. themeKnown tells whether a taxonomy code
// exists; nil accepts every code. The caller must not modify d afterwards:
// the Form keeps it.
func Compile(d *Definition, themeKnown func(code string) bool) (*Form, error) {
	ve := &ValidationError{Message: "invalid questionnaire"}
	if d == nil {
		ve.Add("", "the questionnaire definition is missing")
		return nil, ve
	}
	v := &validator{d: d, themeKnown: themeKnown, ve: ve, index: map[string]int{}}
	v.definition()
	f := newForm(d)
	v.expressions(f)
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	return f, nil
}

// Validate reports the problems of d as Compile does, for callers that only
// need the verdict (for example before saving a draft).
func Validate(d *Definition, themeKnown func(code string) bool) error {
	_, err := Compile(d, themeKnown)
	return err
}

// Definition returns the definition the form was compiled from. It is
// shared, not copied: treat it as read-only.
func (f *Form) Definition() *Definition { return f.def }

// newForm indexes the questions of d. It tolerates invalid definitions
// (Compile discards the form then) so that expression checks can run on a
// definition that has other problems too.
func newForm(d *Definition) *Form {
	f := &Form{def: d, byCode: map[string]*compiledQuestion{}, top: map[string]*compiledQuestion{}}
	lang := d.DefaultLanguage
	for si := range d.Sections {
		s := &d.Sections[si]
		cs := compiledSection{code: s.Code}
		for qi := range s.Questions {
			path := fmt.Sprintf("/sections/%d/questions/%d", si, qi)
			cs.questions = append(cs.questions, f.add(&s.Questions[qi], si, nil, path, lang))
			cs.displays = cs.displays || s.Questions[qi].Type != TypeCalculate
		}
		f.sections = append(f.sections, cs)
	}
	return f
}

// add indexes one question, and the questions of a repeat after it.
func (f *Form) add(q *Question, si int, parent *compiledQuestion, defPath, lang string) *compiledQuestion {
	cq := &compiledQuestion{
		q: q, index: len(f.questions), section: si, parent: parent, defPath: defPath,
		path:     "/answers/" + pointer(q.Code),
		required: q.RequiredMessage.In(lang, lang),
		violated: q.ConstraintMessage.In(lang, lang),
	}
	if cq.required == "" {
		cq.required = "required"
	}
	if cq.violated == "" {
		cq.violated = "does not satisfy the constraint"
	}
	cq.indexChoices()
	f.questions = append(f.questions, cq)
	if _, dup := f.byCode[q.Code]; !dup {
		f.byCode[q.Code] = cq
	}
	if _, dup := f.top[q.Code]; !dup && parent == nil {
		f.top[q.Code] = cq
	}
	if q.Type == TypeRepeat && cq.depth() < MaxRepeatDepth {
		f.repeats = true
		cq.childCodes = map[string]*compiledQuestion{}
		for i := range q.Questions {
			path := fmt.Sprintf("%s/questions/%d", defPath, i)
			c := f.add(&q.Questions[i], si, cq, path, lang)
			cq.children = append(cq.children, c)
			if _, dup := cq.childCodes[c.q.Code]; !dup {
				cq.childCodes[c.q.Code] = c
			}
		}
	}
	cq.end = len(f.questions)
	return cq
}

// ChoicesDependOn lists the questions the choice filter of question code
// reads: a page that asks one of them with it offers to update the
// choices. It is empty for a question without a choice filter.
func (f *Form) ChoicesDependOn(code string) []string {
	if q := f.byCode[code]; q != nil {
		return q.filterRefs
	}
	return nil
}

// topCodes are the questions whose answers are keys of the response's
// answers; a repeat's questions are keys of its entries.
func (f *Form) topCodes() map[string]*compiledQuestion { return f.top }

// depth is the number of repeats the question is in.
func (cq *compiledQuestion) depth() int {
	n := 0
	for p := cq.parent; p != nil; p = p.parent {
		n++
	}
	return n
}

// within reports whether the question is inside repeat r, at any depth.
func (cq *compiledQuestion) within(r *compiledQuestion) bool {
	for p := cq.parent; p != nil; p = p.parent {
		if p == r {
			return true
		}
	}
	return false
}

// indexChoices builds the option and row lookups of a question.
func (cq *compiledQuestion) indexChoices() {
	q := cq.q
	if len(q.Options) > 0 {
		cq.optIndex = make(map[string]int, len(q.Options))
		for i, o := range q.Options {
			if _, dup := cq.optIndex[o.Code]; !dup {
				cq.optIndex[o.Code] = i
			}
			if q.ChoiceFilter != "" {
				env := make(map[string]any, len(o.Attributes)+1)
				for k, v := range o.Attributes {
					env[k] = v
				}
				env["code"] = o.Code
				cq.optionEnvs = append(cq.optionEnvs, env)
			}
			if o.Other && cq.otherCode == "" {
				cq.otherCode = o.Code
				cq.otherKey = q.Code + OtherSuffix
				cq.otherPath = "/answers/" + pointer(cq.otherKey)
			}
		}
	}
	if len(q.Rows) > 0 {
		cq.rows = make(map[string]bool, len(q.Rows))
		for _, r := range q.Rows {
			cq.rows[r.Code] = true
		}
	}
}

// formatNumber writes a bound the way a person would: 5, not 5.000000.
func formatNumber(x float64) string {
	return strconv.FormatFloat(x, 'g', -1, 64)
}
