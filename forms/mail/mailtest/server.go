// Package mailtest runs an SMTP server inside a test, on the loopback, and
// keeps the messages it receives.
package mailtest

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// TLS is true when the message came over an encrypted connection.
	TLS bool
	// User is who authenticated, if anyone did.
	User string
}

// Parsed reads the message's header and raw body.
func (m Message) Parsed(t testing.TB) *mail.Message {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	return msg
}

// Server is an SMTP server for one test.
type Server struct {
	// Addr is host:port on 127.0.0.1.
	Addr string

	mu       sync.Mutex
	messages []Message
	reject   map[string]bool
	users    map[string]string
}

// Options shape the server.
type Options struct {
	// TLS, when set, makes the server offer STARTTLS, or speak TLS from the
	// start when Implicit is true.
	TLS      *tls.Config
	Implicit bool
	// Users are the accepted user names and passwords; when set, a message
	// needs a login.
	Users map[string]string
}

// Start runs a server until the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{reject: map[string]bool{}, users: o.Users}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{srv: s, conn: c}, nil })
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = discard{}
	var (
		l   net.Listener
		err error
	)
	if o.TLS != nil && o.Implicit {
		l, err = tls.Listen("tcp", "127.0.0.1:0", o.TLS)
	} else {
		srv.TLSConfig = o.TLS
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Reject makes the server refuse RCPT TO for address.
func (s *Server) Reject(address string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject[strings.ToLower(address)] = true
}

// Messages returns what the server accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

type session struct {
	srv  *Server
	conn *smtp.Conn
	msg  Message
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if want, ok := se.srv.users[user]; !ok || want != pass {
			return errors.New("invalid credentials")
		}
		se.msg.User = user
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if len(se.srv.users) > 0 && se.msg.User == "" {
		return smtp.ErrAuthRequired
	}
	se.msg.From = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.srv.mu.Lock()
	refused := se.srv.reject[strings.ToLower(to)]
	se.srv.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	se.msg.To = append(se.msg.To, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := se.msg
	m.Data = b
	_, m.TLS = se.conn.TLSConnectionState()
	se.srv.mu.Lock()
	se.srv.messages = append(se.srv.messages, m)
	se.srv.mu.Unlock()
	return nil
}

func (se *session) Reset() {
	user := se.msg.User
	se.msg = Message{User: user}
}

func (se *session) Logout() error { return nil }

type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}
