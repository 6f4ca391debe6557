package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

var receiptCode = regexp.MustCompile(`<p class="code">([A-Z0-9-]+)</p>`)

// TestSurveyFlowWithoutJavaScript walks the demo survey as a stakeholder
// with a browser that runs no script: open link, section by section, back,
// save and leave, resume, review, submit twice.
func TestSurveyFlowWithoutJavaScript(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	c := env.Consult(forms.ConsultationInput{Languages: []string{"en", "fr", "ar"}})
	open, err := env.Forms().SetOpenLink(ctx, forms.AllCountries, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := env.Browser()
	path := startFromOpenLink(t, b, open)
	answerSectionBySection(t, b, path)

	apitest.Expect(t, "review", b.Get(path+"?page=review"), http.StatusOK, "Check your answers",
		"<li>Trafficking in persons</li>", "Slow replies", `?page=3&amp;return=review#q-q_coop-1`)
	id := b.Hidden("submission_id")
	first := b.Submit(path, "submit", nil)
	apitest.Expect(t, "submit", first, http.StatusOK, "Thank you, your answers have been submitted", "print this page")
	again := b.Post(path, url.Values{"action": {"submit"}, "submission_id": {id}, "csrf": {env.Server.Survey().CSRF(strings.TrimPrefix(path, "/s/"))}})
	apitest.Expect(t, "submit again", again, http.StatusOK)
	r1, r2 := receiptCode.FindStringSubmatch(first.Body.String()), receiptCode.FindStringSubmatch(again.Body.String())
	if r1 == nil || r2 == nil || r1[1] != r2[1] {
		t.Errorf("receipts %v and %v", r1, r2)
	}

	var responses []forms.Response
	env.DB.Where("consultation_id = ?", c.ID).Find(&responses)
	var rows int64
	env.DB.Model(&forms.Answer{}).Where("response_id = ?", responses[0].ID).Count(&rows)
	if len(responses) != 1 || responses[0].Status != forms.ResponseSubmitted || responses[0].StakeholderType != "academia" || rows != 12 {
		t.Errorf("%d responses (%+v) with %d answer rows, want 1 submitted by academia with 12", len(responses), responses, rows)
	}

	// Editable until the consultation closes: the link shows the receipt
	// and leads back to the questions.
	apitest.Expect(t, "after submitting", b.Get(path), http.StatusOK, "Your answers", r1[1], "Change my answers")
	apitest.Expect(t, "change after submitting", b.Get(path+"?page=3"), http.StatusOK, "You are changing answers you have already submitted")
}

// TestSurveyResubmit changes a submitted response: the same response is
// updated, not a second one added.
func TestSurveyResubmit(t *testing.T) {
	env := newTestEnv(t)
	c := env.Consult(forms.ConsultationInput{})
	token, _ := env.Invite(c)
	path := "/s/" + token
	b := env.Browser()
	answerRequired(t, b, path, "4")
	apitest.Expect(t, "submit", b.Submit(path, "submit", nil), http.StatusOK, "Thank you")
	answerRequired(t, b, path, "5")
	apitest.Expect(t, "review of changes", b.Get(path+"?page=review"), http.StatusOK, "Submit my changes")
	apitest.Expect(t, "resubmit", b.Submit(path, "submit", nil), http.StatusOK, "Thank you")
	var responses []forms.Response
	env.DB.Where("consultation_id = ?", c.ID).Find(&responses)
	var coop forms.Answer
	env.DB.Where("question_code = ?", "q_coop").Take(&coop)
	if len(responses) != 1 || responses[0].Pending || coop.Number == nil || *coop.Number != 5 {
		t.Errorf("responses %+v, q_coop row %+v", responses, coop)
	}
}

// TestSurveyLocked shows a submitted response read-only when the
// consultation does not let answers change.
func TestSurveyLocked(t *testing.T) {
	env := newTestEnv(t)
	no := false
	c := env.Consult(forms.ConsultationInput{EditableAfterSubmit: &no})
	token, _ := env.Invite(c)
	path := "/s/" + token
	b := env.Browser()
	answerRequired(t, b, path, "3")
	apitest.Expect(t, "submit", b.Submit(path, "submit", nil), http.StatusOK, "Thank you", "can no longer be changed")
	apitest.Expect(t, "later", b.Get(path+"?page=2"), http.StatusOK, "Your answers", "can no longer be changed")
	if strings.Contains(b.Last, "<form") {
		t.Error("a locked response shows a form")
	}
	csrf := env.Server.Survey().CSRF(token)
	rec := b.Post(path, url.Values{"csrf": {csrf}, "action": {"next"}, "section": {"0"}, "q_org_type": {"academia"}})
	if apitest.Location(t, rec) != path {
		t.Errorf("a change to a locked response led to %q", rec.Header().Get("Location"))
	}
}

// TestSurveyAnonymous thanks the stakeholder whose anonymous response can
// no longer be reached through their link.
func TestSurveyAnonymous(t *testing.T) {
	env := newTestEnv(t)
	c := env.Consult(forms.ConsultationInput{Anonymity: forms.AnonymityAnonymous})
	token, _ := env.Invite(c)
	path := "/s/" + token
	b := env.Browser()
	answerRequired(t, b, path, "3")
	apitest.Expect(t, "submit", b.Submit(path, "submit", nil), http.StatusOK, "Thank you", `<p class="code">`)
	if strings.Contains(b.Last, "Change my answers") {
		t.Error("an anonymous response offers changes")
	}
	apitest.Expect(t, "later", b.Get(path), http.StatusOK, "Thank you for your answers", "submitted anonymously")
}

// startFromOpenLink declares a stakeholder type on an open link's page and
// returns the personal link it leads to.
func startFromOpenLink(t *testing.T, b *apitest.Browser, open string) string {
	t.Helper()

	// The open link asks who is answering, then gives a link of one's own.
	apitest.Expect(t, "open link", b.Get("/s/"+open), http.StatusOK,
		`name="stakeholder_type" value="academia"`, "A university or research institution", `<select id="language" name="language">`)
	apitest.Expect(t, "open link without a type", b.Submit("/s/"+open, "start", url.Values{"language": {"en"}}),
		http.StatusUnprocessableEntity, "Choose the kind of organization you are answering for.")
	path := apitest.Location(t, b.Submit("/s/"+open, "start", url.Values{"stakeholder_type": {"academia"}, "language": {"en"}}))
	if !strings.HasPrefix(path, "/s/") || path == "/s/"+open {
		t.Fatalf("redirected to %q", path)
	}

	return path
}

// answerSectionBySection answers the demo survey through its pages, going
// back once, saving and leaving once, and ends on the review.
func answerSectionBySection(t *testing.T, b *apitest.Browser, path string) {
	t.Helper()
	apitest.Expect(t, "first section", b.Get(path), http.StatusOK, "Section 1 of 4", "This is your personal link",
		`<html lang="en" dir="ltr">`, "Which type of organization do you represent?")
	apitest.Expect(t, "required answer missing", b.Submit(path, "next", url.Values{"q_years": {"2.5"}}), http.StatusUnprocessableEntity,
		`<a href="#q-q_org_type-ngo"><strong>Which type of organization do you represent?</strong> Please answer this question.</a>`,
		`Enter a whole number, without decimals.`, `value="2.5"`)
	next := apitest.Location(t, b.Submit(path, "next", url.Values{"q_org_type": {"ngo"}, "q_areas": {"tip", "som"}, "q_years": {"5"}}))
	if next != path+"?page=2" {
		t.Fatalf("next led to %q", next)
	}

	// Ranking a priority makes "why" appear on the same page: shown first.
	apitest.Expect(t, "second section", b.Get(next), http.StatusOK, "Section 2 of 4")
	if strings.Contains(b.Last, "q_priorities_why") {
		t.Error("the question about priorities shows before any is ranked")
	}
	ranks := url.Values{"q_priorities.rank.tip": {"1"}, "q_priorities.rank.corruption": {"2"}, "q_crosscutting": {"gender"}}
	apitest.Expect(t, "a question appears", b.Submit(path, "next", ranks), http.StatusOK,
		"Your answers open further questions on this page", `<textarea id="q-q_priorities_why"`, `<option value="1" selected>1</option>`)
	ranks.Set("q_priorities_why", "Trafficking grows <fast>.")
	apitest.Expect(t, "duplicate ranks", b.Submit(path, "next", url.Values{"q_priorities.rank.tip": {"1"}, "q_priorities.rank.som": {"1"}}),
		http.StatusUnprocessableEntity, "Use each rank only once.")
	if got := apitest.Location(t, b.Submit(path, "next", ranks)); got != path+"?page=3" {
		t.Fatalf("next led to %q", got)
	}

	// Back keeps the answers of both pages.
	b.Get(path + "?page=3")
	if got := apitest.Location(t, b.Submit(path, "back", url.Values{"q_coop": {"4"}})); got != path+"?page=2" {
		t.Fatalf("back led to %q", got)
	}
	apitest.Expect(t, "back", b.Get(path+"?page=2"), http.StatusOK, "name=\"q_priorities.rank.tip\">\n<option value=\"\">Not ranked</option><option value=\"1\" selected>1</option>",
		"Trafficking grows &lt;fast&gt;.")
	apitest.Expect(t, "forward again", b.Get(path+"?page=3"), http.StatusOK, `name="q_coop" value="4" checked`)

	// Save and leave; the same link resumes on the same section.
	apitest.Expect(t, "save", b.Submit(path, "save", url.Values{"q_coop": {"2"}}), http.StatusOK,
		"Your answers have been saved", `href="http://agora.test`+path+`"`)
	apitest.Expect(t, "resume", b.Get(path), http.StatusOK, "Section 3 of 4", `name="q_coop" value="2" checked`, `id="q-q_coop_obstacles"`)
	b.Submit(path, "next", url.Values{"q_coop": {"2"}, "q_coop_obstacles": {"Slow replies"}, "q_channels": {"meetings"}})
	b.Get(path + "?page=4")
	if got := apitest.Location(t, b.Submit(path, "next", url.Values{"q_problems": {"Few convictions."}})); got != path+"?page=review" {
		t.Fatalf("last section led to %q", got)
	}
}

// answerRequired answers the demo survey's required questions, rating
// cooperation coop, and ends on the review page.
func answerRequired(t *testing.T, b *apitest.Browser, path, coop string) {
	t.Helper()
	b.Get(path + "?page=1")
	b.Submit(path, "next", url.Values{"q_org_type": {"ngo"}, "q_areas": {"tip"}})
	b.Get(path + "?page=2")
	b.Submit(path, "next", url.Values{"q_priorities.rank.tip": {"1"}})
	b.Get(path + "?page=3")
	b.Submit(path, "next", url.Values{"q_coop": {coop}})
	b.Get(path + "?page=review")
}
