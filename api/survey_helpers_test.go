package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// browser is a browser without JavaScript on the survey pages: it sends
// forms as HTML does, with the Origin header browsers add.
type browser struct {
	t    *testing.T
	h    http.Handler
	last string // the body of the last page, where forms are found
}

func (e *testEnv) browser() *browser { return &browser{t: e.t, h: e.h} }

// get loads a page.
func (b *browser) get(path string, headers ...string) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	b.last = rec.Body.String()
	return rec
}

// post sends form to path as it is, with headers.
func (b *browser) post(path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com") // httptest's host
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	b.last = rec.Body.String()
	return rec
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// submit sends the form of the last page with fields added, as pressing
// the button named by action does.
func (b *browser) submit(path, action string, fields url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	form := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(b.last, -1) {
		form.Set(m[1], m[2])
	}
	if form.Get("csrf") == "" {
		b.t.Fatalf("no form on the last page:\n%s", b.last)
	}
	for k, vs := range fields {
		form[k] = vs
	}
	form.Set("action", action)
	return b.post(path, form)
}

// hidden returns the value of a hidden field of the last page.
func (b *browser) hidden(name string) string {
	for _, m := range hiddenField.FindAllStringSubmatch(b.last, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	return ""
}

// expect checks a response's status and that its body holds every want.
func expect(t *testing.T, step string, rec *httptest.ResponseRecorder, status int, want ...string) {
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

// location returns where a redirect leads.
func location(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", rec.Code, rec.Body)
	}
	return rec.Header().Get("Location")
}

// consult deploys the demo issue-identification survey in Kenya with in's
// settings, and returns the consultation.
func (e *testEnv) consult(in forms.ConsultationInput) *forms.Consultation {
	e.t.Helper()
	in.QuestionnaireID, in.Country = e.deployDemo(), "KEN"
	if in.Title == "" {
		in.Title = "Kenya pilot"
	}
	c, err := e.srv.forms.CreateConsultation(context.Background(), forms.AllCountries, in, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// invited numbers the stakeholders invite adds.
var invited atomic.Int64

// invite issues a personal link to a new stakeholder and returns its token
// and invitation id.
func (e *testEnv) invite(c *forms.Consultation) (string, uint) {
	e.t.Helper()
	org := pathf("Organization %d", invited.Add(1))
	links, _, err := e.srv.forms.CreateInvitations(context.Background(), forms.AllCountries, c.ID,
		[]uint{e.stakeholder(org, "ngo", "KEN")}, nil, nil)
	if err != nil || len(links) != 1 {
		e.t.Fatalf("invite: %v %v", links, err)
	}
	return links[0].Token, links[0].InvitationID
}
