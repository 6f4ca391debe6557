package database

import "gorm.io/gorm"

// migrateSettings creates a small key-value table for installation-wide
// settings that every instance must share, such as the signing secret.
func migrateSettings(tx *gorm.DB) error {
	type setting struct {
		Key   string `gorm:"primaryKey;size:100"`
		Value string `gorm:"type:text;not null"`
	}
	return tx.Table("settings").Migrator().CreateTable(&setting{})
}
