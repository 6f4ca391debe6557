package forms

import (
	"reflect"
	"slices"
	"testing"
)

// cascadeDefinition is a cascading select: counties filtered by the state
// chosen, "king" being a county of two states.
func cascadeDefinition() *Definition {
	county := func(code, label, state string) Option {
		return Option{Code: code, Label: en(label), Attributes: map[string]string{"state": state}}
	}
	return &Definition{
		Code: "cascade", Kind: KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: en("Cascade"),
		Sections: []Section{{Code: "s", Questions: []Question{
			{Code: "state", Type: TypeSingleChoice, Label: en("State"), Options: []Option{
				{Code: "texas", Label: en("Texas")}, {Code: "washington", Label: en("Washington")}}},
			{Code: "county", Type: TypeSingleChoice, Label: en("County"), ChoiceFilter: "option.state == state",
				Options: []Option{
					county("king", "King", "washington"), county("pierce", "Pierce", "washington"),
					county("king", "King", "texas"), county("cameron", "Cameron", "texas")}},
			{Code: "visited", Type: TypeMultipleChoice, Label: en("Visited"), ChoiceFilter: `option.code != county`,
				Options: []Option{{Code: "king", Label: en("King")}, {Code: "pierce", Label: en("Pierce")}}},
		}}},
	}
}

func TestChoiceFilterCheck(t *testing.T) {
	f := mustCompile(t, cascadeDefinition())
	tests := []struct {
		name, answers string
		want          []string
		clean         Answers
	}{
		{"a county of the state", `{"state": "texas", "county": "cameron"}`, nil,
			Answers{"state": "texas", "county": "cameron"}},
		{"a code of two states", `{"state": "washington", "county": "king", "visited": ["king", "pierce"]}`, nil,
			Answers{"state": "washington", "county": "king", "visited": []string{"pierce"}}},
		{"filtered out after the state changed", `{"state": "texas", "county": "pierce"}`, nil,
			Answers{"state": "texas"}},
		{"nothing offered before the state", `{"county": "king"}`, nil, Answers{}},
		{"an unknown county", `{"state": "texas", "county": "paris"}`, []string{`/answers/county: unknown option "paris"`},
			Answers{"state": "texas"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, verr := f.Check(decode(t, tt.answers), false)
			if got := fields(verr); !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
			if !reflect.DeepEqual(clean, tt.clean) {
				t.Errorf("clean = %#v, want %#v", clean, tt.clean)
			}
		})
	}
	shown := f.Show(decode(t, `{"state": "texas"}`))
	if got, want := shown.Options["county"], []int{2, 3}; !slices.Equal(got, want) {
		t.Errorf("options shown for texas = %v, want %v", got, want)
	}
	if got := f.Show(Answers{}).Options["county"]; len(got) != 0 {
		t.Errorf("options shown before the state = %v, want none", got)
	}
}

func TestChoiceFilterRules(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(d *Definition)
		want   []string
	}{
		{"same code, same attributes", func(d *Definition) {
			d.Sections[0].Questions[1].Options[2].Attributes["state"] = "washington"
		}, []string{`/sections/0/questions/1/options/2/code: duplicate option code "king" with the same attributes`}},
		{"same code without a filter", func(d *Definition) { d.Sections[0].Questions[1].ChoiceFilter = "" },
			[]string{`/sections/0/questions/1/options/2/code: duplicate option code "king"`}},
		{"filter on a text", func(d *Definition) {
			d.Sections[0].Questions = append(d.Sections[0].Questions,
				Question{Code: "t", Type: TypeText, Label: en("T"), ChoiceFilter: "true"})
		}, []string{"/sections/0/questions/3/choice_filter: only single_choice, multiple_choice and ranking questions have a choice filter"}},
		{"option outside a filter", func(d *Definition) { d.Sections[0].Questions[1].Relevant = `option.state == "x"` },
			[]string{`/sections/0/questions/1/relevant: "option" is only available in a choice filter`}},
		{"filter on a later answer", func(d *Definition) { d.Sections[0].Questions[1].ChoiceFilter = "option.code in visited" },
			[]string{`/sections/0/questions/1/choice_filter: refers to later question "visited"`}},
		{"attribute named code", func(d *Definition) { d.Sections[0].Questions[1].Options[0].Attributes["code"] = "x" },
			[]string{`/sections/0/questions/1/options/0/attributes/code: "code" names the option's own field; choose another attribute name`}},
		{"attribute not a code", func(d *Definition) { d.Sections[0].Questions[1].Options[0].Attributes["the state"] = "x" },
			[]string{`/sections/0/questions/1/options/0/attributes/the state: "the state" must start with a letter and contain only letters, digits and '_'`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cascadeDefinition()
			tt.break_(d)
			_, err := Compile(d, themeKnown)
			if got := fields(err); !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestOptionCodesAsWritten keeps the choice names of real forms, and
// refuses what is unsafe in a page, an expression or a spreadsheet.
func TestOptionCodesAsWritten(t *testing.T) {
	for code, ok := range map[string]bool{
		"1": true, "99": true, "-99": true, "-1.5": true, "n1-c": true, "2024": true, "_x": true, "a.b": true,
		"": false, "=1+2": false, "+1": false, "-x": false, "@a": false, "a b": false, "a\"b": false,
		".5": false, "<b>": false, "a/b": false,
	} {
		d := cascadeDefinition()
		d.Sections[0].Questions[0].Options[0].Code = code
		_, err := Compile(d, themeKnown)
		if (err == nil) != ok {
			t.Errorf("option code %q: accepted = %v, want %v (%v)", code, err == nil, ok, err)
		}
	}
}

func TestCalculateIsComputed(t *testing.T) {
	d := probeDefinition("q_calc > 3", "value != q_label")
	qs := &d.Sections[0].Questions
	*qs = slices.Insert(*qs, 9,
		Question{Code: "q_calc", Type: TypeCalculate, Calculation: "q_num * 2"},
		Question{Code: "q_label", Type: TypeCalculate, Calculation: `concat("n=", q_calc)`, Relevant: "q_calc != nil"})
	f := mustCompile(t, d)
	tests := []struct {
		name    string
		answers Answers
		want    Answers
		probe   bool
	}{
		{"computed, the client's value ignored", Answers{"q_num": 2.5, "q_calc": 99.0, "q_probe": "x"},
			Answers{"q_num": 2.5, "q_calc": 5.0, "q_label": "n=5", "q_probe": "x"}, true},
		{"a constraint sees it", Answers{"q_num": 2.5, "q_probe": "n=5"},
			Answers{"q_num": 2.5, "q_calc": 5.0, "q_label": "n=5"}, true},
		{"not relevant, not computed", Answers{"q_calc": 8.0, "q_label": "forged"}, Answers{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, _ := f.Check(tt.answers, false)
			if !reflect.DeepEqual(clean, tt.want) {
				t.Errorf("clean = %#v, want %#v", clean, tt.want)
			}
			if got := f.Visible(tt.answers)["q_probe"]; got != tt.probe {
				t.Errorf("q_probe visible = %v, want %v", got, tt.probe)
			}
		})
	}
	for name, break_ := range map[string]func(q *Question){
		"without calculation": func(q *Question) { q.Calculation = "" },
		"required":            func(q *Question) { q.Required = true },
		"on itself":           func(q *Question) { q.Calculation = "q_calc + 1" },
	} {
		d := probeDefinition("", "")
		q := Question{Code: "q_calc", Type: TypeCalculate, Calculation: "1"}
		break_(&q)
		d.Sections[0].Questions = append(d.Sections[0].Questions, q)
		if _, err := Compile(d, themeKnown); err == nil {
			t.Errorf("a calculate %s compiles", name)
		}
	}
}

func TestChoicesDependOn(t *testing.T) {
	f := mustCompile(t, cascadeDefinition())
	for code, want := range map[string][]string{"county": {"state"}, "visited": {"county"}, "state": nil} {
		if got := f.ChoicesDependOn(code); !slices.Equal(got, want) {
			t.Errorf("ChoicesDependOn(%s) = %v, want %v", code, got, want)
		}
	}
}

// TestSectionOfCalculations checks that a section of calculations only is
// computed but never shown as a page.
func TestSectionOfCalculations(t *testing.T) {
	d := cascadeDefinition()
	d.Sections = append(d.Sections, Section{Code: "computed", Questions: []Question{
		{Code: "n_visited", Type: TypeCalculate, Calculation: "count_selected(visited)"}}})
	f := mustCompile(t, d)
	a := Answers{"state": "texas", "visited": []any{"pierce"}}
	if shown := f.VisibleSections(a); shown["computed"] || !shown["s"] {
		t.Errorf("sections shown = %v", shown)
	}
	if clean, _ := f.Check(a, true); clean["n_visited"] != 1.0 {
		t.Errorf("n_visited = %v, want 1", clean["n_visited"])
	}
}
