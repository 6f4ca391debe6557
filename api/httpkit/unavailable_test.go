package httpkit

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
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
	Fail(c, fmt.Errorf("submit: failed to connect to `host=127.0.0.1`: %w", refused))

	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("got %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if body := decodeError(t, rec); body.Code != "unavailable" {
		t.Errorf("error code %q, want unavailable", body.Code)
	}
}

// decodeError reads the error of a JSON error body.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) Error {
	t.Helper()
	var body struct{ Error Error }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("decode %q: %v", rec.Body, err)
	}
	return body.Error
}
