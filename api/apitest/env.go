// Package apitest runs Agora's HTTP server in tests: a server over a fresh
// database (SQLite, or PostgreSQL when TEST_DATABASE_URL names one) with
// one caller per role, and the clients the tests of package api, the
// workspace (api/staff) and the survey pages (api/web) share: JSON calls,
// a form-posting browser without JavaScript, login sessions, the demo
// questionnaire, and headless Chromium.
//
// It is imported by tests only.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// BaseURL is the test server's configured public address.
const BaseURL = "http://agora.test"

// Env is a server over a fresh database with one caller per role: admin,
// analyst, focal_ken (Kenya's focal point) and focal_mex (Mexico's).
type Env struct {
	T       *testing.T
	Server  *api.Server
	Handler http.Handler
	DB      *gorm.DB
	// Tokens are the callers' bearer tokens, by caller name.
	Tokens map[string]string
}

// Callers are the test callers with their accounts.
var Callers = []struct {
	Name string
	User accounts.NewUser
}{
	{"admin", accounts.NewUser{Email: "admin@example.org", Role: accounts.RoleAdmin}},
	{"analyst", accounts.NewUser{Email: "analyst@example.org", Role: accounts.RoleAnalyst}},
	{"focal_ken", accounts.NewUser{Email: "focal.ken@example.org", Role: accounts.RoleFocalPoint, Countries: []string{"KEN"}}},
	{"focal_mex", accounts.NewUser{Email: "focal.mex@example.org", Role: accounts.RoleFocalPoint, Countries: []string{"MEX"}}},
}

// CallerEmail is the email of a test caller.
func CallerEmail(caller string) string {
	for _, c := range Callers {
		if c.Name == caller {
			return c.User.Email
		}
	}
	return ""
}

// New starts a server with the test configuration.
func New(t *testing.T) *Env { return NewWith(t, nil) }

// NewWith starts a server whose test configuration configure changes
// first (nil changes nothing).
func NewWith(t *testing.T, configure func(*api.Config)) *Env {
	t.Helper()
	db := dbtest.Open(t)
	cfg := api.Config{BaseURL: BaseURL, RatePerMinute: 100000}
	if configure != nil {
		configure(&cfg)
	}
	srv := api.New(cfg, db)
	env := &Env{T: t, Server: srv, Handler: srv.Handler(), DB: db, Tokens: map[string]string{}}
	ctx := context.Background()
	for _, u := range Callers {
		if _, err := srv.Accounts().AddUser(ctx, u.User); err != nil {
			t.Fatalf("add %s: %v", u.Name, err)
		}
		secret, _, err := srv.Accounts().CreateToken(ctx, u.User.Email, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		env.Tokens[u.Name] = secret
	}
	return env
}

// Forms is the server's questionnaire store.
func (e *Env) Forms() *forms.Store { return e.Server.Forms() }

// Accounts is the server's account store.
func (e *Env) Accounts() *accounts.Store { return e.Server.Accounts() }

// Do sends a request as caller ("" for anonymous) with its bearer token;
// body is JSON unless it is a string or bytes.
func (e *Env) Do(caller, method, path string, body any) *httptest.ResponseRecorder {
	e.T.Helper()
	headers := map[string]string{}
	if caller != "" {
		headers["Authorization"] = "Bearer " + e.Tokens[caller]
	}
	return e.DoRequest(method, path, body, headers)
}

// DoRequest sends a request with the given headers.
func (e *Env) DoRequest(method, path string, body any, headers map[string]string) *httptest.ResponseRecorder {
	e.T.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// Decode reads a JSON response body.
func Decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	return v
}

// ErrorBody is the API's error envelope.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}
