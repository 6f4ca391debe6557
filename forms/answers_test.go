package forms

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// decode turns a JSON object into Answers the way the API does.
func decode(t testing.TB, s string) Answers {
	t.Helper()
	var a Answers
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return a
}

// fullAnswers is a complete response to testdata/example.json.
const fullAnswers = `{
	"q_sector": "other", "q_sector.other": "  A foundation ",
	"q_founded": 1999, "q_staff": "12.5", "q_since": "2001-05-02",
	"q_areas": ["tip", "untoc"], "q_priorities": ["tip", "fa"],
	"q_implementation": 2, "q_articles": {"art5": 3, "tip_art3": 0},
	"q_gaps": "Training", "q_tip_details": "Victims are not identified early enough.",
	"q_budget_share": 40,
	"q_projects": [{"q_project_name": " Shelter network ", "q_project_year": "2015"}]
}`

func fullClean() Answers {
	return Answers{
		"q_sector": "other", "q_sector.other": "A foundation",
		"q_founded": 1999.0, "q_staff": 12.5, "q_since": "2001-05-02",
		"q_areas": []string{"untoc", "tip"}, "q_priorities": []string{"tip", "fa"},
		"q_implementation": 2, "q_articles": map[string]int{"art5": 3, "tip_art3": 0},
		"q_gaps": "Training", "q_tip_details": "Victims are not identified early enough.",
		"q_budget_share":  40.0,
		"q_staff_band":    "10 or more",
		"q_projects":      []Answers{{"q_project_name": "Shelter network", "q_project_year": 2015.0}},
		"q_project_count": 1.0,
	}
}

func TestCheckCompleteResponse(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	clean, verr := f.Check(decode(t, fullAnswers), true)
	if verr != nil {
		t.Fatalf("Check: %v", verr)
	}
	if want := fullClean(); !reflect.DeepEqual(clean, want) {
		t.Errorf("clean:\n got %#v\nwant %#v", clean, want)
	}
	// Clean answers check clean again, unchanged.
	again, verr := f.Check(clean, true)
	if verr != nil || !reflect.DeepEqual(again, clean) {
		t.Errorf("re-check = %v, %v", again, verr)
	}
}

// TestCheck changes the complete response (edit) and compares the problems
// and the clean answers that differ from the complete ones.
func TestCheck(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	tests := []struct {
		name    string
		edit    string // JSON merged into the full response; null removes
		final   bool
		want    []string
		changed Answers // clean answers that differ from fullClean; nil value: absent
	}{
		{"wrong type for a choice", `{"q_sector": 3}`, false,
			[]string{"/answers/q_sector: must be an option code"},
			Answers{"q_sector": nil, "q_sector.other": nil}},
		{"unknown option", `{"q_sector": "NGO"}`, false,
			[]string{`/answers/q_sector: unknown option "NGO"`}, Answers{"q_sector": nil, "q_sector.other": nil}},
		{"other text dropped when other is not chosen", `{"q_sector": "ngo"}`, true, nil,
			Answers{"q_sector": "ngo", "q_sector.other": nil}},
		{"other text required when other is chosen", `{"q_sector.other": " "}`, true,
			[]string{"/answers/q_sector.other: required"}, Answers{"q_sector.other": nil}},
		{"other text may wait in a draft", `{"q_sector.other": null}`, false, nil, Answers{"q_sector.other": nil}},
		{"other text of wrong type", `{"q_sector.other": ["x"]}`, false,
			[]string{"/answers/q_sector.other: must be text"}, Answers{"q_sector.other": nil}},
		{"whole number expected", `{"q_founded": 1999.5}`, false,
			[]string{"/answers/q_founded: must be a whole number"}, Answers{"q_founded": nil}},
		{"integer as text from a form", `{"q_founded": " 2001 "}`, false, nil, Answers{"q_founded": 2001.0}},
		{"not a number", `{"q_staff": "twelve"}`, false,
			[]string{"/answers/q_staff: must be a number"}, Answers{"q_staff": nil, "q_budget_share": nil, "q_staff_band": nil}},
		{"below min", `{"q_founded": 1700}`, false,
			[]string{"/answers/q_founded: must be at least 1800"}, Answers{"q_founded": nil}},
		{"above max", `{"q_founded": 2200}`, false,
			[]string{"/answers/q_founded: must be at most 2100"}, Answers{"q_founded": nil}},
		{"impossible date", `{"q_since": "2023-02-30"}`, false,
			[]string{"/answers/q_since: must be a date in the form YYYY-MM-DD"}, Answers{"q_since": nil}},
		{"date in another form", `{"q_since": "02/05/2001"}`, false,
			[]string{"/answers/q_since: must be a date in the form YYYY-MM-DD"}, Answers{"q_since": nil}},
		{"constraint message in the default language", `{"q_since": "1900-01-01"}`, false,
			[]string{"/answers/q_since: Give a date after 1950."}, Answers{"q_since": nil}},
		{"too many choices", `{"q_areas": ["tip", "som", "fa", "untoc"]}`, false,
			[]string{"/answers/q_areas: choose at most 3 options"}, Answers{"q_areas": nil}},
		{"duplicate choice", `{"q_areas": ["tip", "tip"]}`, false,
			[]string{`/answers/q_areas: option "tip" is listed twice`}, Answers{"q_areas": nil}},
		{"choices as a string", `{"q_areas": "tip"}`, false,
			[]string{"/answers/q_areas: must be a list of option codes"}, Answers{"q_areas": nil}},
		{"more items than options", `{"q_areas": ["a", "b", "c", "d", "e", "f"]}`, false,
			[]string{"/answers/q_areas: choose at most 5 options"}, Answers{"q_areas": nil}},
		{"ranking with an unknown and a repeated option", `{"q_priorities": ["tip", "xx", "tip"]}`, false,
			[]string{`/answers/q_priorities: unknown option "xx"`, `/answers/q_priorities: option "tip" is listed twice`},
			Answers{"q_priorities": nil}},
		{"ranking too long", `{"q_priorities": ["tip", "fa", "som", "untoc"]}`, false,
			[]string{"/answers/q_priorities: rank at most 3 options"}, Answers{"q_priorities": nil}},
		{"scale value not on the scale", `{"q_implementation": 7}`, false,
			[]string{"/answers/q_implementation: must be one of the scale values (1, 2, 3, 4, 0)"},
			Answers{"q_implementation": nil, "q_gaps": nil}},
		{"matrix with unknown row and bad value", `{"q_articles": {"art5": 9, "art99": 1}}`, false,
			[]string{"/answers/q_articles/art5: must be one of the scale values (1, 2, 3, 0)",
				"/answers/q_articles/art99: unknown row"},
			Answers{"q_articles": nil}},
		{"matrix may be partial when not required", `{"q_articles": {"art5": 1, "tip_art3": null}}`, true, nil,
			Answers{"q_articles": map[string]int{"art5": 1}}},
		{"matrix of wrong type", `{"q_articles": [1, 2]}`, false,
			[]string{"/answers/q_articles: must be an object of row codes to scale values"}, Answers{"q_articles": nil}},
		{"text too long, counted in characters", `{"q_gaps": "` + strings.Repeat("é", 301) + `"}`, false,
			[]string{"/answers/q_gaps: must be at most 300 characters (it has 301)"}, Answers{"q_gaps": nil}},
		{"text at the limit", `{"q_gaps": "` + strings.Repeat("é", 300) + `"}`, false,
			nil, Answers{"q_gaps": strings.Repeat("é", 300)}},
		{"text of wrong type", `{"q_gaps": 12}`, false,
			[]string{"/answers/q_gaps: must be text"}, Answers{"q_gaps": nil}},
		{"generic constraint failure", `{"q_tip_details": "Too short."}`, false,
			[]string{"/answers/q_tip_details: Please write at least 20 characters."}, Answers{"q_tip_details": nil}},
		{"custom constraint message", `{"q_budget_share": 140}`, false,
			[]string{"/answers/q_budget_share: Give a percentage between 0 and 100."}, Answers{"q_budget_share": nil}},
		{"required on submit", `{"q_sector": null, "q_implementation": ""}`, true,
			[]string{"/answers/q_sector: required", "/answers/q_implementation: required"},
			Answers{"q_sector": nil, "q_sector.other": nil, "q_implementation": nil, "q_gaps": nil}},
		{"not required in a draft", `{"q_sector": null, "q_implementation": ""}`, false, nil,
			Answers{"q_sector": nil, "q_sector.other": nil, "q_implementation": nil, "q_gaps": nil}},
		{"custom required message", `{"q_budget_share": null}`, true,
			[]string{"/answers/q_budget_share: Please give a share, 0 if none."}, Answers{"q_budget_share": nil}},
		{"irrelevant answer dropped", `{"q_implementation": 4}`, true, nil,
			Answers{"q_implementation": 4, "q_gaps": nil}},
		{"irrelevant answer dropped even when invalid", `{"q_staff": 0, "q_budget_share": "lots"}`, true, nil,
			Answers{"q_staff": 0.0, "q_budget_share": nil, "q_staff_band": "fewer than 10"}},
		{"irrelevant required question not required", `{"q_staff": null, "q_budget_share": null}`, true, nil,
			Answers{"q_staff": nil, "q_budget_share": nil, "q_staff_band": nil}},
		{"irrelevant section dropped", `{"q_sector": "private", "q_areas": ["fa"]}`, true, nil,
			Answers{"q_sector": "private", "q_sector.other": nil, "q_areas": []string{"fa"},
				"q_priorities": nil, "q_implementation": nil, "q_articles": nil, "q_gaps": nil,
				"q_tip_details": nil, "q_budget_share": nil, "q_projects": nil, "q_project_count": nil}},
		{"unknown questions", `{"q_zzz": 1, "a/b": 2, "q_gaps.other": "x"}`, false,
			[]string{"/answers/a~1b: unknown question", "/answers/q_gaps.other: unknown question",
				"/answers/q_zzz: unknown question"}, nil},
		{"note takes no answer", `{"q_intro": "hello"}`, false,
			[]string{"/answers/q_intro: a note takes no answer"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := decode(t, fullAnswers)
			for k, v := range decode(t, tt.edit) {
				a[k] = v
			}
			clean, verr := f.Check(a, tt.final)
			var got []string
			if verr != nil {
				got = fields(verr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
			want := fullClean()
			for k, v := range tt.changed {
				if v == nil {
					delete(want, k)
				} else {
					want[k] = v
				}
			}
			if !reflect.DeepEqual(clean, want) {
				t.Errorf("clean:\n got %v\nwant %v", clean, want)
			}
		})
	}
}

func TestCheckRequiredMatrix(t *testing.T) {
	d := probeDefinition("", "")
	d.Sections[0].Questions[8].Required = true
	f := mustCompile(t, d)
	clean, verr := f.Check(Answers{"q_matrix": map[string]any{"r2": 1.0}}, true)
	if got, want := fields(verr), []string{"/answers/q_matrix/r1: required"}; !slices.Equal(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
	if got := clean["q_matrix"]; !reflect.DeepEqual(got, map[string]int{"r2": 1}) {
		t.Errorf("clean matrix = %v", got)
	}
	if _, verr := f.Check(Answers{"q_matrix": map[string]int{"r1": 3, "r2": 1}}, true); verr != nil {
		t.Errorf("complete matrix: %v", verr)
	}
}

func TestCheckDoesNotModifyInput(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	a := decode(t, fullAnswers)
	before := maps.Clone(a)
	f.Check(a, true)
	if !reflect.DeepEqual(a, before) {
		t.Errorf("Check changed its input")
	}
}

func TestVisible(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	tests := []struct {
		name     string
		answers  string
		hidden   []string
		sections map[string]bool
	}{
		// A repeat without entries shows none of its questions.
		{"nothing answered", `{}`, []string{"q_gaps", "q_tip_details", "q_budget_share", "q_project_name", "q_project_year"},
			map[string]bool{"profile": true, "issues": true}},
		{"full response", fullAnswers, nil, map[string]bool{"profile": true, "issues": true}},
		{"private sector with one area", `{"q_sector": "private", "q_areas": ["tip"]}`,
			[]string{"q_priorities", "q_implementation", "q_articles", "q_gaps", "q_tip_details", "q_budget_share",
				"q_projects", "q_project_name", "q_project_year", "q_project_count"},
			map[string]bool{"profile": true, "issues": false}},
		// An invalid answer is no answer to the expressions after it.
		{"invalid staff count", `{"q_staff": -3}`, []string{"q_gaps", "q_tip_details", "q_budget_share", "q_project_name", "q_project_year"},
			map[string]bool{"profile": true, "issues": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := decode(t, tt.answers)
			vis := f.Visible(a)
			if len(vis) != len(f.Definition().Questions()) {
				t.Errorf("%d entries, want one per question", len(vis))
			}
			var hidden []string
			for _, q := range f.Definition().Questions() {
				if !vis[q.Code] {
					hidden = append(hidden, q.Code)
				}
			}
			if !slices.Equal(hidden, tt.hidden) {
				t.Errorf("hidden = %q, want %q", hidden, tt.hidden)
			}
			if got := f.VisibleSections(a); !maps.Equal(got, tt.sections) {
				t.Errorf("sections = %v, want %v", got, tt.sections)
			}
		})
	}
}

func TestCheckTextCleaning(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	clean, verr := f.Check(Answers{"q_gaps": "\x00  bad\xffbyte\x00 ", "q_implementation": 1}, false)
	if verr != nil {
		t.Fatal(verr)
	}
	if got, want := clean["q_gaps"], "bad\uFFFDbyte"; got != want {
		t.Errorf("clean text = %q, want %q", got, want)
	}
}

// TestCheckConcurrent shares one form between goroutines, as the server
// does; run with -race.
func TestCheckConcurrent(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	a := decode(t, fullAnswers)
	want := fullClean()
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			for range 50 {
				clean, verr := f.Check(a, true)
				if verr != nil || !reflect.DeepEqual(clean, want) {
					errs <- "concurrent Check differs"
					return
				}
			}
			errs <- ""
		}()
	}
	for range 8 {
		if msg := <-errs; msg != "" {
			t.Error(msg)
		}
	}
}
