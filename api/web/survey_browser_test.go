package web_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// TestBrowserCompletesTheDemoSurvey fills the demo survey in a real browser:
// several sections with a skip rule, a ranking and a matrix; saves, leaves,
// reopens the link, resumes where it left off and submits. Then again in
// Arabic, right to left.
func TestBrowserCompletesTheDemoSurvey(t *testing.T) {
	env := newTestEnv(t)
	ctx := apitest.NewBrowser(t)
	c := env.Consult(forms.ConsultationInput{Languages: []string{"en", "fr", "ar"}})
	token, _ := env.Invite(c)
	ts := httptest.NewServer(env.Handler)
	defer ts.Close()
	link := ts.URL + "/s/" + token

	var heading, obstacles, coop string
	err := chromedp.Run(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(`input[name="q_org_type"]`, chromedp.ByQuery),
		// Section 1: profile.
		apitest.Radio("q_org_type", "ngo"),
		chromedp.Click(`input[name="q_areas"][value="tip"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q_areas"][value="som"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="q_years"]`, "12", chromedp.ByQuery),
		apitest.Press("next"),
		// Section 2: the ranking; its follow-up appears once it is answered.
		chromedp.WaitVisible(`select[name="q_priorities.rank.tip"]`, chromedp.ByQuery),
		chromedp.SetValue(`select[name="q_priorities.rank.tip"]`, "1", chromedp.ByQuery),
		chromedp.SetValue(`select[name="q_priorities.rank.corruption"]`, "2", chromedp.ByQuery),
		chromedp.SetValue(`select[name="q_priorities.rank.environment"]`, "3", chromedp.ByQuery),
		apitest.Press("next"),
		chromedp.WaitVisible(`textarea[name="q_priorities_why"]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="q_priorities_why"]`, "These are the cases we see.", chromedp.ByQuery),
		apitest.Press("next"),
		// Section 3: the scale opens a follow-up (skip rule), and a matrix.
		chromedp.WaitVisible(`input[name="q_coop"]`, chromedp.ByQuery),
		apitest.Radio("q_coop", "2"),
		apitest.Radio("q_coop_bodies.police", "3"),
		apitest.Radio("q_coop_bodies.prosecution", "2"),
		apitest.Radio("q_coop_bodies.border", "9"),
		apitest.Press("next"),
		chromedp.WaitVisible(`textarea[name="q_coop_obstacles"]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="q_coop_obstacles"]`, "Letters go unanswered.", chromedp.ByQuery),
		// Save and leave.
		apitest.Press("save"),
		chromedp.WaitReady("body", chromedp.ByQuery),
		// Reopen the link: the same section, with the answers kept.
		chromedp.Navigate(link),
		chromedp.WaitVisible(`textarea[name="q_coop_obstacles"]`, chromedp.ByQuery),
		chromedp.Text("h1", &heading, chromedp.ByQuery),
		chromedp.Value(`textarea[name="q_coop_obstacles"]`, &obstacles, chromedp.ByQuery),
		chromedp.Value(`input[name="q_coop"]:checked`, &coop, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("filling the survey: %v", err)
	}
	if obstacles != "Letters go unanswered." || coop != "2" {
		t.Fatalf("resumed page (%q): obstacles %q, cooperation %q", heading, obstacles, coop)
	}

	var receipt string
	err = chromedp.Run(ctx,
		apitest.Press("next"),
		chromedp.WaitVisible(`textarea[name="q_problems"]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="q_problems"]`, "Victims are prosecuted.", chromedp.ByQuery),
		apitest.Press("next"),
		chromedp.WaitVisible(`button[name="action"][value="submit"]`, chromedp.ByQuery),
		apitest.Press("submit"),
		chromedp.WaitVisible(`.code`, chromedp.ByQuery),
		chromedp.Text(`.code`, &receipt, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("submitting: %v", err)
	}

	var resp forms.Response
	if err := env.DB.Where("consultation_id = ?", c.ID).Take(&resp).Error; err != nil {
		t.Fatal(err)
	}
	if resp.Status != forms.ResponseSubmitted || resp.Receipt == nil || *resp.Receipt != strings.TrimSpace(receipt) {
		t.Fatalf("stored response %+v, receipt shown %q", resp, receipt)
	}
	stored := map[string]string{}
	var rows []forms.Answer
	env.DB.Where("response_id = ?", resp.ID).Find(&rows)
	for _, r := range rows {
		key := r.QuestionCode + "/" + r.RowCode + "/" + r.OptionCode
		switch {
		case r.Rank > 0:
			stored[key] = strconv.Itoa(r.Rank)
		case r.Number != nil:
			stored[key] = strconv.FormatFloat(*r.Number, 'f', -1, 64)
		default:
			stored[key] = r.Text
		}
	}
	want := map[string]string{
		"q_org_type//ngo": "", "q_areas//tip": "", "q_areas//som": "", "q_years//": "12",
		"q_priorities//tip": "1", "q_priorities//corruption": "2", "q_priorities//environment": "3",
		"q_priorities_why//": "These are the cases we see.",
		"q_coop//":           "2", "q_coop_obstacles//": "Letters go unanswered.",
		"q_coop_bodies/police/": "3", "q_coop_bodies/prosecution/": "2", "q_coop_bodies/border/": "9",
		"q_problems//": "Victims are prosecuted.",
	}
	for k, v := range want {
		if got, ok := stored[k]; !ok || got != v {
			t.Errorf("stored %s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if len(stored) != len(want) {
		t.Errorf("stored %d answers, want %d: %v", len(stored), len(want), stored)
	}

	t.Run("arabic", func(t *testing.T) {
		token, _ := env.Invite(c)
		var dir, lang string
		var receipt string
		err := chromedp.Run(ctx,
			chromedp.Navigate(ts.URL+"/s/"+token+"?lang=ar"),
			chromedp.WaitVisible(`input[name="q_org_type"]`, chromedp.ByQuery),
			chromedp.AttributeValue("html", "dir", &dir, nil, chromedp.ByQuery),
			chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
			apitest.Radio("q_org_type", "academia"),
			chromedp.Click(`input[name="q_areas"][value="fa"]`, chromedp.ByQuery),
			apitest.Press("next"),
			chromedp.WaitVisible(`select[name="q_priorities.rank.firearms"]`, chromedp.ByQuery),
			chromedp.SetValue(`select[name="q_priorities.rank.firearms"]`, "1", chromedp.ByQuery),
			apitest.Press("next"),
			chromedp.WaitVisible(`textarea[name="q_priorities_why"]`, chromedp.ByQuery),
			apitest.Press("next"),
			chromedp.WaitVisible(`input[name="q_coop"]`, chromedp.ByQuery),
			apitest.Radio("q_coop", "4"),
			apitest.Press("next"),
			chromedp.WaitVisible(`textarea[name="q_problems"]`, chromedp.ByQuery),
			apitest.Press("next"),
			chromedp.WaitVisible(`button[name="action"][value="submit"]`, chromedp.ByQuery),
			apitest.Press("submit"),
			chromedp.WaitVisible(`.code`, chromedp.ByQuery),
			chromedp.Text(`.code`, &receipt, chromedp.ByQuery),
		)
		if err != nil {
			t.Fatalf("arabic: %v", err)
		}
		if dir != "rtl" || lang != "ar" {
			t.Errorf(`<html lang=%q dir=%q>, want lang="ar" dir="rtl"`, lang, dir)
		}
		var n int64
		env.DB.Model(&forms.Response{}).Where("receipt = ? AND language = ? AND status = ?", strings.TrimSpace(receipt), "ar", forms.ResponseSubmitted).Count(&n)
		if n != 1 {
			t.Errorf("no submitted Arabic response with receipt %q", receipt)
		}
	})
}
