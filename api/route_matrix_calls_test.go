package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// The route matrix's callers of the staff pages: logins and sessions.

// matrixPassword is every test caller's password in the matrix.
const matrixPassword = "matrix password 1"

// callerEmail is the email of a test caller.
func callerEmail(caller string) string {
	return map[string]string{"admin": "admin@example.org", "analyst": "analyst@example.org",
		"focal_ken": "focal.ken@example.org", "focal_mex": "focal.mex@example.org"}[caller]
}

// loginCall logs in with the caller's password (anonymous: a wrong one).
func loginCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	email, pw := callerEmail(caller), matrixPassword
	if caller == "" {
		email, pw = "nobody@example.org", "wrong password 1"
	}
	return e.browser().post(path, url.Values{"email": {email}, "password": {pw}}, "Origin", "http://agora.test")
}

// sessionCall calls a page with the caller's login session and its CSRF
// token; a redirect to the login page counts as 401.
func sessionCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	e.t.Helper()
	method := "GET"
	if path == "/logout" {
		method = "POST"
	}
	return sessionDo(e, caller, method, path)
}

// pagePost posts a form to a staff page as a browser does: with caller's
// login session, and its CSRF token in the form.
func (e *testEnv) pagePost(caller, path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	cookie, csrf := e.login(caller)
	form.Set("csrf", csrf)
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", sessionCookie+"="+cookie)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// sessionPostCall posts an empty form with the caller's login session.
func sessionPostCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	return sessionDo(e, caller, "POST", path)
}

func sessionDo(e *testEnv, caller, method, path string) *httptest.ResponseRecorder {
	e.t.Helper()
	headers := map[string]string{}
	if caller != "" {
		cookie, sess := e.login(caller)
		headers["Cookie"] = sessionCookie + "=" + cookie
		headers["X-CSRF-Token"] = sess
	}
	rec := e.doRequest(method, path, nil, headers)
	if rec.Code == http.StatusSeeOther && rec.Header().Get("Location") == "/login" && path != "/logout" {
		rec.Code = http.StatusUnauthorized
	}
	return rec
}

// login starts a session for caller and returns the cookie's value and the
// CSRF token.
func (e *testEnv) login(caller string) (string, string) {
	e.t.Helper()
	u, err := e.srv.accounts.UserByEmail(context.Background(), callerEmail(caller))
	if err != nil {
		e.t.Fatal(err)
	}
	cookie, sess, err := e.srv.accounts.NewSession(context.Background(), u.ID, "192.0.2.1", "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return cookie, sess.CSRF
}

// portalExportCall asks for the export of the newest consultation (the
// cell's own, made just before) from the portal, with the caller's
// session.
func portalExportCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	e.t.Helper()
	var id uint
	if err := e.srv.db.Model(&forms.Consultation{}).Select("MAX(id)").Scan(&id).Error; err != nil {
		e.t.Fatal(err)
	}
	form := url.Values{"consultation_id": {fmt.Sprint(id)}}
	headers := map[string]string{}
	if caller != "" {
		cookie, csrf := e.login(caller)
		headers["Cookie"] = sessionCookie + "=" + cookie
		form.Set("csrf", csrf)
	}
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code == http.StatusSeeOther && rec.Header().Get("Location") == "/login" {
		rec.Code = http.StatusUnauthorized
	}
	return rec
}
