package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/xlsform"
)

// upload posts content as the multipart file field of a form.
func (e *testEnv) upload(caller, path, field, filename string, content []byte) *httptest.ResponseRecorder {
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
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if caller != "" {
		req.Header.Set("Authorization", "Bearer "+e.Tokens[caller])
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// importBody is the answer to an import.
type importBody struct {
	questionnaireBody
	Report []xlsform.Item `json:"report"`
}

// refusedBody is the answer to a refused import.
type refusedBody struct {
	apitest.ErrorBody
	Report []xlsform.Item `json:"report"`
}

const importPath = "/api/v1/questionnaires/import"

func TestXLSFormImportAndExport(t *testing.T) {
	env := newTestEnv(t)
	rec := env.upload("admin", importPath, "file", "all-types.xlsx", apitest.XLSFormFixture(t, "all-types"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	got := apitest.Decode[importBody](t, rec)
	if got.Code != "all-types" || got.Version != 1 || got.Status != "draft" || !reflect.DeepEqual(got.Languages, []string{"en", "fr", "ar"}) {
		t.Errorf("imported %+v", got.questionnaireBody)
	}
	if len(got.Report) != 3 || got.Report[0].Action != xlsform.ActionConverted || got.Report[0].Cell == "" {
		t.Errorf("report %+v, want the three conversions with their cells", got.Report)
	}
	if rec := env.Do("analyst", "GET", fmt.Sprintf("/api/v1/questionnaires/%d", got.ID), nil); rec.Code != http.StatusOK {
		t.Errorf("the draft is not stored: %d", rec.Code)
	}

	for _, caller := range []string{"admin", "analyst", "focal_ken"} {
		rec := env.Do(caller, "GET", fmt.Sprintf("/api/v1/questionnaires/%d/xlsform", got.ID), nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("export as %s: %d %s", caller, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != xlsform.ContentType {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="all-types-v1.xlsx"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		// What is exported imports into the stored definition.
		def, _, err := xlsform.Import(t.Context(), bytes.NewReader(rec.Body.Bytes()), xlsform.Options{})
		if err != nil {
			t.Fatalf("re-import: %v", err)
		}
		stored := apitest.Decode[struct {
			Definition *forms.Definition `json:"definition"`
		}](t, env.Do("admin", "GET", fmt.Sprintf("/api/v1/questionnaires/%d", got.ID), nil)).Definition
		for _, q := range stored.Questions() {
			if q.Type == forms.TypeScale && !strings.Contains(q.Appearance, "likert") {
				q.Appearance = strings.TrimSpace("likert " + q.Appearance)
			}
		}
		if !reflect.DeepEqual(def, stored) {
			t.Errorf("export as %s does not import into the stored definition", caller)
		}
	}

	// The same code again, while its draft is open, is a conflict; the
	// report still comes along.
	rec = env.upload("admin", importPath, "file", "all-types.xlsx", apitest.XLSFormFixture(t, "all-types"))
	if rec.Code != http.StatusConflict || len(apitest.Decode[refusedBody](t, rec).Report) != 3 {
		t.Errorf("second import: %d %s, want 409 with the report", rec.Code, rec.Body)
	}
}

func TestXLSFormImportRefused(t *testing.T) {
	env := newTestEnv(t)
	rec := env.upload("admin", importPath, "file", "bad.xlsx", apitest.XLSFormFixture(t, "bad-expressions"))
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("import: %d %s, want 422", rec.Code, rec.Body)
	}
	body := apitest.Decode[refusedBody](t, rec)
	if body.Error.Code != "validation_failed" || len(body.Error.Fields) != 8 {
		t.Fatalf("error %+v, want validation_failed with 8 fields", body.Error)
	}
	first := body.Error.Fields[0]
	if first.Path != "survey!E2" || !strings.Contains(first.Message, "function sin() is not supported") {
		t.Errorf("first field %+v, want survey!E2 about sin()", first)
	}
	errorsInReport := 0
	for _, it := range body.Report {
		if it.Severity == xlsform.SeverityError && it.Action == xlsform.ActionRefused {
			errorsInReport++
		}
	}
	if errorsInReport != 8 {
		t.Errorf("report has %d errors, want 8: %+v", errorsInReport, body.Report)
	}
	if rec := env.Do("admin", "GET", "/api/v1/questionnaires", nil); strings.Contains(rec.Body.String(), "bad-expressions") {
		t.Errorf("a refused import was stored: %s", rec.Body)
	}
}

func TestXLSFormImportRequests(t *testing.T) {
	env := newTestEnv(t)
	small := apitest.XLSFormFixture(t, "header-variants")
	tests := []struct {
		name, caller, field string
		content             []byte
		limit               int64
		status              int
		path                string // of the first error field
	}{
		{"analyst may not import", "analyst", "file", small, 0, http.StatusForbidden, ""},
		{"focal point may not import", "focal_ken", "file", small, 0, http.StatusForbidden, ""},
		{"anonymous", "", "file", small, 0, http.StatusUnauthorized, ""},
		{"no file field", "admin", "upload", small, 0, http.StatusUnprocessableEntity, "/file"},
		{"not a workbook", "admin", "file", []byte("type,name,label\ntext,q1,Q1\n"), 0, http.StatusUnprocessableEntity, "/file"},
		{"too large", "admin", "file", small, 1024, http.StatusRequestEntityTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := env
			if tt.limit > 0 {
				env = newTestEnvWith(t, func(c *api.Config) { c.MaxUploadBytes = tt.limit })
			}
			rec := env.upload(tt.caller, importPath, tt.field, "form.xlsx", tt.content)
			if rec.Code != tt.status {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, tt.status)
			}
			if tt.path != "" {
				if f := apitest.Decode[apitest.ErrorBody](t, rec).Error.Fields; len(f) == 0 || f[0].Path != tt.path {
					t.Errorf("fields %+v, want the first at %s", f, tt.path)
				}
			}
		})
	}
	rec := env.Do("admin", "POST", importPath, map[string]any{"code": "x"})
	if rec.Code != http.StatusBadRequest {
		t.Errorf("JSON body: %d, want 400", rec.Code)
	}
}

func TestXLSFormImportNamesTheCodeAfterTheFile(t *testing.T) {
	env := newTestEnv(t)
	// The fixture has no form_id in its settings: the file name gives it.
	rec := env.upload("admin", importPath, "file", `C:\forms\cso survey.xlsx`, apitest.XLSFormFixture(t, "survey-only"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	body := apitest.Decode[importBody](t, rec)
	if body.Code != "cso-survey" {
		t.Errorf("code %q, want cso-survey", body.Code)
	}
	found := false
	for _, it := range body.Report {
		found = found || strings.Contains(it.Message, "comes from the file name")
	}
	if !found {
		t.Errorf("the report does not say where the code comes from: %+v", body.Report)
	}
}

func TestXLSFormExportNotFound(t *testing.T) {
	env := newTestEnv(t)
	for _, path := range []string{"/api/v1/questionnaires/999/xlsform", "/api/v1/questionnaires/import/xlsform"} {
		if rec := env.Do("admin", "GET", path, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
	if rec := env.Do("", "GET", "/api/v1/questionnaires/1/xlsform", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous export: %d, want 401", rec.Code)
	}
}
