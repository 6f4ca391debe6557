package forms

// Shown is what a page shows of a questionnaire given some answers: which
// questions, which options of cascading selects, how many entries of each
// repeat. A question of a repeat entry is keyed by the repeat's code, the
// entry's number from 1 and its own code, joined by dots — "members.2.age",
// "trees.1.stems.3.cbh" — the names of its fields on the survey pages;
// the other questions by their code.
type Shown struct {
	// Visible tells whether each question is shown: its section's, its
	// own and its repeats' relevant expressions hold.
	Visible map[string]bool
	// Options lists, for each question with a choice filter that is shown,
	// the indexes of the options the filter keeps (in Question.Options).
	Options map[string][]int
	// Entries is the number of entries of each repeat shown: the
	// respondent's, or what its repeat_count gives.
	Entries map[string]int
}

// Show tells what to show given the answers a, as Check reads them: the
// answers that Check would refuse count as unanswered.
func (f *Form) Show(a Answers) *Shown {
	r := f.newRun(a, false)
	r.show = &Shown{Visible: map[string]bool{}, Options: map[string][]int{}, Entries: map[string]int{}}
	r.all()
	return r.show
}

// offeredOptions lists the indexes of q's options that its choice filter
// keeps over the answers before q.
func (r *run) offeredOptions(q *compiledQuestion) []int {
	out := []int{}
	defer delete(r.env, optionName)
	for i := range q.q.Options {
		r.env[optionName] = q.optionEnvs[i]
		if r.ev.holds(q.choiceFilter, r.env) {
			out = append(out, i)
		}
	}
	return out
}
