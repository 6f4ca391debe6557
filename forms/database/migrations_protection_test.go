package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestProtectionMigration writes, in the schema of version 13, an
// anonymous consultation whose submitted response was unlinked the old way
// (its id in start order, its times to the nanosecond, its invitation's
// too), a confidential one with a minimum group of 1, a focal point's
// stakeholder and an export job, then checks what migration 14 makes of
// them.
func TestProtectionMigration(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, dbtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if err := database.MigrateThrough(ctx, db, 13); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 3, 14, 27, 31, 123456789, time.UTC)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES (1, 'fp@example.org', '', 'focal_point', '', ?, ?), (2, 'csu@example.org', '', 'admin', '', ?, ?)`, at, at, at, at)
	for _, c := range []struct {
		id        int
		anonymity string
		min       int
	}{{7, "anonymous", 5}, {8, "confidential", 1}} {
		exec(`INSERT INTO consultations (id, questionnaire_id, country_iso3, title, purpose, languages, anonymity, min_cell_size, editable_after_submit, created_at, updated_at)
			VALUES (?, 3, 'KEN', 'T', 'other', 'en', ?, ?, true, ?, ?)`, c.id, c.anonymity, c.min, at, at)
	}
	exec(`INSERT INTO invitations (id, consultation_id, stakeholder_id, open_visit, token_hash, language, visitor_ip, created_at, opened_at, started_at, submitted_at)
		VALUES (4, 7, 1, false, 'h4', 'fr', '192.0.2.9', ?, ?, ?, ?)`, at, at, at, at)
	exec(`INSERT INTO responses (id, consultation_id, questionnaire_id, country_iso3, stakeholder_type, language, status, section, draft, submission_id, receipt, pending, created_at, updated_at, submitted_at)
		VALUES (2, 7, 3, 'KEN', 'ngo', 'fr', 'submitted', 3, '{}', 'inv-4', 'AAAA-BBBB-CCCC', false, ?, ?, ?)`, at, at, at)
	exec(`INSERT INTO answers (response_id, consultation_id, questionnaire_id, question_code, row_code, option_code, text, rank, rows_given, stakeholder_type)
		VALUES (2, 7, 3, 'q', '', 'a', '', 0, 1, 'ngo')`)
	exec(`INSERT INTO hidden_questions (response_id, question_code, questionnaire_id, consultation_id, stakeholder_type) VALUES (2, 'q_why', 3, 7, 'ngo')`)
	for _, s := range []struct {
		id, by int
		email  string
	}{{1, 1, "ngo@example.org"}, {2, 2, "csu-entered@example.org"}, {3, 1, ""}} {
		exec(`INSERT INTO stakeholders (id, organization, organization_key, type, subtype, country_iso3, email, contact_name, ecosoc_status, hub_consent, language, notes, search_text, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 'ngo', '', 'KEN', ?, '', 'none', false, 'en', '', '', ?, ?, ?)`, s.id, s.email+"org", s.email+"org", s.email, s.by, at, at)
	}
	exec(`INSERT INTO export_jobs (id, kind, codes_instead_of_labels, admin, scope, requested_by, status, progress, fingerprint, created_at) VALUES (5, 'consultation', false, false, 'KEN', 1, 'done', 100, 'f', ?)`, at)

	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}

	var resp forms.Response
	if err := db.Where("consultation_id = 7").Take(&resp).Error; err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	switch {
	case resp.ID < 1<<40:
		t.Errorf("the anonymous response kept an id in the sequence's range: %d", resp.ID)
	case resp.Language != "" || resp.Section != 0 || resp.SubmissionID != nil:
		t.Errorf("the anonymous response kept language %q, section %d, submission id %v", resp.Language, resp.Section, resp.SubmissionID)
	case !resp.CreatedAt.Equal(day) || !resp.UpdatedAt.Equal(day) || resp.SubmittedAt == nil || !resp.SubmittedAt.Equal(day):
		t.Errorf("the anonymous response's times %v %v %v, want %v", resp.CreatedAt, resp.UpdatedAt, resp.SubmittedAt, day)
	}
	var moved struct{ Answers, Hidden int64 }
	db.Raw(`SELECT (SELECT COUNT(*) FROM answers WHERE response_id = ?) AS answers, (SELECT COUNT(*) FROM hidden_questions WHERE response_id = ?) AS hidden`, resp.ID, resp.ID).Scan(&moved)
	if moved.Answers != 1 || moved.Hidden != 1 {
		t.Errorf("answers and hidden questions following the response: %+v", moved)
	}
	var inv forms.Invitation
	if err := db.Take(&inv, 4).Error; err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]*time.Time{"opened": inv.OpenedAt, "started": inv.StartedAt, "submitted": inv.SubmittedAt} {
		if v == nil || !v.Equal(day) {
			t.Errorf("invitation %s at %v, want %v", name, v, day)
		}
	}
	var ip *string
	db.Raw(`SELECT visitor_ip FROM invitations WHERE id = 4`).Scan(&ip)
	if ip != nil {
		t.Errorf("visitor address kept: %q", *ip)
	}
	var minCell int
	db.Raw(`SELECT min_cell_size FROM consultations WHERE id = 8`).Scan(&minCell)
	if minCell != forms.MinCellFloor {
		t.Errorf("min_cell_size %d, want %d", minCell, forms.MinCellFloor)
	}
	confirmed := map[uint]bool{}
	var rows []struct {
		ID             uint
		EmailConfirmed bool
	}
	db.Raw(`SELECT id, email_confirmed FROM stakeholders ORDER BY id`).Scan(&rows)
	for _, r := range rows {
		confirmed[r.ID] = r.EmailConfirmed
	}
	if confirmed[1] || !confirmed[2] || !confirmed[3] {
		t.Errorf("emails confirmed %v: want the focal point's address unconfirmed, the others confirmed", confirmed)
	}
	var role string
	db.Raw(`SELECT role FROM export_jobs WHERE id = 5`).Scan(&role)
	if role != "focal_point" {
		t.Errorf("export job's role %q, want focal_point", role)
	}
}
