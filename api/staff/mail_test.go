package staff_test

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/staff"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
	"github.com/unodc-csu/agora/forms/mail"
	"github.com/unodc-csu/agora/forms/mail/mailtest"
)

// newSMTPEnv starts a server whose mailer sends to an SMTP server run by
// the test.
func newSMTPEnv(t *testing.T) (*testEnv, *mailtest.Server) {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	cfg, err := mail.ParseURL("smtp://" + srv.Addr + "?from=consultation@example.org")
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{apitest.NewWith(t, func(c *api.Config) { c.SMTP = &cfg })}, srv
}

// mailFixture is a Kenyan consultation with invited stakeholders: three
// with an email address (the second French), one without, one revoked.
type mailFixture struct {
	c      *forms.Consultation
	tokens map[string]string // organization → link token
	invs   map[string]uint   // organization → invitation
}

var mailOrgs = []struct{ org, email, lang string }{
	{"Haki <b>Africa</b>", "info@haki.example", "en"},
	{"Centre d’études", "contact@centre.example", "fr"},
	{"Mombasa Youth", "youth@mombasa.example", ""},
	{"No Email Group", "", "en"},
	{"Revoked Trust", "trust@revoked.example", "en"},
}

func (e *testEnv) mailFixture() *mailFixture {
	e.T.Helper()
	ctx := context.Background()
	closes := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Minute)
	c := e.Consult(forms.ConsultationInput{Title: "Kenya <i>pilot</i>", Languages: []string{"en", "fr"},
		ClosesAt: &closes, Anonymity: forms.AnonymityConfidential})
	f := &mailFixture{c: c, tokens: map[string]string{}, invs: map[string]uint{}}
	for _, o := range mailOrgs {
		sh, err := e.Forms().CreateStakeholder(ctx, forms.AllCountries, forms.StakeholderInput{
			Organization: o.org, Type: "ngo", Country: "KEN", Email: o.email, Language: o.lang}, nil)
		if err != nil {
			e.T.Fatal(err)
		}
		links, _, err := e.Forms().CreateInvitations(ctx, forms.AllCountries, c.ID, []uint{sh.ID}, nil, nil)
		if err != nil || len(links) != 1 {
			e.T.Fatalf("invite %s: %v %v", o.org, links, err)
		}
		f.tokens[o.org], f.invs[o.org] = links[0].Token, links[0].InvitationID
	}
	if _, err := e.Forms().RevokeInvitation(ctx, forms.AllCountries, f.invs["Revoked Trust"]); err != nil {
		e.T.Fatal(err)
	}
	return f
}

func (e *testEnv) countMail(where string, args ...any) int64 {
	e.T.Helper()
	var n int64
	if err := e.DB.Table("mail_messages").Where(where, args...).Count(&n).Error; err != nil {
		e.T.Fatal(err)
	}
	return n
}

var mailLink = regexp.MustCompile(`http://agora\.test/s/[A-Za-z0-9_-]+`)

// received reads a message the test server got: recipient, subject, text.
func received(t *testing.T, m mailtest.Message) (string, string, string) {
	t.Helper()
	msg := m.Parsed(t)
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	part, err := multipart.NewReader(msg.Body, params["boundary"]).NextRawPart()
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(quotedprintable.NewReader(part))
	if err != nil {
		t.Fatal(err)
	}
	return m.To[0], subject, string(text)
}

func TestWorkspaceMailInvitationsAndReminders(t *testing.T) {
	env, smtpd := newSMTPEnv(t)
	f := env.mailFixture()
	base := fmt.Sprintf("/portal/consultations/%d/mail", f.c.ID)

	t.Run("preview writes and sends nothing", func(t *testing.T) {
		code, body := env.PageAs("focal_ken", base+"?kind=invitation")
		if code != http.StatusOK {
			t.Fatalf("preview: %d\n%s", code, body)
		}
		for _, want := range []string{"info@haki.example", "contact@centre.example", "youth@mombasa.example",
			"No email address in the registry.", "The invitation is revoked.", "3 recipients",
			"Invitation à une consultation des parties prenantes", "Invitation to a stakeholder consultation",
			"http://agora.test/s/[personal link]", "Haki &lt;b&gt;Africa&lt;/b&gt;", "Kenya &lt;i&gt;pilot&lt;/i&gt;", `name="confirm"`,
			"stops working"} {
			if !strings.Contains(body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if strings.Contains(body, "<b>Africa</b>") || strings.Contains(body, "<i>pilot</i>") {
			t.Error("typed markup is not escaped")
		}
		if n := env.countMail("1 = 1"); n != 0 || len(smtpd.Messages()) != 0 {
			t.Errorf("a preview recorded %d and sent %d messages", n, len(smtpd.Messages()))
		}
		if rec := env.DoRequest("GET", "/s/"+f.tokens["Mombasa Youth"], nil, nil); rec.Code != http.StatusOK {
			t.Errorf("a preview changed a link: %d", rec.Code)
		}
		code, body = env.PageAs("admin", base+"?kind=invitation&lang=fr")
		if code != http.StatusOK || !strings.Contains(body, "Destinataires") || !strings.Contains(body, "Aucune adresse électronique dans le registre.") {
			t.Errorf("French preview: %d", code)
		}
	})

	t.Run("other country and analysts", func(t *testing.T) {
		for _, path := range []string{base, base + "/log"} {
			if code, _ := env.PageAs("focal_mex", path); code != http.StatusNotFound {
				t.Errorf("focal point of Mexico on %s: %d, want 404", path, code)
			}
			if code, _ := env.PageAs("analyst", path); code != http.StatusForbidden {
				t.Errorf("analyst on %s: %d, want 403", path, code)
			}
		}
		rec := env.PagePost("focal_mex", base, url.Values{"kind": {"invitation"}, "confirm": {"yes"}})
		if rec.Code != http.StatusNotFound || len(smtpd.Messages()) != 0 {
			t.Errorf("focal point of Mexico sends: %d, %d messages", rec.Code, len(smtpd.Messages()))
		}
	})

	t.Run("a send needs its confirmation", func(t *testing.T) {
		rec := env.PagePost("focal_ken", base, url.Values{"kind": {"invitation"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Tick the confirmation box") {
			t.Errorf("unconfirmed: %d", rec.Code)
		}
		if rec := env.PagePost("focal_ken", base, url.Values{"kind": {"newsletter"}, "confirm": {"yes"}}); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("unknown kind: %d", rec.Code)
		}
		if n := env.countMail("1 = 1"); n != 0 || len(smtpd.Messages()) != 0 {
			t.Errorf("refused posts recorded %d and sent %d messages", n, len(smtpd.Messages()))
		}
	})

	links := map[string]string{}
	t.Run("invitations", func(t *testing.T) {
		rec := env.PagePost("focal_ken", base, url.Values{"kind": {"invitation"}, "confirm": {"yes"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != base+"/log?notice=notice.mail_sent" {
			t.Fatalf("send: %d %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		msgs := smtpd.Messages()
		if len(msgs) != 3 {
			t.Fatalf("%d messages received, want 3", len(msgs))
		}
		subjects := map[string]string{}
		for _, m := range msgs {
			to, subject, text := received(t, m)
			subjects[to] = subject
			links[to] = mailLink.FindString(text)
			if m.From != "consultation@example.org" {
				t.Errorf("sender %q", m.From)
			}
		}
		if got := slices.Sorted(func(yield func(string) bool) {
			for k := range subjects {
				if !yield(k) {
					return
				}
			}
		}); !slices.Equal(got, []string{"contact@centre.example", "info@haki.example", "youth@mombasa.example"}) {
			t.Errorf("recipients %v", got)
		}
		if s := subjects["contact@centre.example"]; s != "Invitation à une consultation des parties prenantes : Kenya <i>pilot</i>" {
			t.Errorf("French subject %q", s)
		}
		if s := subjects["info@haki.example"]; !strings.HasPrefix(s, "Invitation to a stakeholder consultation") {
			t.Errorf("English subject %q", s)
		}
		for to, link := range links {
			rec := env.DoRequest("GET", strings.TrimPrefix(link, "http://agora.test"), nil, nil)
			if link == "" || rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<form") {
				t.Errorf("the link sent to %s (%q) answers %d", to, link, rec.Code)
			}
		}
		for _, org := range []string{"Haki <b>Africa</b>", "Centre d’études", "Mombasa Youth"} {
			if rec := env.DoRequest("GET", "/s/"+f.tokens[org], nil, nil); rec.Code == http.StatusOK {
				t.Errorf("the earlier link of %s still works", org)
			}
		}
		if rec := env.DoRequest("GET", "/s/"+f.tokens["No Email Group"], nil, nil); rec.Code != http.StatusOK {
			t.Errorf("the link of a stakeholder not emailed changed: %d", rec.Code)
		}
		if n := env.countMail("kind = ? AND status = ?", "invitation", "sent"); n != 3 {
			t.Errorf("%d sent invitations recorded, want 3", n)
		}
		if n := env.countMail("recipient = ? AND language = ? AND subject LIKE ?", "contact@centre.example", "fr", "Invitation à une%"); n != 1 {
			t.Errorf("the French message's record: %d", n)
		}
		var events []audit.Event
		if err := env.DB.Where("action = ?", audit.MailSend).Find(&events).Error; err != nil || len(events) != 1 ||
			!strings.Contains(events[0].Details, `"sent":3`) || events[0].ActorEmail != "focal.ken@example.org" {
			t.Errorf("audit: %+v %v", events, err)
		}

		code, body := env.PageAs("focal_ken", base+"/log?notice=notice.mail_sent")
		if code != http.StatusOK || strings.Count(body, "focal.ken@example.org") < 3 || !strings.Contains(body, "contact@centre.example") ||
			!strings.Contains(body, "The emails were sent") || !strings.Contains(body, "Haki &lt;b&gt;Africa&lt;/b&gt;") {
			t.Errorf("log page: %d\n%s", code, body)
		}
		// Sent once, an invitation is not sent again.
		_, body = env.PageAs("focal_ken", base+"?kind=invitation")
		if !strings.Contains(body, "Nobody would receive this message.") || !strings.Contains(body, "Invitation already sent on") {
			t.Error("a second invitation would be sent")
		}
	})

	t.Run("reminders skip the submitted", func(t *testing.T) {
		now := time.Now().UTC()
		if err := env.DB.Model(&forms.Invitation{}).Where("id = ?", f.invs["Mombasa Youth"]).Update("submitted_at", now).Error; err != nil {
			t.Fatal(err)
		}
		code, body := env.PageAs("focal_ken", base+"?kind=reminder")
		if code != http.StatusOK || !strings.Contains(body, "2 recipients") || !strings.Contains(body, "Already submitted.") ||
			!strings.Contains(body, "Rappel – consultation des parties prenantes") {
			t.Errorf("reminder preview: %d", code)
		}
		smtpd.Reject("info@haki.example")
		before := len(smtpd.Messages())
		rec := env.PagePost("focal_ken", base, url.Values{"kind": {"reminder"}, "confirm": {"yes"}})
		if rec.Code != http.StatusSeeOther || !strings.HasSuffix(rec.Header().Get("Location"), "notice=notice.mail_some_failed") {
			t.Fatalf("send: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		msgs := smtpd.Messages()[before:]
		if len(msgs) != 1 || msgs[0].To[0] != "contact@centre.example" {
			t.Fatalf("reminders received: %+v", msgs)
		}
		if _, subject, _ := received(t, msgs[0]); !strings.HasPrefix(subject, "Rappel") {
			t.Errorf("French reminder subject %q", subject)
		}
		if n := env.countMail("kind = ? AND status = ? AND recipient = ? AND error LIKE ?", "reminder", "failed", "info@haki.example", "%550%"); n != 1 {
			t.Errorf("the refused reminder's record: %d", n)
		}
		// The refused recipient keeps the link of the invitation; the one
		// reminded has only the reminder's.
		if rec := env.DoRequest("GET", strings.TrimPrefix(links["info@haki.example"], "http://agora.test"), nil, nil); rec.Code != http.StatusOK {
			t.Errorf("the refused recipient's earlier link answers %d, want 200", rec.Code)
		}
		if rec := env.DoRequest("GET", strings.TrimPrefix(links["contact@centre.example"], "http://agora.test"), nil, nil); rec.Code == http.StatusOK {
			t.Error("the reminded stakeholder's earlier link still works")
		}
		if n := env.countMail("kind = ? AND recipient = ?", "reminder", "youth@mombasa.example"); n != 0 {
			t.Error("a reminder went to a stakeholder who submitted")
		}
		_, body = env.PageAs("focal_ken", base+"/log")
		if !strings.Contains(body, "failed") || !strings.Contains(body, "No such user here") {
			t.Error("the log page does not show the failure")
		}
	})

	t.Run("nothing is sent for a closed consultation", func(t *testing.T) {
		if _, err := env.Forms().CloseConsultation(context.Background(), forms.AllCountries, f.c.ID); err != nil {
			t.Fatal(err)
		}
		before, records := len(smtpd.Messages()), env.countMail("1 = 1")
		code, body := env.PageAs("admin", base+"?kind=reminder")
		if code != http.StatusOK || !strings.Contains(body, "The consultation is closed") || strings.Contains(body, `name="confirm"`) {
			t.Errorf("closed preview: %d", code)
		}
		rec := env.PagePost("admin", base, url.Values{"kind": {"reminder"}, "confirm": {"yes"}})
		if rec.Code != http.StatusConflict || len(smtpd.Messages()) != before || env.countMail("1 = 1") != records {
			t.Errorf("closed send: %d", rec.Code)
		}
	})
}

func TestWorkspaceMailWithoutSMTP(t *testing.T) {
	env := newTestEnv(t)
	f := env.mailFixture()
	base := fmt.Sprintf("/portal/consultations/%d/mail", f.c.ID)
	code, body := env.PageAs("focal_ken", base)
	if code != http.StatusOK || !strings.Contains(body, "AGORA_SMTP_URL") ||
		!strings.Contains(body, fmt.Sprintf(`action="/api/v1/consultations/%d/invitations.xlsx"`, f.c.ID)) ||
		strings.Contains(body, `name="confirm"`) {
		t.Errorf("page without SMTP: %d\n%s", code, body)
	}
	if code, body := env.PageAs("focal_ken", base+"?lang=es"); code != http.StatusOK || !strings.Contains(body, "libro de combinación de correspondencia") {
		t.Errorf("Spanish page without SMTP: %d", code)
	}
	rec := env.PagePost("focal_ken", base, url.Values{"kind": {"invitation"}, "confirm": {"yes"}})
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "mail-merge workbook") {
		t.Errorf("send without SMTP: %d", rec.Code)
	}
	if n := env.countMail("1 = 1"); n != 0 {
		t.Errorf("%d messages recorded", n)
	}
	if rec := env.DoRequest("GET", "/s/"+f.tokens["Mombasa Youth"], nil, nil); rec.Code != http.StatusOK {
		t.Errorf("a link changed: %d", rec.Code)
	}
	if code, body := env.PageAs("focal_ken", base+"/log"); code != http.StatusOK || !strings.Contains(body, "No email has been sent") {
		t.Errorf("empty log: %d", code)
	}
}

// TestWorkspaceMailKeys checks the catalog keys the pages build from
// codes: kinds, statuses, reasons.
func TestWorkspaceMailKeys(t *testing.T) {
	keys := []string{}
	for _, k := range mail.Kinds {
		keys = append(keys, "mail.kind_"+k, "mail.title_"+k, "mail.about_"+k, "mail.confirm_"+k)
	}
	for _, s := range []string{forms.InvitationNotOpened, forms.InvitationOpened, forms.InvitationDraft,
		forms.InvitationSubmitted, forms.InvitationRevoked, forms.InvitationExpired} {
		keys = append(keys, "mail.status_"+s)
	}
	for _, r := range []string{mail.SkipRevoked, mail.SkipExpired, mail.SkipSubmitted, mail.SkipNoEmail, mail.SkipBadEmail, mail.SkipAlreadyInvited} {
		keys = append(keys, "mail.skip_"+r)
	}
	keys = append(keys, "mail.sent_"+mail.StatusSent, "mail.sent_"+mail.StatusFailed)
	for _, k := range keys {
		if !staff.Catalog.Has("en", k) {
			t.Errorf("the catalog lacks %q", k)
		}
	}
}
