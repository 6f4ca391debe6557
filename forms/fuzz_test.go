package forms

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzCompile feeds arbitrary JSON definitions to Compile: it must never
// panic, must explain every refusal with located problems, and what it
// accepts must be usable.
func FuzzCompile(f *testing.F) {
	for _, name := range []string{"example.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, d := range []*Definition{baseDefinition(), benchDefinition(), probeDefinition(`q_int in 1..3`, `value != ""`),
		householdDefinition(), cascadeDefinition()} {
		data, err := json.Marshal(d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"code":"x","kind":"other","default_language":"en","languages":["en"],"title":{"en":"T"},
		"sections":[{"code":"s","questions":[{"code":"a","type":"integer","label":{"en":"A"}},
		{"code":"b","type":"text","label":{"en":"B"},"relevant":"a > 1 and a ?? 0 < 3","constraint":"value matches \"^x\""}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Definition
		if json.Unmarshal(data, &d) != nil {
			return
		}
		form, err := Compile(&d, themeKnown)
		if err != nil {
			ve, ok := err.(*ValidationError)
			if !ok || len(ve.Fields) == 0 || form != nil {
				t.Fatalf("Compile = %v, %#v", form, err)
			}
			for _, fe := range ve.Fields {
				if fe.Path != "" && !strings.HasPrefix(fe.Path, "/") || fe.Message == "" {
					t.Fatalf("bad problem %+v", fe)
				}
			}
			return
		}
		// An accepted form checks an empty response and its own
		// definition's worth of nonsense without trouble.
		form.Visible(Answers{})
		form.Show(Answers{})
		form.Check(Answers{}, true)
	})
}

// FuzzExpression compiles arbitrary relevant and constraint expressions and
// evaluates what compiles over answers and over none: it must never panic.
func FuzzExpression(f *testing.F) {
	for _, src := range []string{
		`q_single == "b"`, `selected(q_multi, "a") or count_selected(q_rank) > 1`,
		`rank_of(q_rank, "c") == 1`, `q_int in 18..65`, `q_date >= "2024-01-01"`,
		`string_length(q_text) < 3 and answered(q_num)`, `q_matrix.r1 >= 2`,
		`(q_num ?? 0) * 2 > 1`, `let x = q_int; x > 3`, `all(q_multi, # != "a")`,
		`q_text matches "^h"`, `q_text contains "l"`, `value != nil`,
	} {
		f.Add(src, false)
		f.Add(src, true)
	}
	f.Fuzz(func(t *testing.T, src string, constraint bool) {
		d := probeDefinition(src, "")
		if constraint {
			d = probeDefinition("", src)
		}
		form, err := Compile(d, nil)
		if err != nil {
			return
		}
		form.Visible(probeAnswers)
		form.Visible(Answers{})
		a := Answers{"q_probe": "text"}
		for k, v := range probeAnswers {
			a[k] = v
		}
		form.Check(a, true)
	})
}

// fuzzForm is the form FuzzCheck answers: the documented example, which has
// every question type, relevance, constraints and "other" options.
func fuzzForm(f *testing.F) *Form {
	data, err := os.ReadFile("testdata/example.json")
	if err != nil {
		f.Fatal(err)
	}
	var d Definition
	if err := json.Unmarshal(data, &d); err != nil {
		f.Fatal(err)
	}
	form, err := Compile(&d, themeKnown)
	if err != nil {
		f.Fatal(err)
	}
	return form
}

// FuzzCheck feeds arbitrary JSON answers to a compiled form: Check must
// never panic, its clean answers must check again without problems and
// unchanged, have the documented Go types, and survive Flatten/Unflatten.
func FuzzCheck(f *testing.F) {
	form := fuzzForm(f)
	f.Add([]byte(fullAnswers), true)
	f.Add([]byte(`{"q_sector":"private","q_areas":["fa"],"q_priorities":["tip","tip"]}`), false)
	f.Add([]byte(`{"q_articles":{"art5":"2","x":null},"q_founded":"1e3","q_gaps":"\u0000"}`), true)
	f.Add([]byte(`{"q_staff":1,"q_budget_share":-1,"q_since":" 2020-01-01 ","q_sector.other":"x"}`), false)
	f.Add([]byte(`{"q_projects":[{"q_project_name":"a","q_project_year":"1989"},null,{"x":1}],"q_staff_band":"forged"}`), true)
	f.Add([]byte(`{"q_projects":[{},{},{},{},{},{}],"q_project_count":7}`), false)
	f.Fuzz(func(t *testing.T, data []byte, final bool) {
		var a Answers
		if json.Unmarshal(data, &a) != nil {
			return
		}
		clean, _ := form.Check(a, final)
		form.Visible(a)
		again, verr := form.Check(clean, false)
		if verr != nil {
			t.Fatalf("clean answers %#v fail again: %v", clean, verr)
		}
		if !reflect.DeepEqual(again, clean) {
			t.Fatalf("re-check changed\n%#v\ninto\n%#v", clean, again)
		}
		checkCleanTypes(t, form, clean)
		if back := form.Unflatten(form.Flatten(clean)); !reflect.DeepEqual(back, clean) {
			t.Fatalf("Unflatten(Flatten(%#v)) = %#v", clean, back)
		}
	})
}

// checkCleanTypes asserts the documented Go type of every clean answer,
// in the entries of repeats too.
func checkCleanTypes(t *testing.T, form *Form, clean Answers) {
	t.Helper()
	for k, v := range clean {
		if entries, ok := v.([]Answers); ok {
			if q := form.Definition().Question(k); q == nil || q.Type != TypeRepeat {
				t.Fatalf("clean %s is a list of entries", k)
			}
			for _, e := range entries {
				checkCleanTypes(t, form, e)
			}
			continue
		}
		code, isOther := strings.CutSuffix(k, OtherSuffix)
		q := form.Definition().Question(code)
		if q == nil {
			t.Fatalf("clean answer to unknown question %q", k)
		}
		var ok bool
		switch {
		case isOther:
			_, ok = v.(string)
		case q.Type == TypeSingleChoice || q.Type == TypeText || q.Type == TypeLongText || q.Type == TypeDate:
			_, ok = v.(string)
		case q.Type == TypeMultipleChoice || q.Type == TypeRanking:
			_, ok = v.([]string)
		case q.Type == TypeNumber || q.Type == TypeInteger:
			_, ok = v.(float64)
		case q.Type == TypeScale:
			_, ok = v.(int)
		case q.Type == TypeMatrix:
			_, ok = v.(map[string]int)
		case q.Type == TypeCalculate:
			switch v.(type) {
			case string, float64, bool:
				ok = true
			}
		}
		if !ok {
			t.Fatalf("clean %s is %T", k, v)
		}
	}
}
