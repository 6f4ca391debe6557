package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// repeatSurvey has a cascading select whose choices follow an answer on
// the same page, and a repeat the stakeholder adds entries to.
const repeatSurvey = `{
  "code": "members-survey", "kind": "other", "default_language": "en", "languages": ["en"],
  "title": {"en": "Members"},
  "sections": [
    {"code": "s1", "title": {"en": "Your organization"}, "questions": [
      {"code": "q_state", "type": "single_choice", "label": {"en": "State"},
       "options": [{"code": "texas", "label": {"en": "Texas"}}, {"code": "washington", "label": {"en": "Washington"}}]},
      {"code": "q_county", "type": "single_choice", "label": {"en": "County"}, "choice_filter": "option.state == q_state",
       "options": [
         {"code": "king", "label": {"en": "King"}, "attributes": {"state": "washington"}},
         {"code": "pierce", "label": {"en": "Pierce"}, "attributes": {"state": "washington"}},
         {"code": "king", "label": {"en": "King"}, "attributes": {"state": "texas"}},
         {"code": "cameron", "label": {"en": "Cameron"}, "attributes": {"state": "texas"}}]},
      {"code": "q_members", "type": "repeat", "label": {"en": "Members of staff"}, "max": 2, "questions": [
        {"code": "q_name", "type": "text", "required": true, "label": {"en": "Name"}},
        {"code": "q_role", "type": "single_choice", "label": {"en": "Role"},
         "options": [{"code": "1", "label": {"en": "Staff"}}, {"code": "2", "label": {"en": "Volunteer"}}]}]},
      {"code": "q_count", "type": "calculate", "calculation": "len(q_members ?? [])"}
    ]},
    {"code": "s2", "title": {"en": "The end"}, "questions": [
      {"code": "q_end", "type": "text", "label": {"en": "Anything else?"}}
    ]}
  ]
}`

// repeatLink deploys repeatSurvey and returns a personal link's path.
func repeatLink(t *testing.T, env *testEnv) string {
	t.Helper()
	ctx := context.Background()
	var def forms.Definition
	if err := json.Unmarshal([]byte(repeatSurvey), &def); err != nil {
		t.Fatal(err)
	}
	q, err := env.Forms().CreateQuestionnaire(ctx, &def, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Forms().PublishQuestionnaire(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	c, err := env.Forms().CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{
		QuestionnaireID: q.ID, Country: "KEN", Title: "Members",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := env.Invite(c)
	return "/s/" + token
}

// TestRepeatAndCascadeWithoutJavaScript adds and removes entries and
// updates a cascading select with the page's own buttons, then submits:
// every step is an ordinary form post.
func TestRepeatAndCascadeWithoutJavaScript(t *testing.T) {
	env := newTestEnv(t)
	path := repeatLink(t, env)
	b := env.Browser()
	apitest.Expect(t, "first page", b.Get(path+"?page=1"), http.StatusOK,
		"No entry yet.", `value="add:q_members"`, `<input type="hidden" name="q_members.entries" value="0">`,
		"The choices depend on an earlier answer", `value="refresh"`)
	csrf := b.Hidden("csrf")
	post := func(action string, fields url.Values) *httptest.ResponseRecorder {
		form := url.Values{"csrf": {csrf}, "section": {"0"}, "action": {action}}
		for k, vs := range fields {
			form[k] = vs
		}
		return b.Post(path, form)
	}

	rec := post("refresh", url.Values{"q_state": {"texas"}, "q_members.entries": {"0"}})
	apitest.Expect(t, "choices updated", rec, http.StatusOK, "the choices now match them",
		`id="q-q_county-king" type="radio" name="q_county" value="king"`, `value="cameron"`)
	if strings.Contains(rec.Body.String(), `value="pierce"`) || strings.Count(rec.Body.String(), `value="king"`) != 1 {
		t.Errorf("the counties of Texas only, King once:\n%s", rec.Body)
	}

	rec = post("add:q_members", url.Values{"q_state": {"texas"}, "q_county": {"king"}, "q_members.entries": {"0"}})
	apitest.Expect(t, "an entry added", rec, http.StatusOK, "Entry 1", `name="q_members.1.q_name"`,
		`<input type="hidden" name="q_members.entries" value="1">`, `value="remove:q_members.1"`, `value="add:q_members"`,
		`<input id="q-q_county-king" type="radio" name="q_county" value="king" checked>`)

	rec = post("add:q_members", url.Values{"q_state": {"texas"}, "q_county": {"king"}, "q_members.entries": {"1"},
		"q_members.1.q_name": {"Ana"}, "q_members.1.q_role": {"2"}})
	apitest.Expect(t, "a second entry", rec, http.StatusOK, "Entry 2", `name="q_members.2.q_name"`, `value="Ana"`,
		`id="q-q_members-1-q_role-2" type="radio" name="q_members.1.q_role" value="2" checked`)
	if strings.Contains(rec.Body.String(), `value="add:q_members"`) {
		t.Error("the repeat is full (max 2) but offers another entry")
	}
	apitest.Expect(t, "a third entry is refused", post("add:q_members", url.Values{"q_members.entries": {"2"}}), http.StatusBadRequest)

	rec = post("remove:q_members.1", url.Values{"q_state": {"texas"}, "q_county": {"king"}, "q_members.entries": {"2"},
		"q_members.1.q_name": {"Ana"}, "q_members.2.q_name": {"Ben"}})
	apitest.Expect(t, "the first entry removed", rec, http.StatusOK, `name="q_members.1.q_name" type="text" value="Ben"`,
		`<input type="hidden" name="q_members.entries" value="1">`)
	if strings.Contains(rec.Body.String(), "Ana") {
		t.Error("the removed entry is still shown")
	}

	rec = post("next", url.Values{"q_state": {"texas"}, "q_county": {"king"}, "q_members.entries": {"1"}, "q_members.1.q_name": {" "}})
	apitest.Expect(t, "a required answer in an entry", rec, http.StatusUnprocessableEntity,
		`<a href="#q-q_members-1-q_name"><strong>Name</strong>`, `id="q-q_members-1-q_name-error"`)

	rec = post("next", url.Values{"q_state": {"texas"}, "q_county": {"king"}, "q_members.entries": {"1"}, "q_members.1.q_name": {"Ben"}})
	if loc := apitest.Location(t, rec); !strings.HasSuffix(loc, "?page=2") {
		t.Fatalf("next leads to %s", loc)
	}
	b.Get(path + "?page=2")
	b.Submit(path, "next", nil)
	apitest.Expect(t, "review", b.Get(path+"?page=review"), http.StatusOK, "Entry 1 – Name: Ben", "King")
	if strings.Contains(b.Last, `q_count"`) || strings.Contains(b.Last, "q_count&") {
		t.Errorf("the review shows a calculation:\n%s", b.Last)
	}
	apitest.Expect(t, "submit", b.Submit(path, "submit", nil), http.StatusOK, "Thank you")

	var rows []forms.Answer
	env.DB.Order("id").Find(&rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.Entry+":"+r.QuestionCode+"="+r.OptionCode+r.Text)
	}
	want := []string{":q_state=texas", ":q_county=king", "1:q_members=", "1:q_name=Ben", ":q_count=1"}
	if !slices.Equal(got, want) {
		t.Errorf("answer rows %q, want %q", got, want)
	}
}

// TestEntryActionsRefuseNonsense posts entry actions that name no repeat
// of the page, or an entry that is not there.
func TestEntryActionsRefuseNonsense(t *testing.T) {
	env := newTestEnv(t)
	path := repeatLink(t, env)
	b := env.Browser()
	b.Get(path + "?page=1")
	csrf := b.Hidden("csrf")
	for _, action := range []string{"add:q_state", "add:nowhere", "remove:q_members.1", "remove:q_members", "add:q_members.1.q_name", "remove:q_members.x"} {
		rec := b.Post(path, url.Values{"csrf": {csrf}, "section": {"0"}, "action": {action}, "q_members.entries": {"0"}})
		apitest.Expect(t, action, rec, http.StatusBadRequest)
	}
}
