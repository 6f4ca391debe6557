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
	if r.ve == nil {
		return r.top, nil
	}
	return r.top, r.ve
}

// Visible tells, for every question code, whether the question is relevant
// given the answers a: its section and its own relevant expressions hold. It
// is what a renderer shows.
func (f *Form) Visible(a Answers) map[string]bool {
	r := f.newRun(a, false)
	r.visible = make(map[string]bool, len(f.questions))
	for _, q := range f.questions {
		r.visible[q.q.Code] = false // a repeat's questions, when it has no entry
	}
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
	final bool
	frame                  // the level being checked: the response, or one repeat entry
	top   Answers          // the clean answers of the whole response
	ve    *ValidationError // nil until the first problem, to spare an allocation
	ev    evaluator
	// visible and sections are filled only for Visible and
	// VisibleSections; show only for Show.
	visible  map[string]bool
	sections map[string]bool
	show     *Shown
}

// frame is one level of answers: the response's, or one entry's of a
// repeat, with what its expressions see.
type frame struct {
	in Answers
	// clean doubles as the environment of the expressions when env is
	// nil: an expression only sees earlier questions, whose clean answers
	// are in it already. A form with repeats gives its expressions an env
	// of their own, where a repeat's questions are lists of their answers.
	clean Answers
	env   map[string]any
	known int    // answers found under a question's keys
	path  string // "" for the response, "/answers/r/0" for an entry
	key   string // "" for the response, "r.1." for an entry (Shown's keys)
}

func (f *Form) newRun(a Answers, final bool) *run {
	r := &run{f: f, final: final}
	r.in, r.clean = a, make(Answers, len(a))
	r.env = r.clean
	if f.repeats {
		r.env = make(map[string]any, len(a))
	}
	r.top = r.clean
	return r
}

// set keeps a clean answer, where expressions see it too.
func (r *run) set(code string, v any) {
	r.clean[code] = v
	if r.f.repeats {
		r.env[code] = v
	}
}

// pathOf is the JSON pointer of q's answer in the request.
func (r *run) pathOf(q *compiledQuestion) string {
	if r.path == "" {
		return q.path
	}
	return r.path + "/" + pointer(q.q.Code)
}

func (r *run) otherPathOf(q *compiledQuestion) string {
	if r.path == "" {
		return q.otherPath
	}
	return r.path + "/" + pointer(q.otherKey)
}

// fail records a problem.
func (r *run) fail(path, format string, args ...any) {
	if r.ve == nil {
		r.ve = &ValidationError{Message: "invalid answers"}
	}
	r.ve.Add(path, format, args...)
}

// unknown reports answers to questions the level does not have, in a
// stable order. A ".other" text for a question with an "other" option is
// known.
func (r *run) unknown(codes map[string]*compiledQuestion) {
	var keys []string
	for k := range r.in {
		if _, ok := codes[k]; ok {
			continue
		}
		if code, ok := strings.CutSuffix(k, OtherSuffix); ok {
			if q := codes[code]; q != nil && q.otherCode != "" {
				continue
			}
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	base := r.path
	if base == "" {
		base = "/answers"
	}
	for _, k := range keys {
		r.fail(base+"/"+pointer(k), "unknown question")
	}
}

// all walks the sections and their questions in order.
func (r *run) all() {
	for si := range r.f.sections {
		s := &r.f.sections[si]
		shown := s.relevant == nil || r.ev.holds(s.relevant, r.env)
		if r.sections != nil {
			r.sections[s.code] = shown && s.displays
		}
		for _, q := range s.questions {
			r.question(q, shown)
		}
	}
	if r.known < len(r.in) {
		r.unknown(r.f.topCodes())
	}
}

// markVisible records whether q is shown: for Visible, a question of a
// repeat is shown when it is in some entry.
func (r *run) markVisible(q *compiledQuestion, shown bool) {
	if r.visible != nil && (shown || !r.visible[q.q.Code]) {
		r.visible[q.q.Code] = shown
	}
	if r.show != nil {
		r.show.Visible[r.key+q.q.Code] = shown
		if shown && q.choiceFilter != nil {
			r.show.Options[r.key+q.q.Code] = r.offeredOptions(q)
		}
	}
}

// question checks the answer to one question and keeps it when valid.
func (r *run) question(q *compiledQuestion, sectionShown bool) {
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
	shown := sectionShown && (q.relevant == nil || r.ev.holds(q.relevant, r.env))
	r.markVisible(q, shown)
	if !shown {
		return
	}
	switch q.q.Type {
	case TypeNote:
		if raw != nil {
			r.fail(r.pathOf(q), "a note takes no answer")
		}
		return
	case TypeCalculate:
		// Computed here whatever the client sent: a calculated value is
		// never taken from outside.
		if v := calculated(r.ev.value(q.calculation, r.env)); v != nil {
			r.set(q.q.Code, v)
		}
		return
	case TypeRepeat:
		r.repeat(q, raw)
		return
	}
	v, ok := r.value(q, raw)
	if !ok {
		return
	}
	if v == nil {
		if r.final && q.q.Required {
			r.fail(r.pathOf(q), "%s", q.required)
		}
		return
	}
	if q.constraint != nil {
		r.env[valueName] = v
		ok = r.ev.holds(q.constraint, r.env)
		delete(r.env, valueName)
		if !ok {
			r.fail(r.pathOf(q), "%s", q.violated)
			return
		}
	}
	if m, isMatrix := v.(map[string]int); isMatrix && r.final && q.q.Required {
		r.missingRows(q, m)
	}
	r.set(q.q.Code, v)
	if q.otherCode != "" {
		r.other(q, v)
	}
}

// missingRows reports the rows of a required matrix left unanswered.
func (r *run) missingRows(q *compiledQuestion, m map[string]int) {
	for _, row := range q.q.Rows {
		if _, ok := m[row.Code]; !ok {
			r.fail(r.pathOf(q)+"/"+pointer(row.Code), "%s", q.required)
		}
	}
}

// other keeps the "please specify" text when the "other" option is chosen,
// and drops it otherwise: it would describe a choice the respondent undid.
func (r *run) other(q *compiledQuestion, v any) {
	if !selected(v, q.otherCode) {
		return
	}
	text, ok := r.text(r.otherPathOf(q), r.in[q.otherKey], DefaultTextLength)
	switch {
	case !ok:
	case text != nil:
		r.clean[q.otherKey] = text
	case r.final:
		r.fail(r.otherPathOf(q), "required")
	}
}

// offered reports whether option code passes q's choice filter over the
// earlier answers; every option passes when q has none. A code repeated
// under other filter values passes when one of its options does.
func (r *run) offered(q *compiledQuestion, code string) bool {
	if q.choiceFilter == nil {
		return true
	}
	defer delete(r.env, optionName)
	for i, o := range q.q.Options {
		if o.Code != code {
			continue
		}
		r.env[optionName] = q.optionEnvs[i]
		if r.ev.holds(q.choiceFilter, r.env) {
			return true
		}
	}
	return false
}
