package apitest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Browser is a browser without JavaScript: it sends forms as HTML does,
// with the Origin header browsers add, and remembers the last page, where
// forms are found.
type Browser struct {
	t *testing.T
	h http.Handler
	// Last is the body of the last page.
	Last string
}

// Browser opens a browser on the server.
func (e *Env) Browser() *Browser { return &Browser{t: e.T, h: e.Handler} }

// Get loads a page; headers are name, value pairs.
func (b *Browser) Get(path string, headers ...string) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.send(httptest.NewRequest(http.MethodGet, path, nil), headers)
}

// Post sends form to path as it is, with headers.
func (b *Browser) Post(path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com") // httptest's host
	return b.send(req, headers)
}

// send serves req with headers (name, value pairs) and keeps the page.
func (b *Browser) send(req *http.Request, headers []string) *httptest.ResponseRecorder {
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	b.Last = rec.Body.String()
	return rec
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// Submit sends the form of the last page with fields added, as pressing
// the button named by action does.
func (b *Browser) Submit(path, action string, fields url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	form := b.HiddenFields()
	if form.Get("csrf") == "" {
		b.t.Fatalf("no form on the last page:\n%s", b.Last)
	}
	for k, vs := range fields {
		form[k] = vs
	}
	form.Set("action", action)
	return b.Post(path, form)
}

// Hidden returns the value of a hidden field of the last page.
func (b *Browser) Hidden(name string) string {
	for _, m := range hiddenField.FindAllStringSubmatch(b.Last, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	return ""
}

// Expect checks a response's status and that its body holds every want.
func Expect(t testing.TB, step string, rec *httptest.ResponseRecorder, status int, want ...string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("%s: status %d, want %d\n%s", step, rec.Code, status, rec.Body)
	}
	for _, w := range want {
		if !strings.Contains(rec.Body.String(), w) {
			t.Errorf("%s: the page lacks %q", step, w)
		}
	}
}

// Location returns where a redirect leads.
func Location(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", rec.Code, rec.Body)
	}
	return rec.Header().Get("Location")
}

// HiddenFields returns the hidden fields of the last page.
func (b *Browser) HiddenFields() url.Values {
	form := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(b.Last, -1) {
		form.Set(m[1], m[2])
	}
	return form
}

// CheckBody asserts that body holds every want and none of not.
func CheckBody(t testing.TB, body string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	for _, n := range not {
		if strings.Contains(body, n) {
			t.Errorf("the page has %q", n)
		}
	}
}
