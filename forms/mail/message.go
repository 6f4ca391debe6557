package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one email ready to send: one recipient, a plain-text body and,
// when HTML is set, a simple HTML alternative.
type Message struct {
	From     mail.Address
	To       mail.Address
	Subject  string
	Text     string
	HTML     string
	Language string
	Date     time.Time
	// ID is the Message-ID without its angle brackets.
	ID string
}

// NewMessageID returns a unique Message-ID at the sender's domain.
func NewMessageID(from mail.Address) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	domain := "agora.invalid"
	if i := strings.LastIndex(from.Address, "@"); i >= 0 && i < len(from.Address)-1 {
		domain = from.Address[i+1:]
	}
	return hex.EncodeToString(b[:]) + "@" + domain
}

// Bytes writes the message as RFC 5322 text with CRLF line ends: UTF-8
// throughout, the subject and names encoded as MIME words, the bodies
// quoted-printable.
func (m *Message) Bytes() ([]byte, error) {
	if m.From.Address == "" || m.To.Address == "" {
		return nil, fmt.Errorf("mail: a message needs a sender and a recipient")
	}
	for _, a := range []string{m.From.Address, m.To.Address} {
		if strings.ContainsAny(a, "\r\n<>") {
			return nil, fmt.Errorf("mail: %q is not an address", a)
		}
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	id := m.ID
	if id == "" {
		id = NewMessageID(m.From)
	}
	var buf bytes.Buffer
	header := func(k, v string) { buf.WriteString(k + ": " + v + "\r\n") }
	header("From", m.From.String())
	header("To", m.To.String())
	header("Subject", encodeHeader(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+">")
	header("MIME-Version", "1.0")
	if m.Language != "" {
		header("Content-Language", oneLine(m.Language))
	}
	header("Auto-Submitted", "auto-generated")
	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		buf.WriteString("\r\n")
		if err := writeQP(&buf, m.Text); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	mw := multipart.NewWriter(&buf)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	buf.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodeHeader encodes a header's text as UTF-8 MIME words when it is not
// plain ASCII, folding between words so that no line grows too long.
func encodeHeader(s string) string {
	return strings.ReplaceAll(mime.QEncoding.Encode("utf-8", oneLine(s)), "?= =?", "?=\r\n =?")
}

// writeQP writes text quoted-printable with CRLF line ends.
func writeQP(w interface{ Write([]byte) (int, error) }, text string) error {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}
