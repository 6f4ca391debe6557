package httpkit

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// Links builds the addresses Agora hands out: personal and open links,
// password links. They start with the configured public address; without
// one, with the address the request reached.
type Links struct {
	base string
}

// NewLinks builds links on baseURL (AGORA_BASE_URL), which may be empty.
func NewLinks(baseURL string) *Links {
	return &Links{base: strings.TrimRight(baseURL, "/")}
}

// Base is the public address the links start with.
func (l *Links) Base(c *gin.Context) string {
	if l.base != "" {
		return l.base
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// Configured is the configured public address, empty when none is.
func (l *Links) Configured() string { return l.base }

// Survey is the address of a personal or open link.
func (l *Links) Survey(c *gin.Context, token string) string { return l.Base(c) + "/s/" + token }
