package database

import "gorm.io/gorm"

// migrateAnswersScope lets the analysis read a consultation's answers as one
// range of an index instead of probing the index once per response, and
// count respondents in the same pass as the answers.
//
//   - answers.consultation_id and hidden_questions.consultation_id: the
//     response's consultation, copied at submission.
//   - answers.rows_given: how many answer rows the response has for the
//     question (the options of a multiple choice, the places of a ranking,
//     the rows of a matrix; 1 for other questions), on each of those rows.
//     Respondents of multi-row questions and ranking depths are then sums
//     in the analysis's one GROUP BY rather than a window over each
//     respondent's rows.
//
// Existing rows are filled from their responses; on PostgreSQL that UPDATE
// rewrites every answer row, so a large database wants VACUUM ANALYZE
// answers once the upgrade is done. The columns are NOT NULL
// with a default of 0 on both databases (SQLite cannot add a NOT NULL column
// without a default, nor change one afterwards); forms.Submit always writes
// them.
//
// The index on answers holds every column the analysis's GROUP BY reads, so
// PostgreSQL answers it with an index-only scan of the consultation's range
// (the table's rows are scattered, a response's rows together, responses
// in arrival order across consultations); with id third, a question's
// answers come in id order, so the first texts of a question are a short
// walk of the index. The multi-column statistics of migration 6 are
// replaced by ones that include rows_given and the questionnaire, the two
// other columns of the GROUP BY.
func migrateAnswersScope(tx *gorm.DB) error {
	stmts := []string{
		`ALTER TABLE answers ADD COLUMN consultation_id bigint NOT NULL DEFAULT 0`,
		`ALTER TABLE answers ADD COLUMN rows_given integer NOT NULL DEFAULT 0`,
		`ALTER TABLE hidden_questions ADD COLUMN consultation_id bigint NOT NULL DEFAULT 0`,
		`UPDATE answers SET consultation_id = x.consultation_id, rows_given = x.n
		 FROM (SELECT a.response_id, a.question_code, MAX(r.consultation_id) AS consultation_id, COUNT(*) AS n
		       FROM answers a JOIN responses r ON r.id = a.response_id
		       GROUP BY a.response_id, a.question_code) x
		 WHERE x.response_id = answers.response_id AND x.question_code = answers.question_code`,
		`UPDATE hidden_questions SET consultation_id = r.consultation_id
		 FROM responses r WHERE r.id = hidden_questions.response_id`,
		`CREATE INDEX ix_answers_consultation ON answers (consultation_id, question_code, id,
		   questionnaire_id, row_code, option_code, number, rank, rows_given, response_id)`,
		`CREATE INDEX ix_hidden_questions_consultation ON hidden_questions (consultation_id, questionnaire_id, question_code, response_id)`,
	}
	if Dialect(tx) == Postgres {
		stmts = append(stmts,
			`DROP STATISTICS IF EXISTS st_answers_cells`,
			`CREATE STATISTICS st_answers_cells (ndistinct) ON questionnaire_id, question_code, row_code, option_code, number, rank, rows_given FROM answers`,
			`ANALYZE answers`, `ANALYZE hidden_questions`)
	}
	for _, stmt := range stmts {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}
