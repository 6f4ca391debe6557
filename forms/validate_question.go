package forms

import (
	"fmt"
	"math"
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
	if q.Type == TypeNote {
		if q.Constraint != "" {
			v.ve.Add(path+"/constraint", "a note takes no answer, so it cannot have a constraint")
		}
		if q.Required {
			v.ve.Add(path+"/required", "a note takes no answer, so it cannot be required")
		}
	}
}

// options checks the options of a choice or ranking question.
func (v *validator) options(path string, q *Question) {
	if len(q.Options) == 0 {
		v.ve.Add(path+"/options", "at least one option is required")
		return
	}
	seen := map[string]bool{}
	other := false
	for i, o := range q.Options {
		p := fmt.Sprintf("%s/options/%d", path, i)
		if v.code(p+"/code", o.Code, codePattern, "letters, digits and '_'") {
			if seen[o.Code] {
				v.ve.Add(p+"/code", "duplicate option code %q", o.Code)
			}
			seen[o.Code] = true
		}
		v.text(p+"/label", o.Label, true)
		if o.Other {
			if other {
				v.ve.Add(p+"/other", "only one option of a question may ask to specify")
			}
			other = true
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
	counts := countsSelections(q.Type)
	if !numeric && !counts {
		field := "/min"
		if q.Min == nil {
			field = "/max"
		}
		v.ve.Add(path+field, "only number, integer, multiple_choice and ranking questions have min and max")
		return
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
			v.ve.Add(path+b.field, "must be a whole number of options, 0 or more")
			ok = false
		case counts && x > float64(len(q.Options)):
			v.ve.Add(path+b.field, "must not exceed the number of options (%d)", len(q.Options))
			ok = false
		}
	}
	if ok && q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		v.ve.Add(path+"/min", "must not be greater than max (%s)", formatNumber(*q.Max))
	}
}
