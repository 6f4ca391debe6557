package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// Truncate shortens a body for a failure message.
func Truncate(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// CheckSecurityHeaders asserts the headers every response carries.
func CheckSecurityHeaders(t *testing.T, what string, h http.Header, hsts bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	if h.Get("Referrer-Policy") == "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: Referrer-Policy %q, X-Content-Type-Options %q", what, h.Get("Referrer-Policy"), h.Get("X-Content-Type-Options"))
	}
	if got := h.Get("Strict-Transport-Security") != ""; got != hsts {
		t.Errorf("%s: Strict-Transport-Security present %v, want %v", what, got, hsts)
	}
}
