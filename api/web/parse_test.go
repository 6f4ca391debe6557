package web

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

func TestParseSection(t *testing.T) {
	f := exampleForm(t)
	def := f.Definition()
	tests := []struct {
		name     string
		section  int
		lang     string
		form     string
		want     forms.Answers
		problems []string
	}{
		{"empty", 0, "en", "", forms.Answers{}, nil},
		{"profile", 0, "en",
			"q_sector=other&q_sector.other=A+foundation&q_founded=1999&q_staff=12.5&q_since=2001-05-02&q_areas=tip&q_areas=untoc&q_areas=&csrf=x&action=next&q_unknown=1",
			forms.Answers{"q_sector": "other", "q_sector.other": "A foundation", "q_founded": "1999", "q_staff": "12.5",
				"q_since": "2001-05-02", "q_areas": []string{"tip", "untoc"}}, nil},
		{"blank fields are no answer", 0, "en", "q_sector=&q_founded=+&q_sector.other=++", forms.Answers{}, nil},
		{"decimal comma in French", 0, "fr", "q_staff=2%2C5", forms.Answers{"q_staff": "2.5"}, nil},
		{"thousands in English", 0, "en", "q_staff=1%2C200", forms.Answers{"q_staff": "1200"}, nil},
		{"Arabic digits", 0, "ar", "q_founded=%D9%A1%D9%A9%D9%A9%D9%A9", forms.Answers{"q_founded": "1999"}, nil},
		{"spaces group thousands", 0, "fr", "q_staff=1%C2%A0200", forms.Answers{"q_staff": "1200"}, nil},
		{"ranking and matrix", 1, "en",
			"q_priorities.rank.tip=2&q_priorities.rank.fa=1&q_priorities.rank.som=&q_implementation=2&q_articles.art5=3&q_articles.tip_art3=0&q_articles.nope=1",
			forms.Answers{"q_priorities": []string{"fa", "tip"}, "q_implementation": "2",
				"q_articles": map[string]any{"art5": "3", "tip_art3": "0"}}, nil},
		{"ranks with gaps keep their order", 1, "en", "q_priorities.rank.tip=4&q_priorities.rank.untoc=2",
			forms.Answers{"q_priorities": []string{"untoc", "tip"}}, nil},
		{"a rank given twice", 1, "en", "q_priorities.rank.tip=1&q_priorities.rank.fa=1",
			forms.Answers{}, []string{"/answers/q_priorities: " + msgRankTwice}},
		{"entries of a repeat, blank ones kept", 1, "fr",
			"q_projects.entries=3&q_projects.1.q_project_name=Abri&q_projects.1.q_project_year=2%C2%A0015&q_projects.3.q_project_name=X&q_projects.4.q_project_name=Y",
			forms.Answers{"q_projects": []any{map[string]any{"q_project_name": "Abri", "q_project_year": "2015"}, map[string]any{},
				map[string]any{"q_project_name": "X"}}}, nil},
		{"no entry count, no entries", 1, "en", "q_projects.1.q_project_name=Abri", forms.Answers{}, nil},
		{"a calculation is never read", 0, "en", "q_staff_band=forged", forms.Answers{}, nil},
		{"a rank out of range", 1, "en", "q_priorities.rank.tip=9",
			forms.Answers{}, []string{"/answers/q_priorities: " + msgRankInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			got, problems := ParseSection(&def.Sections[tt.section], form, tt.lang)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("answers\n got %#v\nwant %#v", got, tt.want)
			}
			var lines []string
			for _, p := range problems {
				lines = append(lines, p.Path+": "+p.Message)
			}
			if !reflect.DeepEqual(lines, tt.problems) {
				t.Errorf("problems %q, want %q", lines, tt.problems)
			}
		})
	}
}

// TestParsedAnswersCheck checks that what ParseSection reads is what
// forms.Check accepts: the form and the domain agree on the shapes.
func TestParsedAnswersCheck(t *testing.T) {
	f := exampleForm(t)
	def := f.Definition()
	form, _ := url.ParseQuery("q_sector=other&q_sector.other=X&q_founded=1999&q_staff=2%2C5&q_areas=tip" +
		"&q_priorities.rank.tip=1&q_implementation=1&q_articles.art5=3&q_gaps=gap&q_tip_details=" +
		strings.Repeat("x", 30) + "&q_budget_share=40")
	a := forms.Answers{}
	for i := range def.Sections {
		part, problems := ParseSection(&def.Sections[i], form, "fr")
		if problems != nil {
			t.Fatalf("section %d: %v", i, problems)
		}
		for k, v := range part {
			a[k] = v
		}
	}
	clean, ve := f.Check(a, true)
	if ve != nil {
		t.Fatalf("Check: %v", ve)
	}
	if clean["q_staff"] != 2.5 || !reflect.DeepEqual(clean["q_articles"], map[string]int{"art5": 3}) {
		t.Errorf("clean = %#v", clean)
	}
}

func FuzzParseSection(f *testing.F) {
	form := exampleForm(f)
	def := form.Definition()
	f.Add("q_sector=ngo&q_areas=tip&q_areas=tip&q_founded=12,5", 0)
	f.Add("q_priorities.rank.tip=1&q_priorities.rank.fa=1&q_articles.art5=x", 1)
	f.Add("q_staff=%D9%A1%D9%AB%D9%A5&q_priorities.rank.som=-1", 0)
	f.Fuzz(func(t *testing.T, raw string, section int) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		sec := &def.Sections[(section%len(def.Sections)+len(def.Sections))%len(def.Sections)]
		for _, lang := range []string{"en", "fr", "ar"} {
			a, _ := ParseSection(sec, values, lang)
			for k := range a {
				code := strings.TrimSuffix(k, forms.OtherSuffix)
				q := def.Question(code)
				if q == nil || !containsQuestion(sec, code) {
					t.Fatalf("answer %q is not a question of the section", k)
				}
			}
			form.Check(a, true) // must not panic on anything parsed
		}
	})
}

func containsQuestion(s *forms.Section, code string) bool {
	for _, q := range s.Questions {
		if q.Code == code {
			return true
		}
	}
	return false
}

func TestChangeEntries(t *testing.T) {
	f := exampleForm(t)
	sec := &f.Definition().Sections[1]
	form := url.Values{"q_projects.entries": {"3"}, "q_projects.1.q_project_name": {"A"},
		"q_projects.2.q_project_name": {"B"}, "q_projects.3.q_project_name": {"C"}, "q_gaps": {"x"}}
	posted, _ := ParseSection(sec, form, "en")
	out, ok := ChangeEntries(sec, posted, form, false, "q_projects", 2)
	if !ok {
		t.Fatal("refused")
	}
	want := url.Values{"q_projects.entries": {"2"}, "q_projects.1.q_project_name": {"A"}, "q_projects.2.q_project_name": {"C"}, "q_gaps": {"x"}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("form = %v, want %v", out, want)
	}
	if got := posted["q_projects"].([]any); len(got) != 2 || got[1].(map[string]any)["q_project_name"] != "C" {
		t.Errorf("entries = %v", got)
	}
	if _, ok := ChangeEntries(sec, posted, form, true, "q_gaps", 0); ok {
		t.Error("added an entry to a text")
	}
	posted["q_projects"] = []any{map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}}
	if _, ok := ChangeEntries(sec, posted, form, true, "q_projects", 0); ok {
		t.Error("added a sixth entry to a repeat of at most 5")
	}
}
