package api

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/unodc-csu/agora/forms"
)

// chromium finds the browser for the end-to-end tests: Debian's chromium,
// which .ci/run installs. Without it the tests skip, except in CI.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("chromium is not installed (apt-get install chromium): skipping the browser test")
	return ""
}

// newBrowser starts a headless Chromium for t, with the flags that keep it
// from calling out of this machine.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromium(t)
	// Not t.TempDir: Chromium may still be writing its profile while it
	// exits, which would fail the test in cleanup; the folder is removed on
	// a best-effort basis instead.
	profile, err := os.MkdirTemp("", "agora-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(390, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return ctx
}

// press clicks the submit button with the given action and waits until
// the page it posts to has replaced this one (see clickAndWait).
func press(action string) chromedp.Action {
	return clickAndWait(`button[name="action"][value="` + action + `"]`)
}

// clickAndWait clicks sel and waits until the page it leads to has
// replaced this one: a mark set on the old window is gone, and the new
// document is loaded.
func clickAndWait(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var ignored bool
		if err := chromedp.Run(ctx,
			chromedp.Evaluate(`window.__agoraOld = true`, &ignored),
			chromedp.Click(sel, chromedp.ByQuery),
		); err != nil {
			return err
		}
		for {
			var loaded bool
			err := chromedp.Run(ctx, chromedp.Evaluate(`window.__agoraOld === undefined && document.readyState === "complete"`, &loaded))
			if err == nil && loaded {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func radio(name, value string) chromedp.Action {
	return chromedp.Click(`input[name="`+name+`"][value="`+value+`"]`, chromedp.ByQuery)
}

// TestBrowserCompletesTheDemoSurvey fills the demo survey in a real browser:
// several sections with a skip rule, a ranking and a matrix; saves, leaves,
// reopens the link, resumes where it left off and submits. Then again in
// Arabic, right to left.
func TestBrowserCompletesTheDemoSurvey(t *testing.T) {
	env := newTestEnv(t)
	ctx := newBrowser(t)
	c := env.consult(forms.ConsultationInput{Languages: []string{"en", "fr", "ar"}})
	token, _ := env.invite(c)
	ts := httptest.NewServer(env.h)
	defer ts.Close()
	link := ts.URL + "/s/" + token

	var heading, obstacles, coop string
	err := chromedp.Run(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(`input[name="q_org_type"]`, chromedp.ByQuery),
		// Section 1: profile.
		radio("q_org_type", "ngo"),
		chromedp.Click(`input[name="q_areas"][value="tip"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q_areas"][value="som"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="q_years"]`, "12", chromedp.ByQuery),
		press("next"),
		// Section 2: the ranking; its follow-up appears once it is answered.
		chromedp.WaitVisible(`select[name="q_priorities.rank.tip"]`, chromedp.ByQuery),
		chromedp.SetValue(`select[name="q_priorities.rank.tip"]`, "1", chromedp.ByQuery),
		chromedp.SetValue(`select[name="q_priorities.rank.corruption"]`, "2", chromedp.ByQuery),
		chromedp.SetValue(`select[name="q_priorities.rank.environment"]`, "3", chromedp.ByQuery),
		press("next"),
		chromedp.WaitVisible(`textarea[name="q_priorities_why"]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="q_priorities_why"]`, "These are the cases we see.", chromedp.ByQuery),
		press("next"),
		// Section 3: the scale opens a follow-up (skip rule), and a matrix.
		chromedp.WaitVisible(`input[name="q_coop"]`, chromedp.ByQuery),
		radio("q_coop", "2"),
		radio("q_coop_bodies.police", "3"),
		radio("q_coop_bodies.prosecution", "2"),
		radio("q_coop_bodies.border", "9"),
		press("next"),
		chromedp.WaitVisible(`textarea[name="q_coop_obstacles"]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="q_coop_obstacles"]`, "Letters go unanswered.", chromedp.ByQuery),
		// Save and leave.
		press("save"),
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
		press("next"),
		chromedp.WaitVisible(`textarea[name="q_problems"]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="q_problems"]`, "Victims are prosecuted.", chromedp.ByQuery),
		press("next"),
		chromedp.WaitVisible(`button[name="action"][value="submit"]`, chromedp.ByQuery),
		press("submit"),
		chromedp.WaitVisible(`.code`, chromedp.ByQuery),
		chromedp.Text(`.code`, &receipt, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("submitting: %v", err)
	}

	var resp forms.Response
	if err := env.srv.db.Where("consultation_id = ?", c.ID).Take(&resp).Error; err != nil {
		t.Fatal(err)
	}
	if resp.Status != forms.ResponseSubmitted || resp.Receipt == nil || *resp.Receipt != strings.TrimSpace(receipt) {
		t.Fatalf("stored response %+v, receipt shown %q", resp, receipt)
	}
	stored := map[string]string{}
	var rows []forms.Answer
	env.srv.db.Where("response_id = ?", resp.ID).Find(&rows)
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
		token, _ := env.invite(c)
		var dir, lang string
		var receipt string
		err := chromedp.Run(ctx,
			chromedp.Navigate(ts.URL+"/s/"+token+"?lang=ar"),
			chromedp.WaitVisible(`input[name="q_org_type"]`, chromedp.ByQuery),
			chromedp.AttributeValue("html", "dir", &dir, nil, chromedp.ByQuery),
			chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
			radio("q_org_type", "academia"),
			chromedp.Click(`input[name="q_areas"][value="fa"]`, chromedp.ByQuery),
			press("next"),
			chromedp.WaitVisible(`select[name="q_priorities.rank.firearms"]`, chromedp.ByQuery),
			chromedp.SetValue(`select[name="q_priorities.rank.firearms"]`, "1", chromedp.ByQuery),
			press("next"),
			chromedp.WaitVisible(`textarea[name="q_priorities_why"]`, chromedp.ByQuery),
			press("next"),
			chromedp.WaitVisible(`input[name="q_coop"]`, chromedp.ByQuery),
			radio("q_coop", "4"),
			press("next"),
			chromedp.WaitVisible(`textarea[name="q_problems"]`, chromedp.ByQuery),
			press("next"),
			chromedp.WaitVisible(`button[name="action"][value="submit"]`, chromedp.ByQuery),
			press("submit"),
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
		env.srv.db.Model(&forms.Response{}).Where("receipt = ? AND language = ? AND status = ?", strings.TrimSpace(receipt), "ar", forms.ResponseSubmitted).Count(&n)
		if n != 1 {
			t.Errorf("no submitted Arabic response with receipt %q", receipt)
		}
	})
}
