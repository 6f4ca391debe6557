package web

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
)

// The survey pages answer the same way, with their "try again" page.
func TestUnavailableDatabaseSurveyPageIs503(t *testing.T) {
	s := NewSurvey(nil, newRenderer(t), nil, httpkit.NewLinks(""), "test secret")
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodPost, "/s/abcdefghijklmnopqrstuvwxyz", nil)
	s.pageError(c, fmt.Errorf("save section: %w", refused))

	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("got %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want a page", ct)
	}
}
