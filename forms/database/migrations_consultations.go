package database

import (
	"time"

	"gorm.io/gorm"
)

// migrateConsultations creates consultations, the personal links that reach
// them, the responses and their atomic answers.
func migrateConsultations(tx *gorm.DB) error {
	type consultation struct {
		ID                  uint   `gorm:"primaryKey"`
		QuestionnaireID     uint   `gorm:"not null;index"`
		CountryISO3         string `gorm:"column:country_iso3;size:3;not null;index"`
		Title               string `gorm:"size:300;not null"`
		Purpose             string `gorm:"size:40;not null"`
		WorkingGroup        string `gorm:"size:64"`
		Cluster             string `gorm:"size:64"`
		Scenario            string `gorm:"size:1"`
		Languages           string `gorm:"size:100;not null"`
		OpensAt             *time.Time
		ClosesAt            *time.Time
		Anonymity           string `gorm:"size:16;not null"`
		MinCellSize         int    `gorm:"not null"`
		EditableAfterSubmit bool   `gorm:"not null"`
		ClosedAt            *time.Time
		OpenLinkHash        *string `gorm:"size:64;uniqueIndex"`
		CreatedBy           *uint
		CreatedAt           time.Time
		UpdatedAt           time.Time
	}
	type invitation struct {
		ID             uint    `gorm:"primaryKey"`
		ConsultationID uint    `gorm:"not null;index"`
		StakeholderID  *uint   `gorm:"index"`
		OpenVisit      bool    `gorm:"not null"`
		DeclaredType   string  `gorm:"size:32"`
		TokenHash      string  `gorm:"size:64;not null;uniqueIndex"`
		Language       string  `gorm:"size:8;not null"`
		VisitorIP      *string `gorm:"size:64"`
		CreatedBy      *uint
		CreatedAt      time.Time
		ExpiresAt      *time.Time
		RevokedAt      *time.Time
		OpenedAt       *time.Time
		StartedAt      *time.Time
		SubmittedAt    *time.Time
	}
	type response struct {
		ID              uint    `gorm:"primaryKey"`
		ConsultationID  uint    `gorm:"not null;index"`
		QuestionnaireID uint    `gorm:"not null;index"`
		InvitationID    *uint   `gorm:"uniqueIndex"`
		CountryISO3     string  `gorm:"column:country_iso3;size:3;not null;index"`
		StakeholderType string  `gorm:"size:32;not null;index"`
		Language        string  `gorm:"size:8;not null"`
		Status          string  `gorm:"size:16;not null;index"`
		Section         int     `gorm:"not null"`
		Draft           string  `gorm:"type:text;not null"`
		SubmissionID    *string `gorm:"size:100;uniqueIndex"`
		Receipt         *string `gorm:"size:20;uniqueIndex"`
		Pending         bool    `gorm:"not null"`
		CreatedAt       time.Time
		UpdatedAt       time.Time
		SubmittedAt     *time.Time
	}
	type answer struct {
		ID              uint   `gorm:"primaryKey"`
		ResponseID      uint   `gorm:"not null;index"`
		QuestionnaireID uint   `gorm:"not null;index:ix_answers_question,priority:1"`
		QuestionCode    string `gorm:"size:100;not null;index:ix_answers_question,priority:2"`
		RowCode         string `gorm:"size:100;not null"`
		OptionCode      string `gorm:"size:100;not null"`
		Number          *float64
		Text            string `gorm:"type:text;not null"`
		Rank            int    `gorm:"not null"`
	}
	// hiddenQuestion records a question that skip logic did not show to a
	// respondent, so that "not shown" and "not answered" are told apart.
	type hiddenQuestion struct {
		ResponseID      uint   `gorm:"primaryKey;autoIncrement:false"`
		QuestionCode    string `gorm:"primaryKey;size:100"`
		QuestionnaireID uint   `gorm:"not null;index"`
	}
	tables := []struct {
		name  string
		model any
	}{
		{"consultations", &consultation{}},
		{"invitations", &invitation{}},
		{"responses", &response{}},
		{"answers", &answer{}},
		{"hidden_questions", &hiddenQuestion{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return err
		}
	}
	return nil
}
