package database

import (
	"crypto/rand"
	"encoding/binary"
	"time"

	"gorm.io/gorm"
)

// migrateProtection brings the schema and the stored data to the model of
// docs/protection.md:
//
//   - responses.locator: how an anonymous consultation's link finds its
//     submitted response, which carries no invitation (forms.Locator).
//   - invitation_proposals: the invitees a focal point proposes and the
//     CSU invites or declines; a focal point holds no link.
//   - stakeholders.email_confirmed: an address a focal point entered or
//     changed receives no link until the CSU confirms it. Addresses that
//     came from focal points' accounts start unconfirmed.
//   - export_jobs.role: a workbook is made for a role, which decides what
//     it may hold; existing jobs take their requester's role.
//   - consultations.min_cell_size is at least 3.
//   - open-link visitors' addresses are no longer kept.
//   - the submitted responses of anonymous consultations move to rows
//     with random ids (their answers and hidden questions with them), and
//     their times and those of the invitations are cut to the day, so that
//     no id or time joins a response to its invitation.
func migrateProtection(tx *gorm.DB) error {
	type invitationProposal struct {
		ID             uint   `gorm:"primaryKey"`
		ConsultationID uint   `gorm:"not null;uniqueIndex:ux_proposals_consultation_stakeholder,priority:1"`
		StakeholderID  uint   `gorm:"not null;uniqueIndex:ux_proposals_consultation_stakeholder,priority:2"`
		Status         string `gorm:"size:16;not null"`
		Note           string `gorm:"size:1000;not null;default:''"`
		Reason         string `gorm:"size:1000;not null;default:''"`
		ProposedBy     *uint
		DecidedBy      *uint
		InvitationID   *uint
		CreatedAt      time.Time
		DecidedAt      *time.Time
	}
	if err := tx.Table("invitation_proposals").Migrator().CreateTable(&invitationProposal{}); err != nil {
		return err
	}
	stmts := []string{
		`ALTER TABLE responses ADD COLUMN locator varchar(64)`,
		`CREATE UNIQUE INDEX ux_responses_locator ON responses (consultation_id, locator)`,
		`ALTER TABLE stakeholders ADD COLUMN email_confirmed boolean NOT NULL DEFAULT true`,
		`UPDATE stakeholders SET email_confirmed = false WHERE email <> '' AND created_by IN (SELECT id FROM users WHERE role = 'focal_point')`,
		`ALTER TABLE export_jobs ADD COLUMN role varchar(16) NOT NULL DEFAULT ''`,
		`UPDATE export_jobs SET role = COALESCE((SELECT u.role FROM users u WHERE u.id = export_jobs.requested_by), CASE WHEN admin THEN 'admin' ELSE 'focal_point' END)`,
		`UPDATE consultations SET min_cell_size = 3 WHERE min_cell_size < 3`,
		`UPDATE invitations SET visitor_ip = NULL`,
	}
	for _, stmt := range stmts {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return anonymizeStoredResponses(tx)
}

// anonymizeStoredResponses moves the submitted responses of anonymous
// consultations to random ids and cuts their times, and their
// invitations', to the day. They have no locator (their tokens are not
// stored), so their links keep saying the answers were sent anonymously.
func anonymizeStoredResponses(tx *gorm.DB) error {
	var ids []uint
	err := tx.Raw(`SELECT r.id FROM responses r JOIN consultations c ON c.id = r.consultation_id
		WHERE c.anonymity = 'anonymous' AND r.invitation_id IS NULL AND r.id < ?`, 1<<40).Scan(&ids).Error
	if err != nil {
		return err
	}
	for _, old := range ids {
		id := randomResponseID()
		for _, stmt := range []string{
			`UPDATE answers SET response_id = ? WHERE response_id = ?`,
			`UPDATE hidden_questions SET response_id = ? WHERE response_id = ?`,
			`UPDATE responses SET id = ? WHERE id = ?`,
		} {
			if err := tx.Exec(stmt, id, old).Error; err != nil {
				return err
			}
		}
	}
	day := dayExpr(tx)
	for _, stmt := range []string{
		`UPDATE responses SET language = '', section = 0, submission_id = NULL,
		   created_at = ` + day("created_at") + `, updated_at = ` + day("updated_at") + `, submitted_at = ` + day("submitted_at") + `
		 WHERE invitation_id IS NULL AND consultation_id IN (SELECT id FROM consultations WHERE anonymity = 'anonymous')`,
		`UPDATE invitations SET opened_at = ` + day("opened_at") + `, started_at = ` + day("started_at") + `, submitted_at = ` + day("submitted_at") + `
		 WHERE consultation_id IN (SELECT id FROM consultations WHERE anonymity = 'anonymous')`,
	} {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}

// dayExpr writes, in the database's dialect, a column's time cut to the
// start of its day (UTC).
func dayExpr(tx *gorm.DB) func(col string) string {
	if Dialect(tx) == Postgres {
		return func(col string) string { return "date_trunc('day', " + col + " AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'" }
	}
	// SQLite keeps times as text; the driver reads this form back.
	return func(col string) string {
		return "CASE WHEN " + col + " IS NULL THEN NULL ELSE strftime('%Y-%m-%d 00:00:00+00:00', " + col + ") END"
	}
}

// randomResponseID is an id as forms gives an anonymous response: clear of
// the sequence, below 2^53.
func randomResponseID() uint {
	var b [8]byte
	_, _ = rand.Read(b[:])
	const floor, span = 1 << 40, 1<<52 - 1<<40
	return uint(floor + binary.BigEndian.Uint64(b[:])%span)
}
