package mail

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Statuses of a recorded message.
const (
	StatusSent   = "sent"
	StatusFailed = "failed"
)

// Record is one message in the record of what was sent: sent, or failed
// with the reason. The link it carried is not kept.
type Record struct {
	ID             uint      `gorm:"primaryKey" json:"id"`
	ConsultationID uint      `json:"consultation_id"`
	InvitationID   uint      `json:"invitation_id"`
	Kind           string    `json:"kind"`
	Recipient      string    `json:"recipient"`
	Language       string    `json:"language"`
	Subject        string    `json:"subject"`
	Status         string    `json:"status"`
	Error          string    `json:"error,omitempty"`
	SentBy         *uint     `json:"sent_by,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// TableName keeps the table's name independent of the type's.
func (Record) TableName() string { return "mail_messages" }

// LogRow is a recorded message with who sent it and to which organization.
type LogRow struct {
	Record
	SenderEmail  string `json:"sender_email"`
	Organization string `json:"organization"`
}

// MaxLog is the most messages one listing of the record returns.
const MaxLog = 2000

func record(ctx context.Context, db *gorm.DB, r *Record) error {
	r.ID = 0
	r.CreatedAt = time.Now().UTC()
	r.Recipient = clip(r.Recipient, 320)
	r.Subject = clip(r.Subject, 1000)
	r.Error = clip(r.Error, 2000)
	return db.WithContext(ctx).Create(r).Error
}

// records lists a consultation's messages, newest first.
func records(ctx context.Context, db *gorm.DB, consultationID uint) ([]LogRow, error) {
	rows := []LogRow{}
	err := db.WithContext(ctx).Table("mail_messages").
		Select("mail_messages.*, COALESCE(users.email, '') AS sender_email, COALESCE(stakeholders.organization, '') AS organization").
		Joins("LEFT JOIN users ON users.id = mail_messages.sent_by").
		Joins("LEFT JOIN invitations ON invitations.id = mail_messages.invitation_id").
		Joins("LEFT JOIN stakeholders ON stakeholders.id = invitations.stakeholder_id").
		Where("mail_messages.consultation_id = ?", consultationID).
		Order("mail_messages.id DESC").Limit(MaxLog).Scan(&rows).Error
	return rows, err
}

// invitedBefore returns the invitations that were already sent an
// invitation successfully.
func invitedBefore(ctx context.Context, db *gorm.DB, consultationID uint) (map[uint]time.Time, error) {
	var rows []Record
	err := db.WithContext(ctx).Where("consultation_id = ? AND kind = ? AND status = ?", consultationID, KindInvitation, StatusSent).
		Order("id").Find(&rows).Error
	out := make(map[uint]time.Time, len(rows))
	for _, r := range rows {
		out[r.InvitationID] = r.CreatedAt
	}
	return out, err
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
