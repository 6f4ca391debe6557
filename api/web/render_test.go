package web

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
)

// shownAll makes every question of the example visible.
var shownAll = forms.Answers{
	"q_sector": "other", "q_sector.other": "A foundation", "q_founded": 1999.0, "q_staff": 3.0,
	"q_since": "2001-05-02", "q_areas": []any{"tip", "untoc"}, "q_priorities": []any{"fa", "tip"},
	"q_implementation": 1.0, "q_articles": map[string]any{"art5": 3.0},
}

func TestRenderQuestionTypes(t *testing.T) {
	f := exampleForm(t)
	r := newRenderer(t)
	pages := []string{
		render(t, r, r.Section(visit(f, "en"), SectionState{Index: 0, Answers: shownAll})),
		render(t, r, r.Section(visit(f, "en"), SectionState{Index: 1, Answers: shownAll})),
	}
	tests := []struct {
		typ     string
		section int
		want    []string
	}{
		{"note", 0, []string{`<p class="note">Your answers are confidential.</p>`}},
		{"single_choice", 0, []string{`<legend>Your organization is <span class="req">(required)</span></legend>`,
			`<input id="q-q_sector-ngo" type="radio" name="q_sector" value="ngo"><label for="q-q_sector-ngo">An NGO</label>`,
			`<input id="q-q_sector-other" type="radio" name="q_sector" value="other" checked>`,
			`<label for="q-q_sector--other">Please specify</label>`,
			`name="q_sector.other" type="text" value="A foundation"`}},
		{"integer", 0, []string{`<label class="label" for="q-q_founded">`, `name="q_founded" type="text" value="1999" inputmode="numeric"`}},
		{"number", 0, []string{`value="3" inputmode="decimal"`, `aria-describedby="q-q_staff-hint"`,
			`<p class="hint" id="q-q_staff-hint">Count part-time staff as fractions, e.g. 2.5.</p>`}},
		{"date", 0, []string{`<input id="q-q_since" name="q_since" type="date" value="2001-05-02"`, `For example, 2024-03-31.`}},
		{"multiple_choice", 0, []string{`<input id="q-q_areas-tip" type="checkbox" name="q_areas" value="tip" checked>`,
			`<input id="q-q_areas-som" type="checkbox" name="q_areas" value="som">`}},
		{"ranking", 1, []string{`<select id="q-q_priorities-fa" name="q_priorities.rank.fa">`,
			`<option value="1" selected>1</option><option value="2">2</option><option value="3">3</option>`, `</select><label for="q-q_priorities-fa">Firearms Protocol</label>`,
			`<option value="">Not ranked</option>`, `aria-describedby="q-q_priorities-hint"`}},
		{"scale", 1, []string{`<input id="q-q_implementation-1" type="radio" name="q_implementation" value="1" checked>`,
			`<label for="q-q_implementation-0">Don&#39;t know</label>`}},
		{"matrix", 1, []string{`<th scope="col">Poorly</th>`, `<th scope="row" id="q-q_articles-art5">`,
			`name="q_articles.art5" value="3" checked><span class="vh">Participation in an organized criminal group (UNTOC art. 5): Well</span>`}},
		{"text", 1, []string{`<input id="q-q_gaps" name="q_gaps" type="text" value="" maxlength="300" dir="auto">`}},
		{"long_text", 1, []string{`<textarea id="q-q_tip_details" name="q_tip_details" rows="6" dir="auto" maxlength="10000">`}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(pages[tt.section], w) {
					t.Errorf("missing %s", w)
				}
			}
		})
	}
	for i, page := range pages {
		checkLabelled(t, i, page)
	}
}

var (
	inputID  = regexp.MustCompile(`<(?:input|select|textarea) id="([^"]+)"`)
	labelFor = regexp.MustCompile(`<label[^>]* for="([^"]+)"`)
	wrapped  = regexp.MustCompile(`<label class="cell"><input id="([^"]+)"`)
)

// checkLabelled checks that every control of a page has a label.
func checkLabelled(t *testing.T, page int, html string) {
	t.Helper()
	labelled := map[string]bool{}
	for _, m := range labelFor.FindAllStringSubmatch(html, -1) {
		labelled[m[1]] = true
	}
	for _, m := range wrapped.FindAllStringSubmatch(html, -1) {
		labelled[m[1]] = true
	}
	for _, m := range inputID.FindAllStringSubmatch(html, -1) {
		if !labelled[m[1]] {
			t.Errorf("page %d: control %s has no label", page, m[1])
		}
	}
}

func TestRenderErrors(t *testing.T) {
	f := exampleForm(t)
	r := newRenderer(t)
	problems := []forms.FieldError{
		{Path: "/answers/q_sector", Message: "required"},
		{Path: "/answers/q_founded", Message: "must be a whole number"},
		{Path: "/answers/q_since", Message: "Give a date after 1950."},
		{Path: "/answers/q_areas", Message: "choose at most 3 options"},
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{`<title>Error: About you – Issue identification</title>`,
			`<a href="#q-q_sector-ngo"><strong>Your organization is</strong> Please answer this question.</a>`,
			`<p class="err" id="q-q_founded-error"><span class="vh">Error: </span>Enter a whole number, without decimals.</p>`,
			`aria-describedby="q-q_founded-error" aria-invalid="true"`,
			`Give a date after 1950.`, `Select at most 3.`}},
		{"fr", []string{`<strong>Votre organisation est</strong> Veuillez répondre à cette question.`,
			`Saisissez un nombre entier, sans décimales.`, `Indiquez une date postérieure à 1950.`, `Sélectionnez-en au plus 3.`}},
		{"ar", []string{`يُرجى الإجابة عن هذا السؤال.`, `أدخل عدداً صحيحاً بلا كسور.`, `اختر 3 على الأكثر.`}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			html := render(t, r, r.Section(visit(f, tt.lang), SectionState{Index: 0, Answers: forms.Answers{}, Problems: problems}))
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s", w)
				}
			}
		})
	}
}

func TestProblemMessages(t *testing.T) {
	f := exampleForm(t)
	r := newRenderer(t)
	v := visit(f, "en")
	def := f.Definition()
	tests := []struct {
		code, path, msg, want string
	}{
		{"q_sector", "/answers/q_sector.other", "required", "Please specify your answer."},
		{"q_articles", "/answers/q_articles/art5", "required", "Please choose an answer for “Participation in an organized criminal group (UNTOC art. 5)”."},
		{"q_staff", "/answers/q_staff", "must be a number", "Enter a number, for example 12 or 2.5."},
		{"q_staff", "/answers/q_staff", "must be at least 0", "Enter a number of at least 0."},
		{"q_founded", "/answers/q_founded", "must be at most 2100", "Enter a number of at most 2100."},
		{"q_gaps", "/answers/q_gaps", "must be at most 300 characters (it has 301)", "This text is too long: it has 301 characters, and at most 300 are allowed."},
		{"q_sector", "/answers/q_sector", `unknown option "x"`, "Choose one of the options given."},
		{"q_implementation", "/answers/q_implementation", "must be one of the scale values (1, 2, 3, 4, 0)", "Choose one of the options given."},
		{"q_priorities", "/answers/q_priorities", "rank at least 1 option", "Rank at least 1."},
		{"q_priorities", "/answers/q_priorities", msgRankTwice, "Use each rank only once."},
		{"q_since", "/answers/q_since", "must be a date in the form YYYY-MM-DD", "Enter a valid date in the form YYYY-MM-DD."},
		{"q_budget_share", "/answers/q_budget_share", "Please give a share, 0 if none.", "Please give a share, 0 if none."},
		{"q_tip_details", "/answers/q_tip_details", "Please write at least 20 characters.", "Please write at least 20 characters."},
		{"q_gaps", "/answers/q_gaps", "something new", "This answer is not valid."},
	}
	for _, tt := range tests {
		if got := r.problem(v, def.Question(tt.code), forms.FieldError{Path: tt.path, Message: tt.msg}); got != tt.want {
			t.Errorf("%s %q = %q, want %q", tt.code, tt.msg, got, tt.want)
		}
	}
}

func TestRenderLanguages(t *testing.T) {
	f := exampleForm(t)
	r := newRenderer(t)
	tests := []struct {
		lang string
		want []string
	}{
		{"ar", []string{`<html lang="ar" dir="rtl">`, `<h1 lang="en" dir="ltr">About you</h1>`,
			`>متابعة</button>`, `<li><span aria-current="true" lang="ar">العربية</span></li>`,
			`<a href="/s/tok?lang=en&amp;page=1" lang="en" hreflang="en">English</a>`}},
		{"fr", []string{`<html lang="fr" dir="ltr">`, `<h1>À propos de vous</h1>`, `>Continuer</button>`,
			// no French hint: the default language shows, marked as English
			`<span lang="en">Count part-time staff as fractions, e.g. 2.5.</span>`}},
		{"en", []string{`<html lang="en" dir="ltr">`, `<h1>About you</h1>`, `Section 1 of 2`}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			html := render(t, r, r.Section(visit(f, tt.lang), SectionState{Index: 0, Answers: shownAll}))
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s", w)
				}
			}
		})
	}
}

func TestRenderEscapes(t *testing.T) {
	def := &forms.Definition{
		Code: "xss", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: forms.Text{"en": `<script>alert(1)</script>`},
		Sections: []forms.Section{{Code: "s", Title: forms.Text{"en": `<img src=x onerror=alert(2)>`}, Questions: []forms.Question{
			{Code: "q", Type: forms.TypeText, Label: forms.Text{"en": `<script>alert(3)</script>`}},
			{Code: "c", Type: forms.TypeSingleChoice, Label: forms.Text{"en": "Choose"},
				Options: []forms.Option{{Code: "a", Label: forms.Text{"en": `"><b onmouseover=alert(4)>`}}}},
		}}},
	}
	f, err := forms.Compile(def, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := newRenderer(t)
	answer := forms.Answers{"q": `"><script>alert(5)</script><b>bold</b>`, "c": "a"}
	pages := []string{
		render(t, r, r.Section(visit(f, "en"), SectionState{Index: 0, Answers: answer})),
		render(t, r, r.Review(visit(f, "en"), ReviewState{Answers: answer})),
		render(t, r, r.Done(visit(f, "en"), DoneState{Answers: answer, Receipt: "<i>R</i>", SubmittedAt: time.Now()})),
	}
	for i, html := range pages {
		for _, bad := range []string{"<script>alert", "<img src=x", "<b onmouseover", "<b>bold", "<i>R"} {
			if strings.Contains(html, bad) {
				t.Errorf("page %d contains %s unescaped", i, bad)
			}
		}
		if !strings.Contains(html, "&lt;script&gt;alert(") {
			t.Errorf("page %d does not show the escaped text", i)
		}
	}
}

func TestRenderReviewAndDone(t *testing.T) {
	f := exampleForm(t)
	r := newRenderer(t)
	a := forms.Answers{"q_sector": "other", "q_sector.other": "A foundation", "q_priorities": []any{"fa", "tip"},
		"q_articles": map[string]any{"art5": 3.0}, "q_implementation": 1.0, "q_areas": []any{"untoc"}}
	review := render(t, r, r.Review(visit(f, "en"), ReviewState{
		Answers: a, SubmissionID: "sub-1",
		Problems: []forms.FieldError{{Path: "/answers/q_budget_share", Message: "Please give a share, 0 if none."}},
	}))
	for _, w := range []string{
		`<p class="a">Other (please specify): A foundation</p>`,
		`<ol><li>Firearms Protocol</li><li>Trafficking in Persons Protocol</li></ol>`,
		`<p class="a">Participation in an organized criminal group (UNTOC art. 5) — Well</p>`,
		`<a href="/s/tok?page=1&amp;return=review#q-q_founded">Change<span class="vh"> – In what year was it founded?</span></a>`,
		`<p class="none">Not answered</p>`,
		`<input type="hidden" name="submission_id" value="sub-1">`,
		`<button type="submit" name="action" value="submit" class="primary">Submit my answers</button>`,
	} {
		if !strings.Contains(review, w) {
			t.Errorf("review: missing %s", w)
		}
	}
	done := render(t, r, r.Done(visit(f, "en"), DoneState{Answers: a, Receipt: "K7QD-3MPX-2AHT", SubmittedAt: time.Date(2027, 1, 12, 9, 30, 0, 0, time.UTC), Fresh: true}))
	for _, w := range []string{`<p class="code">K7QD-3MPX-2AHT</p>`, `Submitted on 2027-01-12 09:30 UTC`,
		`can no longer be changed`, `print this page`} {
		if !strings.Contains(done, w) {
			t.Errorf("done: missing %s", w)
		}
	}
	if strings.Contains(done, "return=review") {
		t.Error("a locked confirmation offers change links")
	}
}

// TestRenderRepeatAndCalculation shows a repeat's entries with labelled
// controls, and no calculation: they are computed, not asked.
func TestRenderRepeatAndCalculation(t *testing.T) {
	f := exampleForm(t)
	r := newRenderer(t)
	a := forms.Answers{"q_staff": 12.0, "q_projects": []any{map[string]any{"q_project_name": "Shelter"}, map[string]any{}}}
	for k, v := range shownAll {
		a[k] = v
	}
	profile := render(t, r, r.Section(visit(f, "fr"), SectionState{Index: 0, Answers: a}))
	issues := render(t, r, r.Section(visit(f, "fr"), SectionState{Index: 1, Answers: a}))
	for _, w := range []string{
		`<fieldset class="repeat" id="q-q_projects">`, `<input type="hidden" name="q_projects.entries" value="2">`,
		`<legend>Entrée 1</legend>`, `<input id="q-q_projects-1-q_project_name" name="q_projects.1.q_project_name" type="text" value="Shelter"`,
		`<label class="label" for="q-q_projects-1-q_project_year">Année de début</label>`,
		`value="remove:q_projects.2"`, `value="add:q_projects"`,
	} {
		if !strings.Contains(issues, w) {
			t.Errorf("missing %s", w)
		}
	}
	// The second entry has no name: its year is not relevant there.
	if strings.Contains(issues, `name="q_projects.2.q_project_year"`) {
		t.Error("the year of an entry without a name is shown")
	}
	for _, page := range []string{profile, issues} {
		if strings.Contains(page, "q_staff_band") || strings.Contains(page, "q_project_count") {
			t.Error("a calculation is shown")
		}
	}
	checkLabelled(t, 1, issues)
}
