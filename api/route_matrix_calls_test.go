package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// The route matrix's callers of the staff pages: logins and sessions.

// matrixPassword is every test caller's password in the matrix.
const matrixPassword = "matrix password 1"

// loginCall logs in with the caller's password (anonymous: a wrong one).
func loginCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	email, pw := apitest.CallerEmail(caller), matrixPassword
	if caller == "" {
		email, pw = "nobody@example.org", "wrong password 1"
	}
	return e.Browser().Post(path, url.Values{"email": {email}, "password": {pw}}, "Origin", "http://agora.test")
}

// sessionCall calls a page with the caller's login session and its CSRF
// token; a redirect to the login page counts as 401.
func sessionCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	e.T.Helper()
	method := "GET"
	if path == "/logout" {
		method = "POST"
	}
	return e.SessionDo(caller, method, path)
}

// sessionPostCall posts an empty form with the caller's login session.
func sessionPostCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	return e.SessionDo(caller, "POST", path)
}

// portalExportCall asks for the export of the newest consultation (the
// cell's own, made just before) from the portal, with the caller's
// session.
func portalExportCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	e.T.Helper()
	var id uint
	if err := e.DB.Model(&forms.Consultation{}).Select("MAX(id)").Scan(&id).Error; err != nil {
		e.T.Fatal(err)
	}
	form := url.Values{"consultation_id": {fmt.Sprint(id)}}
	headers := map[string]string{}
	if caller != "" {
		cookie, csrf := e.Login(caller)
		headers["Cookie"] = httpkit.SessionCookie + "=" + cookie
		form.Set("csrf", csrf)
	}
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	if rec.Code == http.StatusSeeOther && rec.Header().Get("Location") == "/login" {
		rec.Code = http.StatusUnauthorized
	}
	return rec
}

// exportPageCall has the focal point of the consultation's country ask for
// its export, then shows the job's page to caller, with a login session.
func exportPageCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	e.T.Helper()
	cid := strings.TrimPrefix(path, "/portal/exports/")
	focal := "focal_ken"
	if rec := e.Do("admin", "GET", "/api/v1/consultations/"+cid, nil); strings.Contains(rec.Body.String(), `"country":"MEX"`) {
		focal = "focal_mex"
	}
	n, _ := strconv.Atoi(cid)
	rec := e.Do(focal, "POST", "/api/v1/exports", map[string]any{"kind": "consultation", "consultation_id": n})
	if rec.Code != http.StatusAccepted {
		e.T.Fatalf("create export: %d %s", rec.Code, rec.Body)
	}
	job := apitest.Decode[apitest.ExportJob](e.T, rec)
	return e.SessionDo(caller, "GET", fmt.Sprintf("/portal/exports/%d", job.ID))
}
