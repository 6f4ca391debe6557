package staff_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// workspaceQuestionnaire is the questionnaire the CSU officer of the
// browser test uploads: two sections, a skip rule, English and French.
const workspaceQuestionnaire = `{
  "code": "pilot-browser",
  "kind": "issue_identification",
  "default_language": "en",
  "languages": ["en", "fr"],
  "title": {"en": "Pilot consultation on trafficking", "fr": "Consultation pilote sur la traite"},
  "sections": [
    {"code": "about", "title": {"en": "About you", "fr": "Votre organisation"}, "questions": [
      {"code": "q_sector", "type": "single_choice", "required": true,
       "label": {"en": "Which sector do you work in?", "fr": "Dans quel secteur travaillez-vous ?"},
       "options": [
         {"code": "ngo", "label": {"en": "Civil society", "fr": "Société civile"}},
         {"code": "academia", "label": {"en": "Academia", "fr": "Milieu universitaire"}}]}
    ]},
    {"code": "issues", "title": {"en": "Issues", "fr": "Problèmes"}, "questions": [
      {"code": "q_victims", "type": "scale", "required": true, "themes": ["TIP", "XC.VICTIMS"],
       "label": {"en": "How well are victims protected?", "fr": "Les victimes sont-elles bien protégées ?"},
       "scale": [
         {"value": 1, "label": {"en": "Not at all", "fr": "Pas du tout"}},
         {"value": 2, "label": {"en": "In part", "fr": "En partie"}},
         {"value": 3, "label": {"en": "Largely", "fr": "Largement"}},
         {"value": 4, "label": {"en": "Fully", "fr": "Pleinement"}}]},
      {"code": "q_why", "type": "text", "relevant": "q_victims <= 2",
       "label": {"en": "What is missing?", "fr": "Que manque-t-il ?"}}
    ]}
  ]
}`

// TestBrowserRunsAConsultation walks the whole path of the CSU workspace
// in a real browser, as its README tells a newcomer to: log in, upload a
// questionnaire, preview it in French, publish it, create a consultation,
// invite stakeholders, open one personal link and submit, see the
// dashboard count it, request the Excel export and download it.
func TestBrowserRunsAConsultation(t *testing.T) {
	env := newTestEnv(t)
	ctx := apitest.NewBrowser(t)
	bg, stop := context.WithCancel(context.Background())
	defer stop()
	env.Server.StartExports(bg)

	admin, err := env.Accounts().UserByEmail(context.Background(), "admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Accounts().SetPassword(context.Background(), admin.ID, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	env.Stakeholder("Coast Women's Network", "ngo", "KEN")
	env.Stakeholder("Nairobi Law Clinic", "academia", "KEN")
	env.Stakeholder("Mexico Watch", "ngo", "MEX")

	dir := t.TempDir()
	file := filepath.Join(dir, "pilot.json")
	if err := os.WriteFile(file, []byte(workspaceQuestionnaire), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(env.Handler)
	defer ts.Close()

	// Start the browser on ctx itself: a tab first started under a step's
	// deadline would close with it.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// step runs one part of the path with a deadline of its own, and shows
	// the page it stopped on when it fails.
	step := func(name string, actions ...chromedp.Action) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Run(sctx, actions...); err != nil {
			var where, html string
			hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_ = chromedp.Run(hctx, chromedp.Location(&where), chromedp.OuterHTML("body", &html, chromedp.ByQuery))
			t.Fatalf("%s: %v\nat %s: %.3000s", name, err, where, html)
		}
	}

	// Log in.
	step("log in",
		chromedp.Navigate(ts.URL+"/login?lang=en"),
		chromedp.WaitVisible(`#email`, chromedp.ByQuery),
		chromedp.SendKeys(`#email`, "admin@example.org", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "correct horse battery", chromedp.ByQuery),
		apitest.ClickAndWait(`form[action="/login"] button[type="submit"]`),
		chromedp.WaitVisible(`nav.menu`, chromedp.ByQuery),
	)

	// Upload the questionnaire: its page follows, as a draft.
	var status string
	step("upload",
		chromedp.Navigate(ts.URL+"/portal/questionnaires/new"),
		chromedp.WaitVisible(`#qn-file`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#qn-file`, []string{file}, chromedp.ByQuery),
		apitest.ClickAndWait(`form[enctype="multipart/form-data"] button[type="submit"]`),
		chromedp.WaitVisible(`#qn-confirm`, chromedp.ByQuery),
		chromedp.Text(`.qn-meta .badge`, &status, chromedp.ByQuery),
	)
	if status != "draft" {
		t.Fatalf("the uploaded questionnaire's status reads %q, want draft", status)
	}
	var q forms.Questionnaire
	if err := env.DB.Where("code = ?", "pilot-browser").Take(&q).Error; err != nil {
		t.Fatalf("the upload stored no questionnaire: %v", err)
	}
	qpage := ts.URL + "/portal/questionnaires/" + strconv.Itoa(int(q.ID))

	// Preview in French, as a stakeholder would see it: nothing is stored.
	var label, banner string
	step("preview",
		chromedp.Navigate(qpage+"/preview?lang=fr"),
		chromedp.WaitVisible(`input[name="q_sector"]`, chromedp.ByQuery),
		chromedp.Text(`fieldset legend`, &label, chromedp.ByQuery),
		chromedp.Text(`body`, &banner, chromedp.ByQuery),
	)
	if !strings.Contains(label, "Dans quel secteur travaillez-vous ?") || !strings.Contains(banner, "Preview – answers are not saved.") {
		t.Errorf("the French preview shows %q; banner text %.200q", label, banner)
	}

	// Publish.
	step("publish",
		chromedp.Navigate(qpage),
		chromedp.WaitVisible(`#qn-confirm`, chromedp.ByQuery),
		chromedp.Click(`#qn-confirm`, chromedp.ByQuery),
		apitest.ClickAndWait(`form.qn-publish button[type="submit"]`),
		chromedp.WaitVisible(`.qn-meta`, chromedp.ByQuery),
		chromedp.Text(`.qn-meta .badge`, &status, chromedp.ByQuery),
	)
	if status != "published" {
		t.Fatalf("after publishing the status reads %q", status)
	}

	// Create a consultation in Kenya from it.
	step("create the consultation",
		chromedp.Navigate(ts.URL+"/portal/consultations/new?questionnaire="+strconv.Itoa(int(q.ID))),
		chromedp.WaitVisible(`#new-title`, chromedp.ByQuery),
		chromedp.SetValue(`#new-country`, "KEN", chromedp.ByQuery),
		chromedp.SendKeys(`#new-title`, "Kenya pilot 2027", chromedp.ByQuery),
		apitest.ClickAndWait(`form[action="/portal/consultations"] button[type="submit"]`),
		chromedp.WaitVisible(`a[href$="/invite"]`, chromedp.ByQuery),
	)
	var c forms.Consultation
	if err := env.DB.Where("title = ?", "Kenya pilot 2027").Take(&c).Error; err != nil {
		t.Fatalf("no consultation stored: %v", err)
	}
	if c.CountryISO3 != "KEN" || c.QuestionnaireID != q.ID {
		t.Fatalf("stored consultation %+v", c)
	}
	hub := ts.URL + "/portal/consultations/" + strconv.Itoa(int(c.ID))

	// Invite every Kenyan stakeholder: their links are shown once.
	var links []*cdp.Node
	step("invite",
		chromedp.Navigate(hub+"/invite"),
		chromedp.WaitVisible(`input[name="stakeholder"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="stakeholder"]`, chromedp.ByQuery), // the first one
		apitest.ClickAndWait(`form[action$="/invitations"] button.primary`),
		chromedp.WaitVisible(`input.secret`, chromedp.ByQuery),
		chromedp.Nodes(`input.secret`, &links, chromedp.ByQueryAll),
	)
	if len(links) != 1 {
		t.Fatalf("%d links shown, want 1", len(links))
	}
	var link, copied string
	step("read the link", chromedp.Value(`input.secret`, &link, chromedp.ByQuery))
	// The script of the workspace adds a button that copies the link.
	step("copy the link",
		chromedp.Click(`button.copy`, chromedp.ByQuery),
		chromedp.Poll(`document.querySelector(".copied").textContent`, &copied),
	)
	if copied != "Copied" {
		t.Errorf("after the copy button, the status reads %q", copied)
	}
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/s/") {
		t.Fatalf("the link shown is %q", link)
	}

	// The stakeholder opens the link and answers, in French.
	var receipt string
	step("answer",
		chromedp.Navigate(ts.URL+u.Path+"?lang=fr"),
		chromedp.WaitVisible(`input[name="q_sector"]`, chromedp.ByQuery),
		apitest.Radio("q_sector", "ngo"),
		apitest.Press("next"),
		chromedp.WaitVisible(`input[name="q_victims"]`, chromedp.ByQuery),
		apitest.Radio("q_victims", "2"),
		apitest.Press("next"),
		chromedp.WaitVisible(`input[name="q_why"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="q_why"]`, "Shelters.", chromedp.ByQuery),
		apitest.Press("next"),
		chromedp.WaitVisible(`button[name="action"][value="submit"]`, chromedp.ByQuery),
		apitest.Press("submit"),
		chromedp.WaitVisible(`.code`, chromedp.ByQuery),
		chromedp.Text(`.code`, &receipt, chromedp.ByQuery),
	)
	var stored int64
	env.DB.Model(&forms.Response{}).Where("consultation_id = ? AND status = ? AND receipt = ?",
		c.ID, forms.ResponseSubmitted, strings.TrimSpace(receipt)).Count(&stored)
	if stored != 1 {
		t.Fatalf("no submitted response with receipt %q", receipt)
	}

	// The consultation's page and its dashboard count the response.
	var rates, dashboard string
	step("monitor",
		chromedp.Navigate(hub),
		chromedp.WaitVisible(`main`, chromedp.ByQuery),
		chromedp.Text(`main`, &rates, chromedp.ByQuery),
		chromedp.Navigate(hub+"/dashboard"),
		chromedp.WaitVisible(`main`, chromedp.ByQuery),
		chromedp.Text(`main`, &dashboard, chromedp.ByQuery),
	)
	if !strings.Contains(rates, "Coast Women's Network") {
		t.Errorf("the consultation page does not list the invited stakeholder:\n%.2000s", rates)
	}
	if !strings.Contains(dashboard, "How well are victims protected?") || !strings.Contains(dashboard, "Non-governmental organization") {
		t.Errorf("the dashboard lacks the question or the stakeholder type:\n%.2000s", dashboard)
	}

	// Request the Excel export, wait for it, download it.
	step("allow downloads", cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir))
	step("export",
		chromedp.Navigate(hub),
		chromedp.WaitVisible(`form[action="/portal/exports"] button`, chromedp.ByQuery),
		apitest.ClickAndWait(`form[action="/portal/exports"] button`),
		chromedp.WaitVisible(`a.button[href$="/file"]`, chromedp.ByQuery), // the page refreshes itself
		chromedp.Click(`a.button[href$="/file"]`, chromedp.ByQuery),
	)
	var workbook string
	for deadline := time.Now().Add(30 * time.Second); workbook == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		found, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		if len(found) == 1 {
			workbook = found[0]
		}
	}
	if workbook == "" {
		t.Fatal("no workbook was downloaded")
	}
	f, err := excelize.OpenFile(workbook)
	if err != nil {
		t.Fatalf("the downloaded workbook does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Responses")
	if err != nil {
		t.Fatalf("no Responses sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	if !sheetHas(rows, "Shelters.") {
		t.Errorf("the Responses sheet lacks the submitted text: %v", rows)
	}
}

func sheetHas(rows [][]string, text string) bool {
	for _, r := range rows {
		for _, cell := range r {
			if cell == text {
				return true
			}
		}
	}
	return false
}
