package forms

import (
	"encoding/json"
	"reflect"
	"testing"
)

// diffBase is a small definition that each case of TestDiff changes.
func diffBase(t *testing.T) *Definition {
	t.Helper()
	var d Definition
	err := json.Unmarshal([]byte(`{
	  "code": "q", "version": 1, "kind": "other", "default_language": "en", "languages": ["en", "fr"],
	  "title": {"en": "Survey", "fr": "Enquête"},
	  "sections": [
	    {"code": "s1", "title": {"en": "One"}, "questions": [
	      {"code": "kind", "type": "single_choice", "label": {"en": "Kind?", "fr": "Genre ?"}, "required": true,
	       "themes": ["UNTOC", "TIP"], "options": [{"code": "a", "label": {"en": "A"}}, {"code": "b", "label": {"en": "B"}}]},
	      {"code": "why", "type": "text", "label": {"en": "Why?"}, "relevant": "kind == 'a'"}
	    ]},
	    {"code": "s2", "title": {"en": "Two"}, "questions": [
	      {"code": "rate", "type": "scale", "label": {"en": "Rate"},
	       "scale": [{"value": 1, "label": {"en": "Low"}}, {"value": 2, "label": {"en": "High"}}]}
	    ]}
	  ]}`), &d)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name    string
		change  func(d *Definition)
		added   []string
		removed []string
		changed map[string][]Change
		whole   []Change
		sect    []SectionChange
	}{
		{name: "same", change: func(*Definition) {}},
		{
			name: "question added and removed",
			change: func(d *Definition) {
				d.Sections[0].Questions[1].Code = "reason"
			},
			added: []string{"reason"}, removed: []string{"why"},
		},
		{
			name: "label in one language",
			change: func(d *Definition) {
				d.Sections[0].Questions[0].Label["fr"] = "Type ?"
			},
			changed: map[string][]Change{"kind": {{Property: PropLabel, Kind: ChangeModified, Lang: "fr", Before: "Genre ?", After: "Type ?"}}},
		},
		{
			name: "type, required, themes and skip rule",
			change: func(d *Definition) {
				q := &d.Sections[0].Questions[1]
				q.Type, q.Required, q.Themes, q.Relevant = TypeLongText, true, []string{"TIP"}, ""
			},
			changed: map[string][]Change{"why": {
				{Property: PropType, Kind: ChangeModified, Before: "text", After: "long_text"},
				{Property: PropRequired, Kind: ChangeModified, Before: "false", After: "true"},
				{Property: PropThemes, Kind: ChangeModified, Before: "", After: "TIP"},
				{Property: PropRelevant, Kind: ChangeModified, Before: "kind == 'a'", After: ""},
			}},
		},
		{
			name: "themes reordered is no change",
			change: func(d *Definition) {
				d.Sections[0].Questions[0].Themes = []string{"TIP", "UNTOC"}
			},
		},
		{
			name: "options added, removed, relabelled",
			change: func(d *Definition) {
				q := &d.Sections[0].Questions[0]
				q.Options = []Option{{Code: "a", Label: Text{"en": "Alpha"}}, {Code: "c", Label: Text{"en": "C"}}}
			},
			changed: map[string][]Change{"kind": {
				{Property: PropOptions, Kind: ChangeRemoved, Item: "b", Before: "B"},
				{Property: PropOptions, Kind: ChangeRelabelled, Item: "a", Lang: "en", Before: "A", After: "Alpha"},
				{Property: PropOptions, Kind: ChangeAdded, Item: "c", After: "C"},
			}},
		},
		{
			name: "scale point relabelled",
			change: func(d *Definition) {
				d.Sections[1].Questions[0].Scale[1].Label = Text{"en": "Very high"}
			},
			changed: map[string][]Change{"rate": {{Property: PropScale, Kind: ChangeRelabelled, Item: "2", Lang: "en", Before: "High", After: "Very high"}}},
		},
		{
			name: "question moved to another section",
			change: func(d *Definition) {
				q := d.Sections[0].Questions[1]
				d.Sections[0].Questions = d.Sections[0].Questions[:1]
				d.Sections[1].Questions = append(d.Sections[1].Questions, q)
			},
			changed: map[string][]Change{"why": {{Property: PropSection, Kind: ChangeModified, Before: "s1", After: "s2"}}},
		},
		{
			name: "title, languages and section",
			change: func(d *Definition) {
				d.Title["en"] = "The survey"
				d.Languages = []string{"en", "fr", "ar"}
				d.Sections[1].Relevant = "kind == 'b'"
			},
			whole: []Change{
				{Property: PropTitle, Kind: ChangeModified, Lang: "en", Before: "Survey", After: "The survey"},
				{Property: PropLanguages, Kind: ChangeModified, Before: "en, fr", After: "en, fr, ar"},
			},
			sect: []SectionChange{{Code: "s2", Kind: ChangeModified, Title: Text{"en": "Two"},
				Changes: []Change{{Property: PropRelevant, Kind: ChangeModified, After: "kind == 'b'"}}}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := diffBase(t), diffBase(t)
			b.Version = 2
			tc.change(b)
			d := Diff(a, b)
			if d.Code != "q" || d.From != 1 || d.To != 2 {
				t.Errorf("diff of %s v%d→v%d", d.Code, d.From, d.To)
			}
			if got := refCodes(d.Added); !reflect.DeepEqual(got, tc.added) {
				t.Errorf("added %v, want %v", got, tc.added)
			}
			if got := refCodes(d.Removed); !reflect.DeepEqual(got, tc.removed) {
				t.Errorf("removed %v, want %v", got, tc.removed)
			}
			got := map[string][]Change{}
			for _, qc := range d.Changed {
				got[qc.Code] = qc.Changes
			}
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tc.changed) {
				t.Errorf("changed %+v\nwant %+v", got, tc.changed)
			}
			if !reflect.DeepEqual(d.Changes, tc.whole) {
				t.Errorf("questionnaire changes %+v, want %+v", d.Changes, tc.whole)
			}
			if !reflect.DeepEqual(d.Sections, tc.sect) {
				t.Errorf("section changes %+v, want %+v", d.Sections, tc.sect)
			}
			if d.Empty() != (tc.name == "same" || tc.name == "themes reordered is no change") {
				t.Errorf("Empty() = %v", d.Empty())
			}
		})
	}
}

func TestDiffSectionsAddedAndRemoved(t *testing.T) {
	a, b := diffBase(t), diffBase(t)
	b.Sections[1].Code = "s3"
	d := Diff(a, b)
	want := []SectionChange{
		{Code: "s2", Kind: ChangeRemoved, Title: Text{"en": "Two"}},
		{Code: "s3", Kind: ChangeAdded, Title: Text{"en": "Two"}},
	}
	if !reflect.DeepEqual(d.Sections, want) {
		t.Errorf("sections %+v, want %+v", d.Sections, want)
	}
	if len(d.Changed) != 1 || d.Changed[0].Code != "rate" || d.Changed[0].Changes[0].Property != PropSection {
		t.Errorf("the question of the renamed section should show as moved: %+v", d.Changed)
	}
}

func refCodes(refs []QuestionRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Code)
	}
	return out
}

func TestDiffNamesItemsInTheDefaultLanguage(t *testing.T) {
	a, b := diffBase(t), diffBase(t)
	a.DefaultLanguage, b.DefaultLanguage = "fr", "fr"
	b.Sections[0].Questions[0].Options = append(b.Sections[0].Questions[0].Options, Option{Code: "c", Label: Text{"en": "C", "fr": "Cé"}})
	d := Diff(a, b)
	want := []Change{{Property: PropOptions, Kind: ChangeAdded, Item: "c", After: "Cé"}}
	if len(d.Changed) != 1 || !reflect.DeepEqual(d.Changed[0].Changes, want) {
		t.Errorf("changes %+v, want %+v", d.Changed, want)
	}
}
