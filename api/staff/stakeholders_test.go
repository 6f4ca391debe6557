package staff_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// stakeholderPageUpload sends a file to the import page, as the browser's
// multipart form does; an empty filename sends no file.
func (e *testEnv) stakeholderPageUpload(caller, filename string, content []byte) *httptest.ResponseRecorder {
	e.T.Helper()
	cookie, csrf := e.Login(caller)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", csrf)
	if filename != "" {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			e.T.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/portal/stakeholders/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", httpkit.SessionCookie+"="+cookie)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// registered adds a stakeholder with themes directly and returns its id.
func (e *testEnv) registered(org, typ, country, email string, themes ...string) uint {
	e.T.Helper()
	st, err := e.Forms().CreateStakeholder(context.Background(), forms.AllCountries,
		forms.StakeholderInput{Organization: org, Type: typ, Country: country, Email: email, Themes: themes}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	return st.ID
}

// registryCount counts the live stakeholders of the registry.
func (e *testEnv) registryCount() int64 {
	e.T.Helper()
	page, err := e.Forms().Stakeholders(context.Background(), forms.AllCountries, forms.StakeholderFilter{Limit: 1})
	if err != nil {
		e.T.Fatal(err)
	}
	return page.Total
}

func TestWorkspaceStakeholdersList(t *testing.T) {
	env := newTestEnv(t)
	env.registered("Haki Africa", "ngo", "KEN", "info@haki.example", "TIP", "XC.GENDER")
	env.registered("University of Nairobi", "academia", "KEN", "", "UNTOC.C1")
	env.registered("Causa en Común", "ngo", "MEX", "contacto@causa.example", "SOM")
	all := []string{"Haki Africa", "University of Nairobi", "Causa en Común"}
	tests := []struct {
		name, caller, query string
		shown               []string
	}{
		{"admin sees all", "admin", "", all},
		{"analyst sees all", "analyst", "", all},
		{"by country", "admin", "?country=KEN", []string{"Haki Africa", "University of Nairobi"}},
		{"by type", "admin", "?type=academia", []string{"University of Nairobi"}},
		{"by theme and below", "admin", "?theme=UNTOC", []string{"University of Nairobi"}},
		{"by cross-cutting theme", "admin", "?theme=XC.GENDER", []string{"Haki Africa"}},
		{"by text without accents", "admin", "?q=comun", []string{"Causa en Común"}},
		{"combined", "admin", "?country=MEX&type=academia", nil},
		{"focal point of MEX", "focal_mex", "", []string{"Causa en Común"}},
		{"focal point of MEX asking for KEN", "focal_mex", "?country=KEN", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := env.PageAs(tt.caller, "/portal/stakeholders"+tt.query)
			if code != http.StatusOK {
				t.Fatalf("%d %s", code, body)
			}
			for _, org := range all {
				want := strings.Contains(strings.Join(tt.shown, "|"), org)
				if got := strings.Contains(body, ">"+org+"</a>"); got != want {
					t.Errorf("%s shown: %v, want %v", org, got, want)
				}
			}
			if len(tt.shown) == 0 && !strings.Contains(body, "No stakeholder matches") {
				t.Error("no word for an empty list")
			}
		})
	}
	t.Run("the list's columns", func(t *testing.T) {
		_, body := env.PageAs("admin", "/portal/stakeholders?country=KEN")
		for _, want := range []string{"Non-governmental organization", "Trafficking in Persons", "Gender", "mailto:info@haki.example", "None", "Matching stakeholders: 2"} {
			if !strings.Contains(body, want) {
				t.Errorf("the list lacks %q", want)
			}
		}
	})
	t.Run("a focal point's country filter offers only their countries", func(t *testing.T) {
		_, body := env.PageAs("focal_mex", "/portal/stakeholders")
		if !strings.Contains(body, `<option value="MEX"`) || strings.Contains(body, `<option value="KEN"`) {
			t.Error("the country filter of MEX's focal point is wrong")
		}
		if !strings.Contains(body, `href="/portal/stakeholders/new"`) {
			t.Error("a focal point is not offered to add")
		}
		if _, body := env.PageAs("analyst", "/portal/stakeholders"); strings.Contains(body, `href="/portal/stakeholders/new"`) {
			t.Error("an analyst is offered to add")
		}
	})
	t.Run("a bad filter is a 422 page", func(t *testing.T) {
		code, body := env.PageAs("admin", "/portal/stakeholders?type=think+tank")
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "These filters cannot be used") {
			t.Errorf("%d %s", code, apitest.Truncate(body))
		}
	})
}

func TestWorkspaceStakeholdersPaging(t *testing.T) {
	env := newTestEnv(t)
	for i := range forms.DefaultStakeholderLimit + 2 {
		env.registered(fmt.Sprintf("Org %03d", i), "ngo", "KEN", "")
	}
	env.registered("Elsewhere Org", "ngo", "MEX", "")
	_, body := env.PageAs("admin", "/portal/stakeholders?country=KEN")
	next := `href="/portal/stakeholders?country=KEN&amp;offset=50"`
	if !strings.Contains(body, "Stakeholders 1 to 50 of 52") || !strings.Contains(body, next) || strings.Contains(body, "Org 050") {
		t.Fatalf("first page: %s", apitest.Truncate(body))
	}
	_, body = env.PageAs("admin", "/portal/stakeholders?country=KEN&offset=50")
	if !strings.Contains(body, "Stakeholders 51 to 52 of 52") || !strings.Contains(body, "Org 051") ||
		!strings.Contains(body, `href="/portal/stakeholders?country=KEN"`) || strings.Contains(body, "Elsewhere Org") {
		t.Errorf("second page: %s", apitest.Truncate(body))
	}
}

func TestWorkspaceStakeholdersScope(t *testing.T) {
	env := newTestEnv(t)
	ken := env.registered("Haki Africa", "ngo", "KEN", "info@haki.example")
	path := fmt.Sprintf("/portal/stakeholders/%d", ken)
	if code, body := env.PageAs("focal_mex", path); code != http.StatusNotFound || !strings.Contains(body, "outside your countries") {
		t.Errorf("MEX's focal point on KEN's stakeholder: %d", code)
	}
	form := url.Values{"organization": {"Taken over"}, "type": {"ngo"}, "country": {"MEX"}}
	if rec := env.PagePost("focal_mex", path, form); rec.Code != http.StatusNotFound {
		t.Errorf("MEX's focal point edits KEN's: %d", rec.Code)
	}
	if rec := env.PagePost("focal_mex", path+"/delete", url.Values{"confirm": {"yes"}}); rec.Code != http.StatusNotFound {
		t.Errorf("MEX's focal point deletes KEN's: %d", rec.Code)
	}
	st, err := env.Forms().Stakeholder(context.Background(), forms.AllCountries, ken)
	if err != nil || st.Organization != "Haki Africa" {
		t.Errorf("KEN's stakeholder changed: %+v %v", st, err)
	}
	if code, body := env.PageAs("focal_ken", path); code != http.StatusOK || !strings.Contains(body, `value="Haki Africa"`) {
		t.Errorf("KEN's focal point: %d", code)
	}
	_, body := env.PageAs("focal_mex", "/portal/stakeholders/new")
	if !strings.Contains(body, `<option value="MEX" selected>`) || strings.Contains(body, `<option value="KEN"`) {
		t.Error("the add form of MEX's focal point offers other countries")
	}
}

func TestWorkspaceStakeholdersAdd(t *testing.T) {
	env := newTestEnv(t)
	env.registered("Haki Africa", "ngo", "KEN", "info@haki.example")
	good := url.Values{"organization": {"Kituo cha Sheria"}, "type": {"ngo"}, "subtype": {"legal aid"}, "country": {"KEN"},
		"email": {"Info@Kituo.example"}, "contact_name": {"Wanjiru"}, "themes": {"TIP", "XC.GENDER"},
		"ecosoc_status": {"special"}, "hub_consent": {"yes"}, "language": {"fr"}, "notes": {"met in Nairobi"}}
	t.Run("good", func(t *testing.T) {
		rec := env.PagePost("focal_ken", "/portal/stakeholders", good)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%d %s", rec.Code, apitest.Truncate(rec.Body.String()))
		}
		page, err := env.Forms().Stakeholders(context.Background(), forms.AllCountries, forms.StakeholderFilter{Q: "kituo"})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%+v %v", page, err)
		}
		st := page.Items[0]
		if st.Email != "info@kituo.example" || st.Subtype != "legal aid" || st.ECOSOCStatus != "special" || !st.HubConsent ||
			st.Language != "fr" || strings.Join(st.Themes, ",") != "TIP,XC.GENDER" || st.Notes != "met in Nairobi" {
			t.Errorf("saved %+v", st)
		}
		loc := rec.Header().Get("Location")
		if !strings.HasPrefix(loc, fmt.Sprintf("/portal/stakeholders/%d?", st.ID)) {
			t.Errorf("redirect to %q", loc)
		}
		if _, body := env.PageAs("focal_ken", loc); !strings.Contains(body, "The stakeholder was added.") || !strings.Contains(body, `value="XC.GENDER" checked`) {
			t.Errorf("after the redirect: %s", apitest.Truncate(body))
		}
	})
	bad := []struct {
		name, caller string
		change       url.Values
		status       int
		want         []string
	}{
		{"bad email, no organization", "focal_ken", url.Values{"organization": {" "}, "email": {"not-an-email"}}, 422,
			[]string{"correct the fields", `value="not-an-email"`, `aria-invalid="true" aria-describedby="st-email-problem"`, `id="st-email-problem"`, "Organization</td>", "Email</td>"}},
		{"unknown theme", "admin", url.Values{"themes": {"TIP", "NOPE"}}, 422, []string{"unknown theme", `value="TIP" checked`}},
		{"another country", "focal_ken", url.Values{"country": {"MEX"}}, 422, []string{"MEX is not one of your countries"}},
		{"same email", "admin", url.Values{"email": {"INFO@haki.example"}}, 409, []string{"a stakeholder with this email is already registered in KEN"}},
		{"same organization", "focal_ken", url.Values{"organization": {"haki  AFRICA"}, "email": {""}}, 409, []string{"an organization with this name is already registered in KEN"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			before := env.registryCount()
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set("organization", "New org")
			form.Set("email", "")
			for k, v := range tt.change {
				form[k] = v
			}
			rec := env.PagePost(tt.caller, "/portal/stakeholders", form)
			body := rec.Body.String()
			if rec.Code != tt.status {
				t.Fatalf("%d, want %d: %s", rec.Code, tt.status, apitest.Truncate(body))
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			if !strings.Contains(body, `value="met in Nairobi"`) && !strings.Contains(body, ">met in Nairobi</textarea>") {
				t.Error("what was typed is lost")
			}
			if env.registryCount() != before {
				t.Error("something was saved")
			}
		})
	}
	if rec := env.PagePost("analyst", "/portal/stakeholders", good); rec.Code != http.StatusForbidden {
		t.Errorf("analyst adds: %d", rec.Code)
	}
}

func TestWorkspaceStakeholdersEditDelete(t *testing.T) {
	env := newTestEnv(t)
	id := env.registered("Haki Africa", "ngo", "KEN", "info@haki.example", "TIP")
	path := fmt.Sprintf("/portal/stakeholders/%d", id)
	ctx := context.Background()

	form := url.Values{"organization": {"Haki Africa Trust"}, "type": {"academia"}, "country": {"KEN"}, "themes": {"SOM"}, "ecosoc_status": {"roster"}}
	rec := env.PagePost("focal_ken", path, form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", rec.Code, apitest.Truncate(rec.Body.String()))
	}
	st, err := env.Forms().Stakeholder(ctx, forms.AllCountries, id)
	if err != nil || st.Organization != "Haki Africa Trust" || st.Type != "academia" || st.Email != "" ||
		strings.Join(st.Themes, ",") != "SOM" || st.ECOSOCStatus != "roster" {
		t.Fatalf("after the edit: %+v %v", st, err)
	}
	if rec := env.PagePost("focal_ken", path, url.Values{"organization": {"x"}, "type": {"club"}, "country": {"KEN"}}); rec.Code != 422 ||
		!strings.Contains(rec.Body.String(), `value="club" `) && !strings.Contains(rec.Body.String(), "must be one of") {
		t.Errorf("bad edit: %d %s", rec.Code, apitest.Truncate(rec.Body.String()))
	}

	code, body := env.PageAs("analyst", path)
	if code != http.StatusOK || strings.Contains(body, `action="`+path+`"`) || !strings.Contains(body, "Haki Africa Trust") || !strings.Contains(body, "Roster") {
		t.Errorf("analyst's view: %d %s", code, apitest.Truncate(body))
	}
	if rec := env.PagePost("analyst", path, form); rec.Code != http.StatusForbidden {
		t.Errorf("analyst edits: %d", rec.Code)
	}

	rec = env.PagePost("admin", path+"/delete", url.Values{})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "tick the box") {
		t.Errorf("unconfirmed delete: %d", rec.Code)
	}
	if _, err := env.Forms().Stakeholder(ctx, forms.AllCountries, id); err != nil {
		t.Fatalf("deleted without confirmation: %v", err)
	}
	rec = env.PagePost("admin", path+"/delete", url.Values{"confirm": {"yes"}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/portal/stakeholders?notice=") {
		t.Fatalf("delete: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if _, err := env.Forms().Stakeholder(ctx, forms.AllCountries, id); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("still there: %v", err)
	}
	if code, _ := env.PageAs("admin", path); code != http.StatusNotFound {
		t.Errorf("the deleted one's page: %d", code)
	}
}

func TestWorkspaceStakeholdersImport(t *testing.T) {
	env := newTestEnv(t)
	csv := "Organisation,Type,Country,E-mail,Themes\n" +
		"Haki Africa,NGO,KEN,info@haki.example,TIP; XC.GENDER\n" +
		"University of Nairobi,academia,Kenya,,UNTOC.C1\n" +
		"Example Ltd,think tank,KEN,,\n"
	rec := env.stakeholderPageUpload("focal_ken", "mapping.csv", []byte(csv))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, apitest.Truncate(body))
	}
	for _, want := range []string{"Rows read from mapping.csv: 3", "Imported</th><td>2</td>", "Skipped (with a problem)</th><td>1</td>",
		"<tr><td>4</td><td>Type</td><td>&#34;think tank&#34;: must be one of", ">University of Nairobi</a> (KEN)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the result lacks %q", want)
		}
	}
	if n := env.registryCount(); n != 2 {
		t.Errorf("%d stakeholders saved, want 2", n)
	}
	rec = env.stakeholderPageUpload("focal_ken", "mapping.csv", []byte(csv))
	if !strings.Contains(rec.Body.String(), "Duplicates (not imported)</th><td>2</td>") || env.registryCount() != 2 {
		t.Errorf("the second import: %s", apitest.Truncate(rec.Body.String()))
	}
	if rec := env.stakeholderPageUpload("focal_ken", "", nil); rec.Code != 422 || !strings.Contains(rec.Body.String(), "No file was sent") {
		t.Errorf("no file: %d", rec.Code)
	}
	if rec := env.stakeholderPageUpload("focal_ken", "notes.csv", []byte("just,some\nwords,here\n")); rec.Code != 422 ||
		!strings.Contains(rec.Body.String(), "This file cannot be imported") {
		t.Errorf("a file without the columns: %d %s", rec.Code, apitest.Truncate(rec.Body.String()))
	}
	if rec := env.stakeholderPageUpload("analyst", "mapping.csv", []byte(csv)); rec.Code != http.StatusForbidden {
		t.Errorf("analyst imports: %d", rec.Code)
	}
	code, body := env.PageAs("focal_ken", "/portal/stakeholders/import")
	if code != http.StatusOK || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "<th scope=\"row\">Hub consent</th>") {
		t.Errorf("the import page: %d", code)
	}
}

func TestWorkspaceStakeholdersTemplate(t *testing.T) {
	env := newTestEnv(t)
	cookie, _ := env.Login("focal_ken")
	rec := env.DoRequest("GET", "/portal/stakeholders/template.xlsx", nil, map[string]string{"Cookie": httpkit.SessionCookie + "=" + cookie})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "stakeholders-template.xlsx") {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	f, err := excelize.OpenReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if v, _ := f.GetCellValue(f.GetSheetName(0), "A1"); v != "Organization" {
		t.Errorf("A1 is %q", v)
	}
}

func TestWorkspaceStakeholdersEscapedAndFrench(t *testing.T) {
	env := newTestEnv(t)
	id := env.registered(`<script>alert(1)</script> & "Co"`, "ngo", "KEN", "")
	for _, path := range []string{"/portal/stakeholders", fmt.Sprintf("/portal/stakeholders/%d", id)} {
		_, body := env.PageAs("admin", path)
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp;") {
			t.Errorf("%s: the organization's markup is not escaped", path)
		}
	}
	code, body := env.PageAs("admin", "/portal/stakeholders?lang=fr")
	for _, want := range []string{`<html lang="fr"`, "<h1>Parties prenantes</h1>", "Tous les pays", "Ajouter une partie prenante", "la traite des personnes"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the French page lacks %q", want)
		}
	}
	_, body = env.PageAs("admin", "/portal/stakeholders/new?lang=es")
	if !strings.Contains(body, "Añadir una parte interesada") || !strings.Contains(body, "Idioma de las invitaciones") {
		t.Error("the Spanish form is not Spanish")
	}
}
