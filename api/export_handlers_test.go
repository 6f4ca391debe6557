package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

func TestExportLifecycle(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	ken := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6, "academia": 5})
	body := map[string]any{"kind": "consultation", "consultation_id": ken, "lang": "en"}

	if rec := env.Do("focal_mex", "POST", "/api/v1/exports", body); rec.Code != http.StatusNotFound {
		t.Errorf("focal point of MEX exports a KEN consultation: %d %s", rec.Code, rec.Body)
	}
	rec := env.Do("focal_ken", "POST", "/api/v1/exports", body)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	job := apitest.Decode[apitest.ExportJob](t, rec)
	if job.Status != "queued" {
		t.Errorf("new job status = %q", job.Status)
	}
	path := fmt.Sprintf("/api/v1/exports/%d", job.ID)
	if rec := env.Do("focal_ken", "GET", path+"/file", nil); rec.Code != http.StatusConflict {
		t.Errorf("file of a queued job: %d", rec.Code)
	}
	env.RunExports()
	got := apitest.Decode[apitest.ExportJob](t, env.Do("focal_ken", "GET", path, nil))
	if got.Status != "done" || got.Progress != 100 || got.FileURL != path+"/file" {
		t.Fatalf("after run: %+v", got)
	}
	for _, caller := range []string{"focal_mex", "analyst"} {
		if rec := env.Do(caller, "GET", path, nil); rec.Code != http.StatusNotFound {
			t.Errorf("%s reads another's export: %d", caller, rec.Code)
		}
	}
	rec = env.Do("focal_ken", "GET", path+"/file", nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("file: %d %v", rec.Code, rec.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows, _ := f.GetRows("Responses"); len(rows) != 2+11 {
		t.Errorf("Responses has %d rows, want 13", len(rows))
	}
	again := apitest.Decode[apitest.ExportJob](t, env.Do("focal_ken", "POST", "/api/v1/exports", body))
	if !again.Reused || again.ID != job.ID {
		t.Errorf("same export twice: %+v", again)
	}
	if rec := env.Do("focal_ken", "POST", path+"/retry", nil); rec.Code != http.StatusConflict {
		t.Errorf("retry of a done job: %d", rec.Code)
	}
	bad := map[string]any{"kind": "comparison", "questionnaire": "pilot-issues", "countries": []string{"MEX"}}
	if rec := env.Do("focal_ken", "POST", "/api/v1/exports", bad); rec.Code != http.StatusForbidden {
		t.Errorf("comparison naming another country: %d", rec.Code)
	}
}

// exportMatrixCall creates an export of the consultation in path as the
// focal point of its country, then calls the route on that job as caller.
func exportMatrixCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	e.T.Helper()
	rest := strings.TrimPrefix(path, "/api/v1/exports/")
	idText, tail, _ := strings.Cut(rest, "/")
	cid, _ := strconv.ParseUint(idText, 10, 32)
	c, err := e.Forms().Consultation(context.Background(), forms.AllCountries, uint(cid))
	if err != nil {
		e.T.Fatal(err)
	}
	focal := "focal_" + strings.ToLower(c.CountryISO3)
	rec := e.Do(focal, "POST", "/api/v1/exports", map[string]any{"kind": "consultation", "consultation_id": cid})
	if rec.Code != http.StatusAccepted {
		e.T.Fatalf("create export: %d %s", rec.Code, rec.Body)
	}
	job := apitest.Decode[apitest.ExportJob](e.T, rec)
	target := fmt.Sprintf("/api/v1/exports/%d", job.ID)
	if tail != "" {
		target += "/" + tail
	}
	method := "GET"
	if tail == "retry" {
		method = "POST"
	}
	return e.Do(caller, method, target, nil)
}
