package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// protectionModel is the table of docs/protection.md, party by party and
// mode by mode, written out here rather than asked of forms.Access, so
// that the code is tested against the documented model.
var protectionModel = []struct {
	mode, caller string
	// who said what: organizations beside texts, named rows
	identities bool
	// who took part: each invitation's organization and status
	statuses bool
	// the responses row by row (the workbook's Responses sheet)
	rows bool
	// groups below the minimum
	smallGroups bool
}{
	{forms.AnonymityNamed, "admin", true, true, true, true},
	{forms.AnonymityNamed, "analyst", true, true, true, false},
	{forms.AnonymityNamed, "focal_ken", true, true, true, false},
	{forms.AnonymityConfidential, "admin", true, true, true, true},
	{forms.AnonymityConfidential, "analyst", false, false, false, false},
	{forms.AnonymityConfidential, "focal_ken", false, false, false, false},
	{forms.AnonymityAnonymous, "admin", false, true, true, false},
	{forms.AnonymityAnonymous, "analyst", false, false, false, false},
	{forms.AnonymityAnonymous, "focal_ken", false, false, false, false},
}

// protectedConsultation is a Kenyan consultation of the given mode with 8
// NGOs and 2 firms (a group below the minimum of 5) who submitted, each
// writing a text, and the tokens of their links.
type protectedConsultation struct {
	id       uint
	tokens   []string
	receipts []string
}

func (e *testEnv) protectedConsultation(qid uint, mode string) *protectedConsultation {
	e.T.Helper()
	ctx := context.Background()
	min := 5
	c, err := e.Forms().CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{
		QuestionnaireID: qid, Country: "KEN", Title: "Protected " + mode, Anonymity: mode, MinCellSize: &min}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	pc := &protectedConsultation{id: c.ID}
	for i := range 10 {
		typ := "ngo"
		if i >= 8 {
			typ = "private_sector"
		}
		sh := e.Stakeholder(fmt.Sprintf("%s org %02d", mode, i), typ, "KEN")
		links, _, err := e.Forms().CreateInvitations(ctx, forms.AllCountries, c.ID, []uint{sh}, nil, nil)
		if err != nil {
			e.T.Fatal(err)
		}
		sess, err := e.Forms().ResolveLink(ctx, links[0].Token)
		if err != nil {
			e.T.Fatal(err)
		}
		r, err := e.Forms().Submit(ctx, sess, "", forms.Answers{"q_org_type": typ, "q_areas": []any{"tip"}, "q_years": float64(i),
			"q_priorities": []any{"tip"}, "q_coop": 4.0, "q_channels": []any{"meetings"}, "q_problems": fmt.Sprintf("Secret text of %s %02d", typ, i)})
		if err != nil {
			e.T.Fatal(err)
		}
		pc.tokens, pc.receipts = append(pc.tokens, links[0].Token), append(pc.receipts, r.Code)
	}
	return pc
}

// TestProtectionMatrix checks every cell of the protection model: for each
// anonymity mode and staff role, what the API, the workspace's pages and
// the consultation workbook show of who was invited, who answered, what
// they answered, and of a group below the minimum; and that no staff
// output ever holds a personal link.
func TestProtectionMatrix(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	consultations := map[string]*protectedConsultation{}
	for _, mode := range []string{forms.AnonymityNamed, forms.AnonymityConfidential, forms.AnonymityAnonymous} {
		consultations[mode] = env.protectedConsultation(qid, mode)
	}
	for _, cell := range protectionModel {
		t.Run(cell.mode+"/"+cell.caller, func(t *testing.T) {
			pc := consultations[cell.mode]
			org := cell.mode + " org 01"
			outputs := env.protectedOutputs(t, cell.caller, pc.id)
			// Who said what: an organization beside its answers.
			for _, name := range []string{"summary", "workbook"} {
				if got := strings.Contains(outputs[name], org); got != cell.identities {
					t.Errorf("%s names %q: %v, want %v", name, org, got, cell.identities)
				}
			}
			if !cell.identities && strings.Contains(outputs["dashboard"], org) {
				t.Errorf("the dashboard names %q", org)
			}
			// Who took part: the invitations with their status.
			rec := env.Do(cell.caller, "GET", fmt.Sprintf("/api/v1/consultations/%d/invitations", pc.id), nil)
			if got := rec.Code == http.StatusOK; got != cell.statuses {
				t.Errorf("the invitations' list: %d, want allowed %v", rec.Code, cell.statuses)
			}
			if got := strings.Contains(outputs["hub"], org) && strings.Contains(outputs["hub"], `badge submitted`); got != cell.statuses {
				t.Errorf("the consultation's page lists who took part: %v, want %v", got, cell.statuses)
			}
			// The responses row by row.
			if got := strings.Contains(outputs["sheets"], "|Responses|"); got != cell.rows {
				t.Errorf("the workbook's Responses sheet: %v, want %v (%s)", got, cell.rows, outputs["sheets"])
			}
			// What they answered, in aggregate: every role reads the texts
			// of a group large enough; a small group's texts come without
			// its type, for those who do not see small groups.
			if !strings.Contains(outputs["summary"], "Secret text of ngo 01") || !strings.Contains(outputs["workbook"], "Secret text of ngo 01") {
				t.Error("the texts of a large group are missing")
			}
			firms := apitest.Decode[struct {
				Questions []struct {
					Code   string
					ByType map[string]map[string]any `json:"by_type"`
					Texts  []struct {
						Text            string
						StakeholderType string `json:"stakeholder_type"`
					}
				}
				ResponseRates struct {
					ByType map[string]map[string]any `json:"by_type"`
				} `json:"response_rates"`
			}](t, env.Do(cell.caller, "GET", fmt.Sprintf("/api/v1/consultations/%d/summary?by=stakeholder_type&texts=100", pc.id), nil))
			for _, q := range firms.Questions {
				if shown := q.ByType["private_sector"]["suppressed"] != true; shown != cell.smallGroups {
					t.Errorf("%s: the firms' figures shown %v, want %v", q.Code, shown, cell.smallGroups)
				}
				for _, tx := range q.Texts {
					if strings.Contains(tx.Text, "private_sector") && (tx.StakeholderType != "") != cell.smallGroups {
						t.Errorf("%s: a firm's text typed %q", q.Code, tx.StakeholderType)
					}
				}
			}
			if shown := firms.ResponseRates.ByType["private_sector"]["suppressed"] != true; shown != cell.smallGroups {
				t.Errorf("the firms' response rates shown %v, want %v", shown, cell.smallGroups)
			}
			// Nowhere are the 2 firms counted, not even as the answers to
			// "your organization is".
			if shown := strings.Contains(outputs["dashboard"], `Private sector</th><td>2</td>`); shown != cell.smallGroups {
				t.Errorf("the dashboard counts the 2 firms: %v, want %v", shown, cell.smallGroups)
			}
			if shown := strings.Contains(outputs["workbook"], "Private sector\t2\t"); shown != cell.smallGroups {
				t.Errorf("the workbook counts the 2 firms: %v, want %v", shown, cell.smallGroups)
			}
			// No staff output ever holds a personal link.
			for name, out := range outputs {
				for _, tok := range pc.tokens {
					if strings.Contains(out, tok) {
						t.Errorf("%s holds a personal link", name)
					}
				}
			}
		})
	}
	t.Run("the link's holder", func(t *testing.T) {
		for mode, pc := range consultations {
			path := "/api/v1/responses/" + pc.tokens[1]
			sealed := apitest.Decode[map[string]any](t, env.Do("", "GET", path, nil))
			if sealed["receipt_required"] != true || len(sealed["answers"].(map[string]any)) != 0 || sealed["receipt"] != nil {
				t.Errorf("%s: a submitted response read without its receipt: %v", mode, sealed)
			}
			if rec := env.Do("", "PUT", path, map[string]any{"answers": map[string]any{"q_years": 40}}); rec.Code != http.StatusForbidden {
				t.Errorf("%s: a change without the receipt: %d", mode, rec.Code)
			}
			if rec := env.DoRequest("GET", path, nil, map[string]string{"X-Receipt": "WRONG-CODE-0000"}); rec.Code != http.StatusForbidden {
				t.Errorf("%s: a wrong receipt: %d", mode, rec.Code)
			}
			open := apitest.Decode[map[string]any](t, env.DoRequest("GET", path, nil, map[string]string{"X-Receipt": pc.receipts[1]}))
			if answers, _ := open["answers"].(map[string]any); answers["q_years"] != 1.0 {
				t.Errorf("%s: with its receipt: %v", mode, open)
			}
			rec := env.DoRequest("PUT", path, map[string]any{"answers": map[string]any{"q_years": 41}}, map[string]string{"X-Receipt": pc.receipts[1]})
			if rec.Code != http.StatusOK {
				t.Errorf("%s: a change with the receipt: %d %s", mode, rec.Code, rec.Body)
			}
		}
	})
}

// protectedOutputs gathers what caller reads of a consultation: the API's
// summary, the consultation's page, the dashboard and the workbook (every
// cell of every sheet, and the sheets' names).
func (e *testEnv) protectedOutputs(t *testing.T, caller string, id uint) map[string]string {
	t.Helper()
	out := map[string]string{}
	out["summary"] = e.Do(caller, "GET", fmt.Sprintf("/api/v1/consultations/%d/summary?by=stakeholder_type&texts=100", id), nil).Body.String()
	_, out["hub"] = e.PageAs(caller, fmt.Sprintf("/portal/consultations/%d", id))
	_, out["dashboard"] = e.PageAs(caller, fmt.Sprintf("/portal/consultations/%d/dashboard", id))
	rec := e.Do(caller, "POST", "/api/v1/exports", map[string]any{"kind": "consultation", "consultation_id": id})
	job := apitest.Decode[apitest.ExportJob](t, rec)
	e.RunExports()
	rec = e.Do(caller, "GET", fmt.Sprintf("/api/v1/exports/%d/file", job.ID), nil)
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s's workbook: %d %v", caller, rec.Code, err)
	}
	defer f.Close()
	var sb strings.Builder
	sheets := f.GetSheetList()
	for _, s := range sheets {
		rows, _ := f.GetRows(s)
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	out["workbook"] = sb.String()
	out["sheets"] = "|" + strings.Join(slices.Clone(sheets), "|") + "|"
	return out
}
