package mail_test

import (
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms/mail"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		raw      string
		host     string
		port     int
		security mail.Security
		user     string
		from     string
	}{
		{"smtp://user:s3cret@mail.example.org:587?from=consultation@example.org", "mail.example.org", 587, mail.StartTLS, "user", "consultation@example.org"},
		{"smtp://mail.example.org?from=consultation@example.org", "mail.example.org", 587, mail.StartTLS, "", "consultation@example.org"},
		{"smtps://agora%40example.org:p%40ss@mail.example.org", "mail.example.org", 465, mail.ImplicitTLS, "agora@example.org", "agora@example.org"},
		{"SMTPS://u:p@[::1]:2465?from=" + "UNODC%20Agora%20%3Cagora@example.org%3E", "::1", 2465, mail.ImplicitTLS, "u", "agora@example.org"},
		{"  smtp://127.0.0.1:2525?from=a@b.example  ", "127.0.0.1", 2525, mail.StartTLS, "", "a@b.example"},
	}
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			cfg, err := mail.ParseURL(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Host != tc.host || cfg.Port != tc.port || cfg.Security != tc.security || cfg.Username != tc.user || cfg.From.Address != tc.from {
				t.Errorf("got %+v", cfg)
			}
			if strings.Contains(cfg.String(), "s3cret") || strings.Contains(cfg.String(), "p%40ss") {
				t.Errorf("String shows the password: %s", cfg)
			}
		})
	}
	cfg, _ := mail.ParseURL("smtps://agora%40example.org:p%40ss@mail.example.org")
	if cfg.Password != "p@ss" {
		t.Errorf("password %q, want p@ss", cfg.Password)
	}
	if cfg.String() != "smtps://agora%40example.org@mail.example.org:465?from=agora%40example.org" {
		t.Errorf("String() = %s", cfg)
	}
}

func TestParseURLErrors(t *testing.T) {
	const secret = "Sup3rSecret"
	cases := []struct{ raw, want string }{
		{"", "SMTP URL: empty"},
		{"http://u:" + secret + "@mail.example.org?from=a@b.example", `SMTP URL: scheme "http" is not smtp or smtps`},
		{"smtp://u:" + secret + "@mail.example.org:99999?from=a@b.example", `SMTP URL: port "99999" is not a number from 1 to 65535`},
		{"smtp://u:" + secret + "@mail.example.org:0?from=a@b.example", `SMTP URL: port "0" is not a number from 1 to 65535`},
		{"smtp://u:" + secret + "@mail.example.org:x?from=a@b.example", "SMTP URL: not a URL (expected smtp://user:password@host:587?from=address)"},
		{"smtp://u:" + secret + "@mail.example.org", "SMTP URL: no sender: add ?from=consultation@example.org"},
		{"smtp://u:" + secret + "@mail.example.org?from=not-an-address", `SMTP URL: the sender "not-an-address" is not an email address`},
		{"smtp://u:" + secret + "@mail.example.org?from=a@b.example&tls=off", `SMTP URL: unknown setting "tls" (only from= is read)`},
		{"smtp://u:" + secret + "@mail.example.org/inbox?from=a@b.example", "SMTP URL: a path is not allowed after the host"},
		{"smtp://:" + secret + "@mail.example.org?from=a@b.example", "SMTP URL: a password without a user name"},
		{"smtp:mail.example.org", "SMTP URL: no server host (expected smtp://host:587)"},
		{"smtp://u:" + secret + "@:587?from=a@b.example", "SMTP URL: no server host (expected smtp://host:587)"},
		{"smtp://u:" + secret + "%zz@mail.example.org?from=a@b.example", "SMTP URL: not a URL (expected smtp://user:password@host:587?from=address)"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			_, err := mail.ParseURL(tc.raw)
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}
