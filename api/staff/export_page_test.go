package staff_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
)

func TestExportProgressPage(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	cid := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6})

	cookie, csrf := env.Login("focal_ken")
	form := url.Values{"consultation_id": {fmt.Sprint(cid)}, "csrf": {csrf}}
	req := httptest.NewRequest("POST", "/portal/exports", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", httpkit.SessionCookie+"="+cookie)
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	page := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(page, "/portal/exports/") {
		t.Fatalf("request: %d, Location %q", rec.Code, page)
	}

	rec = env.SessionDo("focal_ken", "GET", page)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<progress id="progress" max="100"`) ||
		!strings.Contains(rec.Body.String(), `http-equiv="refresh"`) {
		t.Fatalf("while queued: %d %s", rec.Code, rec.Body)
	}

	env.RunExports()
	rec = env.SessionDo("focal_ken", "GET", page)
	id := strings.TrimPrefix(page, "/portal/exports/")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `href="/api/v1/exports/`+id+`/file"`) ||
		strings.Contains(rec.Body.String(), `http-equiv="refresh"`) || !strings.Contains(rec.Body.String(), `value="100"`) {
		t.Fatalf("when done: %d %s", rec.Code, rec.Body)
	}

	// Someone else's job is not shown, even to a focal point of the country.
	if rec := env.SessionDo("focal_mex", "GET", page); rec.Code != http.StatusNotFound {
		t.Errorf("another user's job: %d", rec.Code)
	}
	if rec := env.SessionDo("", "GET", page); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", rec.Code)
	}
}

// TestExportPageTranslated shows a job's page in French and Spanish, while
// it waits and when it is done, with its size written the language's way.
func TestExportPageTranslated(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	cid := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6})
	rec := env.Do("focal_ken", "POST", "/api/v1/exports", map[string]any{"kind": "consultation", "consultation_id": cid})
	if rec.Code != http.StatusAccepted {
		t.Fatalf("create export: %d %s", rec.Code, rec.Body)
	}
	page := fmt.Sprintf("/portal/exports/%d", apitest.Decode[apitest.ExportJob](t, rec).ID)
	apitest.Expect(t, "queued, in French", env.SessionDo("focal_ken", "GET", page+"?lang=fr"), http.StatusOK,
		`lang="fr"`, "Export Excel", "Avancement", fmt.Sprintf("Classeur de la consultation %d", cid), "en attente de son tour", `http-equiv="refresh"`)
	env.RunExports()
	apitest.Expect(t, "done, in Spanish", env.SessionDo("focal_ken", "GET", page+"?lang=es"), http.StatusOK,
		`lang="es"`, "Exportación a Excel", "El libro está listo (", ",", " KB)", "Descargar ")
	apitest.Expect(t, "someone else's, in French", env.SessionDo("focal_mex", "GET", page+"?lang=fr"), http.StatusNotFound,
		`lang="fr"`, "Vous n’avez aucun export de ce numéro.")
}

// TestComparisonExportFromPage requests the comparison workbook from the
// comparison page's button, within the focal point's scope.
func TestComparisonExportFromPage(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6})
	env.DemoConsultation(qid, "MEX", map[string]int{"ngo": 6})
	post := func(user string, form url.Values) *httptest.ResponseRecorder {
		cookie, csrf := env.Login(user)
		form.Set("csrf", csrf)
		req := httptest.NewRequest("POST", "/portal/exports", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", httpkit.SessionCookie+"="+cookie)
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		return rec
	}
	rec := post("focal_ken", url.Values{"questionnaire": {"pilot-issues"}, "country": {"KEN"}})
	page := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(page, "/portal/exports/") {
		t.Fatalf("request: %d, Location %q", rec.Code, page)
	}
	env.RunExports()
	if rec := env.SessionDo("focal_ken", "GET", page); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "/file\"") {
		t.Fatalf("when done: %d %s", rec.Code, rec.Body)
	}
	if rec := post("focal_ken", url.Values{"questionnaire": {"pilot-issues"}, "country": {"MEX"}}); rec.Code != http.StatusNotFound {
		t.Errorf("focal point of Kenya asking for Mexico: %d", rec.Code)
	}
}
