package forms

import (
	"sort"
	"strings"
)

// Answers maps a question code to its answer, as decoded from JSON by
// encoding/json (string, float64, []any, map[string]any) or built in Go
// ([]string, int, map[string]int...). The text of an "other, please
// specify" option is under the question code followed by OtherSuffix.
//
// The clean answers that Check returns have one Go type per question type:
// string for single_choice, text, long_text and date; []string for
// multiple_choice (in option order) and ranking (in rank order); float64 for
// number and integer; int for scale; map[string]int (row code → scale value)
// for matrix; string for "<code>.other". An unanswered question is absent.
type Answers map[string]any

// Check validates the answers a against the form and returns the clean ones
// with every problem found, located by JSON pointers such as
// "/answers/q_age" (the answers object of the API body). The problems are
// nil when there are none.
//
// Questions are taken in order. A question is relevant when its section's
// and its own relevant expressions hold over the clean answers to earlier
// questions; answers to questions that are not relevant are dropped without
// complaint, since a respondent who changes an earlier answer should not be
// blamed for what they typed before. Answers of the wrong type, to unknown
// questions or to notes, and answers that fail their constraint are
// problems, and are left out of the clean answers. Missing required answers
// are problems only when final is set: a draft may be incomplete, but what it
// holds must be valid.
func (f *Form) Check(a Answers, final bool) (Answers, *ValidationError) {
	r := f.newRun(a, final)
	r.all()
	if r.known < len(a) {
		r.unknown()
	}
	if r.ve == nil {
		return r.clean, nil
	}
	return r.clean, r.ve
}

// Visible tells, for every question code, whether the question is relevant
// given the answers a: its section and its own relevant expressions hold. It
// is what a renderer shows.
func (f *Form) Visible(a Answers) map[string]bool {
	r := f.newRun(a, false)
	r.visible = make(map[string]bool, len(f.questions))
	r.all()
	return r.visible
}

// VisibleSections tells, for every section code, whether the section is
// relevant given the answers a.
func (f *Form) VisibleSections(a Answers) map[string]bool {
	r := f.newRun(a, false)
	r.sections = make(map[string]bool, len(f.sections))
	r.all()
	return r.sections
}

// run is one pass of the form over a set of answers.
type run struct {
	f     *Form
	in    Answers
	final bool
	// clean doubles as the environment of the expressions: an expression
	// only sees earlier questions, whose clean answers are in it already.
	clean    Answers
	ve       *ValidationError // nil until the first problem, to spare an allocation
	known    int              // answers found under a question's keys
	ev       evaluator
	visible  map[string]bool // filled only for Visible
	sections map[string]bool // filled only for VisibleSections
}

func (f *Form) newRun(a Answers, final bool) *run {
	return &run{f: f, in: a, final: final, clean: make(Answers, len(a))}
}

// fail records a problem.
func (r *run) fail(path, format string, args ...any) {
	if r.ve == nil {
		r.ve = &ValidationError{Message: "invalid answers"}
	}
	r.ve.Add(path, format, args...)
}

// unknown reports answers to questions the form does not have, in a stable
// order. A ".other" text for a question with an "other" option is known.
func (r *run) unknown() {
	var keys []string
	for k := range r.in {
		if _, ok := r.f.byCode[k]; ok {
			continue
		}
		if code, ok := strings.CutSuffix(k, OtherSuffix); ok {
			if q := r.f.byCode[code]; q != nil && q.otherCode != "" {
				continue
			}
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r.fail("/answers/"+pointer(k), "unknown question")
	}
}

// all walks the sections and their questions in order.
func (r *run) all() {
	env := map[string]any(r.clean)
	for si := range r.f.sections {
		s := &r.f.sections[si]
		shown := s.relevant == nil || r.ev.holds(s.relevant, env)
		if r.sections != nil {
			r.sections[s.code] = shown
		}
		for _, q := range s.questions {
			r.question(q, shown, env)
		}
	}
}

// question checks the answer to one question and keeps it when valid.
func (r *run) question(q *compiledQuestion, sectionShown bool, env map[string]any) {
	// Counting the keys that belong to questions spares a second pass over
	// the answers to look for unknown ones when, as usual, there are none.
	raw, present := r.in[q.q.Code]
	if present {
		r.known++
	}
	if q.otherKey != "" {
		if _, ok := r.in[q.otherKey]; ok {
			r.known++
		}
	}
	shown := sectionShown && (q.relevant == nil || r.ev.holds(q.relevant, env))
	if r.visible != nil {
		r.visible[q.q.Code] = shown
	}
	if !shown {
		return
	}
	if q.q.Type == TypeNote {
		if raw != nil {
			r.fail(q.path, "a note takes no answer")
		}
		return
	}
	v, ok := r.value(q, raw)
	if !ok {
		return
	}
	if v == nil {
		if r.final && q.q.Required {
			r.fail(q.path, "%s", q.required)
		}
		return
	}
	if q.constraint != nil {
		env[valueName] = v
		ok = r.ev.holds(q.constraint, env)
		delete(env, valueName)
		if !ok {
			r.fail(q.path, "%s", q.violated)
			return
		}
	}
	if m, isMatrix := v.(map[string]int); isMatrix && r.final && q.q.Required {
		r.missingRows(q, m)
	}
	r.clean[q.q.Code] = v
	if q.otherCode != "" {
		r.other(q, v)
	}
}

// missingRows reports the rows of a required matrix left unanswered.
func (r *run) missingRows(q *compiledQuestion, m map[string]int) {
	for _, row := range q.q.Rows {
		if _, ok := m[row.Code]; !ok {
			r.fail(q.path+"/"+pointer(row.Code), "%s", q.required)
		}
	}
}

// other keeps the "please specify" text when the "other" option is chosen,
// and drops it otherwise: it would describe a choice the respondent undid.
func (r *run) other(q *compiledQuestion, v any) {
	if !selected(v, q.otherCode) {
		return
	}
	text, ok := r.text(q.otherPath, r.in[q.otherKey], DefaultTextLength)
	switch {
	case !ok:
	case text != nil:
		r.clean[q.otherKey] = text
	case r.final:
		r.fail(q.otherPath, "required")
	}
}
