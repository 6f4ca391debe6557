package database

import (
	"time"

	"gorm.io/gorm"
)

// migrateLeases adds leases: named locks with an expiry, held by one
// instance at a time across every instance sharing the database (see
// AcquireLease).
func migrateLeases(tx *gorm.DB) error {
	type lease struct {
		Name      string    `gorm:"primaryKey;size:200"`
		Holder    string    `gorm:"size:64;not null"`
		ExpiresAt time.Time `gorm:"not null"`
	}
	return tx.Table("leases").Migrator().CreateTable(&lease{})
}
