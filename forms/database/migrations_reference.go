package database

import (
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// migrateRegionsAndParties brings the reference data up to date for the pilot
// initiative:
//
//   - regional group codes that cannot be taken for country codes
//     (AFG → AFRICAN, APG → ASIAPAC, EEG → EASTEUR), and Kiribati in no
//     group (UN Library, 2023);
//   - the cross-cutting theme for children and youth;
//   - party_statuses: each country's status for each instrument.
func migrateRegionsAndParties(tx *gorm.DB) error {
	stmts := []string{
		`UPDATE countries SET regional_group = 'AFRICAN' WHERE regional_group = 'AFG'`,
		`UPDATE countries SET regional_group = 'ASIAPAC' WHERE regional_group = 'APG'`,
		`UPDATE countries SET regional_group = 'EASTEUR' WHERE regional_group = 'EEG'`,
		`UPDATE countries SET regional_group = NULL WHERE iso3 = 'KIR'`,
	}
	for _, stmt := range stmts {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	if err := addSeedThemes(tx); err != nil {
		return err
	}
	type partyStatus struct {
		CountryISO3 string `gorm:"column:country_iso3;primaryKey;size:3"`
		Instrument  string `gorm:"primaryKey;size:16"`
		Status      string `gorm:"size:16;not null"`
		Provisional bool   `gorm:"not null"`
		Source      string `gorm:"size:300;not null;default:''"`
		UpdatedBy   *uint
		UpdatedAt   time.Time
	}
	return tx.Table("party_statuses").Migrator().CreateTable(&partyStatus{})
}

// addSeedThemes inserts the seed's themes that the database lacks (a
// database made before they were added), leaving the others as edited.
func addSeedThemes(tx *gorm.DB) error {
	themes, err := forms.SeedThemes()
	if err != nil {
		return err
	}
	var have []string
	if err := tx.Table("themes").Pluck("code", &have).Error; err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range have {
		known[c] = true
	}
	var missing []forms.Theme
	for _, t := range themes {
		if !known[t.Code] {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return tx.Create(&missing).Error
}
