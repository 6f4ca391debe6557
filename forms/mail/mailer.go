package mail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database"
)

// Why an invitation gets no message; pages translate these codes.
const (
	SkipRevoked        = "revoked"
	SkipExpired        = "expired"
	SkipSubmitted      = "submitted"
	SkipNoEmail        = "no_email"
	SkipBadEmail       = "bad_email"
	SkipAlreadyInvited = "already_invited"
	// SkipUnconfirmed: a focal point entered or changed the address, and
	// the CSU has not confirmed it yet.
	SkipUnconfirmed = "unconfirmed_email"
)

// ErrNotConfigured is returned by Send when no SMTP server is set.
var ErrNotConfigured = errors.New("no SMTP server is configured (AGORA_SMTP_URL)")

// Mailer plans, sends and records a consultation's emails.
type Mailer struct {
	db        *gorm.DB
	forms     *forms.Store
	transport Transport
	from      mail.Address
}

// sendLease is how long a send holds its consultation's lease without
// renewing it: every message renews it, so only a stopped instance lets it
// expire, and another may then send.
const sendLease = 2 * time.Minute

// ErrBusy is returned by Send while the same consultation's messages are
// being sent, by this instance or another sharing the database: a second
// click must not renew the links just sent.
var ErrBusy = &forms.ConflictError{Reason: "emails of this consultation are being sent already: wait until they are done"}

// New returns a Mailer over db that sends through t from the address from;
// t nil means no SMTP server: plans and the record work, sending does not.
func New(db *gorm.DB, store *forms.Store, t Transport, from mail.Address) *Mailer {
	return &Mailer{db: db, forms: store, transport: t, from: from}
}

// Enabled reports whether the mailer can send.
func (m *Mailer) Enabled() bool { return m.transport != nil }

// From is the address messages are sent from.
func (m *Mailer) From() mail.Address { return m.from }

// Recipient is an invitation in a plan: who gets the message, or who is
// skipped and why (Reason empty for those who get it).
type Recipient struct {
	InvitationID uint
	Organization string
	Email        string
	Language     string
	Status       string // the invitation's status, forms.InvitationDraft...
	Reason       string // a Skip code
	// Since is when an invitation was already sent (SkipAlreadyInvited).
	Since time.Time
}

// Plan is what sending a kind of message would do, computed without
// writing anything.
type Plan struct {
	Consultation *forms.Consultation
	Kind         string
	Recipients   []Recipient
	Skipped      []Recipient
	// Closed is true when the consultation is closed: nothing can be sent.
	Closed bool
}

// Languages are the languages among the recipients, in the order of
// Languages.
func (p *Plan) Languages() []string {
	var out []string
	for _, l := range Languages {
		for _, r := range p.Recipients {
			if Lang(r.Language) == l {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// Preview writes the message in each language among the recipients, with
// placeholders for the link and the organization.
func (p *Plan) Preview(link, organization string) ([]Composed, error) {
	var out []Composed
	for _, l := range p.Languages() {
		c, err := Compose(p.content(l, organization, link))
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (p *Plan) content(lang, organization, link string) Content {
	c := p.Consultation
	return Content{Kind: p.Kind, Language: lang, Title: c.Title, Purpose: c.Purpose, Anonymity: c.Anonymity,
		ClosesAt: c.ClosesAt, Organization: organization, Link: link}
}

// Plan lists who would get a message of kind and who would not: revoked
// and expired invitations, those who submitted, those without a usable
// email address and, for invitations, those already sent one (they get
// reminders). Open-link visitors are never in a plan.
func (m *Mailer) Plan(ctx context.Context, scope forms.Scope, consultationID uint, kind string) (*Plan, error) {
	c, err := m.forms.Consultation(ctx, scope, consultationID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Kinds, kind) {
		ve := &forms.ValidationError{}
		ve.Add("/kind", "must be invitation or reminder")
		return nil, ve
	}
	rows, err := m.forms.Invitations(ctx, scope, consultationID)
	if err != nil {
		return nil, err
	}
	sent, err := invitedBefore(ctx, m.db, c.ID)
	if err != nil {
		return nil, err
	}
	p := &Plan{Consultation: c, Kind: kind, Closed: c.State(time.Now()) == forms.ConsultationClosed}
	for _, row := range rows {
		if row.OpenVisit || row.StakeholderID == nil {
			continue
		}
		r := Recipient{InvitationID: row.ID, Organization: row.Organization, Email: row.Email,
			Language: Lang(row.Language), Status: row.State}
		switch {
		case row.State == forms.InvitationRevoked:
			r.Reason = SkipRevoked
		case row.State == forms.InvitationExpired:
			r.Reason = SkipExpired
		case row.State == forms.InvitationSubmitted:
			r.Reason = SkipSubmitted
		case row.Email == "":
			r.Reason = SkipNoEmail
		case !usableAddress(row.Email):
			r.Reason = SkipBadEmail
		case !row.EmailConfirmed:
			r.Reason = SkipUnconfirmed
		case kind == KindInvitation && !sent[row.ID].IsZero():
			r.Reason, r.Since = SkipAlreadyInvited, sent[row.ID]
		}
		if r.Reason != "" {
			p.Skipped = append(p.Skipped, r)
		} else {
			p.Recipients = append(p.Recipients, r)
		}
	}
	return p, nil
}

func usableAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// Batch is what one send did.
type Batch struct {
	Kind    string
	Sent    int
	Failed  int
	Skipped int
	Records []Record
}

// Send sends a message of kind to every recipient of the plan, one message
// per invitation. Each message carries a fresh personal link, stored once
// the server has taken the message (forms.RotateInvitationTokenAfter): the
// stakeholder's earlier link then stops working while their saved answers
// stay. link turns a token into the link's URL. A recipient whose message
// the server refuses keeps their earlier link and is recorded as failed,
// and the others are still sent.
func (m *Mailer) Send(ctx context.Context, scope forms.Scope, consultationID uint, kind string, link func(token string) string, by *uint) (*Batch, error) {
	if m.transport == nil {
		return nil, ErrNotConfigured
	}
	lease, ok, err := database.AcquireLease(ctx, m.db, fmt.Sprintf("mail:%d", consultationID), sendLease)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBusy
	}
	defer func() { _ = lease.Release(context.WithoutCancel(ctx)) }()
	p, err := m.Plan(ctx, scope, consultationID, kind)
	if err != nil {
		return nil, err
	}
	if p.Closed {
		return nil, &forms.ConflictError{Reason: "the consultation is closed: reopen it before sending"}
	}
	b := &Batch{Kind: kind, Skipped: len(p.Skipped)}
	for _, r := range p.Recipients {
		if err := ctx.Err(); err != nil {
			return b, err
		}
		if err := lease.Renew(ctx); err != nil {
			return b, err
		}
		rec := Record{ConsultationID: p.Consultation.ID, InvitationID: r.InvitationID, Kind: kind,
			Recipient: r.Email, Language: r.Language, SentBy: by, Status: StatusSent}
		c, err := m.sendOne(ctx, scope, p, r, link)
		rec.Subject = c.Subject
		if err != nil {
			rec.Status, rec.Error = StatusFailed, err.Error()
			b.Failed++
		} else {
			b.Sent++
		}
		if err := record(ctx, m.db, &rec); err != nil {
			return b, err
		}
		b.Records = append(b.Records, rec)
	}
	return b, nil
}

func (m *Mailer) sendOne(ctx context.Context, scope forms.Scope, p *Plan, r Recipient, link func(string) string) (Composed, error) {
	c, err := Compose(p.content(r.Language, r.Organization, ""))
	if err != nil {
		return c, err
	}
	// The new token is stored only once the server has taken the message,
	// so a refused message leaves the stakeholder's earlier link working.
	_, err = m.forms.RotateInvitationTokenAfter(ctx, scope, r.InvitationID, func(token string) error {
		if c, err = Compose(p.content(r.Language, r.Organization, link(token))); err != nil {
			return err
		}
		msg := &Message{From: m.from, To: mail.Address{Address: r.Email}, Subject: c.Subject, Text: c.Text, HTML: c.HTML,
			Language: c.Language, Date: time.Now(), ID: NewMessageID(m.from)}
		return m.transport.Send(ctx, msg)
	})
	var ce *forms.ConflictError
	if errors.As(err, &ce) {
		return c, errors.New(ce.Reason)
	}
	return c, err
}

// Log lists the messages recorded for a consultation within scope, newest
// first, at most MaxLog.
func (m *Mailer) Log(ctx context.Context, scope forms.Scope, consultationID uint) ([]LogRow, error) {
	c, err := m.forms.Consultation(ctx, scope, consultationID)
	if err != nil {
		return nil, err
	}
	return records(ctx, m.db, c.ID)
}
