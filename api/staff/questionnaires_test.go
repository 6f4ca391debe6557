package staff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/staff"
	"github.com/unodc-csu/agora/forms"
)

// qnDefinition is a small definition in English, French and Arabic with a
// skip rule on a question and on a section; title is its English title.
func qnDefinition(code, title string) map[string]any {
	return map[string]any{
		"code": code, "kind": "other", "default_language": "en", "languages": []string{"en", "fr", "ar"},
		"title": map[string]string{"en": title, "fr": "Enquête", "ar": "استبيان"},
		"sections": []any{
			map[string]any{"code": "s1", "title": map[string]string{"en": "Profile", "fr": "Profil", "ar": "الملف"},
				"questions": []any{
					map[string]any{"code": "kind", "type": "single_choice", "required": true,
						"label":   map[string]string{"en": "What kind of body?", "fr": "Quel genre d’organisme ?", "ar": "ما نوع الهيئة؟"},
						"options": []any{qnOption("a", "Alpha"), qnOption("b", "Beta")}},
					map[string]any{"code": "why", "type": "text", "relevant": "kind == 'a'",
						"label": map[string]string{"en": "Why alpha?", "fr": "Pourquoi alpha ?", "ar": "لماذا ألفا؟"}},
				}},
			map[string]any{"code": "s2", "relevant": "kind == 'b'", "title": map[string]string{"en": "Beta corner", "fr": "Coin bêta", "ar": "ركن بيتا"},
				"questions": []any{
					map[string]any{"code": "beta_note", "type": "long_text",
						"label": map[string]string{"en": "Tell us about beta", "fr": "Parlez-nous de bêta", "ar": "حدثنا عن بيتا"}},
				}},
		},
	}
}

func qnOption(code, label string) map[string]any {
	return map[string]any{"code": code, "label": map[string]string{"en": label, "fr": label, "ar": label}}
}

// qnSession starts a login session for caller: the cookie header and the
// CSRF token.
func qnSession(e *testEnv, caller string) (string, string) {
	cookie, csrf := e.Login(caller)
	return httpkit.SessionCookie + "=" + cookie, csrf
}

// qnPost posts a form as caller, with the session's CSRF token.
func qnPost(e *testEnv, caller, path string, form url.Values) *httptest.ResponseRecorder {
	e.T.Helper()
	cookie, csrf := qnSession(e, caller)
	form.Set("csrf", csrf)
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", cookie)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// qnUpload posts the upload form as caller: a file (when filename is set)
// and the pasted JSON.
func qnUpload(e *testEnv, caller, path, filename string, content []byte, pasted string) *httptest.ResponseRecorder {
	e.T.Helper()
	cookie, csrf := qnSession(e, caller)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", csrf)
	_ = mw.WriteField("json", pasted)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		e.T.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", cookie)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// qnCount is how many questionnaire versions are stored.
func qnCount(e *testEnv) int64 {
	var n int64
	if err := e.DB.Model(&forms.Questionnaire{}).Count(&n).Error; err != nil {
		e.T.Fatal(err)
	}
	return n
}

var qnLocation = regexp.MustCompile(`^/portal/questionnaires/(\d+)\?notice=`)

// qnCreated checks that a form post redirected to a version's page and
// returns its id.
func qnCreated(t *testing.T, rec *httptest.ResponseRecorder) uint {
	t.Helper()
	m := qnLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil {
		t.Fatalf("want a redirect to the new version, got %d %q %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	var id uint
	fmt.Sscan(m[1], &id)
	return id
}

// qnUploaded uploads a definition as admin and returns the version's id.
func qnUploaded(t *testing.T, e *testEnv, def map[string]any) uint {
	t.Helper()
	return qnCreated(t, qnUpload(e, "admin", "/portal/questionnaires", "q.json", mustJSON(t, def), ""))
}

func TestWorkspaceQuestionnairesUpload(t *testing.T) {
	env := newTestEnv(t)
	bad := qnDefinition("broken", "Broken")
	bad["sections"].([]any)[0].(map[string]any)["questions"].([]any)[0].(map[string]any)["options"] = []any{}
	cases := []struct {
		name, filename, pasted string
		file                   []byte
		status                 int
		want                   []string
	}{
		{name: "JSON file", filename: "q.json", file: mustJSON(t, qnDefinition("jsonfile", "From a file")), status: http.StatusSeeOther},
		{name: "pasted JSON", pasted: string(mustJSON(t, qnDefinition("pasted", "Pasted"))), status: http.StatusSeeOther},
		// The workbook has warnings: the version's page shows them at once.
		{name: "XLSForm", filename: "all-types.xlsx", file: apitest.XLSFormFixture(t, "all-types"), status: http.StatusOK,
			want: []string{"Converted or left out:", `id="qn-confirm"`}},
		{name: "invalid definition", filename: "q.json", file: mustJSON(t, bad), status: http.StatusUnprocessableEntity,
			want: []string{"The definition has problems", "section 1 (s1) › question 1 (kind) › options", "<table class=\"report\">"}},
		{name: "not JSON", pasted: `{"code": "x",`, status: http.StatusUnprocessableEntity, want: []string{"The JSON could not be read"}},
		{name: "unknown field", pasted: `{"code": "x", "colour": "red"}`, status: http.StatusUnprocessableEntity, want: []string{"colour"}},
		{name: "refused workbook", filename: "bad-expressions.xlsx", file: apitest.XLSFormFixture(t, "bad-expressions"), status: http.StatusUnprocessableEntity,
			want: []string{"The workbook was refused", "survey!"}},
		{name: "nothing", status: http.StatusUnprocessableEntity, want: []string{"Choose a file or paste"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := qnCount(env)
			rec := qnUpload(env, "admin", "/portal/questionnaires", tc.filename, tc.file, tc.pasted)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			after, accepted := qnCount(env), tc.status < 400
			switch {
			case accepted && after != before+1:
				t.Errorf("%d versions after the upload, want %d", after, before+1)
			case !accepted && after != before:
				t.Errorf("a refused upload saved something: %d versions, then %d", before, after)
			}
			if !accepted && tc.pasted != "" && !strings.Contains(rec.Body.String(), htmlEscaped(tc.pasted)) {
				t.Errorf("the pasted text is not kept")
			}
		})
	}

	t.Run("a workbook's warnings are shown with its version", func(t *testing.T) {
		before := qnCount(env)
		rec := qnUpload(env, "admin", "/portal/questionnaires?lang=fr", "survey-only.xlsx", apitest.XLSFormFixture(t, "survey-only"), "")
		body := rec.Body.String()
		if rec.Code != http.StatusOK || qnCount(env) != before+1 {
			t.Fatalf("status %d, %d versions after %d: %s", rec.Code, qnCount(env), before, body)
		}
		for _, want := range []string{"Éléments convertis ou ignorés : 3", "survey!1", "columns without a language (such as label) are taken as English (en)",
			"the form has no form_id", `id="qn-confirm"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page after the upload lacks %q", want)
			}
		}
	})

	t.Run("a known code gets its next version", func(t *testing.T) {
		id := qnUploaded(t, env, qnDefinition("versions", "V"))
		rec := qnUpload(env, "admin", "/portal/questionnaires", "q.json", mustJSON(t, qnDefinition("versions", "V")), "")
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "already has a draft") {
			t.Errorf("a second draft: %d, want 409 with the reason", rec.Code)
		}
		if rec := qnPost(env, "admin", fmt.Sprintf("/portal/questionnaires/%d/publish", id), url.Values{"confirm": {"yes"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("publish: %d", rec.Code)
		}
		next := qnUploaded(t, env, qnDefinition("versions", "V2"))
		q, err := env.Forms().Questionnaire(context.Background(), next)
		if err != nil || q.Version != 2 || q.Status != forms.StatusDraft {
			t.Errorf("the next upload: %+v %v, want a draft version 2", q, err)
		}
	})
}

// htmlEscaped is s as html/template writes it in a text area.
func htmlEscaped(s string) string {
	r := strings.NewReplacer(`"`, "&#34;", "<", "&lt;", ">", "&gt;", "&", "&amp;", "'", "&#39;")
	return r.Replace(s)
}

func TestWorkspaceQuestionnairesReplaceDraft(t *testing.T) {
	env := newTestEnv(t)
	id := qnUploaded(t, env, qnDefinition("replace", "Before"))
	rec := qnUpload(env, "admin", fmt.Sprintf("/portal/questionnaires/%d/replace", id), "q.json", mustJSON(t, qnDefinition("replace", "After")), "")
	if qnCreated(t, rec) != id {
		t.Fatalf("the replacement went elsewhere: %s", rec.Header().Get("Location"))
	}
	if q, _ := env.Forms().Questionnaire(context.Background(), id); q.Title != "After" {
		t.Errorf("title %q after the replacement", q.Title)
	}
	rec = qnUpload(env, "admin", fmt.Sprintf("/portal/questionnaires/%d/replace", id), "q.json", mustJSON(t, qnDefinition("other-code", "After")), "")
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "must stay") {
		t.Errorf("another code: %d", rec.Code)
	}
	qnPost(env, "admin", fmt.Sprintf("/portal/questionnaires/%d/publish", id), url.Values{"confirm": {"yes"}})
	rec = qnUpload(env, "admin", fmt.Sprintf("/portal/questionnaires/%d/replace", id), "q.json", mustJSON(t, qnDefinition("replace", "Later")), "")
	if rec.Code != http.StatusConflict {
		t.Errorf("replacing a published version: %d, want 409", rec.Code)
	}
}

func TestWorkspaceQuestionnairesPages(t *testing.T) {
	env := newTestEnv(t)
	id := qnUploaded(t, env, qnDefinition("pages", `<b>Bold</b> & "quoted"`))
	tests := []struct {
		caller, path string
		status       int
		want, not    []string
	}{
		{"analyst", "/portal/questionnaires", 200, []string{"<code>pages</code>", "&lt;b&gt;Bold&lt;/b&gt; &amp;", "en, fr, ar", fmt.Sprintf("/portal/questionnaires/%d", id)},
			[]string{"<b>Bold</b>", "Upload a questionnaire"}},
		{"admin", "/portal/questionnaires", 200, []string{"Upload a questionnaire", `href="/portal/questionnaires/new"`}, nil},
		{"focal_ken", "/portal/questionnaires?lang=es", 200, []string{"Cuestionarios", "Versión 1", "borrador"}, nil},
		{"analyst", "/portal/questionnaires?lang=fr", 200, []string{"Questionnaires", "Langues", "brouillon"}, nil},
		{"analyst", fmt.Sprintf("/portal/questionnaires/%d", id), 200,
			[]string{"kind == &#39;a&#39;", "<code>why</code>", "single choice", "UTC", "?lang=ar", "/xlsform", `dir="rtl"`},
			[]string{"Publish version", "Start a new version"}},
		{"admin", fmt.Sprintf("/portal/questionnaires/%d", id), 200, []string{"Publish version 1", `name="confirm"`, "/replace"}, []string{"Start a new version"}},
		{"admin", fmt.Sprintf("/portal/questionnaires/%d?lang=es", id), 200, []string{"Publicar la versión 1", "Vista previa"}, nil},
		{"admin", "/portal/questionnaires/new", 200, []string{`enctype="multipart/form-data"`, `<label for="qn-file">`, `<label for="qn-json">`}, nil},
		{"admin", "/portal/questionnaires/999999", 404, []string{"Not found"}, nil},
		{"admin", "/portal/questionnaires/abc", 404, nil, nil},
		{"focal_ken", "/portal/questionnaires/new", 403, nil, nil},
		{"analyst", fmt.Sprintf("/portal/questionnaires/%d/replace", id), 403, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.caller+" "+tt.path, func(t *testing.T) {
			status, body := env.PageAs(tt.caller, tt.path)
			if status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			apitest.CheckBody(t, body, tt.want, tt.not)
		})
	}
}

func TestWorkspaceQuestionnairesRoles(t *testing.T) {
	env := newTestEnv(t)
	id := qnUploaded(t, env, qnDefinition("roles", "Roles"))
	for _, caller := range []string{"analyst", "focal_ken"} {
		t.Run(caller, func(t *testing.T) {
			before := qnCount(env)
			if rec := qnUpload(env, caller, "/portal/questionnaires", "q.json", mustJSON(t, qnDefinition("sneaky", "S")), ""); rec.Code != http.StatusForbidden {
				t.Errorf("upload: %d, want 403", rec.Code)
			}
			if rec := qnPost(env, caller, fmt.Sprintf("/portal/questionnaires/%d/publish", id), url.Values{"confirm": {"yes"}}); rec.Code != http.StatusForbidden {
				t.Errorf("publish: %d, want 403", rec.Code)
			}
			if rec := qnPost(env, caller, fmt.Sprintf("/portal/questionnaires/%d/versions", id), url.Values{}); rec.Code != http.StatusForbidden {
				t.Errorf("new version: %d, want 403", rec.Code)
			}
			if q, _ := env.Forms().Questionnaire(context.Background(), id); q.Status != forms.StatusDraft || qnCount(env) != before {
				t.Errorf("something changed: %s, %d versions", q.Status, qnCount(env))
			}
		})
	}
}

func TestWorkspaceQuestionnairesPublishAndNewVersion(t *testing.T) {
	env := newTestEnv(t)
	id := qnUploaded(t, env, qnDefinition("publish", "Publish"))
	page := fmt.Sprintf("/portal/questionnaires/%d", id)

	rec := qnPost(env, "admin", page+"/publish", url.Values{})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Tick the box") {
		t.Errorf("publish without confirming: %d", rec.Code)
	}
	if rec := qnPost(env, "admin", page+"/versions", url.Values{}); rec.Code != http.StatusConflict {
		t.Errorf("a new version of a draft: %d, want 409", rec.Code)
	}
	rec = qnPost(env, "admin", page+"/publish", url.Values{"confirm": {"yes"}})
	if qnCreated(t, rec) != id {
		t.Fatalf("publish went to %s", rec.Header().Get("Location"))
	}
	q, _ := env.Forms().Questionnaire(context.Background(), id)
	if q.Status != forms.StatusPublished || q.PublishedAt == nil {
		t.Fatalf("after publishing: %s", q.Status)
	}
	if _, body := env.PageAs("admin", rec.Header().Get("Location")); !strings.Contains(body, "The version is published") || !strings.Contains(body, "Start a new version") {
		t.Errorf("the page after publishing lacks its notice or the new version button")
	}
	if rec := qnPost(env, "admin", page+"/publish", url.Values{"confirm": {"yes"}}); rec.Code != http.StatusConflict {
		t.Errorf("publishing twice: %d, want 409", rec.Code)
	}

	next := qnCreated(t, qnPost(env, "admin", page+"/versions", url.Values{}))
	v2, err := env.Forms().Questionnaire(context.Background(), next)
	if err != nil || v2.Code != "publish" || v2.Version != 2 || v2.Status != forms.StatusDraft || v2.Title != q.Title {
		t.Fatalf("the new version: %+v %v", v2, err)
	}
	def1, _ := q.Decode()
	def2, _ := v2.Decode()
	if d := forms.Diff(def1, def2); !d.Empty() {
		t.Errorf("the new version is not a copy: %+v", d)
	}
	if rec := qnPost(env, "admin", page+"/versions", url.Values{}); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "already has a draft") {
		t.Errorf("a second new version: %d", rec.Code)
	}
}

// qnWrites counts the rows a preview must not touch.
func qnWrites(e *testEnv) string {
	var out []string
	for _, table := range []string{"questionnaires", "questions", "responses", "audit_events"} {
		var n int64
		if err := e.DB.Table(table).Count(&n).Error; err != nil {
			e.T.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	var updated []string
	e.DB.Model(&forms.Questionnaire{}).Order("id").Pluck("updated_at", &updated)
	return strings.Join(out, " ") + " " + strings.Join(updated, ",")
}

func TestWorkspaceQuestionnairesPreview(t *testing.T) {
	env := newTestEnv(t)
	id := qnUploaded(t, env, qnDefinition("preview", "Preview me"))
	preview := fmt.Sprintf("/portal/questionnaires/%d/preview", id)
	before := qnWrites(env)

	t.Run("pages", func(t *testing.T) {
		tests := []struct {
			caller, query string
			want, not     []string
		}{
			{"analyst", "", []string{"Preview – answers are not saved.", `lang="en" dir="ltr"`, "What kind of body?", `name="kind"`, `action="` + preview + `"`}, []string{"Why alpha?"}},
			{"focal_ken", "?lang=fr", []string{`<html lang="fr" dir="ltr">`, "Quel genre d’organisme ?", "Profil"}, nil},
			{"analyst", "?lang=ar", []string{`<html lang="ar" dir="rtl">`, "ما نوع الهيئة؟", "Preview – answers are not saved."}, nil},
			{"analyst", "?lang=ru", []string{`<html lang="en"`}, nil},   // not a language of the questionnaire
			{"analyst", "?page=2", []string{"What kind of body?"}, nil}, // section 2 is skipped without answers
			{"analyst", "?page=review", []string{`value="submit"`, "Preview – answers are not saved."}, nil},
		}
		for _, tt := range tests {
			status, body := env.PageAs(tt.caller, preview+tt.query)
			if status != http.StatusOK {
				t.Fatalf("%s: status %d", tt.query, status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the preview lacks %q", tt.query, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("%s: the preview has %q", tt.query, n)
				}
			}
		}
	})

	t.Run("the workspace keeps its language", func(t *testing.T) {
		cookie, _ := qnSession(env, "admin")
		rec := env.DoRequest("GET", preview+"?lang=fr", nil, map[string]string{"Cookie": cookie})
		if strings.Contains(rec.Header().Get("Set-Cookie"), httpkit.LangCookie) {
			t.Errorf("previewing in French changed the workspace's language")
		}
	})

	t.Run("skip logic on the posted answers", func(t *testing.T) {
		tests := []struct {
			name   string
			form   url.Values
			status int
			want   []string
			not    []string
		}{
			{"beta leads to the beta section", url.Values{"section": {"0"}, "action": {"next"}, "kind": {"b"}}, 200,
				[]string{"Beta corner", "Tell us about beta", `name="preview_answers" value="{&#34;kind&#34;:&#34;b&#34;}"`}, nil},
			{"alpha shows a new question", url.Values{"section": {"0"}, "action": {"next"}, "kind": {"a"}}, 200,
				[]string{"Why alpha?", "Profile"}, []string{"Beta corner"}},
			{"alpha answered goes to the review", url.Values{"section": {"0"}, "action": {"next"}, "kind": {"a"}, "why": {"Because"},
				"preview_answers": {`{"kind":"a"}`}}, 200, []string{`value="submit"`, "Because"}, nil},
			{"a required question", url.Values{"section": {"0"}, "action": {"next"}}, 422, []string{`aria-invalid="true"`}, nil},
			{"back from the beta section", url.Values{"section": {"1"}, "action": {"back"}, "preview_answers": {`{"kind":"b"}`}}, 200,
				[]string{"What kind of body?", `value="b" checked`}, nil},
			{"in Arabic", url.Values{"section": {"0"}, "action": {"next"}, "kind": {"b"}, "preview_lang": {"ar"}}, 200,
				[]string{`dir="rtl"`, "ركن بيتا"}, nil},
			{"save stays on the page", url.Values{"section": {"0"}, "action": {"save"}, "kind": {"b"}}, 200,
				[]string{"What kind of body?", `value="b" checked`}, []string{"Beta corner"}},
			{"no section", url.Values{"action": {"next"}}, 400, nil, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := qnPost(env, "analyst", preview, tt.form)
				if rec.Code != tt.status {
					t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
				}
				for _, w := range tt.want {
					if !strings.Contains(rec.Body.String(), w) {
						t.Errorf("the page lacks %q", w)
					}
				}
				for _, n := range tt.not {
					if strings.Contains(rec.Body.String(), n) {
						t.Errorf("the page has %q", n)
					}
				}
			})
		}
		rec := qnPost(env, "analyst", preview, url.Values{"action": {"submit"}})
		if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "notice.questionnaires_preview_submitted") {
			t.Errorf("submitting the preview: %d %s", rec.Code, rec.Header().Get("Location"))
		}
	})

	if after := qnWrites(env); after != before {
		t.Errorf("the preview wrote to the database:\nbefore %s\nafter  %s", before, after)
	}
}

func TestWorkspaceQuestionnairesDiff(t *testing.T) {
	env := newTestEnv(t)
	v1 := qnUploaded(t, env, qnDefinition("diff", "Diff"))
	qnPost(env, "admin", fmt.Sprintf("/portal/questionnaires/%d/publish", v1), url.Values{"confirm": {"yes"}})
	def := qnDefinition("diff", "Diff")
	s1 := def["sections"].([]any)[0].(map[string]any)
	qs := s1["questions"].([]any)
	qs[0].(map[string]any)["label"] = map[string]string{"en": "What kind of body?", "fr": "Quel type d’organisme ?", "ar": "ما نوع الهيئة؟"}
	qs[0].(map[string]any)["options"] = []any{qnOption("a", "Alpha"), qnOption("c", "Gamma")}
	qs[1] = map[string]any{"code": "when", "type": "date", "label": map[string]string{"en": "Since when?"}}
	v2 := qnUploaded(t, env, def)
	other := qnUploaded(t, env, qnDefinition("another", "Another"))

	status, body := env.PageAs("analyst", fmt.Sprintf("/portal/questionnaires/%d/diff?with=%d", v2, v1))
	if status != http.StatusOK {
		t.Fatalf("diff: %d", status)
	}
	for _, w := range []string{"from version 1 to version 2", "Questions added (1)", "<code>when</code>", "Questions removed (1)", "<code>why</code>",
		"Questions changed (1)", "Label (Français)", "Quel genre d’organisme ?", "Quel type d’organisme ?", "Option b: removed", "Option c: added", "Gamma"} {
		if !strings.Contains(body, w) {
			t.Errorf("the comparison lacks %q", w)
		}
	}
	if _, fr := env.PageAs("analyst", fmt.Sprintf("/portal/questionnaires/%d/diff?with=%d&lang=fr", v1, v2)); !strings.Contains(fr, "de la version 1 à la version 2") {
		t.Errorf("the comparison in French, older version first whatever the order asked")
	}
	if _, choose := env.PageAs("analyst", fmt.Sprintf("/portal/questionnaires/%d/diff", v1)); !strings.Contains(choose, fmt.Sprintf("diff?with=%d", v2)) {
		t.Errorf("without ?with= the page does not offer the other version")
	}
	status, body = env.PageAs("analyst", fmt.Sprintf("/portal/questionnaires/%d/diff?with=%d", v1, other))
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "different questionnaires") {
		t.Errorf("two codes: %d", status)
	}
	if status, _ := env.PageAs("analyst", fmt.Sprintf("/portal/questionnaires/%d/diff?with=999999", v1)); status != http.StatusNotFound {
		t.Errorf("an unknown version: %d", status)
	}
}

func TestReadablePath(t *testing.T) {
	var def forms.Definition
	if err := json.Unmarshal(mustJSON(t, qnDefinition("paths", "P")), &def); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ptr  string
		def  *forms.Definition
		want string
	}{
		{"", nil, "the whole questionnaire"},
		{"/code", nil, "code"},
		{"/sections/1/questions/2/options", nil, "section 2 › question 3 › options"},
		{"/sections/0/questions/0/options/1/label/fr", &def, "section 1 (s1) › question 1 (kind) › option 2 (b) › label › fr"},
		{"/sections/9/questions/0", &def, "section 10 › question 1"},
		{"/a~1b", nil, "a/b"},
	}
	for _, tt := range tests {
		if got := staff.ReadablePath(tt.ptr, tt.def); got != tt.want {
			t.Errorf("readablePath(%q) = %q, want %q", tt.ptr, got, tt.want)
		}
	}
}

// The version's page links the API's XLSForm export, which a browser's
// session opens for any role.
func TestWorkspaceQuestionnairesDownloadXLSForm(t *testing.T) {
	env := newTestEnv(t)
	id := qnUploaded(t, env, qnDefinition("download", "Download"))
	for _, caller := range []string{"admin", "analyst", "focal_mex"} {
		cookie, _ := qnSession(env, caller)
		rec := env.DoRequest("GET", fmt.Sprintf("/api/v1/questionnaires/%d/xlsform", id), nil, map[string]string{"Cookie": cookie})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "download-v1.xlsx") {
			t.Errorf("%s: %d %q", caller, rec.Code, rec.Header().Get("Content-Disposition"))
		}
	}
}
