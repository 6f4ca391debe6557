// Package mail writes and sends the consultation's emails: the invitation
// that carries a stakeholder's personal link, and the reminder to those who
// have not submitted yet. It composes each message in the invitation's
// language (the six official languages of the United Nations), sends it
// over SMTP one recipient at a time, and keeps a record of every message,
// sent or failed, in the table mail_messages. It knows nothing of HTTP.
package mail

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// Security is how the connection to the SMTP server is protected.
type Security string

const (
	// StartTLS connects in clear and upgrades with STARTTLS whenever the
	// server offers it (smtp://, port 587 by default). Credentials are
	// never sent over a connection left in clear, but to the loopback.
	StartTLS Security = "starttls"
	// ImplicitTLS speaks TLS from the first byte (smtps://, port 465 by
	// default).
	ImplicitTLS Security = "tls"
)

// Config is where and as whom messages are sent, read from a URL such as
// smtp://user:pass@mail.example.org:587?from=consultation@example.org.
type Config struct {
	Host     string
	Port     int
	Security Security
	Username string
	Password string
	// From is the sender's address, as it appears in the message.
	From mail.Address
}

// ParseURL reads an SMTP setting (AGORA_SMTP_URL). The scheme is smtp or
// smtps; user and password, when given, authenticate with PLAIN; the query
// names the sender: ?from=address, or ?from=Name <address> (URL-encoded);
// without it, a username that is an email address is the sender. Error
// messages never repeat the URL, which holds the password.
func ParseURL(raw string) (Config, error) {
	var cfg Config
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return cfg, errors.New("SMTP URL: empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's errors quote the whole URL, password included.
		return cfg, errors.New("SMTP URL: not a URL (expected smtp://user:password@host:587?from=address)")
	}
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		cfg.Security, cfg.Port = StartTLS, 587
	case "smtps":
		cfg.Security, cfg.Port = ImplicitTLS, 465
	default:
		return cfg, fmt.Errorf("SMTP URL: scheme %q is not smtp or smtps", u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return cfg, errors.New("SMTP URL: no server host (expected smtp://host:587)")
	}
	if u.Path != "" && u.Path != "/" {
		return cfg, errors.New("SMTP URL: a path is not allowed after the host")
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return cfg, errors.New("SMTP URL: no server host (expected smtp://host:587)")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return cfg, fmt.Errorf("SMTP URL: port %q is not a number from 1 to 65535", p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" {
			return cfg, errors.New("SMTP URL: a password without a user name")
		}
	}
	q := u.Query()
	for k := range q {
		if k != "from" {
			return cfg, fmt.Errorf("SMTP URL: unknown setting %q (only from= is read)", k)
		}
	}
	from := q.Get("from")
	if from == "" && strings.Contains(cfg.Username, "@") {
		from = cfg.Username
	}
	if from == "" {
		return cfg, errors.New("SMTP URL: no sender: add ?from=consultation@example.org")
	}
	addr, err := mail.ParseAddress(from)
	if err != nil || strings.ContainsAny(addr.Address, "\r\n") {
		return cfg, fmt.Errorf("SMTP URL: the sender %q is not an email address", from)
	}
	cfg.From = *addr
	return cfg, nil
}

// Addr is the server's host:port.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// String describes the setting without its password, for logs and pages.
func (c Config) String() string {
	scheme := "smtp"
	if c.Security == ImplicitTLS {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, Host: c.Addr()}
	if c.Username != "" {
		u.User = url.User(c.Username)
	}
	u.RawQuery = url.Values{"from": {c.From.Address}}.Encode()
	return u.String()
}
