package api

import (
	"net/http"
	"testing"

	"github.com/unodc-csu/agora/forms/audit"
)

type auditList struct {
	Items []audit.Event `json:"items"`
}

func TestAuditRecordsActions(t *testing.T) {
	env := newTestEnv(t)
	qid := env.deployDemo()
	st := env.addStakeholder("Audit org", "KEN")
	rec := env.do("admin", "POST", "/api/v1/consultations", map[string]any{"questionnaire_id": qid, "country": "KEN", "title": "Audited"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	cid := decode[consultationBody](t, rec).ID
	steps := []struct {
		caller, path string
		body         any
	}{
		{"focal_ken", pathf("/api/v1/consultations/%d/invitations", cid), map[string]any{"stakeholder_ids": []uint{st}}},
		{"admin", pathf("/api/v1/consultations/%d/close", cid), nil},
		{"admin", pathf("/api/v1/consultations/%d/reopen", cid), nil},
	}
	for _, s := range steps {
		if rec := env.do(s.caller, "POST", s.path, s.body); rec.Code >= 300 {
			t.Fatalf("POST %s: %d %s", s.path, rec.Code, rec.Body)
		}
	}
	got := decode[auditList](t, env.do("admin", "GET", "/api/v1/audit", nil))
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
	filtered := decode[auditList](t, env.do("admin", "GET", "/api/v1/audit?actor=focal.ken@example.org&action=invitations.create", nil))
	if len(filtered.Items) != 1 {
		t.Errorf("filtered: %+v", filtered.Items)
	}
	for _, q := range []string{"?actor='+OR+1=1--", "?action=%25", "?actor=1%3BDROP+TABLE+users"} {
		if got := decode[auditList](t, env.do("admin", "GET", "/api/v1/audit"+q, nil)); len(got.Items) != 0 {
			t.Errorf("%s: %d events, want none", q, len(got.Items))
		}
	}
	for _, q := range []string{"?from=yesterday", "?to=1'", "?limit=-1", "?before=x"} {
		if rec := env.do("admin", "GET", "/api/v1/audit"+q, nil); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, rec.Code)
		}
	}
}
