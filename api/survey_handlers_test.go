package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
)

func TestSurveyLinkPages(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	c := env.consult(forms.ConsultationInput{})
	revoked, revokedID := env.invite(c)
	if _, err := env.srv.forms.RevokeInvitation(ctx, forms.AllCountries, revokedID); err != nil {
		t.Fatal(err)
	}
	expired, expiredID := env.invite(c)
	env.srv.db.Model(&forms.Invitation{}).Where("id = ?", expiredID).Update("expires_at", time.Now().Add(-time.Hour))

	closedC := env.consult(forms.ConsultationInput{Title: "Closed"})
	closed, _ := env.invite(closedC)
	if _, err := env.srv.forms.CloseConsultation(ctx, forms.AllCountries, closedC.ID); err != nil {
		t.Fatal(err)
	}
	later := time.Date(2099, 3, 1, 0, 0, 0, 0, time.UTC)
	futureC := env.consult(forms.ConsultationInput{Title: "Future", OpensAt: &later})
	future, err := env.srv.forms.SetOpenLink(ctx, forms.AllCountries, futureC.ID)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, token, lang string
		status            int
		want              []string
	}{
		{"unknown", "AAAAAAAAAAAAAAAAAAAAAA", "en", http.StatusNotFound, []string{"This link does not work", `<html lang="en" dir="ltr">`}},
		{"unknown in Arabic", "AAAAAAAAAAAAAAAAAAAAAB", "ar", http.StatusNotFound, []string{"هذا الرابط لا يعمل", `<html lang="ar" dir="rtl">`}},
		{"too short", "abc", "fr", http.StatusNotFound, []string{"Ce lien ne fonctionne pas"}},
		{"revoked", revoked, "en", http.StatusGone, []string{"This link has been withdrawn"}},
		{"expired", expired, "es", http.StatusGone, []string{"Este enlace ha caducado"}},
		{"closed", closed, "ru", http.StatusGone, []string{"Консультации завершены"}},
		{"not yet open", future, "en", http.StatusForbidden, []string{"has not opened yet", "Please come back with the same link"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.browser().get("/s/"+tt.token, "Accept-Language", tt.lang)
			expect(t, tt.name, rec, tt.status, tt.want...)
			if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || strings.Contains(rec.Body.String(), "error\":") {
				t.Errorf("not an HTML page: %s", rec.Header().Get("Content-Type"))
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", rec.Header().Get("Cache-Control"))
			}
		})
	}
}

func TestSurveyCSRF(t *testing.T) {
	env := newTestEnv(t)
	c := env.consult(forms.ConsultationInput{})
	token, _ := env.invite(c)
	path := "/s/" + token
	good := env.srv.survey.csrfToken(token)
	other, _ := env.invite(c)
	tests := []struct {
		name    string
		csrf    string
		headers []string
		status  int
	}{
		{"missing", "", nil, http.StatusForbidden},
		{"wrong", "bm90IGEgdG9rZW4", nil, http.StatusForbidden},
		{"another link's", env.srv.survey.csrfToken(other), nil, http.StatusForbidden},
		{"from another site", good, []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"referred by another site", good, []string{"Origin", "", "Referer", "https://evil.example/page"}, http.StatusForbidden},
		{"good", good, nil, http.StatusSeeOther},
		{"good, no origin sent", good, []string{"Origin", ""}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"action": {"next"}, "section": {"0"}, "q_org_type": {"ngo"}, "q_areas": {"tip"}}
			if tt.csrf != "" {
				form.Set("csrf", tt.csrf)
			}
			rec := env.browser().post(path, form, tt.headers...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.status == http.StatusForbidden && (!strings.Contains(rec.Body.String(), "This form could not be accepted") ||
				!strings.Contains(rec.Body.String(), `<a class="button" href="`+path+`">Return to the questionnaire</a>`)) {
				t.Errorf("the refusal page:\n%s", rec.Body)
			}
		})
	}
}

func TestSurveyLanguages(t *testing.T) {
	env := newTestEnv(t)
	c := env.consult(forms.ConsultationInput{Languages: []string{"en", "fr", "ar"}})
	token, _ := env.invite(c)
	path := "/s/" + token
	b := env.browser()
	expect(t, "English first", b.get(path), http.StatusOK, `<html lang="en" dir="ltr">`,
		`<a href="/s/`+token+`?lang=fr&amp;page=1" lang="fr" hreflang="fr">Français</a>`)
	expect(t, "switch to French", b.get(path+"?lang=fr&page=1"), http.StatusOK, `<html lang="fr" dir="ltr">`,
		"Quel type d’organisation représentez-vous", ">Continuer</button>")
	expect(t, "French is remembered", b.get(path), http.StatusOK, `<html lang="fr" dir="ltr">`)
	// Arabic is offered by the consultation but not by the questionnaire:
	// the page speaks Arabic, the questions fall back to English.
	expect(t, "Arabic", b.get(path+"?lang=ar"), http.StatusOK, `<html lang="ar" dir="rtl">`, ">متابعة</button>",
		`<span lang="en" dir="ltr">Which type of organization do you represent?</span>`)
	expect(t, "a language not offered", b.get(path+"?lang=zh"), http.StatusOK, `<html lang="ar" dir="rtl">`)
	expect(t, "errors in Arabic", b.submit(path, "next", nil), http.StatusUnprocessableEntity, "يُرجى الإجابة عن هذا السؤال.")
}

// TestSurveySkipLogic uses the example questionnaire, where the second
// section shows only to some, and questions depend on earlier answers.
func TestSurveySkipLogic(t *testing.T) {
	env := newTestEnv(t)
	raw, err := os.ReadFile("../forms/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var def forms.Definition
	if err := json.Unmarshal(raw, &def); err != nil {
		t.Fatal(err)
	}
	token := env.publishAndInvite(&def)
	path := "/s/" + token
	b := env.browser()

	b.get(path)
	// A private company in one area skips the "issues" section.
	if got := location(t, b.submit(path, "next", url.Values{"q_sector": {"private"}, "q_areas": {"tip"}})); got != path+"?page=review" {
		t.Errorf("a skipped section: next led to %q", got)
	}
	expect(t, "review without the section", b.get(path+"?page=review"), http.StatusOK, "About you")
	if strings.Contains(b.last, "Rank the instruments") {
		t.Error("the review lists a skipped section")
	}
	expect(t, "one section of one", b.get(path+"?page=1"), http.StatusOK, "Section 1 of 1", "Continue to review")

	// An NGO sees it; q_gaps shows only when implementation is poor.
	if got := location(t, b.submit(path, "next", url.Values{"q_sector": {"ngo"}, "q_areas": {"tip"}, "q_staff": {"0"}})); got != path+"?page=2" {
		t.Fatalf("next led to %q", got)
	}
	expect(t, "the section shows", b.get(path+"?page=2"), http.StatusOK, "Section 2 of 2", "Rank the instruments")
	for _, hidden := range []string{`id="q-q_gaps"`, `id="q-q_budget_share"`} {
		if strings.Contains(b.last, hidden) {
			t.Errorf("%s shows before its condition holds", hidden)
		}
	}
	form := url.Values{"q_priorities.rank.tip": {"1"}, "q_implementation": {"1"}, "q_tip_details": {"Victims are not identified early enough."}}
	expect(t, "q_gaps appears", b.submit(path, "next", form), http.StatusOK, `id="q-q_gaps"`, "further questions")
	form.Set("q_implementation", "4")
	if got := location(t, b.submit(path, "next", form)); got != path+"?page=review" {
		t.Errorf("next led to %q", got)
	}
	expect(t, "review", b.get(path+"?page=review"), http.StatusOK, "Rank the instruments")
	if strings.Contains(b.last, "What is the main gap?") {
		t.Error("the review lists a hidden question")
	}
}

// publishAndInvite publishes def in Kenya and returns a personal link.
func (e *testEnv) publishAndInvite(def *forms.Definition) string {
	e.t.Helper()
	ctx := context.Background()
	q, err := e.srv.forms.CreateQuestionnaire(ctx, def, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.srv.forms.PublishQuestionnaire(ctx, q.ID); err != nil {
		e.t.Fatal(err)
	}
	c, err := e.srv.forms.CreateConsultation(ctx, forms.AllCountries,
		forms.ConsultationInput{QuestionnaireID: q.ID, Country: "KEN", Title: "Test"}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	token, _ := e.invite(c)
	return token
}

func TestSurveyEscapes(t *testing.T) {
	env := newTestEnv(t)
	def := &forms.Definition{
		Code: "xss", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: forms.Text{"en": `<script>alert(1)</script>`},
		Sections: []forms.Section{{Code: "s", Title: forms.Text{"en": "S"}, Questions: []forms.Question{
			{Code: "q", Type: forms.TypeLongText, Label: forms.Text{"en": `<script>alert(2)</script>`}},
		}}},
	}
	token := env.publishAndInvite(def)
	path := "/s/" + token
	b := env.browser()
	b.get(path)
	location(t, b.submit(path, "next", url.Values{"q": {`</textarea><script>alert(3)</script><b>bold</b>`}}))
	for _, page := range []string{path + "?page=1", path + "?page=review"} {
		body := b.get(page).Body.String()
		if strings.Contains(body, "<script>") || strings.Contains(body, "<b>bold") || strings.Contains(body, "</textarea><script") {
			t.Errorf("%s shows markup unescaped:\n%s", page, body)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(2)&lt;/script&gt;") {
			t.Errorf("%s lacks the escaped label", page)
		}
	}
}

func TestSurveyRateLimits(t *testing.T) {
	env := newTestEnv(t)
	c := env.consult(forms.ConsultationInput{})
	open, err := env.srv.forms.SetOpenLink(context.Background(), forms.AllCountries, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	csrf := env.srv.survey.csrfToken(open)
	codes := map[int]int{}
	for range openVisitsPerHour + 2 {
		rec := env.browser().post("/s/"+open, url.Values{"csrf": {csrf}, "action": {"start"}, "stakeholder_type": {"ngo"}, "language": {"en"}})
		codes[rec.Code]++
	}
	if codes[http.StatusSeeOther] != openVisitsPerHour || codes[http.StatusTooManyRequests] != 2 {
		t.Errorf("open visits: status counts %v", codes)
	}
	var last *httptestRecorder
	for i := range linkGuardBurst + 1 {
		last = env.browser().get(pathf("/s/BBBBBBBBBBBBBBBBBBBBBB%02d", i))
	}
	expect(t, "guessing links", last, http.StatusTooManyRequests, "Too many attempts")
}

func TestSurveyStyleSheet(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.get("/s/AAAAAAAAAAAAAAAAAAAAAA")
	href := b.last[strings.Index(b.last, `href="/static/`)+6:]
	href = strings.ReplaceAll(href[:strings.IndexByte(href, '"')], "&amp;", "&")
	rec := b.get(href, "Accept-Encoding", "gzip")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" ||
		!strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("%s: %d %v", href, rec.Code, rec.Header())
	}
	if rec := b.get("/static/other.css"); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown static file: %d", rec.Code)
	}
}
