package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// testEnv is a server over a fresh database with one caller per role.
type testEnv struct {
	t      *testing.T
	srv    *Server
	h      http.Handler
	tokens map[string]string // caller name → bearer token
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	db := dbtest.Open(t)
	srv := New(Config{BaseURL: "http://agora.test", RatePerMinute: 100000}, db)
	env := &testEnv{t: t, srv: srv, h: srv.Handler(), tokens: map[string]string{}}
	users := []struct {
		name string
		in   accounts.NewUser
	}{
		{"admin", accounts.NewUser{Email: "admin@example.org", Role: accounts.RoleAdmin}},
		{"analyst", accounts.NewUser{Email: "analyst@example.org", Role: accounts.RoleAnalyst}},
		{"focal_ken", accounts.NewUser{Email: "focal.ken@example.org", Role: accounts.RoleFocalPoint, Countries: []string{"KEN"}}},
		{"focal_mex", accounts.NewUser{Email: "focal.mex@example.org", Role: accounts.RoleFocalPoint, Countries: []string{"MEX"}}},
	}
	ctx := context.Background()
	for _, u := range users {
		if _, err := srv.accounts.AddUser(ctx, u.in); err != nil {
			t.Fatalf("add %s: %v", u.name, err)
		}
		secret, _, err := srv.accounts.CreateToken(ctx, u.in.Email, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		env.tokens[u.name] = secret
	}
	return env
}

// httptestRecorder shortens the recorder's name in helpers.
type httptestRecorder = httptest.ResponseRecorder

// do sends a request as caller ("" for anonymous) and returns the recorder.
func (e *testEnv) do(caller, method, path string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	headers := map[string]string{}
	if caller != "" {
		headers["Authorization"] = "Bearer " + e.tokens[caller]
	}
	return e.doRequest(method, path, body, headers)
}

// doRequest sends a request with the given headers.
func (e *testEnv) doRequest(method, path string, body any, headers map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
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
			e.t.Fatal(err)
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
	e.h.ServeHTTP(rec, req)
	return rec
}

// decode reads a JSON response body.
func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	return v
}

// errorBody is the API's error envelope.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}
