package api

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/gin-gonic/gin"
)

// A database that cannot be reached is answered 503 with Retry-After, so
// that clients retry, and not 500, which says the server is broken.
func TestUnavailableDatabaseIs503(t *testing.T) {
	gin.SetMode(gin.TestMode)
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/responses/x/submit", nil)
	fail(c, fmt.Errorf("submit: failed to connect to `host=127.0.0.1`: %w", refused))

	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("got %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if body := decode[errorBody](t, rec); body.Error.Code != "unavailable" {
		t.Errorf("error code %q, want unavailable", body.Error.Code)
	}
}

// The survey pages answer the same way, with their "try again" page.
func TestUnavailableDatabaseSurveyPageIs503(t *testing.T) {
	env := newTestEnv(t)
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodPost, "/s/abcdefghijklmnopqrstuvwxyz", nil)
	env.srv.pageError(c, fmt.Errorf("save section: %w", refused))

	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("got %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want a page", ct)
	}
}
