package staff

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
	"github.com/unodc-csu/agora/forms/mail"
)

// The consultation's email pages: a preview of an invitation or reminder
// (who gets it, who is skipped and why, the message in each language), the
// form that sends it, and the record of what was sent. Sending renews each
// recipient's personal link (forms.RotateInvitationToken): only hashes of
// links are kept, so a message needs a fresh one.

// mailView is the preview page's data.
type mailView struct {
	Consultation *forms.Consultation
	Kind         string
	Kinds        []mailKindLink
	Enabled      bool
	From         string
	Closed       bool
	Recipients   []mailRecipientView
	Skipped      []mailRecipientView
	Messages     []mailMessageView
	Base         string // the consultation's pages, /portal/consultations/:id
}

// mailKindLink is one tab of the preview: invitation or reminder.
type mailKindLink struct {
	Kind, Href string
	Current    bool
}

// mailRecipientView is one row of the preview's tables.
type mailRecipientView struct {
	Organization, Email, Language, Status, Reason string
}

// mailMessageView is the message in one language.
type mailMessageView struct {
	Lang, LanguageName, Dir, Subject, Text string
}

// mailLogView is the record page's data.
type mailLogView struct {
	Consultation *forms.Consultation
	Base         string
	Rows         []mailLogRowView
	Max          int
}

type mailLogRowView struct {
	When, Sender, Kind, Organization, Recipient, Language, Status, Error string
	Failed                                                               bool
}

// mailWord translates the key made of prefix and a code (a kind, a
// status, a reason); TestWorkspaceMailKeys checks that every code has one.
func mailWord(p *staffPage, prefix, code string, pairs ...any) string {
	return p.T(prefix+code, pairs...)
}

func mailBase(id uint) string { return fmt.Sprintf("/portal/consultations/%d", id) }

// MailPreview answers GET /portal/consultations/:id/mail?kind=: what
// sending would do. It writes nothing and sends nothing.
func (s *Pages) MailPreview(c *gin.Context) {
	s.mailPreviewPage(c, http.StatusOK, "")
}

// mailPreviewPage shows the preview; problem, when set, is the catalog
// key of why a send was refused.
func (s *Pages) mailPreviewPage(c *gin.Context, status int, problem string) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, err)
		return
	}
	kind := c.DefaultQuery("kind", mail.KindInvitation)
	if c.Request.Method == http.MethodPost {
		kind = c.PostForm("kind")
	}
	p := s.page(c, "mail.title_invitation", "consultations")
	plan, err := s.mailer.Plan(c.Request.Context(), p.User.Scope(), id, kind)
	if err != nil {
		s.failPage(c, err)
		return
	}
	p.Title = mailWord(p, "mail.title_", kind, "title", plan.Consultation.Title)
	v := &mailView{Consultation: plan.Consultation, Kind: kind, Enabled: s.mailer.Enabled(), From: s.mailer.From().Address,
		Closed: plan.Closed, Base: mailBase(id)}
	for _, k := range mail.Kinds {
		v.Kinds = append(v.Kinds, mailKindLink{Kind: k, Href: fmt.Sprintf("%s/mail?kind=%s", v.Base, k), Current: k == kind})
	}
	for _, r := range plan.Recipients {
		v.Recipients = append(v.Recipients, recipientView(p, r))
	}
	for _, r := range plan.Skipped {
		v.Skipped = append(v.Skipped, recipientView(p, r))
	}
	// The placeholder link shows the address stakeholders will see.
	msgs, err := plan.Preview(s.links.Survey(c, p.T("mail.placeholder_link")), p.T("mail.placeholder_organization"))
	if err != nil {
		s.failPage(c, err)
		return
	}
	for _, m := range msgs {
		v.Messages = append(v.Messages, mailMessageView{Lang: m.Language, LanguageName: web.LanguageName(m.Language),
			Dir: web.Direction(m.Language), Subject: m.Subject, Text: m.Text})
	}
	if problem != "" {
		p.Error = p.T(problem)
	}
	p.Data = v
	renderStaff(c, status, "mail-preview", p)
}

func recipientView(p *staffPage, r mail.Recipient) mailRecipientView {
	v := mailRecipientView{Organization: r.Organization, Email: r.Email, Language: web.LanguageName(r.Language),
		Status: mailWord(p, "mail.status_", r.Status)}
	if r.Reason != "" {
		v.Reason = mailWord(p, "mail.skip_", r.Reason, "date", r.Since.UTC().Format(time.DateOnly))
	}
	return v
}

// MailSend answers POST /portal/consultations/:id/mail: sends the kind of
// message the form names to every recipient of its plan, records each
// message and the batch, and shows the record.
func (s *Pages) MailSend(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, err)
		return
	}
	if c.PostForm("confirm") != "yes" {
		s.mailPreviewPage(c, http.StatusUnprocessableEntity, "mail.confirm_missing")
		return
	}
	p := httpkit.Principal(c)
	kind := c.PostForm("kind")
	// A browser that gives up waiting does not stop a batch halfway.
	ctx := context.WithoutCancel(c.Request.Context())
	batch, err := s.mailer.Send(ctx, p.Scope(), id, kind, func(token string) string { return s.links.Survey(c, token) }, &p.UserID)
	var ce *forms.ConflictError
	switch {
	case errors.Is(err, mail.ErrNotConfigured):
		s.mailPreviewPage(c, http.StatusConflict, "mail.disabled")
		return
	case errors.Is(err, mail.ErrBusy):
		s.mailPreviewPage(c, http.StatusConflict, "mail.busy")
		return
	case errors.As(err, &ce) && batch == nil:
		s.mailPreviewPage(c, http.StatusConflict, "mail.closed")
		return
	}
	if batch != nil {
		cons, _ := s.forms.Consultation(c.Request.Context(), p.Scope(), id)
		country := ""
		if cons != nil {
			country = cons.CountryISO3
		}
		s.recorder.Record(c, audit.MailSend, "consultation", id, country, map[string]any{
			"kind": batch.Kind, "sent": batch.Sent, "failed": batch.Failed, "skipped": batch.Skipped})
	}
	if err != nil {
		s.failPage(c, err)
		return
	}
	notice := "notice.mail_sent"
	if batch.Failed > 0 {
		notice = "notice.mail_some_failed"
	}
	redirectNotice(c, mailBase(id)+"/mail/log", notice)
}

// MailLog answers GET /portal/consultations/:id/mail/log: every message
// sent for the consultation, newest first.
func (s *Pages) MailLog(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, err)
		return
	}
	p := s.page(c, "mail.log_title", "consultations")
	ctx := c.Request.Context()
	cons, err := s.forms.Consultation(ctx, p.User.Scope(), id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	rows, err := s.mailer.Log(ctx, p.User.Scope(), id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	p.Title = p.T("mail.log_title", "title", cons.Title)
	v := &mailLogView{Consultation: cons, Base: mailBase(id), Max: mail.MaxLog}
	for _, r := range rows {
		v.Rows = append(v.Rows, mailLogRowView{When: r.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"), Sender: r.SenderEmail,
			Kind: mailWord(p, "mail.kind_", r.Kind), Organization: r.Organization, Recipient: r.Recipient,
			Language: web.LanguageName(r.Language), Status: mailWord(p, "mail.sent_", r.Status), Error: r.Error,
			Failed: r.Status == mail.StatusFailed})
	}
	p.Data = v
	renderStaff(c, http.StatusOK, "mail-log", p)
}
