package forms

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// usesOptions, usesScale and usesRows tell which optional fields a question
// type reads; a field set on a type that ignores it is a mistake worth
// reporting, since the author surely expected it to show.
func usesOptions(t string) bool {
	return t == TypeSingleChoice || t == TypeMultipleChoice || t == TypeRanking
}

func usesScale(t string) bool { return t == TypeScale || t == TypeMatrix }

func usesText(t string) bool { return t == TypeText || t == TypeLongText }

// countsSelections is true when min and max bound how many options are
// chosen rather than the value of a number.
func countsSelections(t string) bool { return t == TypeMultipleChoice || t == TypeRanking }

// typeFields checks the fields that depend on the question type.
func (v *validator) typeFields(path string, q *Question) {
	switch {
	case usesOptions(q.Type):
		v.options(path, q)
	case len(q.Options) > 0:
		v.ve.Add(path+"/options", "only single_choice, multiple_choice and ranking questions have options")
	}
	switch {
	case usesScale(q.Type):
		v.scale(path, q)
	case len(q.Scale) > 0:
		v.ve.Add(path+"/scale", "only scale and matrix questions have a scale")
	}
	switch {
	case q.Type == TypeMatrix:
		v.rows(path, q)
	case len(q.Rows) > 0:
		v.ve.Add(path+"/rows", "only matrix questions have rows")
	}
	v.bounds(path, q)
	switch {
	case q.MaxLength < 0:
		v.ve.Add(path+"/max_length", "must not be negative")
	case q.MaxLength > 0 && !usesText(q.Type):
		v.ve.Add(path+"/max_length", "only text and long_text questions have a max_length")
	}
	v.unasked(path, q)
	switch {
	case q.Type == TypeCalculate && q.Calculation == "":
		v.ve.Add(path+"/calculation", "required: the expression the value is computed by")
	case q.Type != TypeCalculate && q.Calculation != "":
		v.ve.Add(path+"/calculation", "only calculate questions have a calculation")
	}
	if q.ChoiceFilter != "" && !usesOptions(q.Type) {
		v.ve.Add(path+"/choice_filter", "only single_choice, multiple_choice and ranking questions have a choice filter")
	}
}

// unasked checks what notes and calculations, which take no answer from
// the respondent, cannot have.
func (v *validator) unasked(path string, q *Question) {
	what := map[string]string{
		TypeNote:      "a note takes no answer",
		TypeCalculate: "a calculate question is computed, not answered",
		TypeRepeat:    "a repeat holds questions, not an answer",
	}[q.Type]
	if what == "" {
		return
	}
	if q.Constraint != "" {
		v.ve.Add(path+"/constraint", "%s, so it cannot have a constraint", what)
	}
	if q.Required && q.Type != TypeRepeat {
		v.ve.Add(path+"/required", "%s, so it cannot be required", what)
	}
}

// options checks the options of a choice or ranking question.
func (v *validator) options(path string, q *Question) {
	if len(q.Options) == 0 {
		v.ve.Add(path+"/options", "at least one option is required")
		return
	}
	seen := map[string][]map[string]string{}
	other := false
	for i, o := range q.Options {
		p := fmt.Sprintf("%s/options/%d", path, i)
		if v.optionCode(p+"/code", o.Code) {
			// A filtered list may repeat a code under other filter values:
			// "king" is a county of Washington and of Texas.
			switch prev, dup := seen[o.Code]; {
			case dup && q.ChoiceFilter == "":
				v.ve.Add(p+"/code", "duplicate option code %q", o.Code)
			case dup && slices.ContainsFunc(prev, func(a map[string]string) bool { return maps.Equal(a, o.Attributes) }):
				v.ve.Add(p+"/code", "duplicate option code %q with the same attributes", o.Code)
			}
			seen[o.Code] = append(seen[o.Code], o.Attributes)
		}
		v.attributes(p+"/attributes", o.Attributes)
		v.text(p+"/label", o.Label, true)
		if o.Other {
			if other {
				v.ve.Add(p+"/other", "only one option of a question may ask to specify")
			}
			other = true
		}
	}
}

// optionCode checks an option code, which keeps the choice names of real
// forms: "1", "99", "n1-c".
func (v *validator) optionCode(path, code string) bool {
	return v.codeShaped(path, code, optionCodePattern,
		"must hold only letters, digits, '_', '-' and '.', and start with a letter, a digit or '_' (or be a negative number)")
}

// MaxAttributeLength bounds the value of an option attribute.
const MaxAttributeLength = 500

// attributes checks the attributes of an option.
func (v *validator) attributes(path string, attrs map[string]string) {
	keys := slices.Sorted(maps.Keys(attrs))
	for _, k := range keys {
		p := path + "/" + pointer(k)
		switch {
		case k == "code" || k == "label":
			v.ve.Add(p, "%q names the option's own field; choose another attribute name", k)
		case !v.code(p, k, codePattern, "letters, digits and '_'"):
		case len(attrs[k]) > MaxAttributeLength:
			v.ve.Add(p, "must be at most %d characters", MaxAttributeLength)
		}
	}
}

// scale checks the points of a scale or matrix question.
func (v *validator) scale(path string, q *Question) {
	if len(q.Scale) == 0 {
		v.ve.Add(path+"/scale", "at least one scale point is required")
		return
	}
	seen := map[int]bool{}
	for i, p := range q.Scale {
		pp := fmt.Sprintf("%s/scale/%d", path, i)
		if seen[p.Value] {
			v.ve.Add(pp+"/value", "duplicate scale value %d", p.Value)
		}
		seen[p.Value] = true
		v.text(pp+"/label", p.Label, true)
	}
}

// rows checks the rows of a matrix question.
func (v *validator) rows(path string, q *Question) {
	if len(q.Rows) == 0 {
		v.ve.Add(path+"/rows", "at least one row is required")
		return
	}
	seen := map[string]bool{}
	for i, r := range q.Rows {
		p := fmt.Sprintf("%s/rows/%d", path, i)
		if v.code(p+"/code", r.Code, codePattern, "letters, digits and '_'") {
			if seen[r.Code] {
				v.ve.Add(p+"/code", "duplicate row code %q", r.Code)
			}
			seen[r.Code] = true
		}
		v.text(p+"/label", r.Label, true)
		v.themes(p+"/themes", r.Themes)
	}
}

// bounds checks min and max: values for number and integer questions,
// counts of chosen options for multiple_choice and ranking.
func (v *validator) bounds(path string, q *Question) {
	if q.Min == nil && q.Max == nil {
		return
	}
	numeric := q.Type == TypeNumber || q.Type == TypeInteger
	counts := countsSelections(q.Type) || q.Type == TypeRepeat
	if !numeric && !counts {
		field := "/min"
		if q.Min == nil {
			field = "/max"
		}
		v.ve.Add(path+field, "only number, integer, multiple_choice, ranking and repeat questions have min and max")
		return
	}
	limit, unit := len(q.Options), "the number of options"
	if q.Type == TypeRepeat {
		limit, unit = MaxRepeatEntries, "the most entries a repeat may have"
	}
	ok := true
	for _, b := range []struct {
		field string
		x     *float64
	}{{"/min", q.Min}, {"/max", q.Max}} {
		if b.x == nil {
			continue
		}
		x := *b.x
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			v.ve.Add(path+b.field, "must be a finite number")
			ok = false
		case counts && (x < 0 || x != math.Trunc(x)):
			v.ve.Add(path+b.field, "must be a whole number, 0 or more")
			ok = false
		case counts && x > float64(limit):
			v.ve.Add(path+b.field, "must not exceed %s (%d)", unit, limit)
			ok = false
		}
	}
	if ok && q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		v.ve.Add(path+"/min", "must not be greater than max (%s)", formatNumber(*q.Max))
	}
}
