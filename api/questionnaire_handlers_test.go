package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
)

// validDefinition is a small questionnaire that passes validation.
func validDefinition(code string) map[string]any {
	return map[string]any{
		"code": code, "kind": "issue_identification",
		"default_language": "en", "languages": []string{"en", "fr"},
		"title": map[string]string{"en": "Issue identification", "fr": "Identification des problèmes"},
		"sections": []any{map[string]any{
			"code": "profile", "title": map[string]string{"en": "About you"},
			"questions": []any{
				map[string]any{
					"code": "q_sector", "type": "single_choice", "required": true,
					"label":   map[string]string{"en": "Your organization is", "fr": "Votre organisation est"},
					"themes":  []string{"UNTOC"},
					"options": []any{map[string]any{"code": "ngo", "label": map[string]string{"en": "An NGO"}}, map[string]any{"code": "academia", "label": map[string]string{"en": "Academia"}}},
				},
				map[string]any{
					"code": "q_why", "type": "long_text", "label": map[string]string{"en": "Why?"},
					"relevant": `q_sector == "ngo"`,
				},
			},
		}},
	}
}

type questionnaireBody struct {
	ID         uint           `json:"id"`
	Code       string         `json:"code"`
	Version    int            `json:"version"`
	Status     string         `json:"status"`
	Languages  []string       `json:"languages"`
	Definition map[string]any `json:"definition"`
}

func TestQuestionnaireLifecycle(t *testing.T) {
	env := newTestEnv(t)

	rec := env.Do("admin", "POST", "/api/v1/questionnaires", validDefinition("pilot-issues"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	v1 := apitest.Decode[questionnaireBody](t, rec)
	if v1.Version != 1 || v1.Status != "draft" || v1.Code != "pilot-issues" || !slices.Equal(v1.Languages, []string{"en", "fr"}) {
		t.Fatalf("created %+v", v1)
	}

	// A draft can be replaced.
	def := validDefinition("pilot-issues")
	def["title"] = map[string]string{"en": "Issue identification, revised"}
	rec = env.Do("admin", "PUT", fmt.Sprintf("/api/v1/questionnaires/%d", v1.ID), def)
	if rec.Code != http.StatusOK {
		t.Fatalf("update draft: %d %s", rec.Code, rec.Body)
	}
	if got := apitest.Decode[questionnaireBody](t, rec).Definition["title"].(map[string]any)["en"]; got != "Issue identification, revised" {
		t.Errorf("title after update = %v", got)
	}

	// A second draft of the same code is refused while one is open.
	rec = env.Do("admin", "POST", "/api/v1/questionnaires", validDefinition("pilot-issues"))
	if rec.Code != http.StatusConflict {
		t.Errorf("second draft: %d %s, want 409", rec.Code, rec.Body)
	}

	rec = env.Do("admin", "POST", fmt.Sprintf("/api/v1/questionnaires/%d/publish", v1.ID), nil)
	if rec.Code != http.StatusOK || apitest.Decode[questionnaireBody](t, rec).Status != "published" {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	rec = env.Do("admin", "POST", fmt.Sprintf("/api/v1/questionnaires/%d/publish", v1.ID), nil)
	if rec.Code != http.StatusConflict {
		t.Errorf("publish twice: %d, want 409", rec.Code)
	}

	// Published versions are immutable.
	rec = env.Do("admin", "PUT", fmt.Sprintf("/api/v1/questionnaires/%d", v1.ID), validDefinition("pilot-issues"))
	if rec.Code != http.StatusConflict {
		t.Fatalf("PUT on published: %d %s, want 409", rec.Code, rec.Body)
	}
	if e := apitest.Decode[apitest.ErrorBody](t, rec); e.Error.Code != "conflict" || !strings.Contains(e.Error.Message, "version 2") {
		t.Errorf("conflict body %+v", e)
	}

	// Posting the same code again makes version 2, a draft.
	rec = env.Do("admin", "POST", "/api/v1/questionnaires", validDefinition("pilot-issues"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("new version: %d %s", rec.Code, rec.Body)
	}
	v2 := apitest.Decode[questionnaireBody](t, rec)
	if v2.Version != 2 || v2.Status != "draft" || v2.ID == v1.ID {
		t.Errorf("second version %+v", v2)
	}

	// The published questions are stored as rows for aggregation.
	var n int64
	env.DB.Table("questions").Where("questionnaire_id = ?", v1.ID).Count(&n)
	if n != 2 {
		t.Errorf("question rows = %d, want 2", n)
	}
	env.DB.Table("question_themes").Where("questionnaire_id = ? AND theme_code = ?", v1.ID, "UNTOC").Count(&n)
	if n != 1 {
		t.Errorf("theme rows for UNTOC = %d, want 1", n)
	}
	env.DB.Table("question_choices").Where("questionnaire_id = ? AND question_code = ?", v1.ID, "q_sector").Count(&n)
	if n != 2 {
		t.Errorf("option rows = %d, want 2", n)
	}

	rec = env.Do("analyst", "GET", "/api/v1/questionnaires?code=pilot-issues", nil)
	list := apitest.Decode[struct{ Items []questionnaireBody }](t, rec)
	if rec.Code != http.StatusOK || len(list.Items) != 2 || list.Items[0].Version != 2 || list.Items[0].Definition != nil {
		t.Errorf("list: %d %+v", rec.Code, list)
	}
}

func TestInvalidDefinitionListsEveryProblem(t *testing.T) {
	env := newTestEnv(t)
	def := validDefinition("five-mistakes")
	qs := def["sections"].([]any)[0].(map[string]any)
	questions := qs["questions"].([]any)
	first := questions[0].(map[string]any)
	first["themes"] = []string{"UNTOC.NOPE"} // 1. unknown theme
	first["options"] = []any{}               // 2. empty option list
	first["relevant"] = `q_why == "x"`       // 3. refers to a later question
	second := questions[1].(map[string]any)
	second["type"] = "essay" // 4. unknown type
	second["relevant"] = ""
	questions = append(questions, map[string]any{ // 5. duplicate code
		"code": "q_why", "type": "text", "label": map[string]string{"en": "Again"},
	})
	qs["questions"] = questions

	rec := env.Do("admin", "POST", "/api/v1/questionnaires", def)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d %s, want 422", rec.Code, rec.Body)
	}
	e := apitest.Decode[apitest.ErrorBody](t, rec)
	if e.Error.Code != "validation_failed" {
		t.Errorf("code %q", e.Error.Code)
	}
	var paths []string
	for _, f := range e.Error.Fields {
		paths = append(paths, f.Path)
		if f.Message == "" {
			t.Errorf("empty message at %s", f.Path)
		}
	}
	want := []string{
		"/sections/0/questions/0/themes/0",
		"/sections/0/questions/0/options",
		"/sections/0/questions/0/relevant",
		"/sections/0/questions/1/type",
		"/sections/0/questions/2/code",
	}
	slices.Sort(paths)
	slices.Sort(want)
	if !slices.Equal(paths, want) {
		t.Errorf("paths\n got %q\nwant %q\nbody %s", paths, want, rec.Body)
	}
	var stored int64
	env.DB.Table("questionnaires").Count(&stored)
	if stored != 0 {
		t.Errorf("an invalid definition was stored")
	}
}

func TestQuestionnaireAccess(t *testing.T) {
	env := newTestEnv(t)
	cases := []struct {
		name, caller, method, path string
		body                       any
		want                       int
	}{
		{"no token", "", "GET", "/api/v1/questionnaires", nil, http.StatusUnauthorized},
		{"bad token", "nobody", "GET", "/api/v1/questionnaires", nil, http.StatusUnauthorized},
		{"focal point creates", "focal_ken", "POST", "/api/v1/questionnaires", validDefinition("x"), http.StatusForbidden},
		{"analyst creates", "analyst", "POST", "/api/v1/questionnaires", validDefinition("x"), http.StatusForbidden},
		{"focal point lists", "focal_ken", "GET", "/api/v1/questionnaires", nil, http.StatusOK},
		{"admin creates", "admin", "POST", "/api/v1/questionnaires", validDefinition("x"), http.StatusCreated},
		{"unknown id", "admin", "GET", "/api/v1/questionnaires/999", nil, http.StatusNotFound},
		{"malformed id", "admin", "GET", "/api/v1/questionnaires/abc", nil, http.StatusNotFound},
		{"unknown route", "admin", "GET", "/api/v1/nothing", nil, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.Do(tc.caller, tc.method, tc.path, tc.body)
			if rec.Code != tc.want {
				t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tc.want)
			}
			if rec.Code >= 400 {
				if e := apitest.Decode[apitest.ErrorBody](t, rec); e.Error.Code == "" || e.Error.Message == "" {
					t.Errorf("error body without code or message: %s", rec.Body)
				}
			}
		})
	}
}

func TestBadBodies(t *testing.T) {
	env := newTestEnv(t)
	huge := `{"code":"x","title":{"en":"` + strings.Repeat("a", 2<<20) + `"}}`
	cases := []struct {
		name     string
		body     string
		want     int
		wantPath string
	}{
		{"empty", "", http.StatusBadRequest, ""},
		{"not json", "{code:", http.StatusBadRequest, ""},
		{"wrong type", `{"code":"x","sections":[{"code":"s","questions":[{"code":"q","required":"yes"}]}]}`, http.StatusUnprocessableEntity, "/sections/0/questions/0/required"},
		{"unknown field", `{"code":"x","titel":{"en":"x"}}`, http.StatusUnprocessableEntity, "/titel"},
		{"too large", huge, http.StatusRequestEntityTooLarge, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.Do("admin", "POST", "/api/v1/questionnaires", tc.body)
			if rec.Code != tc.want {
				t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tc.want)
			}
			e := apitest.Decode[apitest.ErrorBody](t, rec)
			if tc.wantPath != "" && (len(e.Error.Fields) != 1 || e.Error.Fields[0].Path != tc.wantPath) {
				t.Errorf("fields %+v, want path %s", e.Error.Fields, tc.wantPath)
			}
		})
	}
}
