package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestAnswersScopeFillsExistingRows writes answers and hidden questions in
// the schema of version 9 and checks that migration 10 gives each its
// response's consultation and each answer its question's number of rows.
func TestAnswersScopeFillsExistingRows(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, dbtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if err := database.MigrateThrough(ctx, db, 9); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, r := range []struct{ id, consultation int }{{1, 7}, {2, 8}} {
		err := db.Exec(`INSERT INTO responses (id, consultation_id, questionnaire_id, country_iso3, stakeholder_type, language,
			status, section, draft, pending, created_at, updated_at) VALUES (?, ?, 3, 'KEN', 'ngo', 'en', 'submitted', 0, '{}', ?, ?, ?)`,
			r.id, r.consultation, false, now, now).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	answers := []struct {
		response     int
		question, op string
	}{
		{1, "q_multi", "x"}, {1, "q_multi", "y"}, {1, "q_single", "a"},
		{2, "q_multi", "x"}, {2, "q_multi", "y"}, {2, "q_multi", "z"},
	}
	for _, a := range answers {
		err := db.Exec(`INSERT INTO answers (response_id, questionnaire_id, question_code, row_code, option_code, text, rank)
			VALUES (?, 3, ?, '', ?, '', 0)`, a.response, a.question, a.op).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(`INSERT INTO hidden_questions (response_id, question_code, questionnaire_id) VALUES (1, 'q_why', 3), (2, 'q_why', 3)`).Error; err != nil {
		t.Fatal(err)
	}
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}

	var rows []struct {
		ResponseID, ConsultationID, RowsGiven int
		QuestionCode                          string
	}
	db.Raw(`SELECT response_id, consultation_id, rows_given, question_code FROM answers ORDER BY id`).Scan(&rows)
	want := []struct{ consultation, given int }{{7, 2}, {7, 2}, {7, 1}, {8, 3}, {8, 3}, {8, 3}}
	if len(rows) != len(want) {
		t.Fatalf("%d answer rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		if rows[i].ConsultationID != w.consultation || rows[i].RowsGiven != w.given {
			t.Errorf("answer %d (%d %s): consultation %d, rows given %d; want %d, %d", i, rows[i].ResponseID,
				rows[i].QuestionCode, rows[i].ConsultationID, rows[i].RowsGiven, w.consultation, w.given)
		}
	}
	var hidden []struct{ ResponseID, ConsultationID int }
	db.Raw(`SELECT response_id, consultation_id FROM hidden_questions ORDER BY response_id`).Scan(&hidden)
	if len(hidden) != 2 || hidden[0].ConsultationID != 7 || hidden[1].ConsultationID != 8 {
		t.Errorf("hidden questions = %+v, want consultations 7 and 8", hidden)
	}
}
