package forms

import (
	"reflect"
	"slices"
	"testing"
)

// householdDefinition has a repeat counted by an earlier answer, with a
// repeat inside it, a free repeat, and questions after them that see the
// repeats' answers as lists.
func householdDefinition() *Definition {
	yn := []Option{{Code: "yes", Label: en("Yes")}, {Code: "no", Label: en("No")}}
	return &Definition{
		Code: "household", Kind: KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: en("Household"),
		Sections: []Section{{Code: "s", Questions: []Question{
			{Code: "size", Type: TypeInteger, Label: en("How many people?"), Min: ptr(0)},
			{Code: "members", Type: TypeRepeat, Label: en("Members"), RepeatCount: "size", Questions: []Question{
				{Code: "name", Type: TypeText, Label: en("Name"), Required: true},
				{Code: "age", Type: TypeInteger, Label: en("Age"), Constraint: "value < 130"},
				{Code: "works", Type: TypeSingleChoice, Label: en("Works?"), Options: yn,
					Relevant: "age >= 15 and size > 1"},
				{Code: "adult", Type: TypeCalculate, Calculation: "age >= 18"},
				{Code: "jobs", Type: TypeRepeat, Label: en("Jobs"), Relevant: `works == "yes"`, Max: ptr(3),
					Questions: []Question{
						{Code: "job", Type: TypeText, Label: en("Job"), Relevant: "adult"},
					}},
			}},
			{Code: "total_age", Type: TypeCalculate, Calculation: "sum(age)"},
			{Code: "entries", Type: TypeCalculate, Calculation: "len(members ?? [])"},
			{Code: "jobs_named", Type: TypeCalculate, Calculation: "len(filter(job ?? [], # != nil))"},
			{Code: "projects", Type: TypeRepeat, Label: en("Projects"), Min: ptr(1), Max: ptr(2), Required: true,
				Questions: []Question{{Code: "title", Type: TypeText, Label: en("Title")}}},
		}}},
	}
}

func TestRepeatCheck(t *testing.T) {
	f := mustCompile(t, householdDefinition())
	tests := []struct {
		name    string
		answers string
		final   bool
		want    []string
		clean   Answers
	}{
		{"entries counted by an answer", `{"size": 2, "members": [
			{"name": "Ana", "age": 40, "works": "yes", "jobs": [{"job": "nurse"}, {"job": " teacher "}]},
			{"name": "Ben", "age": "9", "works": "yes", "adult": true}],
			"projects": [{"title": "Wells"}]}`, true, nil,
			Answers{"size": 2.0, "members": []Answers{
				{"name": "Ana", "age": 40.0, "works": "yes", "adult": true,
					"jobs": []Answers{{"job": "nurse"}, {"job": "teacher"}}},
				{"name": "Ben", "age": 9.0, "adult": false}},
				"total_age": 49.0, "entries": 2.0, "jobs_named": 2.0,
				"projects": []Answers{{"title": "Wells"}}}},
		{"missing entries are empty, extra ones dropped", `{"size": 1, "members": [{"name": "Ana"}, {"name": "Ben"}]}`, false, nil,
			Answers{"size": 1.0, "members": []Answers{{"name": "Ana", "adult": false}}, "total_age": 0.0, "entries": 1.0, "jobs_named": 0.0}},
		{"problems located in their entry", `{"size": 2, "members": [{"age": 200}, {"name": "B", "x": 1}],
			"projects": []}`, true, []string{
			"/answers/members/0/name: required",
			"/answers/members/0/age: does not satisfy the constraint",
			"/answers/members/1/x: unknown question",
			"/answers/projects: at least 1 entry",
		}, Answers{"size": 2.0, "members": []Answers{{"adult": false}, {"name": "B", "adult": false}},
			"total_age": 0.0, "entries": 2.0, "jobs_named": 0.0}},
		{"entries that are not objects", `{"members": [{}, "no"], "projects": {"title": "x"}}`, false, []string{
			"/answers/members/1: must be an object of answers to the repeat's questions",
			"/answers/projects: must be a list of entries, each an object of answers",
		}, Answers{"total_age": 0.0, "entries": 0.0, "jobs_named": 0.0}},
		{"no entries without a count", `{"size": 0}`, true, []string{"/answers/projects: at least 1 entry"},
			Answers{"size": 0.0, "total_age": 0.0, "entries": 0.0, "jobs_named": 0.0}},
		{"too many entries", `{"projects": [{}, {}, {}]}`, false, []string{"/answers/projects: at most 2 entries"},
			Answers{"total_age": 0.0, "entries": 0.0, "jobs_named": 0.0}},
		{"a repeat's question is not a key of the response", `{"name": "Ana"}`, false,
			[]string{"/answers/name: unknown question"}, Answers{"total_age": 0.0, "entries": 0.0, "jobs_named": 0.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, verr := f.Check(decode(t, tt.answers), tt.final)
			if got := fields(verr); !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
			if !reflect.DeepEqual(clean, tt.clean) {
				t.Errorf("clean:\n got %#v\nwant %#v", clean, tt.clean)
			}
			again, verr := f.Check(clean, false)
			if verr != nil || !reflect.DeepEqual(again, clean) {
				t.Errorf("clean answers check again as %#v, %v", again, verr)
			}
		})
	}
}

func TestRepeatFlatten(t *testing.T) {
	f := mustCompile(t, householdDefinition())
	clean, verr := f.Check(decode(t, `{"size": 2, "members": [
		{"name": "Ana", "age": 40, "works": "yes", "jobs": [{"job": "nurse"}, {}]},
		{"name": "Ben", "age": 9}], "projects": [{"title": "Wells"}]}`), true)
	if verr != nil {
		t.Fatal(verr)
	}
	var got []string
	for _, r := range f.Flatten(clean) {
		got = append(got, rowString(r))
	}
	want := []string{
		`size|||2|""|0`,
		`members|||-|""|0@1`,
		`name|||-|"Ana"|0@1`,
		`age|||40|""|0@1`,
		`works||yes|-|""|0@1`,
		`adult|||1|"true"|0@1`,
		`jobs|||-|""|0@1.1`,
		`job|||-|"nurse"|0@1.1`,
		`jobs|||-|""|0@1.2`,
		`members|||-|""|0@2`,
		`name|||-|"Ben"|0@2`,
		`age|||9|""|0@2`,
		`adult|||0|"false"|0@2`,
		`total_age|||49|"49"|0`,
		`entries|||2|"2"|0`,
		`jobs_named|||1|"1"|0`,
		`projects|||-|""|0@1`,
		`title|||-|"Wells"|0@1`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n got %q\nwant %q", got, want)
	}
	if back := f.Unflatten(f.Flatten(clean)); !reflect.DeepEqual(back, clean) {
		t.Errorf("Unflatten(Flatten(a)):\n got %#v\nwant %#v", back, clean)
	}
	strangers := []AnswerRow{
		{QuestionCode: "name", Text: "no entry"},
		{QuestionCode: "name", Text: "too deep", Entry: "1.1"},
		{QuestionCode: "members", Entry: "0"},
		{QuestionCode: "size", Entry: "1"},
	}
	if got := f.Unflatten(strangers); len(got) != 0 {
		t.Errorf("Unflatten of misplaced rows = %v, want nothing", got)
	}
}

func TestShowRepeats(t *testing.T) {
	f := mustCompile(t, householdDefinition())
	s := f.Show(decode(t, `{"size": 2, "members": [{"name": "Ana", "age": 40, "works": "yes"}, {"age": 3}]}`))
	for key, want := range map[string]bool{
		"size": true, "members": true, "members.1.works": true, "members.2.works": false,
		"members.1.jobs": true, "members.2.jobs": false, "total_age": true,
	} {
		if s.Visible[key] != want {
			t.Errorf("Visible[%s] = %v, want %v", key, s.Visible[key], want)
		}
	}
	if want := map[string]int{"members": 2, "members.1.jobs": 0, "projects": 0}; !reflect.DeepEqual(s.Entries, want) {
		t.Errorf("Entries = %v, want %v", s.Entries, want)
	}
}

func TestRepeatDefinitionRules(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(d *Definition)
		want   []string
	}{
		{"repeat without questions", func(d *Definition) { d.Sections[0].Questions[5].Questions = nil },
			[]string{"/sections/0/questions/5/questions: a repeat needs at least one question"}},
		{"questions on a text", func(d *Definition) {
			d.Sections[0].Questions[0].Questions = []Question{{Code: "x", Type: TypeText, Label: en("X")}}
		}, []string{"/sections/0/questions/0/questions: only repeat questions have questions"}},
		{"count and bounds", func(d *Definition) { d.Sections[0].Questions[1].Max = ptr(3) },
			[]string{"/sections/0/questions/1/repeat_count: repeat_count sets the number of entries; min and max apply only without it"}},
		{"too many entries allowed", func(d *Definition) { d.Sections[0].Questions[5].Max = ptr(500) },
			[]string{"/sections/0/questions/5/max: must not exceed the most entries a repeat may have (100)"}},
		{"three deep", func(d *Definition) {
			jobs := &d.Sections[0].Questions[1].Questions[4]
			jobs.Questions = append(jobs.Questions, Question{Code: "deeper", Type: TypeRepeat, Label: en("D"),
				Questions: []Question{{Code: "dd", Type: TypeText, Label: en("DD")}}})
		}, []string{"/sections/0/questions/1/questions/4/questions/1: repeats nest at most 2 deep: this one is in 2 other repeats"}},
		{"naming the repeat it is in", func(d *Definition) { d.Sections[0].Questions[1].Questions[0].Relevant = "len(members) > 0" },
			[]string{`/sections/0/questions/1/questions/0/relevant: refers to the repeat "members" it is in`}},
		{"a code used in and out of a repeat", func(d *Definition) { d.Sections[0].Questions[5].Questions[0].Code = "name" },
			[]string{`/sections/0/questions/5/questions/0/code: duplicate question code "name" (also at /sections/0/questions/1/questions/0)`}},
		{"count refers to a later question", func(d *Definition) { d.Sections[0].Questions[1].RepeatCount = "total_age" },
			[]string{`/sections/0/questions/1/repeat_count: refers to later question "total_age"`}},
		{"repeat with a constraint", func(d *Definition) { d.Sections[0].Questions[5].Constraint = "true" },
			[]string{"/sections/0/questions/5/constraint: a repeat holds questions, not an answer, so it cannot have a constraint"}},
		{"repeat_count on a text", func(d *Definition) { d.Sections[0].Questions[0].RepeatCount = "1" },
			[]string{"/sections/0/questions/0/repeat_count: only repeat questions have a repeat_count"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := householdDefinition()
			tt.break_(d)
			_, err := Compile(d, themeKnown)
			if got := fields(err); !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
