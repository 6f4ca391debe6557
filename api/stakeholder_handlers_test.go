package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// addStakeholder creates a stakeholder as admin and returns its id.
func (e *testEnv) addStakeholder(org, country string) uint {
	e.T.Helper()
	rec := e.Do("admin", "POST", "/api/v1/stakeholders", apitest.StakeholderBody(org, country))
	if rec.Code != http.StatusCreated {
		e.T.Fatalf("create %s: %d %s", org, rec.Code, rec.Body)
	}
	return apitest.Decode[forms.Stakeholder](e.T, rec).ID
}

// uploadStakeholders posts content as the multipart field name.
func (e *testEnv) uploadStakeholders(caller, field, filename string, content []byte) *httptest.ResponseRecorder {
	e.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("note", "ignored")
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		e.T.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/stakeholders/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.Tokens[caller])
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

func TestStakeholderRoles(t *testing.T) {
	env := newTestEnv(t)
	ken := env.addStakeholder("Haki Africa", "KEN")
	env.addStakeholder("Causa en Comun", "MEX")
	kenPath := fmt.Sprintf("/api/v1/stakeholders/%d", ken)
	cases := []struct {
		name, caller, method, path string
		body                       any
		want                       int
	}{
		{"anonymous list", "", "GET", "/api/v1/stakeholders", nil, 401},
		{"analyst creates", "analyst", "POST", "/api/v1/stakeholders", apitest.StakeholderBody("A", "KEN"), 403},
		{"analyst updates", "analyst", "PUT", kenPath, apitest.StakeholderBody("A", "KEN"), 403},
		{"analyst deletes", "analyst", "DELETE", kenPath, nil, 403},
		{"analyst reads", "analyst", "GET", kenPath, nil, 200},
		{"focal point creates at home", "focal_ken", "POST", "/api/v1/stakeholders", apitest.StakeholderBody("Kituo", "KEN"), 201},
		{"focal point creates abroad", "focal_mex", "POST", "/api/v1/stakeholders", apitest.StakeholderBody("Kituo 2", "KEN"), 422},
		{"focal point reads abroad", "focal_mex", "GET", kenPath, nil, 404},
		{"focal point updates abroad", "focal_mex", "PUT", kenPath, apitest.StakeholderBody("Haki Africa", "MEX"), 404},
		{"focal point deletes abroad", "focal_mex", "DELETE", kenPath, nil, 404},
		{"focal point reads at home", "focal_ken", "GET", kenPath, nil, 200},
		{"focal point updates at home", "focal_ken", "PUT", kenPath, apitest.StakeholderBody("Haki Africa Trust", "KEN"), 200},
		{"duplicate", "admin", "POST", "/api/v1/stakeholders", apitest.StakeholderBody("Haki Africa Trust", "KEN"), 409},
		{"no such id", "admin", "GET", "/api/v1/stakeholders/99999", nil, 404},
		{"id not a number", "admin", "GET", "/api/v1/stakeholders/abc", nil, 404},
		{"focal point deletes at home", "focal_ken", "DELETE", kenPath, nil, 204},
		{"read after delete", "admin", "GET", kenPath, nil, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.Do(tc.caller, tc.method, tc.path, tc.body)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if rec.Code >= 400 && apitest.Decode[apitest.ErrorBody](t, rec).Error.Code == "" {
				t.Errorf("error without the error body: %s", rec.Body)
			}
		})
	}
}

func TestStakeholderList(t *testing.T) {
	env := newTestEnv(t)
	env.addStakeholder("Haki Africa", "KEN")
	env.addStakeholder("Kituo cha Sheria", "KEN")
	env.addStakeholder("Causa en Comun", "MEX")
	type page struct {
		Items []forms.Stakeholder `json:"items"`
		Total int                 `json:"total"`
	}
	cases := []struct {
		caller, query string
		want          []string
		total         int
	}{
		{"analyst", "", []string{"Causa en Comun", "Haki Africa", "Kituo cha Sheria"}, 3},
		{"focal_ken", "", []string{"Haki Africa", "Kituo cha Sheria"}, 2},
		{"focal_ken", "?country=MEX", nil, 0},
		{"focal_mex", "?q=CAUSA", []string{"Causa en Comun"}, 1},
		{"admin", "?theme=TIP&type=ngo&limit=1&offset=1", []string{"Haki Africa"}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.caller+tc.query, func(t *testing.T) {
			rec := env.Do(tc.caller, "GET", "/api/v1/stakeholders"+tc.query, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			p := apitest.Decode[page](t, rec)
			var got []string
			for _, st := range p.Items {
				got = append(got, st.Organization)
			}
			if !slices.Equal(got, tc.want) || p.Total != tc.total {
				t.Errorf("listed %q (total %d), want %q (total %d)", got, p.Total, tc.want, tc.total)
			}
		})
	}
	rec := env.Do("admin", "GET", "/api/v1/stakeholders?limit=many&offset=-1", nil)
	if rec.Code != 422 || apitest.Decode[apitest.ErrorBody](t, rec).Error.Fields[0].Path != "/limit" {
		t.Errorf("bad limit: %d %s", rec.Code, rec.Body)
	}
	if rec := env.Do("admin", "GET", "/api/v1/stakeholders?limit=1000", nil); rec.Code != 422 {
		t.Errorf("limit over the bound: %d %s", rec.Code, rec.Body)
	}
}

func TestStakeholderValidationPaths(t *testing.T) {
	env := newTestEnv(t)
	cases := []struct {
		name string
		body any
		want []string
	}{
		{"every field wrong", map[string]any{"organization": " ", "type": "club", "country": "Kenya", "email": "nope",
			"themes": []string{"TIP", "NOPE"}, "language": "de", "ecosoc_status": "consultative"},
			[]string{"/country", "/ecosoc_status", "/email", "/language", "/organization", "/themes/1", "/type"}},
		{"unknown field", `{"organization":"A","type":"ngo","country":"KEN","phone":"1"}`, []string{"/phone"}},
		{"ecosoc as a boolean", `{"organization":"A","type":"ngo","country":"KEN","ecosoc_status":true}`, []string{"/ecosoc_status"}},
		{"themes not a list", `{"organization":"A","type":"ngo","country":"KEN","themes":"TIP"}`, []string{"/themes"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.Do("admin", "POST", "/api/v1/stakeholders", tc.body)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", rec.Code, rec.Body)
			}
			var got []string
			for _, f := range apitest.Decode[apitest.ErrorBody](t, rec).Error.Fields {
				got = append(got, f.Path)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("paths %v, want %v", got, tc.want)
			}
		})
	}
	if rec := env.Do("admin", "POST", "/api/v1/stakeholders", "{"); rec.Code != http.StatusBadRequest {
		t.Errorf("broken JSON: %d, want 400", rec.Code)
	}
}

func TestStakeholderImport(t *testing.T) {
	env := newTestEnv(t)
	env.addStakeholder("Haki Africa", "KEN")
	csv := "Organization,Type,Country,Email,Themes\n" +
		"Kituo cha Sheria,ngo,KEN,kituo@example.org,TIP\n" +
		"Causa en Comun,ngo,MEX,causa@example.org,SOM\n" +
		"haki africa,ngo,Kenya,,\n" +
		"No Type,,KEN,,\n"
	rec := env.uploadStakeholders("focal_ken", "file", "mapping.csv", []byte(csv))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	res := apitest.Decode[forms.ImportResult](t, rec)
	var report []string
	for _, p := range res.Report {
		report = append(report, fmt.Sprintf("%d/%s", p.Row, p.Column))
	}
	if res.Created != 1 || res.Skipped != 2 || res.Duplicates != 1 || len(res.Items) != 1 ||
		!slices.Equal(report, []string{"3/Country", "4/Organization", "5/Type"}) {
		t.Errorf("import answered %+v", res)
	}

	cases := []struct {
		name, caller, field, filename string
		content                       []byte
		want                          int
		path                          string
	}{
		{"analyst", "analyst", "file", "a.csv", []byte(csv), 403, ""},
		{"no file field", "admin", "upload", "a.csv", []byte(csv), 422, "/file"},
		{"no country column", "admin", "file", "a.csv", []byte("Organization,Type\nA,ngo\n"), 422, "/file"},
		{"too large", "admin", "file", "a.csv", bytes.Repeat([]byte("x"), 2048), 413, ""},
	}
	limited := newTestEnvWith(t, func(c *api.Config) { c.MaxUploadBytes = 1024 })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := limited.uploadStakeholders(tc.caller, tc.field, tc.filename, tc.content)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.path != "" {
				if f := apitest.Decode[apitest.ErrorBody](t, rec).Error.Fields; len(f) != 1 || f[0].Path != tc.path {
					t.Errorf("fields %+v, want one at %s", f, tc.path)
				}
			}
		})
	}
	if rec := env.Do("admin", "POST", "/api/v1/stakeholders/import", csv); rec.Code != http.StatusBadRequest {
		t.Errorf("not multipart: %d, want 400: %s", rec.Code, rec.Body)
	}
}
