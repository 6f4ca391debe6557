package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/api/apitest"
)

// TestLinksIgnoreForgedHosts builds every kind of link a server without a
// configured public address hands out — personal links, the open link,
// password links, the mail-merge workbook — under forged Host and
// X-Forwarded-Host headers: each starts with the listen address.
func TestLinksIgnoreForgedHosts(t *testing.T) {
	env := newTestEnvWith(t, func(c *api.Config) { c.BaseURL = "" })
	env.Server.Listening("127.0.0.1:8099")
	const want = "http://127.0.0.1:8099/"
	qid := env.DeployDemo()
	rec := env.Do("admin", "POST", "/api/v1/consultations", map[string]any{"questionnaire_id": qid, "country": "KEN", "title": "Links"})
	cid := apitest.Decode[consultationBody](t, rec).ID
	st := env.Stakeholder("Haki Africa", "ngo", "KEN")
	forged := map[string]string{"Authorization": "Bearer " + env.Tokens["admin"], "Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
	calls := []struct{ name, method, path string }{
		{"personal link", "POST", fmt.Sprintf("/api/v1/consultations/%d/invitations", cid)},
		{"open link", "POST", fmt.Sprintf("/api/v1/consultations/%d/open-link", cid)},
		{"password link", "POST", "/api/v1/users/1/password-link"},
	}
	for _, c := range calls {
		var body any
		if c.name == "personal link" {
			body = map[string]any{"stakeholder_ids": []uint{st}}
		}
		rec := env.DoRequest(c.method, c.path, body, forged)
		if rec.Code >= 300 || !strings.Contains(rec.Body.String(), `"url":"`+want) || strings.Contains(rec.Body.String(), "evil.example") {
			t.Errorf("%s: %d %s", c.name, rec.Code, rec.Body)
		}
	}
	rec = env.DoRequest("POST", fmt.Sprintf("/api/v1/consultations/%d/invitations.xlsx", cid), nil, forged)
	rows := apitest.WorkbookRows(t, rec)
	if len(rows) < 2 || !strings.HasPrefix(rows[1][5], want) {
		t.Errorf("mail-merge workbook: %q", rows)
	}
	if rec.Code != http.StatusOK {
		t.Errorf("workbook: %d", rec.Code)
	}
}
