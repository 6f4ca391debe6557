package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
)

func TestAuditRecordsActions(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	st := env.addStakeholder("Audit org", "KEN")
	rec := env.Do("admin", "POST", "/api/v1/consultations", map[string]any{"questionnaire_id": qid, "country": "KEN", "title": "Audited"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	cid := apitest.Decode[consultationBody](t, rec).ID
	steps := []struct {
		caller, path string
		body         any
	}{
		{"focal_ken", fmt.Sprintf("/api/v1/consultations/%d/invitations", cid), map[string]any{"stakeholder_ids": []uint{st}}},
		{"admin", fmt.Sprintf("/api/v1/consultations/%d/close", cid), nil},
		{"admin", fmt.Sprintf("/api/v1/consultations/%d/reopen", cid), nil},
	}
	for _, s := range steps {
		if rec := env.Do(s.caller, "POST", s.path, s.body); rec.Code >= 300 {
			t.Fatalf("POST %s: %d %s", s.path, rec.Code, rec.Body)
		}
	}
	got := apitest.Decode[apitest.AuditList](t, env.Do("admin", "GET", "/api/v1/audit", nil))
	var actions []string
	for _, e := range got.Items {
		actions = append(actions, e.Action+" by "+e.ActorEmail)
		if e.IP == "" || e.At.IsZero() {
			t.Errorf("event without address or time: %+v", e)
		}
	}
	want := []string{
		"consultation.reopen by admin@example.org", "consultation.close by admin@example.org",
		"invitations.create by focal.ken@example.org", "consultation.create by admin@example.org",
		"questionnaire.publish by admin@example.org",
	}
	if len(actions) != len(want) {
		t.Fatalf("audit: %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Errorf("event %d: %s, want %s", i, actions[i], want[i])
		}
	}
	filtered := apitest.Decode[apitest.AuditList](t, env.Do("admin", "GET", "/api/v1/audit?actor=focal.ken@example.org&action=invitations.create", nil))
	if len(filtered.Items) != 1 {
		t.Errorf("filtered: %+v", filtered.Items)
	}
	for _, q := range []string{"?actor='+OR+1=1--", "?action=%25", "?actor=1%3BDROP+TABLE+users"} {
		if got := apitest.Decode[apitest.AuditList](t, env.Do("admin", "GET", "/api/v1/audit"+q, nil)); len(got.Items) != 0 {
			t.Errorf("%s: %d events, want none", q, len(got.Items))
		}
	}
	for _, q := range []string{"?from=yesterday", "?to=1'", "?limit=-1", "?before=x"} {
		if rec := env.Do("admin", "GET", "/api/v1/audit"+q, nil); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, rec.Code)
		}
	}
}
