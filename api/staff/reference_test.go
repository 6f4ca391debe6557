package staff_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// TestReferenceEditsAudited edits Kenya's regional group and party
// statuses on the admin's page and finds each change stored and in the
// audit log with the values before and after; a refused form changes
// nothing; other roles cannot open the page.
func TestReferenceEditsAudited(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	code, body := env.PageAs("admin", "/admin/reference")
	if code != http.StatusOK {
		t.Fatalf("list: %d", code)
	}
	apitest.CheckBody(t, body, []string{`href="/admin/reference/KEN"`, "Kiribati</a></td><td>KIR</td><td>—</td>", "Kenya</a></td><td>KEN</td><td>AFRICAN</td>", "Afghanistan</a></td><td>AFG</td><td>ASIAPAC</td>"}, []string{"<td>APG</td>", "<td>EEG</td>"})
	code, body = env.PageAs("admin", "/admin/reference/KEN?lang=fr")
	if code != http.StatusOK {
		t.Fatalf("form: %d", code)
	}
	apitest.CheckBody(t, body, []string{`<option value="AFRICAN" selected>Groupe des États d’Afrique (AFRICAN)</option>`, `name="status_UNTOC"`, "Protocole relatif aux armes à feu"}, nil)

	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
		group  string
		fa     string
	}{
		{"unknown status refused", url.Values{"regional_group": {"ASIAPAC"}, "status_FA": {"maybe"}}, http.StatusUnprocessableEntity, "instruments/FA/status", "AFRICAN", ""},
		{"unknown group refused", url.Values{"regional_group": {"AFG"}, "status_FA": {"party"}}, http.StatusUnprocessableEntity, "unknown regional group", "AFRICAN", ""},
		{"saved", url.Values{"regional_group": {"AFRICAN"}, "status_UNTOC": {"party"}, "status_FA": {"signatory"}, "provisional_FA": {"1"}, "source_FA": {"UNTC, 2024"}}, http.StatusSeeOther, "", "AFRICAN", "signatory"},
		{"group moved", url.Values{"regional_group": {""}, "status_UNTOC": {"party"}, "status_FA": {"signatory"}, "provisional_FA": {"1"}, "source_FA": {"UNTC, 2024"}}, http.StatusSeeOther, "", "", "signatory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.PagePost("admin", "/admin/reference/KEN", tt.form)
			apitest.Expect(t, tt.name, rec, tt.status, tt.want)
			countries, err := env.Forms().Countries(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range countries {
				if c.ISO3 == "KEN" {
					if g := groupOf(c); g != tt.group {
						t.Errorf("Kenya's group = %q, want %q", g, tt.group)
					}
				}
			}
			sts, _ := env.Forms().PartyStatusesOf(ctx, "KEN")
			fa := ""
			for _, st := range sts {
				if st.Instrument == "FA" {
					fa = st.Status
					if !st.Provisional || st.Source != "UNTC, 2024" {
						t.Errorf("FA = %+v, want provisional with its source", st)
					}
				}
			}
			if fa != tt.fa {
				t.Errorf("FA status = %q, want %q", fa, tt.fa)
			}
		})
	}

	events := apitest.Decode[apitest.AuditList](t, env.Do("admin", "GET", "/api/v1/audit?action=reference.", nil)).Items
	if len(events) != 2 {
		t.Fatalf("reference events: %+v", events)
	}
	byAction := map[string]forms.ReferenceChange{}
	for _, e := range events {
		var ch forms.ReferenceChange
		if err := json.Unmarshal([]byte(e.Details), &ch); err != nil {
			t.Fatal(err)
		}
		if e.ObjectID != "KEN" || e.Country != "KEN" || e.ActorEmail != apitest.CallerEmail("admin") {
			t.Errorf("event %+v", e)
		}
		byAction[e.Action] = ch
	}
	if g := byAction["reference.regional_group"]; g.Before["regional_group"] != "AFRICAN" || g.After["regional_group"] != "" {
		t.Errorf("group change %+v", g)
	}
	p := byAction["reference.party_status"]
	if p.Before["UNTOC"] != nil || p.After["UNTOC"].(map[string]any)["status"] != "party" || p.After["FA"].(map[string]any)["provisional"] != true {
		t.Errorf("party change %+v", p)
	}
	if _, changed := p.After["TIP"]; changed {
		t.Errorf("TIP recorded as changed: %+v", p)
	}

	for _, caller := range []string{"analyst", "focal_ken"} {
		if code, _ := env.PageAs(caller, "/admin/reference/KEN"); code != http.StatusForbidden {
			t.Errorf("%s opens the form: %d", caller, code)
		}
	}
}

func groupOf(c forms.Country) string {
	if c.RegionalGroup == nil {
		return ""
	}
	return *c.RegionalGroup
}
