package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestAnswerCellsFillsStakeholderTypes writes answers and a hidden question
// in the schema of version 12 and checks that migration 13 gives each its
// response's stakeholder type and leaves both tables with the analysis's
// indexes, without the ones it replaces.
func TestAnswerCellsFillsStakeholderTypes(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, dbtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if err := database.MigrateThrough(ctx, db, 12); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, r := range []struct {
		id  int
		typ string
	}{{1, "ngo"}, {2, "academia"}} {
		err := db.Exec(`INSERT INTO responses (id, consultation_id, questionnaire_id, country_iso3, stakeholder_type, language,
			status, section, draft, pending, created_at, updated_at) VALUES (?, 7, 3, 'KEN', ?, 'en', 'submitted', 0, '{}', ?, ?, ?)`,
			r.id, r.typ, false, now, now).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, response := range []int{1, 1, 2} {
		err := db.Exec(`INSERT INTO answers (response_id, consultation_id, questionnaire_id, question_code, row_code, option_code, text, rank, rows_given)
			VALUES (?, 7, 3, 'q', '', 'a', '', 0, 1)`, response).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(`INSERT INTO hidden_questions (response_id, question_code, questionnaire_id, consultation_id) VALUES (2, 'q_why', 3, 7)`).Error; err != nil {
		t.Fatal(err)
	}
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	var types []string
	db.Raw(`SELECT stakeholder_type FROM answers ORDER BY id`).Scan(&types)
	if want := []string{"ngo", "ngo", "academia"}; len(types) != len(want) || types[0] != want[0] || types[1] != want[1] || types[2] != want[2] {
		t.Errorf("stakeholder types %v, want %v", types, want)
	}
	var hidden string
	db.Raw(`SELECT stakeholder_type FROM hidden_questions`).Scan(&hidden)
	if hidden != "academia" {
		t.Errorf("hidden question's stakeholder type %q, want academia", hidden)
	}
	m := db.Migrator()
	for index, want := range map[string]bool{
		"ix_answers_cells": true, "ix_answers_texts": true, "ix_answers_response_question": true,
		"ix_answers_consultation": false, "idx_answers_response_id": false, "ix_answers_question": false,
	} {
		if got := m.HasIndex("answers", index); got != want {
			t.Errorf("index %s present: %v, want %v", index, got, want)
		}
	}
	for index, want := range map[string]bool{"ix_hidden_questions_cells": true, "ix_hidden_questions_consultation": false} {
		if got := m.HasIndex("hidden_questions", index); got != want {
			t.Errorf("index %s present: %v, want %v", index, got, want)
		}
	}
}
