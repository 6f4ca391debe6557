package main

import (
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		base, addr string
		problem    string // "" when accepted
	}{
		{"", "127.0.0.1:8080", ""},
		{"", "localhost:8080", ""},
		{"", "[::1]:8080", ""},
		{"", ":8080", "set AGORA_BASE_URL"},
		{"", "0.0.0.0:8080", "set AGORA_BASE_URL"},
		{"", "192.0.2.10:8080", "set AGORA_BASE_URL"},
		{"https://agora.example.org", "0.0.0.0:8080", ""},
		{"https://agora.example.org/consult", ":8080", ""},
		{"agora.example.org", ":8080", "must be an http:// or https:// address"},
		{"ftp://agora.example.org", ":8080", "must be an http:// or https:// address"},
		{"https://", ":8080", "must be an http:// or https:// address"},
		{"", "8080", "is not host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.base+"@"+tt.addr, func(t *testing.T) {
			err := checkBaseURL(tt.base, tt.addr)
			switch {
			case tt.problem == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
				t.Errorf("got %v, want a problem saying %q", err, tt.problem)
			}
		})
	}
}
