// Package audit keeps the audit log: who did what, when, to which object
// and from which address. The application only ever appends to it; there is
// no update and no delete.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Actions recorded. The list is part of the documentation (docs/security.md).
const (
	LoginSucceeded       = "login"
	LoginFailed          = "login_failed"
	Logout               = "logout"
	QuestionnairePublish = "questionnaire.publish"
	ConsultationCreate   = "consultation.create"
	ConsultationClose    = "consultation.close"
	ConsultationReopen   = "consultation.reopen"
	InvitationsCreate    = "invitations.create"
	InvitationRevoke     = "invitation.revoke"
	InvitationReissue    = "invitation.reissue"
	ProposalsCreate      = "proposals.create"
	ProposalDecline      = "proposal.decline"
	StakeholderConfirm   = "stakeholder.email_confirm"
	MailSend             = "mail.send"
	ExportRequest        = "export.request"
	ExportDownload       = "export.download"
	UserCreate           = "user.create"
	UserUpdate           = "user.update"
	UserPassword         = "user.password"
	UserPasswordLink     = "user.password_link"
	TokenCreate          = "token.create"
	TokenRevoke          = "token.revoke"
	// Reference data edited in the workspace.
	ReferenceRegionalGroup = "reference.regional_group"
	ReferencePartyStatus   = "reference.party_status"
)

// Event is one line of the audit log.
type Event struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	At         time.Time `json:"at"`
	ActorID    *uint     `json:"actor_id,omitempty"`
	ActorEmail string    `json:"actor_email"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Country    string    `json:"country,omitempty"`
	Details    string    `json:"details,omitempty"`
	IP         string    `json:"ip"`
}

// TableName keeps the table's name independent of the type's.
func (Event) TableName() string { return "audit_events" }

// Log appends to and reads the audit log.
type Log struct{ db *gorm.DB }

// New returns a Log over db.
func New(db *gorm.DB) *Log { return &Log{db: db} }

// Record appends e, stamping the time. details, when not nil, is stored as
// JSON text.
func (l *Log) Record(ctx context.Context, e Event, details any) error {
	e.ID = 0
	e.At = time.Now().UTC()
	if details != nil {
		raw, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		e.Details = string(raw)
	}
	e.ActorEmail = clip(e.ActorEmail, 320)
	e.IP = clip(e.IP, 64)
	e.Country = clip(e.Country, 3)
	e.ObjectID = clip(e.ObjectID, 100)
	return l.db.WithContext(ctx).Create(&e).Error
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Filter narrows a listing. Every field is matched as a parameter: nothing
// of it reaches the SQL text.
type Filter struct {
	// Actor matches the actor's email exactly (case-insensitive) or, when
	// it is a number, the actor's id.
	Actor string
	// Action matches exactly, or a family when it ends with "." ("user.").
	Action string
	From   time.Time
	To     time.Time
	// Limit bounds the rows (default and maximum 500).
	Limit int
	// Before pages backwards: only events with a smaller id.
	Before uint
}

// MaxList is the most events one listing returns.
const MaxList = 500

// List returns the events matching f, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Event, error) {
	q := l.db.WithContext(ctx).Model(&Event{})
	if a := strings.TrimSpace(f.Actor); a != "" {
		var id uint
		if _, err := fmt.Sscanf(a, "%d", &id); err == nil && fmt.Sprint(id) == a {
			q = q.Where("actor_id = ?", id)
		} else {
			q = q.Where("actor_email = ?", strings.ToLower(a))
		}
	}
	if a := strings.TrimSpace(f.Action); a != "" {
		if strings.HasSuffix(a, ".") {
			q = q.Where("action LIKE ? ESCAPE '!'", likeEscape(a)+"%")
		} else {
			q = q.Where("action = ?", a)
		}
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if f.Limit <= 0 || f.Limit > MaxList {
		f.Limit = MaxList
	}
	events := []Event{}
	return events, q.Order("id DESC").Limit(f.Limit).Find(&events).Error
}

// likeEscape escapes LIKE's wildcards with "!".
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}
