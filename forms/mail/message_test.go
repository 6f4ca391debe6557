package mail_test

import (
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/mail"
)

// parts reads a built message: its header and its text and HTML bodies.
func parts(t *testing.T, raw []byte) (*netmail.Message, string, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("read: %v\n%s", err, raw)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q %v", msg.Header.Get("Content-Type"), err)
	}
	bodies := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("part encoding %q", p.Header.Get("Content-Transfer-Encoding"))
		}
		b, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if cp["charset"] != "utf-8" {
			t.Errorf("%s charset %q", ct, cp["charset"])
		}
		bodies[ct] = string(b)
	}
	return msg, bodies["text/plain"], bodies["text/html"]
}

var messageID = regexp.MustCompile(`^<[0-9a-f]{32}@example\.org>$`)

func TestMessagesInEveryLanguage(t *testing.T) {
	closes := time.Date(2027, 3, 31, 17, 0, 0, 0, time.UTC)
	from := netmail.Address{Name: "Agora – UNODC", Address: "consultation@example.org"}
	link := "https://agora.example.org/s/TOKEN123"
	// A word of each language's invitation, to be sure it is its own.
	own := map[string]string{"ar": "منظمتكم", "zh": "贵组织", "en": "Your organization", "fr": "Votre organisation",
		"ru": "Ваша организация", "es": "Su organización"}
	for _, lang := range mail.Languages {
		for _, kind := range mail.Kinds {
			t.Run(lang+" "+kind, func(t *testing.T) {
				c, err := mail.Compose(mail.Content{Kind: kind, Language: lang, Title: "Kenya <pilot> 2027",
					Purpose: "issue_identification", Anonymity: forms.AnonymityAnonymous, ClosesAt: &closes,
					Organization: "Haki & Africa", Link: link})
				if err != nil {
					t.Fatal(err)
				}
				m := &mail.Message{From: from, To: netmail.Address{Address: "info@haki.example"}, Subject: c.Subject,
					Text: c.Text, HTML: c.HTML, Language: c.Language, Date: closes.Add(-72 * time.Hour), ID: mail.NewMessageID(from)}
				raw, err := m.Bytes()
				if err != nil {
					t.Fatal(err)
				}
				for _, line := range strings.Split(string(raw), "\r\n") {
					if len(line) > 998 {
						t.Fatalf("line of %d bytes", len(line))
					}
				}
				msg, text, html := parts(t, raw)
				h := msg.Header
				subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
				if err != nil || subject != c.Subject || !strings.Contains(subject, "Kenya <pilot> 2027") {
					t.Errorf("subject %q (%v), want %q", subject, err, c.Subject)
				}
				if lang != "en" && h.Get("Subject") == subject {
					t.Errorf("a non-ASCII subject is not MIME-encoded: %q", h.Get("Subject"))
				}
				if a, err := h.AddressList("From"); err != nil || a[0].Name != from.Name || a[0].Address != from.Address {
					t.Errorf("From %q: %v %v", h.Get("From"), a, err)
				}
				if h.Get("To") != "<info@haki.example>" {
					t.Errorf("To %q", h.Get("To"))
				}
				if d, err := h.Date(); err != nil || !d.Equal(closes.Add(-72*time.Hour)) {
					t.Errorf("Date %q: %v", h.Get("Date"), err)
				}
				if !messageID.MatchString(h.Get("Message-ID")) {
					t.Errorf("Message-ID %q", h.Get("Message-ID"))
				}
				if h.Get("MIME-Version") != "1.0" || h.Get("Content-Language") != lang {
					t.Errorf("MIME-Version %q, Content-Language %q", h.Get("MIME-Version"), h.Get("Content-Language"))
				}
				for _, want := range []string{link, "2027-03-31 17:00 UTC", "Kenya <pilot> 2027", "Haki & Africa", own[lang]} {
					if kind == mail.KindReminder && want == own[lang] {
						continue
					}
					if !strings.Contains(text, want) {
						t.Errorf("text lacks %q:\n%s", want, text)
					}
				}
				if !strings.Contains(html, `lang="`+lang+`"`) || !strings.Contains(html, `href="`+link+`"`) ||
					!strings.Contains(html, "Kenya &lt;pilot&gt; 2027") || strings.Contains(html, "<pilot>") {
					t.Errorf("html:\n%s", html)
				}
				if (lang == "ar") != strings.Contains(html, `dir="rtl"`) {
					t.Errorf("direction of %s:\n%s", lang, html)
				}
			})
		}
	}
}

func TestTextsComplete(t *testing.T) {
	en, err := mail.Compose(mail.Content{Language: "en", Anonymity: forms.AnonymityNamed})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range mail.Languages {
		for _, mode := range []string{forms.AnonymityNamed, forms.AnonymityConfidential, forms.AnonymityAnonymous} {
			for _, purpose := range []string{"issue_identification", "self_assessment_input", "other"} {
				c, err := mail.Compose(mail.Content{Language: lang, Anonymity: mode, Purpose: purpose, Title: "T", Organization: "O", Link: "L"})
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(c.Text, "\n\n\n") || strings.Contains(c.Text, "{") {
					t.Errorf("%s %s %s: a text is missing or unfilled:\n%s", lang, mode, purpose, c.Text)
				}
				if lang != "en" && c.Text == en.Text {
					t.Errorf("%s is English", lang)
				}
			}
		}
	}
	if c, _ := mail.Compose(mail.Content{Language: "de"}); c.Language != "en" {
		t.Errorf("an unknown language gives %q, want en", c.Language)
	}
}

func TestHeaderInjection(t *testing.T) {
	m := &mail.Message{From: netmail.Address{Address: "a@example.org"}, To: netmail.Address{Address: "b@example.org"},
		Subject: "Hello\r\nBcc: victim@example.org", Text: "x"}
	raw, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	msg, err := netmail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || msg.Header.Get("Subject") != "Hello Bcc: victim@example.org" {
		t.Errorf("header injected: %q", raw)
	}
	if msg.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("text only: %q", msg.Header.Get("Content-Type"))
	}
	m.To.Address = "b@example.org>\r\nBcc: c@example.org"
	if _, err := m.Bytes(); err == nil {
		t.Error("an address with a line break was accepted")
	}
}
