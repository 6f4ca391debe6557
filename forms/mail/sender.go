package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"time"
)

// Transport delivers one message. Sender is the SMTP one; tests may use
// their own.
type Transport interface {
	Send(ctx context.Context, m *Message) error
}

// Sender sends messages over SMTP, one connection per message, so that a
// recipient the server refuses leaves the next message untouched.
type Sender struct {
	cfg Config
	// Timeout bounds one message's whole exchange with the server.
	Timeout time.Duration
	// TLS, when set, replaces the TLS settings (tests with their own
	// certificate authority).
	TLS *tls.Config
}

// NewSender returns a Sender for cfg.
func NewSender(cfg Config) *Sender { return &Sender{cfg: cfg, Timeout: 30 * time.Second} }

// Config returns the sender's setting.
func (s *Sender) Config() Config { return s.cfg }

// Send delivers m. Over smtp:// the connection is upgraded with STARTTLS
// whenever the server offers it; credentials go only over TLS or to the
// loopback (net/smtp's PLAIN refuses anything else).
func (s *Sender) Send(ctx context.Context, m *Message) error {
	raw, err := m.Bytes()
	if err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); !ok || time.Until(deadline) > s.Timeout {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", s.cfg.Addr(), err)
	}
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("greeting from %s: %w", s.cfg.Addr(), err)
	}
	defer c.Close()
	if err := s.hello(c); err != nil {
		return err
	}
	if err := c.Mail(m.From.Address); err != nil {
		return fmt.Errorf("sender refused: %w", err)
	}
	if err := c.Rcpt(m.To.Address); err != nil {
		return fmt.Errorf("recipient refused: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("message refused: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("message refused: %w", err)
	}
	_ = c.Quit()
	return nil
}

func (s *Sender) dial(ctx context.Context) (net.Conn, error) {
	if s.cfg.Security == ImplicitTLS {
		d := &tls.Dialer{Config: s.tlsConfig()}
		return d.DialContext(ctx, "tcp", s.cfg.Addr())
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", s.cfg.Addr())
}

func (s *Sender) tlsConfig() *tls.Config {
	if s.TLS != nil {
		c := s.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = s.cfg.Host
		}
		return c
	}
	return &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
}

// hello upgrades to TLS when offered and authenticates when the setting
// names a user.
func (s *Sender) hello(c *smtp.Client) error {
	if s.cfg.Security == StartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("STARTTLS with %s: %w", s.cfg.Addr(), err)
			}
		}
	}
	if s.cfg.Username == "" {
		return nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return errors.New("the SMTP server offers no authentication, but the setting names a user")
	}
	if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
		return fmt.Errorf("authentication refused: %w", err)
	}
	return nil
}
