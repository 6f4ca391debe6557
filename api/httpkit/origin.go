package httpkit

import (
	"net/http"
	"net/url"
	"strings"
)

// SameOrigin refuses a post that says it comes from another site. The
// pages ask browsers to send their origin to us (Referrer-Policy:
// same-origin); a client that sends neither Origin nor Referer is judged
// by the CSRF token alone.
func SameOrigin(r *http.Request, baseURL string) bool {
	from := r.Header.Get("Origin")
	if from == "" || from == "null" {
		from = r.Header.Get("Referer")
	}
	if from == "" {
		return true
	}
	u, err := url.Parse(from)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	b, err := url.Parse(baseURL)
	return err == nil && b.Host != "" && strings.EqualFold(u.Host, b.Host)
}
