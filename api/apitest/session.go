package apitest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/unodc-csu/agora/api/httpkit"
)

// Login starts a session for caller and returns the cookie's value and the
// CSRF token.
func (e *Env) Login(caller string) (string, string) {
	e.T.Helper()
	u, err := e.Accounts().UserByEmail(context.Background(), CallerEmail(caller))
	if err != nil {
		e.T.Fatal(err)
	}
	cookie, sess, err := e.Accounts().NewSession(context.Background(), u.ID, "192.0.2.1", "test")
	if err != nil {
		e.T.Fatal(err)
	}
	return cookie, sess.CSRF
}

// PostLogin posts the login form from the site itself.
func (e *Env) PostLogin(email, password string) *httptest.ResponseRecorder {
	return e.Browser().Post("/login", url.Values{"email": {email}, "password": {password}}, "Origin", BaseURL)
}

// PageAs calls a page with caller's login session.
func (e *Env) PageAs(caller, path string) (int, string) {
	e.T.Helper()
	cookie, _ := e.Login(caller)
	rec := e.DoRequest("GET", path, nil, map[string]string{"Cookie": httpkit.SessionCookie + "=" + cookie})
	return rec.Code, rec.Body.String()
}

// PagePost posts a form to a staff page as a browser does: with caller's
// login session, and its CSRF token in the form.
func (e *Env) PagePost(caller, path string, form url.Values) *httptest.ResponseRecorder {
	e.T.Helper()
	cookie, csrf := e.Login(caller)
	form.Set("csrf", csrf)
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", httpkit.SessionCookie+"="+cookie)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// SessionDo calls path with the caller's login session and its CSRF token
// in the header ("" for none); a redirect to the login page counts as 401.
func (e *Env) SessionDo(caller, method, path string) *httptest.ResponseRecorder {
	e.T.Helper()
	headers := map[string]string{}
	if caller != "" {
		cookie, sess := e.Login(caller)
		headers["Cookie"] = httpkit.SessionCookie + "=" + cookie
		headers["X-CSRF-Token"] = sess
	}
	rec := e.DoRequest(method, path, nil, headers)
	if rec.Code == http.StatusSeeOther && rec.Header().Get("Location") == "/login" && path != "/logout" {
		rec.Code = http.StatusUnauthorized
	}
	return rec
}

// SessionCookieOf returns the session cookie a response sets.
func SessionCookieOf(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == httpkit.SessionCookie {
			return c
		}
	}
	return nil
}
