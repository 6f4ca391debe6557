package database

import (
	"time"

	"gorm.io/gorm"
)

// migrateStakeholders creates the stakeholder registry (the "mapping
// exercise"): one row per organization and country, with its theme codes in
// a table of their own so that filters and aggregations by theme are SQL.
//
// Emails are not unique in the schema: a unique index on non-empty emails
// cannot be written the same way on SQLite and PostgreSQL, and the same
// contact may legitimately be mapped in several countries. Duplicates within
// a country are refused by the store, inside the writing transaction.
func migrateStakeholders(tx *gorm.DB) error {
	type stakeholder struct {
		ID              uint   `gorm:"primaryKey"`
		Organization    string `gorm:"size:300;not null"`
		OrganizationKey string `gorm:"size:300;not null;index:ix_stakeholders_org,priority:2"`
		Type            string `gorm:"size:32;not null;index"`
		Subtype         string `gorm:"size:100;not null"`
		CountryISO3     string `gorm:"column:country_iso3;size:3;not null;index;index:ix_stakeholders_org,priority:1"`
		Email           string `gorm:"size:320;not null;index"`
		ContactName     string `gorm:"size:200;not null"`
		ECOSOCStatus    string `gorm:"column:ecosoc_status;size:16;not null"`
		HubConsent      bool   `gorm:"not null"`
		Language        string `gorm:"size:8;not null"`
		Notes           string `gorm:"type:text;not null"`
		SearchText      string `gorm:"type:text;not null"`
		CreatedBy       *uint
		CreatedAt       time.Time
		UpdatedAt       time.Time
		DeletedAt       *time.Time `gorm:"index"`
	}
	type stakeholderTheme struct {
		StakeholderID uint   `gorm:"primaryKey;autoIncrement:false"`
		ThemeCode     string `gorm:"primaryKey;size:64;index"`
	}
	if err := tx.Table("stakeholders").Migrator().CreateTable(&stakeholder{}); err != nil {
		return err
	}
	return tx.Table("stakeholder_themes").Migrator().CreateTable(&stakeholderTheme{})
}
