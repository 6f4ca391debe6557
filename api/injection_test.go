package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// sqlPayloads are SQL metacharacters and classic injections.
var sqlPayloads = []string{
	`' OR '1'='1`, `' OR 1=1 --`, `1; DROP TABLE users; --`, `%`, `_`, `%' --`, `"`, `\`,
	`') UNION SELECT email, password_hash FROM users --`, `KEN' OR country_iso3 <> '`, "\x00", `1 ORDER BY 1`,
}

// filterParams are every filter and sort parameter of the list routes.
var filterParams = map[string][]string{
	"/api/v1/questionnaires":           {"code", "status"},
	"/api/v1/stakeholders":             {"country", "type", "theme", "q", "limit", "offset", "sort"},
	"/api/v1/consultations":            {"country", "questionnaire_id"},
	"/api/v1/comparisons":              {"questionnaire", "countries", "lang"},
	"/api/v1/consultations/%d/summary": {"by", "stakeholder_type", "lang"},
	"/api/v1/audit":                    {"actor", "action", "from", "to", "before", "limit"},
}

// TestSQLMetacharactersInFilters sends every payload in every filter as
// every caller: never a 500, never a row outside the caller's countries,
// never a row a payload should not match, and the tables survive.
func TestSQLMetacharactersInFilters(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	qid := env.DeployDemo()
	ken := env.matrixFixture(qid, "KEN", 1)
	env.matrixFixture(qid, "MEX", 2)
	for path, params := range filterParams {
		if strings.Contains(path, "%d") {
			path = fmt.Sprintf(path, ken.consultation)
		}
		for _, param := range params {
			for _, payload := range sqlPayloads {
				for _, caller := range []string{"focal_ken", "analyst", "admin"} {
					target := path + "?" + url.Values{param: {payload}}.Encode()
					rec := env.Do(caller, "GET", target, nil)
					if rec.Code >= 500 {
						t.Fatalf("%s as %s: %d %s", target, caller, rec.Code, rec.Body)
					}
					if caller == "focal_ken" && strings.Contains(rec.Body.String(), `"MEX"`) {
						t.Errorf("%s as %s shows Mexico: %s", target, caller, rec.Body)
					}
					if rec.Code == http.StatusOK && param != "limit" && param != "offset" && param != "sort" && param != "lang" && param != "by" {
						if n := countItems(rec.Body.Bytes()); n > 0 {
							t.Errorf("%s as %s: %d rows for a payload that matches nothing", target, caller, n)
						}
					}
				}
			}
		}
	}
	var n int64
	if err := env.DB.WithContext(ctx).Model(&forms.Stakeholder{}).Count(&n).Error; err != nil || n != 2 {
		t.Fatalf("stakeholders after the payloads: %d %v", n, err)
	}
	if users, err := env.Accounts().Users(ctx); err != nil || len(users) != 4 {
		t.Fatalf("users after the payloads: %d %v", len(users), err)
	}
}

// countItems counts the rows of a list answer ({"items": [...]}).
func countItems(body []byte) int {
	var v struct {
		Items []json.RawMessage `json:"items"`
	}
	if json.Unmarshal(body, &v) != nil {
		return 0
	}
	return len(v.Items)
}

// markupPayload is script and markup that must stay text.
const markupPayload = `"><script>alert(1)</script><img src=x onerror=alert(2)>`

// TestMarkupInertOnStaffPages puts markup in a consultation's title, a
// user's name and a failed login's email, and reads the admin's portal.
// (The survey pages' own escaping is TestSurveyEscapes.)
func TestMarkupInertOnStaffPages(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	qid := env.DeployDemo()
	if _, err := env.Forms().CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{QuestionnaireID: qid, Country: "KEN", Title: markupPayload}, nil); err != nil {
		t.Fatal(err)
	}
	if rec := env.Do("admin", "POST", "/api/v1/users", map[string]any{"email": "x@example.org", "name": markupPayload, "role": "analyst"}); rec.Code != http.StatusCreated {
		t.Fatalf("add user: %d %s", rec.Code, rec.Body)
	}
	rec := env.PostLogin(markupPayload, "whatever")
	if rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "<script>") {
		t.Fatalf("login page echoes the email raw: %d", rec.Code)
	}
	cookie, _ := env.Login("admin")
	page := env.DoRequest("GET", "/portal", nil, map[string]string{"Cookie": httpkit.SessionCookie + "=" + cookie})
	body := page.Body.String()
	if page.Code != http.StatusOK || strings.Contains(body, "<script>") || strings.Contains(body, "<img") {
		t.Fatalf("portal: %d\n%s", page.Code, body)
	}
	if n := strings.Count(body, "&lt;script&gt;"); n < 3 { // title, user name, failed login
		t.Errorf("portal shows the payload %d times escaped, want 3:\n%s", n, body)
	}
	if ct := page.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
}
