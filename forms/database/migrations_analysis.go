package database

import "gorm.io/gorm"

// migrateAnalysisIndexes adds the indexes the analysis queries need: they
// select a consultation's submitted responses (or those of a questionnaire's
// versions) and reach each response's answers of given questions. With id
// last, a consultation's responses come in id order, so the window over
// each respondent's answers needs no full sort. Plain CREATE INDEX
// statements, the same on SQLite and PostgreSQL.
func migrateAnalysisIndexes(tx *gorm.DB) error {
	for _, stmt := range []string{
		`CREATE INDEX ix_responses_consultation_status ON responses (consultation_id, status, id)`,
		`CREATE INDEX ix_responses_questionnaire_status ON responses (questionnaire_id, status)`,
		`CREATE INDEX ix_answers_response_question ON answers (response_id, question_code)`,
	} {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}
