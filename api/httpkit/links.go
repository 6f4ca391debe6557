package httpkit

import (
	"strings"
	"sync"
)

// Links builds the addresses Agora hands out: personal and open links,
// password links, links in emails and mail-merge workbooks. They start with
// the configured public address (AGORA_BASE_URL) or, without one, with the
// address the server listens on; never with a header of the request, which
// whoever sends it chooses.
type Links struct {
	mu         sync.RWMutex
	base       string
	configured bool
}

// NewLinks builds links on baseURL (AGORA_BASE_URL), which may be empty
// until the server knows its listen address (Listening).
func NewLinks(baseURL string) *Links {
	base := strings.TrimRight(baseURL, "/")
	return &Links{base: base, configured: base != ""}
}

// Listening tells the links the address the server listens on, which
// they start with when no public address is configured.
func (l *Links) Listening(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.configured {
		l.base = "http://" + addr
	}
}

// Base is the address the links start with.
func (l *Links) Base() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.base
}

// Configured is the configured public address, empty when none is.
func (l *Links) Configured() string {
	if l.configured {
		return l.base
	}
	return ""
}

// Survey is the address of a personal or open link.
func (l *Links) Survey(token string) string { return l.Base() + "/s/" + token }

// Secure tells whether the links are https ones, so that cookies set for
// them are marked Secure behind a proxy that terminates TLS.
func (l *Links) Secure() bool { return strings.HasPrefix(l.Base(), "https://") }
