package database

import "gorm.io/gorm"

// migrateAnalysisIndexes adds the indexes the analysis queries need: they
// select a consultation's submitted responses (or those of a questionnaire's
// versions) and reach each response's answers of given questions. With id
// last, a consultation's responses come in id order, so the window over
// each respondent's answers needs no full sort. Plain CREATE INDEX
// statements, the same on SQLite and PostgreSQL.
//
// On PostgreSQL, the answers also get multi-column statistics. The planner
// estimates the groups of a GROUP BY by multiplying the distinct values of
// each column as if they were independent; for the analysis's grouping by
// question, row, option, number and rank that product exceeds the rows, so
// it sorts (on disk, with the default work_mem) instead of hashing a few
// thousand groups. The ndistinct statistics give it the true figure.
// SQLite has no such statistics and needs none.
func migrateAnalysisIndexes(tx *gorm.DB) error {
	stmts := []string{
		`CREATE INDEX ix_responses_consultation_status ON responses (consultation_id, status, id)`,
		`CREATE INDEX ix_responses_questionnaire_status ON responses (questionnaire_id, status)`,
		`CREATE INDEX ix_answers_response_question ON answers (response_id, question_code)`,
	}
	if Dialect(tx) == Postgres {
		stmts = append(stmts, `CREATE STATISTICS st_answers_cells (ndistinct) ON question_code, row_code, option_code, number, rank FROM answers`)
	}
	for _, stmt := range stmts {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}
