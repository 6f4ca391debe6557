package database

import (
	"time"

	"gorm.io/gorm"
)

// migrateMail adds the record of the emails sent to stakeholders: one row
// per message, sent or failed, with the error the server gave. The
// message's link is not kept: it is a secret, and only its hash is stored
// (on the invitation).
func migrateMail(tx *gorm.DB) error {
	type mailMessage struct {
		ID             uint      `gorm:"primaryKey"`
		ConsultationID uint      `gorm:"not null;index:ix_mail_messages_consultation,priority:1"`
		InvitationID   uint      `gorm:"not null;index"`
		Kind           string    `gorm:"size:16;not null"`
		Recipient      string    `gorm:"size:320;not null"`
		Language       string    `gorm:"size:8;not null"`
		Subject        string    `gorm:"size:1000;not null"`
		Status         string    `gorm:"size:16;not null"`
		Error          string    `gorm:"type:text;not null"`
		SentBy         *uint     `gorm:"index"`
		CreatedAt      time.Time `gorm:"not null;index:ix_mail_messages_consultation,priority:2"`
	}
	return tx.Table("mail_messages").Migrator().CreateTable(&mailMessage{})
}
