package api_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// TestInvitationAuditCountry checks that the audit events of invitations,
// through the API and the workspace, name the consultation's country, so
// that the audit log filters them by country like the others.
func TestInvitationAuditCountry(t *testing.T) {
	e := newTestEnv(t)
	qid := e.DeployDemo()
	rec := e.Do("admin", "POST", "/api/v1/consultations", map[string]any{"questionnaire_id": qid, "country": "KEN", "title": "Audit"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	cid := apitest.Decode[consultationBody](t, rec).ID
	sh := e.Stakeholder("Haki Africa", "ngo", "KEN")
	rec = e.Do("focal_ken", "POST", fmt.Sprintf("/api/v1/consultations/%d/invitations", cid), map[string]any{"stakeholder_ids": []uint{sh}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	var inv forms.Invitation
	if err := e.DB.Where("consultation_id = ?", cid).Take(&inv).Error; err != nil {
		t.Fatal(err)
	}
	if rec := e.Do("focal_ken", "POST", fmt.Sprintf("/api/v1/invitations/%d/revoke", inv.ID), nil); rec.Code != http.StatusOK {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	if rec := e.PagePost("focal_ken", fmt.Sprintf("/portal/invitations/%d/reissue", inv.ID), map[string][]string{"consultation_id": {strconv.Itoa(int(cid))}}); rec.Code >= 400 {
		t.Fatalf("reissue in the workspace: %d %s", rec.Code, rec.Body)
	}
	for _, action := range []string{audit.InvitationsCreate, audit.InvitationRevoke, audit.InvitationReissue} {
		var countries []string
		e.DB.Table("audit_events").Where("action = ?", action).Pluck("country", &countries)
		if len(countries) != 1 || countries[0] != "KEN" {
			t.Errorf("%s events name countries %q, want [KEN]", action, countries)
		}
	}
}
