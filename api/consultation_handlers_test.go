package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

type consultationBody struct {
	ID        uint     `json:"id"`
	Country   string   `json:"country"`
	State     string   `json:"state"`
	Languages []string `json:"languages"`
	Anonymity string   `json:"anonymity"`
	MinCell   int      `json:"min_cell_size"`
}

func TestConsultationsAndInvitations(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	body := map[string]any{"questionnaire_id": qid, "country": "KEN", "title": "Kenya pilot", "languages": []string{"en", "fr", "ar"}}

	if rec := env.Do("focal_ken", "POST", "/api/v1/consultations", body); rec.Code != http.StatusForbidden {
		t.Errorf("focal point creates a consultation: %d", rec.Code)
	}
	rec := env.Do("admin", "POST", "/api/v1/consultations", map[string]any{"questionnaire_id": 999, "country": "XXX", "title": "", "scenario": "D"})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid consultation: %d %s", rec.Code, rec.Body)
	}
	if got := fieldPaths(apitest.Decode[apitest.ErrorBody](t, rec)); !strings.Contains(got, "/title") || !strings.Contains(got, "/scenario") {
		t.Errorf("paths %s", got)
	}

	rec = env.Do("admin", "POST", "/api/v1/consultations", body)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	cons := apitest.Decode[consultationBody](t, rec)
	if cons.State != "open" || cons.Anonymity != "confidential" || cons.MinCell != 5 || len(cons.Languages) != 3 {
		t.Errorf("defaults: %+v", cons)
	}

	// Scope: Mexico's focal point sees nothing of Kenya.
	if rec := env.Do("focal_mex", "GET", fmt.Sprintf("/api/v1/consultations/%d", cons.ID), nil); rec.Code != http.StatusNotFound {
		t.Errorf("foreign focal point reads: %d", rec.Code)
	}
	list := apitest.Decode[struct{ Items []consultationBody }](t, env.Do("focal_mex", "GET", "/api/v1/consultations", nil))
	if len(list.Items) != 0 {
		t.Errorf("foreign focal point lists %d", len(list.Items))
	}
	list = apitest.Decode[struct{ Items []consultationBody }](t, env.Do("focal_ken", "GET", "/api/v1/consultations", nil))
	if len(list.Items) != 1 {
		t.Errorf("own focal point lists %d", len(list.Items))
	}

	a, b, mex := env.Stakeholder("Haki Africa", "ngo", "KEN"), env.Stakeholder("University of Nairobi", "academia", "KEN"), env.Stakeholder("Fundar", "ngo", "MEX")
	invPath := fmt.Sprintf("/api/v1/consultations/%d/invitations", cons.ID)
	if rec := env.Do("focal_mex", "POST", invPath, map[string]any{"stakeholder_ids": []uint{mex}}); rec.Code != http.StatusNotFound {
		t.Errorf("foreign focal point invites: %d", rec.Code)
	}
	rec = env.Do("focal_ken", "POST", invPath, map[string]any{"stakeholder_ids": []uint{a, b, mex}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	inv := apitest.Decode[struct {
		Items []struct {
			InvitationID uint   `json:"invitation_id"`
			Token        string `json:"token"`
			URL          string `json:"url"`
		}
		Skipped []forms.SkippedStakeholder
	}](t, rec)
	if len(inv.Items) != 2 || len(inv.Skipped) != 1 || inv.Skipped[0].StakeholderID != mex {
		t.Fatalf("invitations %+v", inv)
	}
	if len(inv.Items[0].Token) < 22 || inv.Items[0].URL != "http://agora.test/s/"+inv.Items[0].Token {
		t.Errorf("link %+v", inv.Items[0])
	}
	var n int64
	env.DB.Table("invitations").Where("token_hash = ?", inv.Items[0].Token).Count(&n)
	if n != 0 {
		t.Error("a token is stored in clear")
	}
	again := apitest.Decode[struct{ Skipped []forms.SkippedStakeholder }](t, env.Do("admin", "POST", invPath, map[string]any{"stakeholder_ids": []uint{a}}))
	if len(again.Skipped) != 1 || !strings.Contains(again.Skipped[0].Reason, "already invited") {
		t.Errorf("second invitation of the same stakeholder: %+v", again)
	}

	// The mail-merge workbook: a GET lists without links, a POST re-issues
	// the links never opened.
	rec = env.Do("focal_ken", "GET", invPath+".xlsx", nil)
	rows := apitest.WorkbookRows(t, rec)
	if len(rows) != 3 || rows[0][0] != "Organization" || len(rows[1]) > 5 && rows[1][5] != "" {
		t.Errorf("roster rows %q", rows)
	}
	rec = env.Do("focal_ken", "POST", invPath+".xlsx", nil)
	rows = apitest.WorkbookRows(t, rec)
	if len(rows) != 3 || !strings.HasPrefix(rows[1][5], "http://agora.test/s/") {
		t.Fatalf("re-issued rows %q", rows)
	}
	if rec := env.Do("", "GET", "/api/v1/responses/"+inv.Items[0].Token, nil); rec.Code != http.StatusNotFound {
		t.Errorf("a re-issued link's old token still works: %d", rec.Code)
	}
}

func TestResponsesThroughTheAPI(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	cons, err := env.Forms().CreateConsultation(context.Background(), forms.AllCountries,
		forms.ConsultationInput{QuestionnaireID: qid, Country: "KEN", Title: "Kenya"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	links, _, err := env.Forms().CreateInvitations(context.Background(), forms.AllCountries, cons.ID,
		[]uint{env.Stakeholder("Haki Africa", "ngo", "KEN")}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/responses/" + links[0].Token

	rec := env.Do("", "GET", path, nil)
	got := apitest.Decode[map[string]any](t, rec)
	if rec.Code != http.StatusOK || got["status"] != "new" || got["editable"] != true {
		t.Fatalf("get: %d %v", rec.Code, got)
	}

	rec = env.Do("", "PUT", path, map[string]any{"answers": map[string]any{"q_years": "twelve", "q_org_type": "spy"}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad draft: %d %s", rec.Code, rec.Body)
	}
	if p := fieldPaths(apitest.Decode[apitest.ErrorBody](t, rec)); !strings.Contains(p, "/answers/q_years") || !strings.Contains(p, "/answers/q_org_type") {
		t.Errorf("paths %s", p)
	}
	rec = env.Do("", "PUT", path, map[string]any{"answers": map[string]any{"q_org_type": "ngo"}, "section": 1, "language": "fr"})
	if got := apitest.Decode[map[string]any](t, rec); rec.Code != http.StatusOK || got["status"] != "draft" || got["language"] != "fr" || got["section"] != 1.0 {
		t.Fatalf("draft: %d %v", rec.Code, got)
	}

	answers := map[string]any{
		"q_org_type": "ngo", "q_areas": []string{"tip"}, "q_years": 3,
		"q_priorities": []string{"tip", "som"}, "q_coop": 4, "q_channels": []string{"meetings"},
	}
	submit := func(key string) *struct {
		code int
		body map[string]any
	} {
		req := map[string]any{"answers": answers}
		rec := env.doWithHeader("POST", path+"/submit", req, "Idempotency-Key", key)
		return &struct {
			code int
			body map[string]any
		}{rec.Code, apitest.Decode[map[string]any](t, rec)}
	}
	first, second := submit("k-1"), submit("k-1")
	if first.code != http.StatusCreated || second.code != http.StatusOK || second.body["replayed"] != true || first.body["receipt"] != second.body["receipt"] {
		t.Fatalf("submit twice: %+v %+v", first, second)
	}
	var responses, rows int64
	env.DB.Table("responses").Count(&responses)
	env.DB.Table("answers").Count(&rows)
	if responses != 1 || rows != 7 {
		t.Errorf("%d responses and %d answer rows, want 1 and 7", responses, rows)
	}
	list := apitest.Decode[struct{ Items []forms.InvitationRow }](t, env.Do("admin", "GET", fmt.Sprintf("/api/v1/consultations/%d/invitations", cons.ID), nil))
	if len(list.Items) != 1 || list.Items[0].State != forms.InvitationSubmitted {
		t.Errorf("invitation status %+v", list.Items)
	}

	if _, err := env.Forms().CloseConsultation(context.Background(), forms.AllCountries, cons.ID); err != nil {
		t.Fatal(err)
	}
	if rec := env.Do("", "PUT", path, map[string]any{"answers": answers}); rec.Code != http.StatusGone {
		t.Errorf("closed consultation: %d %s", rec.Code, rec.Body)
	}
}

func TestUnknownTokensAreRateLimited(t *testing.T) {
	env := newTestEnv(t)
	codes := map[int]int{}
	for i := range 15 {
		rec := env.Do("", "GET", fmt.Sprintf("/api/v1/responses/AAAAAAAAAAAAAAAAAAAA%02d", i), nil)
		codes[rec.Code]++
	}
	if codes[http.StatusNotFound] != httpkit.LinkGuardBurst || codes[http.StatusTooManyRequests] != 15-httpkit.LinkGuardBurst {
		t.Errorf("status counts %v", codes)
	}
}

func (e *testEnv) doWithHeader(method, path string, body any, key, value string) *httptest.ResponseRecorder {
	e.T.Helper()
	return e.DoRequest(method, path, body, map[string]string{key: value})
}

func fieldPaths(e apitest.ErrorBody) string {
	var paths []string
	for _, f := range e.Error.Fields {
		paths = append(paths, f.Path)
	}
	return strings.Join(paths, " ")
}
