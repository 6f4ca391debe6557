package database

import (
	"time"

	"gorm.io/gorm"
)

// migrateSecurity creates what the web login and the audit log keep: the
// append-only audit events, the login sessions (only a hash of the cookie is
// stored), the one-time password-set links (hashed too) and the login
// attempts that drive the back-off.
func migrateSecurity(tx *gorm.DB) error {
	type auditEvent struct {
		ID         uint      `gorm:"primaryKey"`
		At         time.Time `gorm:"not null;index"`
		ActorID    *uint     `gorm:"index"`
		ActorEmail string    `gorm:"size:320;not null;index"`
		Action     string    `gorm:"size:64;not null;index"`
		ObjectType string    `gorm:"size:64;not null"`
		ObjectID   string    `gorm:"size:100;not null"`
		Country    string    `gorm:"size:3;not null;index"`
		Details    string    `gorm:"type:text;not null"`
		IP         string    `gorm:"size:64;not null"`
	}
	type session struct {
		ID         string    `gorm:"primaryKey;size:64"`
		UserID     uint      `gorm:"not null;index"`
		CSRF       string    `gorm:"size:64;not null;column:csrf"`
		CreatedAt  time.Time `gorm:"not null"`
		ExpiresAt  time.Time `gorm:"not null;index"`
		LastSeenAt time.Time `gorm:"not null"`
		IP         string    `gorm:"size:64;not null"`
		UserAgent  string    `gorm:"size:300;not null"`
	}
	type passwordLink struct {
		Hash      string    `gorm:"primaryKey;size:64"`
		UserID    uint      `gorm:"not null;index"`
		CreatedAt time.Time `gorm:"not null"`
		ExpiresAt time.Time `gorm:"not null"`
		UsedAt    *time.Time
	}
	type loginAttempt struct {
		ID    uint      `gorm:"primaryKey"`
		At    time.Time `gorm:"not null;index"`
		Email string    `gorm:"size:320;not null;index"`
		IP    string    `gorm:"size:64;not null;index"`
	}
	tables := []struct {
		name  string
		model any
	}{
		{"audit_events", &auditEvent{}},
		{"sessions", &session{}},
		{"password_links", &passwordLink{}},
		{"login_attempts", &loginAttempt{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return err
		}
	}
	return nil
}
