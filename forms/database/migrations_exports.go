package database

import (
	"time"

	"gorm.io/gorm"
)

// migrateExports adds the table of export jobs. A job is a row so that
// every server instance sees it: one instance claims it, any instance can
// serve its file, and a job left running by an instance that died is found
// and marked failed at the next start instead of being lost. The finished
// workbook is kept in the row (bytea on PostgreSQL, BLOB on SQLite).
func migrateExports(tx *gorm.DB) error {
	type exportJob struct {
		ID                   uint   `gorm:"primaryKey"`
		Kind                 string `gorm:"size:32;not null"`
		ConsultationID       *uint  `gorm:"index"`
		QuestionnaireCode    string `gorm:"size:100"`
		Countries            string `gorm:"size:2000"`
		Language             string `gorm:"size:8"`
		CodesInsteadOfLabels bool   `gorm:"not null"`
		Admin                bool   `gorm:"not null"`
		Scope                string `gorm:"size:2000"`
		RequestedBy          *uint  `gorm:"index"`
		Status               string `gorm:"size:16;not null;index:ix_export_jobs_status_created,priority:1"`
		Progress             int    `gorm:"not null"`
		Error                string `gorm:"type:text"`
		Fingerprint          string `gorm:"size:128;index"`
		FileName             string `gorm:"size:300"`
		FileSize             int64
		File                 []byte
		ClaimedBy            string    `gorm:"size:100"`
		CreatedAt            time.Time `gorm:"index:ix_export_jobs_status_created,priority:2"`
		StartedAt            *time.Time
		HeartbeatAt          *time.Time
		FinishedAt           *time.Time
	}
	return tx.Table("export_jobs").Migrator().CreateTable(&exportJob{})
}
