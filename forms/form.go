package forms

import (
	"strconv"

	"github.com/expr-lang/expr/vm"
)

// Form is a compiled questionnaire: a Definition that passed validation,
// with its expressions compiled once so that checking answers is fast. A Form
// is immutable and safe for concurrent use.
type Form struct {
	def       *Definition
	sections  []compiledSection
	questions []*compiledQuestion
	byCode    map[string]*compiledQuestion
}

// compiledSection is a section with its relevance program.
type compiledSection struct {
	code      string
	relevant  *vm.Program
	questions []*compiledQuestion
}

// compiledQuestion holds what checking an answer needs, precomputed so that
// Check does no lookups in the definition and builds no strings.
type compiledQuestion struct {
	q          *Question
	index      int // position in the whole questionnaire, from 0
	section    int
	relevant   *vm.Program
	constraint *vm.Program
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
	f := &Form{def: d, byCode: map[string]*compiledQuestion{}}
	lang := d.DefaultLanguage
	for si := range d.Sections {
		s := &d.Sections[si]
		cs := compiledSection{code: s.Code}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			cq := &compiledQuestion{
				q: q, index: len(f.questions), section: si,
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
			cs.questions = append(cs.questions, cq)
			if _, dup := f.byCode[q.Code]; !dup {
				f.byCode[q.Code] = cq
			}
		}
		f.sections = append(f.sections, cs)
	}
	return f
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
