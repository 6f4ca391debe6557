package mail_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms/mail"
	"github.com/unodc-csu/agora/forms/mail/mailtest"
)

// testTLS borrows httptest's certificate for 127.0.0.1: the server's
// configuration and a client one that trusts it.
func testTLS(t *testing.T) (*tls.Config, *tls.Config) {
	t.Helper()
	hs := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(hs.Close)
	pool := x509.NewCertPool()
	pool.AddCert(hs.Certificate())
	return &tls.Config{Certificates: hs.TLS.Certificates}, &tls.Config{RootCAs: pool}
}

func TestSender(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	users := map[string]string{"agora": "pass word"}
	cases := []struct {
		name    string
		opts    mailtest.Options
		scheme  string
		user    string
		wantTLS bool
	}{
		{"plain", mailtest.Options{}, "smtp", "", false},
		{"login on the loopback", mailtest.Options{Users: users}, "smtp", "agora:pass%20word@", false},
		{"STARTTLS when offered", mailtest.Options{TLS: serverTLS, Users: users}, "smtp", "agora:pass%20word@", true},
		{"implicit TLS", mailtest.Options{TLS: serverTLS, Implicit: true, Users: users}, "smtps", "agora:pass%20word@", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t, tc.opts)
			cfg, err := mail.ParseURL(fmt.Sprintf("%s://%s%s?from=agora@example.org", tc.scheme, tc.user, srv.Addr))
			if err != nil {
				t.Fatal(err)
			}
			s := mail.NewSender(cfg)
			s.TLS = clientTLS
			m := &mail.Message{From: cfg.From, To: netmail.Address{Address: "info@haki.example"}, Subject: "Invitation à répondre", Text: "Bonjour"}
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 || got[0].From != "agora@example.org" || len(got[0].To) != 1 || got[0].To[0] != "info@haki.example" {
				t.Fatalf("received %+v", got)
			}
			if got[0].TLS != tc.wantTLS {
				t.Errorf("TLS %v, want %v", got[0].TLS, tc.wantTLS)
			}
			if tc.user != "" && got[0].User != "agora" {
				t.Errorf("authenticated as %q", got[0].User)
			}
			if !strings.Contains(string(got[0].Data), "Subject: =?utf-8?q?") {
				t.Errorf("subject not encoded:\n%s", got[0].Data)
			}
		})
	}

	t.Run("refusals", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{Users: users})
		srv.Reject("nobody@haki.example")
		send := func(url, to string) error {
			cfg, err := mail.ParseURL(url)
			if err != nil {
				t.Fatal(err)
			}
			return mail.NewSender(cfg).Send(context.Background(), &mail.Message{From: cfg.From, To: netmail.Address{Address: to}, Text: "x"})
		}
		err := send("smtp://agora:pass%20word@"+srv.Addr+"?from=agora@example.org", "nobody@haki.example")
		if err == nil || !strings.Contains(err.Error(), "recipient refused") || !strings.Contains(err.Error(), "550") {
			t.Errorf("rejected recipient: %v", err)
		}
		err = send("smtp://agora:WrongSecret@"+srv.Addr+"?from=agora@example.org", "info@haki.example")
		if err == nil || !strings.Contains(err.Error(), "authentication refused") || strings.Contains(err.Error(), "WrongSecret") {
			t.Errorf("wrong password: %v", err)
		}
		err = send("smtp://"+srv.Addr+"?from=agora@example.org", "info@haki.example")
		if err == nil {
			t.Error("a server that wants a login took a message without one")
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%d messages accepted", n)
		}
	})
}
