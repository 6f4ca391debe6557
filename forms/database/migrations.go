package database

import (
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// migrations is the schema's history, oldest first. Each step declares the
// tables as they were at that step, so later changes to the Go models never
// rewrite history.
var migrations = []Migration{
	{Version: 1, Name: "reference data: themes and countries", Up: migrateReferenceData},
	{Version: 2, Name: "questionnaires and their questions", Up: migrateQuestionnaires},
	{Version: 3, Name: "users and API tokens", Up: migrateAccounts},
	{Version: 4, Name: "stakeholder registry", Up: migrateStakeholders},
	{Version: 5, Name: "consultations, invitations, responses and answers", Up: migrateConsultations},
	{Version: 6, Name: "indexes for analysis", Up: migrateAnalysisIndexes},
	{Version: 7, Name: "installation settings", Up: migrateSettings},
	{Version: 8, Name: "export jobs", Up: migrateExports},
	{Version: 9, Name: "audit log, login sessions, password links and login attempts", Up: migrateSecurity},
	{Version: 10, Name: "consultation and rows per question on answers, for analysis", Up: migrateAnswersScope},
	{Version: 11, Name: "record of the emails sent to stakeholders", Up: migrateMail},
	{Version: 12, Name: "leases: locks shared by the instances", Up: migrateLeases},
	{Version: 13, Name: "answers indexed in the order the analysis counts them, with their stakeholder type", Up: migrateAnswerCells},
	{Version: 14, Name: "respondent protection: response locators, proposed invitees, confirmed emails, anonymous responses unlinked", Up: migrateProtection},
	{Version: 15, Name: "entries of repeat questions on answers, and the repeat of each question", Up: migrateRepeatEntries},
	{Version: 16, Name: "reference data: regional group codes apart from country codes, Kiribati in no group, the children and youth theme, party statuses", Up: migrateRegionsAndParties},
}

func migrateReferenceData(tx *gorm.DB) error {
	type theme struct {
		Code        string  `gorm:"primaryKey;size:64"`
		ParentCode  *string `gorm:"size:64;index"`
		Kind        string  `gorm:"size:32;not null"`
		Name        string  `gorm:"size:300;not null"`
		Names       string  `gorm:"type:text"`
		ShortName   string  `gorm:"size:120"`
		Instrument  string  `gorm:"size:16"`
		Cluster     string  `gorm:"size:8"`
		Article     int
		PhaseOrder  int
		Provisional bool
		Position    int
	}
	type country struct {
		ISO3          string  `gorm:"primaryKey;size:3"`
		M49           string  `gorm:"size:3;not null"`
		Name          string  `gorm:"size:200;not null"`
		RegionalGroup *string `gorm:"size:8;index"`
	}
	if err := tx.Table("themes").Migrator().CreateTable(&theme{}); err != nil {
		return err
	}
	if err := tx.Table("countries").Migrator().CreateTable(&country{}); err != nil {
		return err
	}
	themes, err := forms.SeedThemes()
	if err != nil {
		return err
	}
	if err := tx.CreateInBatches(themes, 200).Error; err != nil {
		return err
	}
	countries, err := forms.SeedCountries()
	if err != nil {
		return err
	}
	return tx.CreateInBatches(countries, 200).Error
}

func migrateQuestionnaires(tx *gorm.DB) error {
	type questionnaire struct {
		ID              uint   `gorm:"primaryKey"`
		Code            string `gorm:"size:100;not null;uniqueIndex:ux_questionnaires_code_version,priority:1"`
		Version         int    `gorm:"not null;uniqueIndex:ux_questionnaires_code_version,priority:2"`
		Kind            string `gorm:"size:40;not null"`
		Status          string `gorm:"size:16;not null;index"`
		Title           string `gorm:"size:500;not null"`
		DefaultLanguage string `gorm:"size:8;not null"`
		Languages       string `gorm:"size:100;not null"`
		Definition      string `gorm:"type:text;not null"`
		CreatedBy       *uint
		CreatedAt       time.Time
		UpdatedAt       time.Time
		PublishedAt     *time.Time
	}
	type question struct {
		ID              uint   `gorm:"primaryKey"`
		QuestionnaireID uint   `gorm:"not null;uniqueIndex:ux_questions_code,priority:1"`
		Code            string `gorm:"size:100;not null;uniqueIndex:ux_questions_code,priority:2;index"`
		Type            string `gorm:"size:32;not null"`
		SectionCode     string `gorm:"size:100;not null"`
		SectionPosition int    `gorm:"not null"`
		Position        int    `gorm:"not null"`
		Required        bool   `gorm:"not null"`
		Label           string `gorm:"type:text;not null"`
	}
	type questionTheme struct {
		QuestionnaireID uint   `gorm:"primaryKey;autoIncrement:false"`
		QuestionCode    string `gorm:"primaryKey;size:100"`
		RowCode         string `gorm:"primaryKey;size:100"`
		ThemeCode       string `gorm:"primaryKey;size:64;index"`
	}
	type questionChoice struct {
		QuestionnaireID uint   `gorm:"primaryKey;autoIncrement:false"`
		QuestionCode    string `gorm:"primaryKey;size:100"`
		Kind            string `gorm:"primaryKey;size:8"`
		Code            string `gorm:"primaryKey;size:100"`
		Position        int    `gorm:"not null"`
		Value           *int
		Label           string `gorm:"type:text;not null"`
		Other           bool   `gorm:"not null"`
		Missing         bool   `gorm:"not null"`
	}
	tables := []struct {
		name  string
		model any
	}{
		{"questionnaires", &questionnaire{}},
		{"questions", &question{}},
		{"question_themes", &questionTheme{}},
		{"question_choices", &questionChoice{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return err
		}
	}
	return nil
}

func migrateAccounts(tx *gorm.DB) error {
	type user struct {
		ID           uint   `gorm:"primaryKey"`
		Email        string `gorm:"size:320;not null;uniqueIndex"`
		Name         string `gorm:"size:200;not null"`
		Role         string `gorm:"size:16;not null"`
		PasswordHash string `gorm:"size:200;not null"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
		DisabledAt   *time.Time
	}
	type userCountry struct {
		UserID      uint   `gorm:"primaryKey;autoIncrement:false"`
		CountryISO3 string `gorm:"primaryKey;size:3;column:country_iso3"`
	}
	type apiToken struct {
		ID         uint   `gorm:"primaryKey"`
		UserID     uint   `gorm:"not null;index"`
		Name       string `gorm:"size:200;not null"`
		Hash       string `gorm:"size:64;not null;uniqueIndex"`
		Prefix     string `gorm:"size:16;not null"`
		CreatedAt  time.Time
		LastUsedAt *time.Time
		ExpiresAt  *time.Time
		RevokedAt  *time.Time
	}
	for name, model := range map[string]any{"users": &user{}, "user_countries": &userCountry{}, "api_tokens": &apiToken{}} {
		if err := tx.Table(name).Migrator().CreateTable(model); err != nil {
			return err
		}
	}
	return nil
}
