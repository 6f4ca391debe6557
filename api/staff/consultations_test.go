package staff_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// openConsultation deploys the demo in a country, open since an hour.
func (e *testEnv) openConsultation(qid uint, country, title string) *forms.Consultation {
	e.T.Helper()
	opens := time.Now().Add(-time.Hour)
	c, err := e.Forms().CreateConsultation(context.Background(), forms.AllCountries,
		forms.ConsultationInput{QuestionnaireID: qid, Country: country, Title: title, OpensAt: &opens}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	return c
}

// invitationStates are a consultation's invitations' statuses by id.
func (e *testEnv) invitationStates(consultation uint) map[uint]string {
	e.T.Helper()
	rows, err := e.Forms().Invitations(context.Background(), forms.AllCountries, consultation)
	if err != nil {
		e.T.Fatal(err)
	}
	out := map[uint]string{}
	for _, r := range rows {
		out[r.ID] = r.State
	}
	return out
}

var (
	shownLink = regexp.MustCompile(`readonly value="(http://agora\.test/s/[A-Za-z0-9_-]+)"`)
	linkPair  = regexp.MustCompile(`name="link" value="([0-9]+:[A-Za-z0-9_-]+)"`)
)

// workbookLinks reads the personal links of a mail-merge workbook.
func workbookLinks(t *testing.T, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != httpkit.XLSXType {
		t.Fatalf("workbook: %d %s %s", rec.Code, rec.Header().Get("Content-Type"), apitest.Truncate(rec.Body.String()))
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, row := range rows {
		for _, cell := range row {
			if strings.HasPrefix(cell, "http://agora.test/s/") {
				links = append(links, cell)
			}
		}
	}
	return links
}

func TestWorkspaceConsultationCreate(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()

	if code, body := env.PageAs("admin", "/portal/consultations/new"); code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`<option value="%d">`, qid)) {
		t.Fatalf("step 1: %d %s", code, apitest.Truncate(body))
	}
	code, body := env.PageAs("admin", fmt.Sprintf("/portal/consultations/new?questionnaire=%d", qid))
	if code != http.StatusOK || !strings.Contains(body, `name="languages" value="en" checked`) || !strings.Contains(body, `value="KEN"`) {
		t.Fatalf("step 2: %d %s", code, apitest.Truncate(body))
	}
	if code, _ := env.PageAs("focal_ken", "/portal/consultations/new"); code != http.StatusForbidden {
		t.Errorf("a focal point opens the new-consultation form: %d", code)
	}

	t.Run("bad input keeps what was typed", func(t *testing.T) {
		rec := env.PagePost("admin", "/portal/consultations", url.Values{
			"questionnaire_id": {fmt.Sprint(qid)}, "country": {"KEN"}, "title": {"Kenya <b>pilot</b>"},
			"opens_at": {"2027-02-10"}, "closes_at": {"2027-01-10"}, "min_cell_size": {"lots"}, "anonymity": {"named"},
			"languages": {"en"}, "scenario": {"B"},
		})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("bad consultation: %d %s", rec.Code, apitest.Truncate(body))
		}
		for _, want := range []string{"Minimum group size in results", "must be a whole number", `value="Kenya &lt;b&gt;pilot&lt;/b&gt;"`,
			`value="2027-02-10"`, `value="lots"`, `value="named" checked`, `value="B" checked`} {
			if !strings.Contains(body, want) {
				t.Errorf("the 422 page lacks %q", want)
			}
		}
		if strings.Contains(body, "<b>pilot") {
			t.Error("the title is not escaped")
		}
		rec = env.PagePost("admin", "/portal/consultations", url.Values{
			"questionnaire_id": {fmt.Sprint(qid)}, "country": {"KEN"}, "title": {"Kenya"},
			"opens_at": {"2027-02-10"}, "closes_at": {"2027-01-10"}, "languages": {"en"},
		})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "must be after opens_at") {
			t.Errorf("closing before opening: %d %s", rec.Code, apitest.Truncate(rec.Body.String()))
		}
		var n int64
		env.DB.Model(&forms.Consultation{}).Count(&n)
		if n != 0 {
			t.Errorf("%d consultations stored after bad input", n)
		}
	})

	t.Run("created", func(t *testing.T) {
		rec := env.PagePost("admin", "/portal/consultations", url.Values{
			"questionnaire_id": {fmt.Sprint(qid)}, "country": {"KEN"}, "title": {"Kenya pilot"},
			"purpose": {"issue_identification"}, "working_group": {"WG.TIP"}, "cluster": {"UNTOC.C1"}, "scenario": {"B"},
			"languages": {"en"}, "opens_at": {"2027-01-10"}, "closes_at": {"2027-02-10"}, "anonymity": {"anonymous"},
			"min_cell_size": {"7"},
		})
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/portal/consultations/") {
			t.Fatalf("create: %d %s %s", rec.Code, rec.Header().Get("Location"), apitest.Truncate(rec.Body.String()))
		}
		var c forms.Consultation
		if err := env.DB.Last(&c).Error; err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%s %s %s %s %s %s %s %d %v %s %s", c.CountryISO3, c.Title, c.Purpose, c.WorkingGroup, c.Cluster, c.Scenario,
			c.Anonymity, c.MinCellSize, c.EditableAfterSubmit, c.OpensAt.UTC().Format(time.RFC3339), c.ClosesAt.UTC().Format(time.RFC3339))
		want := "KEN Kenya pilot issue_identification WG.TIP UNTOC.C1 B anonymous 7 false 2027-01-10T00:00:00Z 2027-02-11T00:00:00Z"
		if got != want {
			t.Errorf("stored %q, want %q", got, want)
		}
		code, body := env.PageAs("admin", rec.Header().Get("Location"))
		if code != http.StatusOK || !strings.Contains(body, "The consultation is created") || !strings.Contains(body, "not yet open") {
			t.Errorf("after creating: %d %s", code, apitest.Truncate(body))
		}
	})
}

func TestWorkspaceConsultationHub(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	ken := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 2, "academia": 1})
	env.Stakeholder("Late <script>alert(1)</script> NGO", "ngo", "KEN")
	path := fmt.Sprintf("/portal/consultations/%d", ken)

	code, body := env.PageAs("analyst", path)
	if code != http.StatusOK {
		t.Fatalf("hub: %d %s", code, apitest.Truncate(body))
	}
	for _, want := range []string{
		`<th scope="row">Non-governmental organization</th><td>2</td><td>0</td><td>2</td><td>2</td><td>2</td><td>100 %</td>`,
		`<th scope="row">Academia</th><td>1</td>`,
		`<th scope="row">All</th><td>3</td>`,
		path + "/dashboard", "?refresh=30", `name="consultation_id"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the hub lacks %q", want)
		}
	}
	if _, portal := env.PageAs("analyst", "/portal"); !strings.Contains(portal, `<td>KEN</td><td><span class="badge open">open</span></td><td>3</td><td>3</td><td>100 %</td>`) {
		t.Errorf("the portal's row: %s", apitest.Truncate(portal[strings.Index(portal, "<tbody>"):]))
	}
	if strings.Contains(body, `http-equiv="refresh"`) || strings.Contains(body, "/invite") || strings.Contains(body, "/close") {
		t.Error("the analyst's hub refreshes or offers invitations or closing")
	}
	if _, body := env.PageAs("analyst", path+"?refresh=30"); !strings.Contains(body, `<meta http-equiv="refresh" content="30">`) {
		t.Error("refresh=30 does not refresh every 30 s")
	}
	if code, body := env.PageAs("focal_mex", path); code != http.StatusNotFound || !strings.Contains(body, "<html") {
		t.Errorf("a focal point of Mexico on a Kenyan consultation: %d", code)
	}
	if code, _ := env.PageAs("focal_ken", path+"/invite"); code != http.StatusOK {
		t.Errorf("Kenya's focal point's invite page: %d", code)
	}
	if code, _ := env.PageAs("analyst", path+"/invite"); code != http.StatusForbidden {
		t.Errorf("an analyst's invite page: %d", code)
	}

	t.Run("Spanish", func(t *testing.T) {
		_, body := env.PageAs("admin", path+"?lang=es")
		for _, want := range []string{`<html lang="es"`, "Tasas de respuesta", "Organización no gubernamental", "enviada", "Cerrar la consulta ahora"} {
			if !strings.Contains(body, want) {
				t.Errorf("the Spanish hub lacks %q", want)
			}
		}
	})
	t.Run("markup escaped", func(t *testing.T) {
		c := env.openConsultation(qid, "KEN", "Kenya <script>alert(2)</script>")
		_, body := env.PageAs("admin", fmt.Sprintf("/portal/consultations/%d", c.ID))
		_, invite := env.PageAs("admin", fmt.Sprintf("/portal/consultations/%d/invite", c.ID))
		_, portal := env.PageAs("admin", "/portal")
		for name, b := range map[string]string{"hub": body, "invite": invite, "portal": portal} {
			if strings.Contains(b, "<script>") || !strings.Contains(b, "&lt;script&gt;") {
				t.Errorf("%s: markup not escaped", name)
			}
		}
	})
}

func TestWorkspaceConsultationInvite(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	c := env.openConsultation(qid, "KEN", "Kenya pilot")
	ids := []uint{env.Stakeholder("Alpha NGO", "ngo", "KEN"), env.Stakeholder("Beta University", "academia", "KEN"),
		env.Stakeholder("Gamma Ltd", "private_sector", "KEN")}
	env.Stakeholder("Mexico only", "ngo", "MEX")
	base := fmt.Sprintf("/portal/consultations/%d", c.ID)

	_, body := env.PageAs("focal_ken", base+"/invite?select=all")
	if strings.Count(body, `name="stakeholder" value=`) != 3 || strings.Count(body, " checked>") != 3 || strings.Contains(body, "Mexico only") {
		t.Fatalf("invite page with all ticked: %s", apitest.Truncate(body))
	}
	if _, body := env.PageAs("focal_ken", base+"/invite?type=academia"); strings.Count(body, `name="stakeholder" value=`) != 1 {
		t.Errorf("the type filter keeps %d", strings.Count(body, `name="stakeholder" value=`))
	}
	if rec := env.PagePost("focal_ken", base+"/invitations", url.Values{}); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "tick at least one stakeholder") {
		t.Errorf("inviting nobody: %d", rec.Code)
	}

	form := url.Values{"expires_at": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}}
	for _, id := range ids {
		form.Add("stakeholder", fmt.Sprint(id))
	}
	rec := env.PagePost("focal_ken", base+"/invitations", form)
	body = rec.Body.String()
	links := shownLink.FindAllStringSubmatch(body, -1)
	if rec.Code != http.StatusOK || len(links) != 3 || !strings.Contains(body, "cannot be shown again") {
		t.Fatalf("invite 3: %d, %d links %s", rec.Code, len(links), apitest.Truncate(body))
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("the page of links may be cached")
	}
	if states := env.invitationStates(c.ID); len(states) != 3 {
		t.Fatalf("%d invitations stored, want 3", len(states))
	}
	if _, body := env.PageAs("focal_ken", base+"/invite"); strings.Contains(body, `name="stakeholder"`) {
		t.Error("the invited are still offered")
	}

	t.Run("workbook of the new links", func(t *testing.T) {
		pairs := url.Values{}
		for _, m := range linkPair.FindAllStringSubmatch(body, -1) {
			pairs.Add("link", m[1])
		}
		pairs.Add("link", "999:forged")
		got := workbookLinks(t, env.PagePost("focal_ken", base+"/new-links.xlsx", pairs))
		if len(got) != 3 {
			t.Fatalf("workbook links %v", got)
		}
		for _, m := range links {
			if !strings.Contains(strings.Join(got, " "), m[1]) {
				t.Errorf("the workbook lacks %s", m[1])
			}
		}
	})

	t.Run("revoke and reissue", func(t *testing.T) {
		rows, _ := env.Forms().Invitations(context.Background(), forms.AllCountries, c.ID)
		inv := rows[0].ID
		rec := env.PagePost("focal_ken", fmt.Sprintf("/portal/invitations/%d/revoke", inv), url.Values{})
		if rec.Code != http.StatusSeeOther || env.invitationStates(c.ID)[inv] != forms.InvitationRevoked {
			t.Fatalf("revoke: %d %s", rec.Code, env.invitationStates(c.ID)[inv])
		}
		if _, hub := env.PageAs("focal_ken", base+"?status=revoked"); strings.Count(hub, `<span class="badge revoked">revoked</span>`) != 1 {
			t.Errorf("the hub's revoked filter: %s", apitest.Truncate(hub))
		}
		if code, _ := env.PageAs("focal_mex", base+"/invite"); code != http.StatusNotFound {
			t.Errorf("Mexico's focal point on Kenya's invite page: %d", code)
		}
		rec = env.PagePost("focal_ken", fmt.Sprintf("/portal/invitations/%d/reissue", inv), url.Values{"consultation_id": {fmt.Sprint(c.ID)}})
		fresh := shownLink.FindStringSubmatch(rec.Body.String())
		if rec.Code != http.StatusOK || fresh == nil || env.invitationStates(c.ID)[inv] != forms.InvitationNotOpened {
			t.Fatalf("reissue: %d %s", rec.Code, env.invitationStates(c.ID)[inv])
		}
		if !strings.Contains(rec.Body.String(), `<label class="vh" for="link-`) {
			t.Error("the new link's input has no label")
		}
		token := fresh[1][strings.LastIndex(fresh[1], "/")+1:]
		if _, err := env.Forms().ResolveLink(context.Background(), token); err != nil {
			t.Errorf("the new link does not work: %v", err)
		}
		if rec := env.PagePost("focal_mex", fmt.Sprintf("/portal/invitations/%d/reissue", inv), url.Values{}); rec.Code != http.StatusNotFound {
			t.Errorf("Mexico's focal point reissues a Kenyan link: %d", rec.Code)
		}
	})

	t.Run("invite all matching the filter", func(t *testing.T) {
		other := env.openConsultation(qid, "KEN", "Kenya second round")
		rec := env.PagePost("admin", fmt.Sprintf("/portal/consultations/%d/invitations", other.ID),
			url.Values{"all": {"yes"}, "type": {"ngo"}, "q": {"alpha"}})
		if n := len(shownLink.FindAllString(rec.Body.String(), -1)); rec.Code != http.StatusOK || n != 1 {
			t.Fatalf("invite all NGOs named alpha: %d, %d links", rec.Code, n)
		}
		if states := env.invitationStates(other.ID); len(states) != 1 {
			t.Errorf("%d invitations stored, want 1", len(states))
		}
	})

	t.Run("whole workbook re-issues the unopened links", func(t *testing.T) {
		got := workbookLinks(t, env.PagePost("admin", base+"/links.xlsx", url.Values{}))
		if len(got) != 3 {
			t.Fatalf("workbook links %v", got)
		}
		for _, m := range links {
			token := m[1][strings.LastIndex(m[1], "/")+1:]
			if _, err := env.Forms().ResolveLink(context.Background(), token); err == nil {
				t.Errorf("an old link still works after the workbook re-issued it")
			}
		}
	})
}

func TestWorkspaceConsultationCloseReopen(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	c := env.openConsultation(qid, "KEN", "Kenya pilot")
	base := fmt.Sprintf("/portal/consultations/%d", c.ID)
	state := func() string {
		cons, err := env.Forms().Consultation(context.Background(), forms.AllCountries, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return cons.State(time.Now())
	}
	steps := []struct {
		name, caller, action, confirm string
		code                          int
		state                         string
	}{
		{"unconfirmed", "admin", "/close", "", http.StatusUnprocessableEntity, forms.ConsultationOpen},
		{"focal point", "focal_ken", "/close", "yes", http.StatusForbidden, forms.ConsultationOpen},
		{"closed", "admin", "/close", "yes", http.StatusSeeOther, forms.ConsultationClosed},
		{"reopen unconfirmed", "admin", "/reopen", "", http.StatusUnprocessableEntity, forms.ConsultationClosed},
		{"reopened", "admin", "/reopen", "yes", http.StatusSeeOther, forms.ConsultationOpen},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			rec := env.PagePost(st.caller, base+st.action, url.Values{"confirm": {st.confirm}})
			if rec.Code != st.code || state() != st.state {
				t.Errorf("%s: %d %s, want %d %s", st.action, rec.Code, state(), st.code, st.state)
			}
		})
	}
	t.Run("closed: no new links", func(t *testing.T) {
		ctx := context.Background()
		if _, err := env.Forms().CloseConsultation(ctx, forms.AllCountries, c.ID); err != nil {
			t.Fatal(err)
		}
		_, body := env.PageAs("focal_ken", base)
		if strings.Contains(body, "/links.xlsx") || strings.Contains(body, "/invite\"") || !strings.Contains(body, "reopen it to invite") {
			t.Error("a closed consultation's page offers new links")
		}
		if _, err := env.Forms().ReopenConsultation(ctx, forms.AllCountries, c.ID, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("open link shown once", func(t *testing.T) {
		rec := env.PagePost("admin", base+"/open-link", url.Values{})
		link := shownLink.FindStringSubmatch(rec.Body.String())
		if rec.Code != http.StatusOK || link == nil {
			t.Fatalf("open link: %d", rec.Code)
		}
		if _, body := env.PageAs("admin", base); strings.Contains(body, link[1]) || !strings.Contains(body, "Turn the open link off") {
			t.Error("the open link is shown again, or cannot be turned off")
		}
		if rec := env.PagePost("admin", base+"/open-link/disable", url.Values{}); rec.Code != http.StatusSeeOther {
			t.Errorf("disable: %d", rec.Code)
		}
		if cons, _ := env.Forms().Consultation(context.Background(), forms.AllCountries, c.ID); cons.HasOpenLink() {
			t.Error("the open link is still on")
		}
	})
	if _, body := env.PageAs("admin", base+"?lang=fr"); !strings.Contains(body, "Clôturer la consultation maintenant") {
		t.Error("the French hub lacks its close button")
	}
}
