package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func mustDemos(t *testing.T) []Definition {
	t.Helper()
	defs, err := DemoQuestionnaires()
	if err != nil {
		t.Fatalf("DemoQuestionnaires: %v", err)
	}
	return defs
}

func TestDemoQuestionnaires(t *testing.T) {
	defs := mustDemos(t)
	tests := []struct {
		code, kind string
		sections   int
		questions  int
	}{
		{"pilot-issues", KindIssueIdentification, 4, 11},
		{"self-assessment-c1", KindSelfAssessmentInput, 8, 29},
	}
	if len(defs) != len(tests) {
		t.Fatalf("got %d demo questionnaires, want %d", len(defs), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			d := defs[i]
			if d.Code != tt.code || d.Kind != tt.kind {
				t.Errorf("got %s (%s), want %s (%s)", d.Code, d.Kind, tt.code, tt.kind)
			}
			if d.DefaultLanguage != "en" || !slices.Equal(d.Languages, []string{"en", "fr"}) {
				t.Errorf("languages %q %v, want en [en fr]", d.DefaultLanguage, d.Languages)
			}
			if len(d.Sections) != tt.sections || len(d.Questions()) != tt.questions {
				t.Errorf("%d sections and %d questions, want %d and %d",
					len(d.Sections), len(d.Questions()), tt.sections, tt.questions)
			}
		})
	}
}

// demoTexts lists every human-readable text of a definition by its path.
func demoTexts(d *Definition) map[string]Text {
	texts := map[string]Text{"/title": d.Title}
	if d.Description != nil {
		texts["/description"] = d.Description
	}
	for si, s := range d.Sections {
		sp := fmt.Sprintf("/sections/%d", si)
		texts[sp+"/title"] = s.Title
		if s.Description != nil {
			texts[sp+"/description"] = s.Description
		}
		for qi, q := range s.Questions {
			qp := fmt.Sprintf("%s/questions/%d", sp, qi)
			texts[qp+"/label"] = q.Label
			for name, t := range map[string]Text{"hint": q.Hint, "required_message": q.RequiredMessage, "constraint_message": q.ConstraintMessage} {
				if t != nil {
					texts[qp+"/"+name] = t
				}
			}
			for i, o := range q.Options {
				texts[fmt.Sprintf("%s/options/%d/label", qp, i)] = o.Label
			}
			for i, p := range q.Scale {
				texts[fmt.Sprintf("%s/scale/%d/label", qp, i)] = p.Label
			}
			for i, r := range q.Rows {
				texts[fmt.Sprintf("%s/rows/%d/label", qp, i)] = r.Label
			}
		}
	}
	return texts
}

// sameInFrench are the demo texts that French spells as English does.
var sameInFrench = map[string]bool{"Corruption": true, "Consultation": true, "Art. 8 – Corruption": true}

func TestDemoTextsInEnglishAndFrench(t *testing.T) {
	for _, d := range mustDemos(t) {
		t.Run(d.Code, func(t *testing.T) {
			texts := demoTexts(&d)
			if len(texts) < 50 {
				t.Errorf("only %d texts found", len(texts))
			}
			for path, text := range texts {
				if strings.TrimSpace(text["en"]) == "" || strings.TrimSpace(text["fr"]) == "" {
					t.Errorf("%s: want English and French, got %v", path, text)
				}
				if len(text) != 2 {
					t.Errorf("%s: languages %v, want only en and fr", path, text)
				}
				if text["en"] == text["fr"] && !sameInFrench[text["en"]] {
					t.Errorf("%s: French %q is the English text", path, text["fr"])
				}
			}
		})
	}
}

func TestDemoCodesAndThemes(t *testing.T) {
	known := KnownThemes(mustSeedThemes(t))
	code := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	for _, d := range mustDemos(t) {
		t.Run(d.Code, func(t *testing.T) {
			seen := map[string]bool{}
			for _, q := range d.Questions() {
				if !code.MatchString(q.Code) || seen[q.Code] {
					t.Errorf("question code %q malformed or repeated", q.Code)
				}
				seen[q.Code] = true
				if len(q.Themes) == 0 {
					t.Errorf("%s has no theme", q.Code)
				}
				themes := slices.Clone(q.Themes)
				for _, r := range q.Rows {
					themes = append(themes, r.Themes...)
				}
				for _, th := range themes {
					if !known(th) {
						t.Errorf("%s: theme %q is not in the taxonomy", q.Code, th)
					}
				}
			}
		})
	}
}

// TestDemoFeatures checks that the demos show what the engine can do: the
// question types and the skip logic that the documentation points to.
func TestDemoFeatures(t *testing.T) {
	defs := mustDemos(t)
	all := map[string]*Question{}
	for i := range defs {
		for _, q := range defs[i].Questions() {
			all[defs[i].Code+"/"+q.Code] = q
		}
	}
	tests := []struct {
		name  string
		check func() bool
	}{
		{"organization type has an 'other, please specify' option", func() bool {
			o := all["pilot-issues/q_org_type"].Option("other")
			return o != nil && o.Other
		}},
		{"priorities are a ranking of up to three", func() bool {
			q := all["pilot-issues/q_priorities"]
			return q.Type == TypeRanking && len(q.Options) >= 7 && q.Max != nil && *q.Max == 3
		}},
		{"years of experience is a bounded integer", func() bool {
			q := all["pilot-issues/q_years"]
			return q.Type == TypeInteger && q.Min != nil && *q.Min == 0 && q.Max != nil && *q.Max == 100
		}},
		{"cooperation scale has five points and a missing don't know", func() bool {
			q := all["pilot-issues/q_coop"]
			p := q.Point(9)
			return q.Type == TypeScale && len(q.Scale) == 6 && p != nil && p.Missing && !q.Point(1).Missing
		}},
		{"obstacles only after a poor rating", func() bool {
			return all["pilot-issues/q_coop_obstacles"].Relevant == "q_coop != nil && q_coop <= 2"
		}},
		{"channels allow other", func() bool {
			o := all["pilot-issues/q_channels"].Option("other")
			return o != nil && o.Other
		}},
		{"legislation matrix over five articles", func() bool {
			q := all["self-assessment-c1/q_law"]
			return q.Type == TypeMatrix && len(q.Rows) == 5 && q.Point(9) != nil && q.Point(9).Missing
		}},
		{"gaps only when not yes", func() bool {
			return all["self-assessment-c1/q_gaps_art5"].Relevant == `answered(q_impl_art5) && !selected(q_impl_art5, "yes")`
		}},
		{"assistance details only when needed", func() bool {
			return all["self-assessment-c1/q_ta_tip5_detail"].Relevant == `q_ta_tip5 == "yes"`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.check() {
				t.Error("not so")
			}
		})
	}
	for _, art := range []string{"art5", "art6", "art8", "art23", "tip5"} {
		for _, prefix := range []string{"q_impl_", "q_gaps_", "q_evidence_", "q_ta_"} {
			if all["self-assessment-c1/"+prefix+art] == nil {
				t.Errorf("self-assessment-c1 lacks %s%s", prefix, art)
			}
		}
	}
}

func TestDemoQuestionnairesCompile(t *testing.T) {
	known := KnownThemes(mustSeedThemes(t))
	for _, d := range mustDemos(t) {
		t.Run(d.Code, func(t *testing.T) {
			f, err := Compile(&d, known)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got := f.Definition(); got.Code != d.Code || len(got.Questions()) != len(d.Questions()) {
				t.Errorf("compiled %s with %d questions, want %s with %d",
					got.Code, len(got.Questions()), d.Code, len(d.Questions()))
			}
		})
	}
}

// TestDemoSkipLogic runs the demos' relevant expressions: the follow-up
// questions appear exactly when the answers call for them, and "don't know"
// calls for none.
func TestDemoSkipLogic(t *testing.T) {
	known := KnownThemes(mustSeedThemes(t))
	forms := map[string]*Form{}
	for _, d := range mustDemos(t) {
		f, err := Compile(&d, known)
		if err != nil {
			t.Fatalf("Compile %s: %v", d.Code, err)
		}
		forms[d.Code] = f
	}
	tests := []struct {
		form, question string
		answers        Answers
		want           bool
	}{
		{"pilot-issues", "q_coop_obstacles", Answers{}, false},
		{"pilot-issues", "q_coop_obstacles", Answers{"q_coop": 1}, true},
		{"pilot-issues", "q_coop_obstacles", Answers{"q_coop": 2}, true},
		{"pilot-issues", "q_coop_obstacles", Answers{"q_coop": 3}, false},
		{"pilot-issues", "q_coop_obstacles", Answers{"q_coop": 9}, false}, // don't know
		{"pilot-issues", "q_priorities_why", Answers{}, false},
		{"pilot-issues", "q_priorities_why", Answers{"q_priorities": []string{"tip", "corruption"}}, true},
		{"self-assessment-c1", "q_gaps_art5", Answers{}, false},
		{"self-assessment-c1", "q_gaps_art5", Answers{"q_impl_art5": "yes"}, false},
		{"self-assessment-c1", "q_gaps_art5", Answers{"q_impl_art5": "partly"}, true},
		{"self-assessment-c1", "q_gaps_art5", Answers{"q_impl_art5": "no"}, true},
		{"self-assessment-c1", "q_gaps_tip5", Answers{"q_impl_tip5": "dont_know"}, true},
		{"self-assessment-c1", "q_ta_art23_detail", Answers{"q_ta_art23": "no"}, false},
		{"self-assessment-c1", "q_ta_art23_detail", Answers{"q_ta_art23": "yes"}, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.question, tt.answers), func(t *testing.T) {
			if got := forms[tt.form].Visible(tt.answers)[tt.question]; got != tt.want {
				t.Errorf("visible = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDemoCompleteResponses submits a plausible full response to each demo:
// it must pass as final, with the follow-up answers kept.
func TestDemoCompleteResponses(t *testing.T) {
	known := KnownThemes(mustSeedThemes(t))
	sa := Answers{
		"q_org_type":  "academia",
		"q_law":       map[string]int{"untoc_art5": 3, "untoc_art6": 2, "untoc_art8": 3, "untoc_art23": 1, "tip_art5": 9},
		"q_consulted": "no",
	}
	for _, art := range []string{"art5", "art6", "art8", "art23", "tip5"} {
		sa["q_impl_"+art] = "partly"
		sa["q_gaps_"+art] = "Few convictions."
		sa["q_ta_"+art] = "yes"
		sa["q_ta_"+art+"_detail"] = "Training for prosecutors."
	}
	tests := []struct {
		code    string
		answers Answers
		kept    []string // follow-up answers that must survive
	}{
		{"pilot-issues", Answers{
			"q_org_type": "other", "q_org_type" + OtherSuffix: "Labour union",
			"q_areas": []string{"tip", "som"}, "q_years": 12,
			"q_priorities": []string{"tip", "corruption", "environment"}, "q_priorities_why": "Most cases we see.",
			"q_crosscutting": []string{"gender", "victims"},
			"q_coop":         2, "q_coop_obstacles": "No answer to our letters.",
			"q_channels": []string{"meetings", "other"}, "q_channels" + OtherSuffix: "Community radio",
			"q_problems": "Victims are prosecuted.",
		}, []string{"q_coop_obstacles", "q_priorities_why", "q_org_type" + OtherSuffix}},
		{"self-assessment-c1", sa, []string{"q_gaps_art23", "q_ta_tip5_detail"}},
	}
	defs := map[string]Definition{}
	for _, d := range mustDemos(t) {
		defs[d.Code] = d
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			d := defs[tt.code]
			f, err := Compile(&d, known)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			clean, verr := f.Check(tt.answers, true)
			if verr != nil {
				t.Fatalf("Check: %v", verr)
			}
			for _, code := range tt.kept {
				if clean[code] == nil {
					t.Errorf("answer %s dropped", code)
				}
			}
		})
	}
}
