package forms

import (
	"slices"
	"strings"
	"testing"
)

func ptr(x float64) *float64 { return &x }

func en(s string) Text { return Text{"en": s} }

// baseDefinition is a small valid definition that the cases below break one
// way each.
func baseDefinition() *Definition {
	return &Definition{
		Code: "pilot-issues", Kind: KindIssueIdentification,
		DefaultLanguage: "en", Languages: []string{"en", "fr"},
		Title: Text{"en": "Issues", "fr": "Problèmes"},
		Sections: []Section{
			{Code: "profile", Title: en("About you"), Questions: []Question{
				{Code: "q_sector", Type: TypeSingleChoice, Label: en("Sector"), Themes: []string{"UNTOC"},
					Options: []Option{{Code: "ngo", Label: en("NGO")}, {Code: "other", Label: en("Other"), Other: true}}},
				{Code: "q_age", Type: TypeInteger, Label: en("Age"), Min: ptr(0), Max: ptr(120)},
				{Code: "q_intro", Type: TypeNote, Label: en("Thank you")},
			}},
			{Code: "views", Title: en("Views"), Relevant: `q_sector == "ngo"`, Questions: []Question{
				{Code: "q_areas", Type: TypeMultipleChoice, Label: en("Areas"),
					Options: []Option{{Code: "tip", Label: en("TIP")}, {Code: "som", Label: en("SOM")}}},
				{Code: "q_rate", Type: TypeScale, Label: en("Rate"),
					Scale: []ScalePoint{{Value: 1, Label: en("Bad")}, {Value: 2, Label: en("Good")}}},
				{Code: "q_law", Type: TypeMatrix, Label: en("Laws"),
					Rows:  []Row{{Code: "art5", Label: en("Art. 5"), Themes: []string{"UNTOC.ART5"}}},
					Scale: []ScalePoint{{Value: 1, Label: en("Bad")}, {Value: 2, Label: en("Good")}}},
				{Code: "q_why", Type: TypeText, Label: en("Why?"), Relevant: `selected(q_areas, "tip")`,
					Constraint: "string_length(value) > 3"},
			}},
		},
	}
}

func TestCompileValid(t *testing.T) {
	f := mustCompile(t, baseDefinition())
	if got := len(f.Definition().Questions()); got != 7 {
		t.Errorf("%d questions, want 7", got)
	}
}

func TestCompileReportsProblems(t *testing.T) {
	q := func(d *Definition, s, i int) *Question { return &d.Sections[s].Questions[i] }
	tests := []struct {
		name   string
		break_ func(d *Definition)
		want   []string
	}{
		{"missing code", func(d *Definition) { d.Code = "" }, []string{"/code: required"}},
		{"questionnaire code with space", func(d *Definition) { d.Code = "pilot issues" },
			[]string{`/code: "pilot issues" must start with a letter and contain only letters, digits, '_' and '-'`}},
		{"question code with dash", func(d *Definition) { q(d, 0, 1).Code = "q-age" },
			[]string{`/sections/0/questions/1/code: "q-age" must start with a letter and contain only letters, digits and '_'`}},
		{"option code missing", func(d *Definition) { q(d, 0, 0).Options[1].Code = "" },
			[]string{"/sections/0/questions/0/options/1/code: required"}},
		{"unknown kind", func(d *Definition) { d.Kind = "poll" },
			[]string{`/kind: unknown kind "poll" (want issue_identification, self_assessment_input or other)`}},
		{"default language not listed", func(d *Definition) { d.DefaultLanguage = "es" },
			[]string{`/default_language: "es" is not one of the questionnaire's languages`}},
		{"language not of the UN", func(d *Definition) { d.Languages = append(d.Languages, "de") },
			[]string{`/languages/2: "de" is not a UN official language (ar, zh, en, fr, ru, es)`}},
		{"no languages", func(d *Definition) { d.Languages = nil },
			[]string{"/languages: at least one language is required",
				`/default_language: "en" is not one of the questionnaire's languages`}},
		{"title missing in default language", func(d *Definition) { d.Title = Text{"fr": "Problèmes"} },
			[]string{"/title: missing text in the default language (en)"}},
		{"label missing in default language", func(d *Definition) { q(d, 0, 1).Label = Text{"fr": "Âge"} },
			[]string{"/sections/0/questions/1/label: missing text in the default language (en)"}},
		{"label in unknown language", func(d *Definition) { q(d, 0, 1).Label["en-GB"] = "Age" },
			[]string{`/sections/0/questions/1/label/en-GB: "en-GB" is not a UN official language`}},
		{"option label missing", func(d *Definition) { q(d, 0, 0).Options[0].Label = nil },
			[]string{"/sections/0/questions/0/options/0/label: missing text in the default language (en)"}},
		{"duplicate question code across sections", func(d *Definition) { q(d, 1, 0).Code = "q_age" },
			[]string{`/sections/1/questions/0/code: duplicate question code "q_age" (also at /sections/0/questions/1)`,
				`/sections/1/questions/3/relevant: refers to unknown question "q_areas"`}},
		{"duplicate option code", func(d *Definition) { q(d, 1, 0).Options[1].Code = "tip" },
			[]string{`/sections/1/questions/0/options/1/code: duplicate option code "tip"`}},
		{"duplicate row code", func(d *Definition) {
			q(d, 1, 2).Rows = append(q(d, 1, 2).Rows, Row{Code: "art5", Label: en("Again")})
		}, []string{`/sections/1/questions/2/rows/1/code: duplicate row code "art5"`}},
		{"duplicate scale value", func(d *Definition) { q(d, 1, 1).Scale[1].Value = 1 },
			[]string{"/sections/1/questions/1/scale/1/value: duplicate scale value 1"}},
		{"duplicate section code", func(d *Definition) { d.Sections[1].Code = "profile" },
			[]string{`/sections/1/code: duplicate section code "profile"`}},
		{"unknown type", func(d *Definition) { q(d, 0, 1).Type = "slider"; q(d, 0, 1).Min = nil },
			[]string{`/sections/0/questions/1/type: unknown type "slider"`}},
		{"choice without options", func(d *Definition) { q(d, 1, 0).Options = nil },
			[]string{"/sections/1/questions/0/options: at least one option is required",
				`/sections/1/questions/3/relevant: question "q_areas" has no option "tip"`}},
		{"ranking without options", func(d *Definition) { q(d, 1, 0).Type = TypeRanking; q(d, 1, 0).Options = nil },
			[]string{"/sections/1/questions/0/options: at least one option is required",
				`/sections/1/questions/3/relevant: question "q_areas" has no option "tip"`}},
		{"scale without points", func(d *Definition) { q(d, 1, 1).Scale = nil },
			[]string{"/sections/1/questions/1/scale: at least one scale point is required"}},
		{"matrix without scale or rows", func(d *Definition) { q(d, 1, 2).Scale = nil; q(d, 1, 2).Rows = nil },
			[]string{"/sections/1/questions/2/scale: at least one scale point is required",
				"/sections/1/questions/2/rows: at least one row is required"}},
		{"options on a text question", func(d *Definition) { q(d, 1, 3).Options = q(d, 1, 0).Options },
			[]string{"/sections/1/questions/3/options: only single_choice, multiple_choice and ranking questions have options"}},
		{"unknown question theme", func(d *Definition) { q(d, 0, 0).Themes = []string{"UNTOC", "UNTOC.ART99"} },
			[]string{`/sections/0/questions/0/themes/1: unknown theme "UNTOC.ART99"`}},
		{"unknown row theme", func(d *Definition) { q(d, 1, 2).Rows[0].Themes = []string{"XC.NOPE"} },
			[]string{`/sections/1/questions/2/rows/0/themes/0: unknown theme "XC.NOPE"`}},
		{"relevance on unknown question", func(d *Definition) { q(d, 1, 3).Relevant = "q_nope > 1" },
			[]string{`/sections/1/questions/3/relevant: refers to unknown question "q_nope"`}},
		{"relevance on later question", func(d *Definition) { q(d, 0, 1).Relevant = `selected(q_areas, "tip")` },
			[]string{`/sections/0/questions/1/relevant: refers to later question "q_areas"`}},
		{"relevance on itself", func(d *Definition) { q(d, 0, 1).Relevant = "q_age > 3" },
			[]string{`/sections/0/questions/1/relevant: refers to its own question "q_age"`}},
		{"relevance on a note", func(d *Definition) { q(d, 1, 3).Relevant = "answered(q_intro)" },
			[]string{`/sections/1/questions/3/relevant: refers to note "q_intro", which takes no answer`}},
		{"value in a relevance", func(d *Definition) { q(d, 1, 3).Relevant = "value > 3" },
			[]string{`/sections/1/questions/3/relevant: "value" is only available in a constraint`}},
		{"section relevance on its own question", func(d *Definition) { d.Sections[1].Relevant = "answered(q_rate)" },
			[]string{`/sections/1/relevant: refers to later question "q_rate"`}},
		{"constraint on own code", func(d *Definition) { q(d, 1, 3).Constraint = `q_why != ""` },
			[]string{`/sections/1/questions/3/constraint: refers to its own question "q_why"; use value instead`}},
		{"expression that does not parse", func(d *Definition) { q(d, 1, 3).Relevant = "q_age >" },
			[]string{"/sections/1/questions/3/relevant: invalid expression: unexpected token EOF (1:7)"}},
		{"expression that is not boolean", func(d *Definition) { q(d, 1, 3).Relevant = "1 + 2" },
			[]string{"/sections/1/questions/3/relevant: invalid expression: expected bool, but got int"}},
		{"unknown function", func(d *Definition) { q(d, 1, 3).Relevant = "chosen(q_sector)" },
			[]string{"/sections/1/questions/3/relevant: invalid expression: unknown name chosen (1:1)"}},
		{"unknown option in selected", func(d *Definition) { q(d, 1, 3).Relevant = `selected(q_sector, "NGO")` },
			[]string{`/sections/1/questions/3/relevant: question "q_sector" has no option "NGO"`}},
		{"rank_of on a choice", func(d *Definition) { q(d, 1, 3).Relevant = `rank_of(q_areas, "tip") == 1` },
			[]string{`/sections/1/questions/3/relevant: rank_of() needs a ranking question; "q_areas" is multiple_choice`}},
		{"reserved code", func(d *Definition) { q(d, 0, 1).Code = "value" },
			[]string{`/sections/0/questions/1/code: "value" is a reserved word in expressions; choose another code`}},
		{"builtin as code", func(d *Definition) { q(d, 0, 1).Code = "len" },
			[]string{`/sections/0/questions/1/code: "len" is a reserved word in expressions; choose another code`}},
		{"helper as code", func(d *Definition) { q(d, 0, 1).Code = "selected" },
			[]string{`/sections/0/questions/1/code: "selected" is a reserved word in expressions; choose another code`}},
		{"min above max", func(d *Definition) { q(d, 0, 1).Min = ptr(130) },
			[]string{"/sections/0/questions/1/min: must not be greater than max (120)"}},
		{"max above option count", func(d *Definition) { q(d, 1, 0).Max = ptr(3) },
			[]string{"/sections/1/questions/0/max: must not exceed the number of options (2)"}},
		{"min on a text", func(d *Definition) { q(d, 1, 3).Min = ptr(3) },
			[]string{"/sections/1/questions/3/min: only number, integer, multiple_choice, ranking and repeat questions have min and max"}},
		{"negative max_length", func(d *Definition) { q(d, 1, 3).MaxLength = -1 },
			[]string{"/sections/1/questions/3/max_length: must not be negative"}},
		{"constraint on a note", func(d *Definition) { q(d, 0, 2).Constraint = "q_age > 3" },
			[]string{"/sections/0/questions/2/constraint: a note takes no answer, so it cannot have a constraint"}},
		{"two other options", func(d *Definition) { q(d, 0, 0).Options[0].Other = true },
			[]string{"/sections/0/questions/0/options/1/other: only one option of a question may ask to specify"}},
		{"empty section", func(d *Definition) { d.Sections[0].Questions = nil },
			[]string{"/sections/0/questions: a section needs at least one question",
				`/sections/1/relevant: refers to unknown question "q_sector"`}},
		{"long expression", func(d *Definition) { q(d, 1, 3).Relevant = strings.Repeat("true and ", 300) + "true" },
			[]string{"/sections/1/questions/3/relevant: expression is too long (at most 2000 characters)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := baseDefinition()
			tt.break_(d)
			f, err := Compile(d, themeKnown)
			if f != nil {
				t.Error("Compile returned a form for an invalid definition")
			}
			if got := fields(err); !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestCompileReportsEveryProblem checks that one definition with five
// distinct mistakes yields those five problems at once, and no others.
func TestCompileReportsEveryProblem(t *testing.T) {
	d := baseDefinition()
	d.DefaultLanguage = "de"                                         // 1
	d.Sections[0].Questions[0].Options = nil                         // 2
	d.Sections[0].Questions[1].MaxLength = -5                        // 3
	d.Sections[1].Questions[1].Code = "q_sector"                     // 4
	d.Sections[1].Questions[3].Relevant = `answered(q_later) or 1 <` // 5
	err := Validate(d, themeKnown)
	want := []string{
		"/default_language",
		"/sections/0/questions/0/options",
		"/sections/0/questions/1/max_length",
		"/sections/1/questions/1/code",
		"/sections/1/questions/3/relevant",
	}
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("Validate = %v, want a *ValidationError", err)
	}
	var got []string
	for _, f := range ve.Fields {
		got = append(got, f.Path)
	}
	if !slices.Equal(got, want) {
		t.Errorf("paths:\n got %q\nwant %q\n(%v)", got, want, err)
	}
}

func TestCompileNil(t *testing.T) {
	if got := fields(Validate(nil, nil)); !slices.Equal(got, []string{": the questionnaire definition is missing"}) {
		t.Errorf("Validate(nil) = %q", got)
	}
}

func TestCompileWithoutThemeCheck(t *testing.T) {
	d := baseDefinition()
	d.Sections[0].Questions[0].Themes = []string{"ANYTHING"}
	if _, err := Compile(d, nil); err != nil {
		t.Errorf("Compile with nil themeKnown: %v", err)
	}
}
