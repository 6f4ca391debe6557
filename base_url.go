package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// checkBaseURL validates AGORA_BASE_URL, and requires it when the server
// listens on an address other machines reach: the links Agora hands out
// (personal links, password links, emails, mail-merge workbooks) are built
// from it, never from the request's Host header, which a client chooses.
func checkBaseURL(base, addr string) error {
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("AGORA_BASE_URL (--base-url) %q must be an http:// or https:// address such as https://agora.example.org", base)
		}
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("the listen address %q is not host:port: %v", addr, err)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("set AGORA_BASE_URL (--base-url) to the public address of this server: it listens on %q, which other machines reach, "+
		"and the links it hands out must not be built from what a request claims", addr)
}
