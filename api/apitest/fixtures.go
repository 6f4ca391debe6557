package apitest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// DeployDemo publishes the demo issue-identification survey through the
// API and returns its id.
func (e *Env) DeployDemo() uint {
	e.T.Helper()
	defs, err := forms.DemoQuestionnaires()
	if err != nil {
		e.T.Fatal(err)
	}
	for i := range defs {
		if defs[i].Code != "pilot-issues" {
			continue
		}
		rec := e.Do("admin", "POST", "/api/v1/questionnaires", defs[i])
		if rec.Code != http.StatusCreated {
			e.T.Fatalf("create demo: %d %s", rec.Code, rec.Body)
		}
		id := Decode[struct {
			ID uint `json:"id"`
		}](e.T, rec).ID
		if rec := e.Do("admin", "POST", fmt.Sprintf("/api/v1/questionnaires/%d/publish", id), nil); rec.Code != http.StatusOK {
			e.T.Fatalf("publish demo: %d %s", rec.Code, rec.Body)
		}
		return id
	}
	e.T.Fatal("no pilot-issues demo")
	return 0
}

// Stakeholder adds a stakeholder directly and returns its id.
func (e *Env) Stakeholder(org, typ, country string) uint {
	e.T.Helper()
	st, err := e.Forms().CreateStakeholder(context.Background(), forms.AllCountries,
		forms.StakeholderInput{Organization: org, Type: typ, Country: country}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	return st.ID
}

// Consult deploys the demo issue-identification survey in Kenya with in's
// settings, and returns the consultation.
func (e *Env) Consult(in forms.ConsultationInput) *forms.Consultation {
	e.T.Helper()
	in.QuestionnaireID, in.Country = e.DeployDemo(), "KEN"
	if in.Title == "" {
		in.Title = "Kenya pilot"
	}
	c, err := e.Forms().CreateConsultation(context.Background(), forms.AllCountries, in, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	return c
}

// invited numbers the stakeholders Invite adds.
var invited atomic.Int64

// Invite issues a personal link to a new stakeholder and returns its token
// and invitation id.
func (e *Env) Invite(c *forms.Consultation) (string, uint) {
	e.T.Helper()
	org := fmt.Sprintf("Organization %d", invited.Add(1))
	links, _, err := e.Forms().CreateInvitations(context.Background(), forms.AllCountries, c.ID,
		[]uint{e.Stakeholder(org, "ngo", "KEN")}, nil, nil)
	if err != nil || len(links) != 1 {
		e.T.Fatalf("invite: %v %v", links, err)
	}
	return links[0].Token, links[0].InvitationID
}

// WorkbookRows reads the first sheet of an xlsx answer.
func WorkbookRows(t testing.TB, rec *httptest.ResponseRecorder) [][]string {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != httpkit.XLSXType {
		t.Fatalf("workbook: %d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// StakeholderBody is a valid POST body for country.
func StakeholderBody(org, country string) map[string]any {
	return map[string]any{
		"organization": org, "type": "ngo", "country": country,
		"email":        strings.ToLower(strings.ReplaceAll(org, " ", ".")) + "@example.org",
		"contact_name": "A. Person", "themes": []string{"TIP"},
	}
}

// AuditList is the answer of GET /api/v1/audit.
type AuditList struct {
	Items []audit.Event `json:"items"`
}

// XLSFormFixture reads a workbook of the importer's tests.
func XLSFormFixture(t *testing.T, name string) []byte {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(here), "../../forms/xlsform/testdata", name+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
