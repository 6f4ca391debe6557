package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

var receiptCode = regexp.MustCompile(`<p class="code">([A-Z0-9-]+)</p>`)

// TestSurveyFlowWithoutJavaScript walks the demo survey as a stakeholder
// with a browser that runs no script: open link, section by section, back,
// save and leave, resume, review, submit twice.
func TestSurveyFlowWithoutJavaScript(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	c := env.consult(forms.ConsultationInput{Languages: []string{"en", "fr", "ar"}})
	open, err := env.srv.forms.SetOpenLink(ctx, forms.AllCountries, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := env.browser()
	path := startFromOpenLink(t, b, open)
	answerSectionBySection(t, b, path)

	expect(t, "review", b.get(path+"?page=review"), http.StatusOK, "Check your answers",
		"<li>Trafficking in persons</li>", "Slow replies", `?page=3&amp;return=review#q-q_coop-1`)
	id := b.hidden("submission_id")
	first := b.submit(path, "submit", nil)
	expect(t, "submit", first, http.StatusOK, "Thank you, your answers have been submitted", "print this page")
	again := b.post(path, url.Values{"action": {"submit"}, "submission_id": {id}, "csrf": {env.srv.survey.csrfToken(strings.TrimPrefix(path, "/s/"))}})
	expect(t, "submit again", again, http.StatusOK)
	r1, r2 := receiptCode.FindStringSubmatch(first.Body.String()), receiptCode.FindStringSubmatch(again.Body.String())
	if r1 == nil || r2 == nil || r1[1] != r2[1] {
		t.Errorf("receipts %v and %v", r1, r2)
	}

	var responses []forms.Response
	env.srv.db.Where("consultation_id = ?", c.ID).Find(&responses)
	var rows int64
	env.srv.db.Model(&forms.Answer{}).Where("response_id = ?", responses[0].ID).Count(&rows)
	if len(responses) != 1 || responses[0].Status != forms.ResponseSubmitted || responses[0].StakeholderType != "academia" || rows != 12 {
		t.Errorf("%d responses (%+v) with %d answer rows, want 1 submitted by academia with 12", len(responses), responses, rows)
	}

	// Editable until the consultation closes: the link shows the receipt
	// and leads back to the questions.
	expect(t, "after submitting", b.get(path), http.StatusOK, "Your answers", r1[1], "Change my answers")
	expect(t, "change after submitting", b.get(path+"?page=3"), http.StatusOK, "You are changing answers you have already submitted")
}

// TestSurveyResubmit changes a submitted response: the same response is
// updated, not a second one added.
func TestSurveyResubmit(t *testing.T) {
	env := newTestEnv(t)
	c := env.consult(forms.ConsultationInput{})
	token, _ := env.invite(c)
	path := "/s/" + token
	b := env.browser()
	b.answerRequired(path, "4")
	expect(t, "submit", b.submit(path, "submit", nil), http.StatusOK, "Thank you")
	b.answerRequired(path, "5")
	expect(t, "review of changes", b.get(path+"?page=review"), http.StatusOK, "Submit my changes")
	expect(t, "resubmit", b.submit(path, "submit", nil), http.StatusOK, "Thank you")
	var responses []forms.Response
	env.srv.db.Where("consultation_id = ?", c.ID).Find(&responses)
	var coop forms.Answer
	env.srv.db.Where("question_code = ?", "q_coop").Take(&coop)
	if len(responses) != 1 || responses[0].Pending || coop.Number == nil || *coop.Number != 5 {
		t.Errorf("responses %+v, q_coop row %+v", responses, coop)
	}
}

// TestSurveyLocked shows a submitted response read-only when the
// consultation does not let answers change.
func TestSurveyLocked(t *testing.T) {
	env := newTestEnv(t)
	no := false
	c := env.consult(forms.ConsultationInput{EditableAfterSubmit: &no})
	token, _ := env.invite(c)
	path := "/s/" + token
	b := env.browser()
	b.answerRequired(path, "3")
	expect(t, "submit", b.submit(path, "submit", nil), http.StatusOK, "Thank you", "can no longer be changed")
	expect(t, "later", b.get(path+"?page=2"), http.StatusOK, "Your answers", "can no longer be changed")
	if strings.Contains(b.last, "<form") {
		t.Error("a locked response shows a form")
	}
	csrf := env.srv.survey.csrfToken(token)
	rec := b.post(path, url.Values{"csrf": {csrf}, "action": {"next"}, "section": {"0"}, "q_org_type": {"academia"}})
	if location(t, rec) != path {
		t.Errorf("a change to a locked response led to %q", rec.Header().Get("Location"))
	}
}

// TestSurveyAnonymous thanks the stakeholder whose anonymous response can
// no longer be reached through their link.
func TestSurveyAnonymous(t *testing.T) {
	env := newTestEnv(t)
	c := env.consult(forms.ConsultationInput{Anonymity: forms.AnonymityAnonymous})
	token, _ := env.invite(c)
	path := "/s/" + token
	b := env.browser()
	b.answerRequired(path, "3")
	expect(t, "submit", b.submit(path, "submit", nil), http.StatusOK, "Thank you", `<p class="code">`)
	if strings.Contains(b.last, "Change my answers") {
		t.Error("an anonymous response offers changes")
	}
	expect(t, "later", b.get(path), http.StatusOK, "Thank you for your answers", "submitted anonymously")
}

// startFromOpenLink declares a stakeholder type on an open link's page and
// returns the personal link it leads to.
func startFromOpenLink(t *testing.T, b *browser, open string) string {
	t.Helper()

	// The open link asks who is answering, then gives a link of one's own.
	expect(t, "open link", b.get("/s/"+open), http.StatusOK,
		`name="stakeholder_type" value="academia"`, "A university or research institution", `<select id="language" name="language">`)
	expect(t, "open link without a type", b.submit("/s/"+open, "start", url.Values{"language": {"en"}}),
		http.StatusUnprocessableEntity, "Choose the kind of organization you are answering for.")
	path := location(t, b.submit("/s/"+open, "start", url.Values{"stakeholder_type": {"academia"}, "language": {"en"}}))
	if !strings.HasPrefix(path, "/s/") || path == "/s/"+open {
		t.Fatalf("redirected to %q", path)
	}

	return path
}

// answerSectionBySection answers the demo survey through its pages, going
// back once, saving and leaving once, and ends on the review.
func answerSectionBySection(t *testing.T, b *browser, path string) {
	t.Helper()
	expect(t, "first section", b.get(path), http.StatusOK, "Section 1 of 4", "This is your personal link",
		`<html lang="en" dir="ltr">`, "Which type of organization do you represent?")
	expect(t, "required answer missing", b.submit(path, "next", url.Values{"q_years": {"2.5"}}), http.StatusUnprocessableEntity,
		`<a href="#q-q_org_type-ngo"><strong>Which type of organization do you represent?</strong> Please answer this question.</a>`,
		`Enter a whole number, without decimals.`, `value="2.5"`)
	next := location(t, b.submit(path, "next", url.Values{"q_org_type": {"ngo"}, "q_areas": {"tip", "som"}, "q_years": {"5"}}))
	if next != path+"?page=2" {
		t.Fatalf("next led to %q", next)
	}

	// Ranking a priority makes "why" appear on the same page: shown first.
	expect(t, "second section", b.get(next), http.StatusOK, "Section 2 of 4")
	if strings.Contains(b.last, "q_priorities_why") {
		t.Error("the question about priorities shows before any is ranked")
	}
	ranks := url.Values{"q_priorities.rank.tip": {"1"}, "q_priorities.rank.corruption": {"2"}, "q_crosscutting": {"gender"}}
	expect(t, "a question appears", b.submit(path, "next", ranks), http.StatusOK,
		"Your answers open further questions on this page", `<textarea id="q-q_priorities_why"`, `<option value="1" selected>1</option>`)
	ranks.Set("q_priorities_why", "Trafficking grows <fast>.")
	expect(t, "duplicate ranks", b.submit(path, "next", url.Values{"q_priorities.rank.tip": {"1"}, "q_priorities.rank.som": {"1"}}),
		http.StatusUnprocessableEntity, "Use each rank only once.")
	if got := location(t, b.submit(path, "next", ranks)); got != path+"?page=3" {
		t.Fatalf("next led to %q", got)
	}

	// Back keeps the answers of both pages.
	b.get(path + "?page=3")
	if got := location(t, b.submit(path, "back", url.Values{"q_coop": {"4"}})); got != path+"?page=2" {
		t.Fatalf("back led to %q", got)
	}
	expect(t, "back", b.get(path+"?page=2"), http.StatusOK, "name=\"q_priorities.rank.tip\">\n<option value=\"\">Not ranked</option><option value=\"1\" selected>1</option>",
		"Trafficking grows &lt;fast&gt;.")
	expect(t, "forward again", b.get(path+"?page=3"), http.StatusOK, `name="q_coop" value="4" checked`)

	// Save and leave; the same link resumes on the same section.
	expect(t, "save", b.submit(path, "save", url.Values{"q_coop": {"2"}}), http.StatusOK,
		"Your answers have been saved", `href="http://agora.test`+path+`"`)
	expect(t, "resume", b.get(path), http.StatusOK, "Section 3 of 4", `name="q_coop" value="2" checked`, `id="q-q_coop_obstacles"`)
	b.submit(path, "next", url.Values{"q_coop": {"2"}, "q_coop_obstacles": {"Slow replies"}, "q_channels": {"meetings"}})
	b.get(path + "?page=4")
	if got := location(t, b.submit(path, "next", url.Values{"q_problems": {"Few convictions."}})); got != path+"?page=review" {
		t.Fatalf("last section led to %q", got)
	}
}

// answerRequired answers the demo survey's required questions, rating
// cooperation coop, and ends on the review page.
func (b *browser) answerRequired(path, coop string) {
	b.t.Helper()
	b.get(path + "?page=1")
	b.submit(path, "next", url.Values{"q_org_type": {"ngo"}, "q_areas": {"tip"}})
	b.get(path + "?page=2")
	b.submit(path, "next", url.Values{"q_priorities.rank.tip": {"1"}})
	b.get(path + "?page=3")
	b.submit(path, "next", url.Values{"q_coop": {coop}})
	b.get(path + "?page=review")
}
