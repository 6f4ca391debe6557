package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
)

func TestSurveyLinkPages(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	c := env.Consult(forms.ConsultationInput{})
	revoked, revokedID := env.Invite(c)
	if _, err := env.Forms().RevokeInvitation(ctx, forms.AllCountries, revokedID); err != nil {
		t.Fatal(err)
	}
	expired, expiredID := env.Invite(c)
	env.DB.Model(&forms.Invitation{}).Where("id = ?", expiredID).Update("expires_at", time.Now().Add(-time.Hour))

	closedC := env.Consult(forms.ConsultationInput{Title: "Closed"})
	closed, _ := env.Invite(closedC)
	if _, err := env.Forms().CloseConsultation(ctx, forms.AllCountries, closedC.ID); err != nil {
		t.Fatal(err)
	}
	later := time.Date(2099, 3, 1, 0, 0, 0, 0, time.UTC)
	futureC := env.Consult(forms.ConsultationInput{Title: "Future", OpensAt: &later})
	future, err := env.Forms().SetOpenLink(ctx, forms.AllCountries, futureC.ID)
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
			rec := env.Browser().Get("/s/"+tt.token, "Accept-Language", tt.lang)
			apitest.Expect(t, tt.name, rec, tt.status, tt.want...)
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
	c := env.Consult(forms.ConsultationInput{})
	token, _ := env.Invite(c)
	path := "/s/" + token
	good := env.Server.Survey().CSRF(token)
	other, _ := env.Invite(c)
	tests := []struct {
		name    string
		csrf    string
		headers []string
		status  int
	}{
		{"missing", "", nil, http.StatusForbidden},
		{"wrong", "bm90IGEgdG9rZW4", nil, http.StatusForbidden},
		{"another link's", env.Server.Survey().CSRF(other), nil, http.StatusForbidden},
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
			rec := env.Browser().Post(path, form, tt.headers...)
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
	c := env.Consult(forms.ConsultationInput{Languages: []string{"en", "fr", "ar"}})
	token, _ := env.Invite(c)
	path := "/s/" + token
	b := env.Browser()
	apitest.Expect(t, "English first", b.Get(path), http.StatusOK, `<html lang="en" dir="ltr">`,
		`<a href="/s/`+token+`?lang=fr&amp;page=1" lang="fr" hreflang="fr">Français</a>`)
	apitest.Expect(t, "switch to French", b.Get(path+"?lang=fr&page=1"), http.StatusOK, `<html lang="fr" dir="ltr">`,
		"Quel type d’organisation représentez-vous", ">Continuer</button>")
	apitest.Expect(t, "French is remembered", b.Get(path), http.StatusOK, `<html lang="fr" dir="ltr">`)
	// Arabic is offered by the consultation but not by the questionnaire:
	// the page speaks Arabic, the questions fall back to English.
	apitest.Expect(t, "Arabic", b.Get(path+"?lang=ar"), http.StatusOK, `<html lang="ar" dir="rtl">`, ">متابعة</button>",
		`<span lang="en" dir="ltr">Which type of organization do you represent?</span>`)
	apitest.Expect(t, "a language not offered", b.Get(path+"?lang=zh"), http.StatusOK, `<html lang="ar" dir="rtl">`)
	apitest.Expect(t, "errors in Arabic", b.Submit(path, "next", nil), http.StatusUnprocessableEntity, "يُرجى الإجابة عن هذا السؤال.")
}

// TestSurveySkipLogic uses the example questionnaire, where the second
// section shows only to some, and questions depend on earlier answers.
func TestSurveySkipLogic(t *testing.T) {
	env := newTestEnv(t)
	raw, err := os.ReadFile("../../forms/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var def forms.Definition
	if err := json.Unmarshal(raw, &def); err != nil {
		t.Fatal(err)
	}
	token := env.publishAndInvite(&def)
	path := "/s/" + token
	b := env.Browser()

	b.Get(path)
	// A private company in one area skips the "issues" section.
	if got := apitest.Location(t, b.Submit(path, "next", url.Values{"q_sector": {"private"}, "q_areas": {"tip"}})); got != path+"?page=review" {
		t.Errorf("a skipped section: next led to %q", got)
	}
	apitest.Expect(t, "review without the section", b.Get(path+"?page=review"), http.StatusOK, "About you")
	if strings.Contains(b.Last, "Rank the instruments") {
		t.Error("the review lists a skipped section")
	}
	apitest.Expect(t, "one section of one", b.Get(path+"?page=1"), http.StatusOK, "Section 1 of 1", "Continue to review")

	// An NGO sees it; q_gaps shows only when implementation is poor.
	if got := apitest.Location(t, b.Submit(path, "next", url.Values{"q_sector": {"ngo"}, "q_areas": {"tip"}, "q_staff": {"0"}})); got != path+"?page=2" {
		t.Fatalf("next led to %q", got)
	}
	apitest.Expect(t, "the section shows", b.Get(path+"?page=2"), http.StatusOK, "Section 2 of 2", "Rank the instruments")
	for _, hidden := range []string{`id="q-q_gaps"`, `id="q-q_budget_share"`} {
		if strings.Contains(b.Last, hidden) {
			t.Errorf("%s shows before its condition holds", hidden)
		}
	}
	form := url.Values{"q_priorities.rank.tip": {"1"}, "q_implementation": {"1"}, "q_tip_details": {"Victims are not identified early enough."}}
	apitest.Expect(t, "q_gaps appears", b.Submit(path, "next", form), http.StatusOK, `id="q-q_gaps"`, "further questions")
	form.Set("q_implementation", "4")
	if got := apitest.Location(t, b.Submit(path, "next", form)); got != path+"?page=review" {
		t.Errorf("next led to %q", got)
	}
	apitest.Expect(t, "review", b.Get(path+"?page=review"), http.StatusOK, "Rank the instruments")
	if strings.Contains(b.Last, "What is the main gap?") {
		t.Error("the review lists a hidden question")
	}
}

// publishAndInvite publishes def in Kenya and returns a personal link.
func (e *testEnv) publishAndInvite(def *forms.Definition) string {
	e.T.Helper()
	ctx := context.Background()
	q, err := e.Forms().CreateQuestionnaire(ctx, def, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	if _, err := e.Forms().PublishQuestionnaire(ctx, q.ID); err != nil {
		e.T.Fatal(err)
	}
	c, err := e.Forms().CreateConsultation(ctx, forms.AllCountries,
		forms.ConsultationInput{QuestionnaireID: q.ID, Country: "KEN", Title: "Test"}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	token, _ := e.Invite(c)
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
	b := env.Browser()
	b.Get(path)
	apitest.Location(t, b.Submit(path, "next", url.Values{"q": {`</textarea><script>alert(3)</script><b>bold</b>`}}))
	for _, page := range []string{path + "?page=1", path + "?page=review"} {
		body := b.Get(page).Body.String()
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
	c := env.Consult(forms.ConsultationInput{})
	open, err := env.Forms().SetOpenLink(context.Background(), forms.AllCountries, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	csrf := env.Server.Survey().CSRF(open)
	codes := map[int]int{}
	for range web.OpenVisitsPerHour + 2 {
		rec := env.Browser().Post("/s/"+open, url.Values{"csrf": {csrf}, "action": {"start"}, "stakeholder_type": {"ngo"}, "language": {"en"}})
		codes[rec.Code]++
	}
	if codes[http.StatusSeeOther] != web.OpenVisitsPerHour || codes[http.StatusTooManyRequests] != 2 {
		t.Errorf("open visits: status counts %v", codes)
	}
	var last *httptest.ResponseRecorder
	for i := range httpkit.LinkGuardBurst + 1 {
		last = env.Browser().Get(fmt.Sprintf("/s/BBBBBBBBBBBBBBBBBBBBBB%02d", i))
	}
	apitest.Expect(t, "guessing links", last, http.StatusTooManyRequests, "Too many attempts")
}

func TestSurveyStyleSheet(t *testing.T) {
	env := newTestEnv(t)
	b := env.Browser()
	b.Get("/s/AAAAAAAAAAAAAAAAAAAAAA")
	href := b.Last[strings.Index(b.Last, `href="/static/`)+6:]
	href = strings.ReplaceAll(href[:strings.IndexByte(href, '"')], "&amp;", "&")
	rec := b.Get(href, "Accept-Encoding", "gzip")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" ||
		!strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("%s: %d %v", href, rec.Code, rec.Header())
	}
	if rec := b.Get("/static/other.css"); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown static file: %d", rec.Code)
	}
}
