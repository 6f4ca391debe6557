package api

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

	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
)

type exportJobBody struct {
	ID       uint   `json:"id"`
	Status   string `json:"status"`
	Progress int    `json:"progress"`
	Reused   bool   `json:"reused"`
	FileURL  string `json:"file_url"`
}

// runExports runs the queued export jobs as a server's runner would.
func (e *testEnv) runExports() {
	e.t.Helper()
	r := exports.NewRunner(e.srv.db, e.srv.analysis)
	for {
		ran, err := r.RunOnce(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

func TestExportLifecycle(t *testing.T) {
	env := newTestEnv(t)
	qid := env.deployDemo()
	ken := env.demoConsultation(qid, "KEN", map[string]int{"ngo": 6, "academia": 5})
	body := map[string]any{"kind": "consultation", "consultation_id": ken, "lang": "en"}

	if rec := env.do("focal_mex", "POST", "/api/v1/exports", body); rec.Code != http.StatusNotFound {
		t.Errorf("focal point of MEX exports a KEN consultation: %d %s", rec.Code, rec.Body)
	}
	rec := env.do("focal_ken", "POST", "/api/v1/exports", body)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	job := decode[exportJobBody](t, rec)
	if job.Status != "queued" {
		t.Errorf("new job status = %q", job.Status)
	}
	path := fmt.Sprintf("/api/v1/exports/%d", job.ID)
	if rec := env.do("focal_ken", "GET", path+"/file", nil); rec.Code != http.StatusConflict {
		t.Errorf("file of a queued job: %d", rec.Code)
	}
	env.runExports()
	got := decode[exportJobBody](t, env.do("focal_ken", "GET", path, nil))
	if got.Status != "done" || got.Progress != 100 || got.FileURL != path+"/file" {
		t.Fatalf("after run: %+v", got)
	}
	for _, caller := range []string{"focal_mex", "analyst"} {
		if rec := env.do(caller, "GET", path, nil); rec.Code != http.StatusNotFound {
			t.Errorf("%s reads another's export: %d", caller, rec.Code)
		}
	}
	rec = env.do("focal_ken", "GET", path+"/file", nil)
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
	again := decode[exportJobBody](t, env.do("focal_ken", "POST", "/api/v1/exports", body))
	if !again.Reused || again.ID != job.ID {
		t.Errorf("same export twice: %+v", again)
	}
	if rec := env.do("focal_ken", "POST", path+"/retry", nil); rec.Code != http.StatusConflict {
		t.Errorf("retry of a done job: %d", rec.Code)
	}
	bad := map[string]any{"kind": "comparison", "questionnaire": "pilot-issues", "countries": []string{"MEX"}}
	if rec := env.do("focal_ken", "POST", "/api/v1/exports", bad); rec.Code != http.StatusForbidden {
		t.Errorf("comparison naming another country: %d", rec.Code)
	}
}

// exportMatrixCall creates an export of the consultation in path as the
// focal point of its country, then calls the route on that job as caller.
func exportMatrixCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	e.t.Helper()
	rest := strings.TrimPrefix(path, "/api/v1/exports/")
	idText, tail, _ := strings.Cut(rest, "/")
	cid, _ := strconv.ParseUint(idText, 10, 32)
	c, err := e.srv.forms.Consultation(context.Background(), forms.AllCountries, uint(cid))
	if err != nil {
		e.t.Fatal(err)
	}
	focal := "focal_" + strings.ToLower(c.CountryISO3)
	rec := e.do(focal, "POST", "/api/v1/exports", map[string]any{"kind": "consultation", "consultation_id": cid})
	if rec.Code != http.StatusAccepted {
		e.t.Fatalf("create export: %d %s", rec.Code, rec.Body)
	}
	job := decode[exportJobBody](e.t, rec)
	target := fmt.Sprintf("/api/v1/exports/%d", job.ID)
	if tail != "" {
		target += "/" + tail
	}
	method := "GET"
	if tail == "retry" {
		method = "POST"
	}
	return e.do(caller, method, target, nil)
}
