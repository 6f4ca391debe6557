package forms

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// MaxCodeLength bounds every code so that it fits the database columns that
// store it and stays readable in exports.
const MaxCodeLength = 64

var (
	// codePattern is the shape of section, question, option and row codes:
	// question codes are variables in expressions, so they must be
	// identifiers there.
	codePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	// questionnaireCodePattern also allows '-', as in "pilot-issues": a
	// questionnaire code appears in URLs and file names, never in expressions.
	questionnaireCodePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	// optionCodePattern keeps the choice names of real forms as written
	// ("1", "99", "n1-c", "-99"): an option code is a value, never a
	// variable. It is safe where it goes: in an HTML attribute, in a
	// quoted string of an expression, in a spreadsheet cell (it cannot
	// start like a formula, but for a negative number).
	optionCodePattern = regexp.MustCompile(`^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*|-[0-9]+(?:\.[0-9]+)?)$`)
)

// Bounds of repeats: how many entries one response may hold, and how deep
// repeats may nest (a repeat in a repeat, not further), so that a response
// stays a size a page can show.
const (
	MaxRepeatEntries = 100
	MaxRepeatDepth   = 2
)

// validator accumulates the problems of one definition.
type validator struct {
	d          *Definition
	themeKnown func(string) bool
	ve         *ValidationError
	// index maps a question code to the position of its first occurrence
	// in the whole questionnaire, which is what "earlier" means.
	index map[string]int
	// codePath remembers where a question code first appeared, to point at
	// it from the duplicate.
	codePath map[string]string
	// langOK is true when the default language is usable, so that missing
	// translations are reported only when they can be looked for.
	langOK bool
	// pos counts the questions met, in the order Form numbers them:
	// depth first, a repeat's questions right after it.
	pos int
}

// definition checks everything but the expressions.
func (v *validator) definition() {
	d := v.d
	v.code("/code", d.Code, questionnaireCodePattern, "letters, digits, '_' and '-'")
	if d.Version < 0 {
		v.ve.Add("/version", "must not be negative")
	}
	switch d.Kind {
	case KindIssueIdentification, KindSelfAssessmentInput, KindOther:
	case "":
		v.ve.Add("/kind", "required")
	default:
		v.ve.Add("/kind", "unknown kind %q (want %s, %s or %s)", d.Kind,
			KindIssueIdentification, KindSelfAssessmentInput, KindOther)
	}
	v.languages()
	v.text("/title", d.Title, true)
	v.text("/description", d.Description, false)
	if len(d.Sections) == 0 {
		v.ve.Add("/sections", "a questionnaire needs at least one section")
	}
	v.codePath = map[string]string{}
	sectionCodes := map[string]bool{}
	for si := range d.Sections {
		s := &d.Sections[si]
		path := fmt.Sprintf("/sections/%d", si)
		if v.code(path+"/code", s.Code, codePattern, "letters, digits and '_'") {
			if sectionCodes[s.Code] {
				v.ve.Add(path+"/code", "duplicate section code %q", s.Code)
			}
			sectionCodes[s.Code] = true
		}
		v.text(path+"/title", s.Title, false)
		v.text(path+"/description", s.Description, false)
		if len(s.Questions) == 0 {
			v.ve.Add(path+"/questions", "a section needs at least one question")
		}
		for qi := range s.Questions {
			v.question(fmt.Sprintf("%s/questions/%d", path, qi), &s.Questions[qi], 0)
		}
	}
}

// languages checks default_language and languages.
func (v *validator) languages() {
	d := v.d
	seen := map[string]bool{}
	for i, l := range d.Languages {
		path := fmt.Sprintf("/languages/%d", i)
		switch {
		case !slices.Contains(Languages, l):
			v.ve.Add(path, "%q is not a UN official language (%s)", l, strings.Join(Languages, ", "))
		case seen[l]:
			v.ve.Add(path, "duplicate language %q", l)
		}
		seen[l] = true
	}
	if len(d.Languages) == 0 {
		v.ve.Add("/languages", "at least one language is required")
	}
	switch {
	case d.DefaultLanguage == "":
		v.ve.Add("/default_language", "required")
	case !slices.Contains(d.Languages, d.DefaultLanguage):
		v.ve.Add("/default_language", "%q is not one of the questionnaire's languages", d.DefaultLanguage)
	default:
		v.langOK = slices.Contains(Languages, d.DefaultLanguage)
	}
}

// code checks that a code is present and well formed; it reports whether it
// is, so that callers look for duplicates only among valid codes.
func (v *validator) code(path, code string, pattern *regexp.Regexp, allowed string) bool {
	return v.codeShaped(path, code, pattern, "must start with a letter and contain only "+allowed)
}

// codeShaped checks a code against pattern; shape says what it must be.
func (v *validator) codeShaped(path, code string, pattern *regexp.Regexp, shape string) bool {
	switch {
	case code == "":
		v.ve.Add(path, "required")
	case len(code) > MaxCodeLength:
		v.ve.Add(path, "must be at most %d characters", MaxCodeLength)
	case !pattern.MatchString(code):
		v.ve.Add(path, "%q %s", code, shape)
	default:
		return true
	}
	return false
}

// text checks a multilingual text: every language must be a UN language,
// and a required text must exist in the default language, the one every
// respondent falls back to.
func (v *validator) text(path string, t Text, required bool) {
	if len(t) > 0 {
		langs := make([]string, 0, len(t))
		for l := range t {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			if !slices.Contains(Languages, l) {
				v.ve.Add(path+"/"+pointer(l), "%q is not a UN official language", l)
			}
		}
	}
	if required && v.langOK && strings.TrimSpace(t[v.d.DefaultLanguage]) == "" {
		v.ve.Add(path, "missing text in the default language (%s)", v.d.DefaultLanguage)
	}
}

// themes checks taxonomy codes.
func (v *validator) themes(path string, themes []string) {
	seen := map[string]bool{}
	for i, code := range themes {
		p := fmt.Sprintf("%s/%d", path, i)
		switch {
		case seen[code]:
			v.ve.Add(p, "duplicate theme %q", code)
		case code == "" || (v.themeKnown != nil && !v.themeKnown(code)):
			v.ve.Add(p, "unknown theme %q", code)
		}
		seen[code] = true
	}
}

// question checks one question, and those of a repeat; depth is the
// number of repeats it is in.
func (v *validator) question(path string, q *Question, depth int) {
	pos := v.pos
	v.pos++
	if v.code(path+"/code", q.Code, codePattern, "letters, digits and '_'") {
		switch {
		case reserved[q.Code]:
			v.ve.Add(path+"/code", "%q is a reserved word in expressions; choose another code", q.Code)
		case v.codePath[q.Code] != "":
			v.ve.Add(path+"/code", "duplicate question code %q (also at %s)", q.Code, v.codePath[q.Code])
		default:
			v.codePath[q.Code] = path
		}
		if _, seen := v.index[q.Code]; !seen {
			v.index[q.Code] = pos
		}
	}
	v.text(path+"/label", q.Label, q.Type != TypeCalculate)
	v.text(path+"/hint", q.Hint, false)
	v.text(path+"/required_message", q.RequiredMessage, false)
	v.text(path+"/constraint_message", q.ConstraintMessage, false)
	v.themes(path+"/themes", q.Themes)
	if !slices.Contains(QuestionTypes, q.Type) {
		if q.Type == "" {
			v.ve.Add(path+"/type", "required")
		} else {
			v.ve.Add(path+"/type", "unknown type %q", q.Type)
		}
		return
	}
	v.typeFields(path, q)
	v.repeat(path, q, depth)
}
