package database

import "gorm.io/gorm"

// migrateAnswerCells orders the analysis's index on answers as its GROUP BY
// groups them, so that summaries and comparisons count answers as they
// come off the index instead of hashing every row, and without joining
// the responses.
//
//   - answers.stakeholder_type and hidden_questions.stakeholder_type: the
//     response's stakeholder type, copied at submission as its
//     consultation is (a response's type is fixed when it is created), so
//     that a breakdown by type needs no join either. Existing rows are
//     filled from their responses; on PostgreSQL that UPDATE rewrites
//     every row, so a large database wants VACUUM ANALYZE answers (and
//     hidden_questions) once the upgrade is done.
//   - ix_answers_cells: consultation, question, row, option, number, rank,
//     rows given, stakeholder type — the keys of the count, in that
//     order, and nothing else, so that it stays narrow. PostgreSQL walks
//     it (in parallel when it is long) with a streaming GroupAggregate,
//     and every consultation's number answers come out of it sorted, for
//     their quartiles. It replaces ix_answers_consultation.
//   - ix_answers_texts: consultation, question, id, which
//     ix_answers_consultation gave the texts before: a question's first
//     texts are a short walk of it.
//   - ix_hidden_questions_cells (consultation, question, stakeholder type)
//     replaces ix_hidden_questions_consultation, whose response served
//     the join.
//   - idx_answers_response_id and ix_answers_question go: no query reads
//     answers by version, and ix_answers_response_question (response,
//     question) of migration 6 serves every lookup by response. A
//     submission maintains four indexes on answers instead of five.
func migrateAnswerCells(tx *gorm.DB) error {
	stmts := []string{
		`ALTER TABLE answers ADD COLUMN stakeholder_type varchar(32) NOT NULL DEFAULT ''`,
		`UPDATE answers SET stakeholder_type = r.stakeholder_type FROM responses r WHERE r.id = answers.response_id`,
		`ALTER TABLE hidden_questions ADD COLUMN stakeholder_type varchar(32) NOT NULL DEFAULT ''`,
		`UPDATE hidden_questions SET stakeholder_type = r.stakeholder_type FROM responses r WHERE r.id = hidden_questions.response_id`,
		`CREATE INDEX ix_answers_cells ON answers (consultation_id, question_code, row_code, option_code,
		   number, rank, rows_given, stakeholder_type)`,
		`CREATE INDEX ix_answers_texts ON answers (consultation_id, question_code, id)`,
		`DROP INDEX ix_answers_consultation`,
		`DROP INDEX IF EXISTS idx_answers_response_id`,
		`DROP INDEX ix_answers_question`,
		`CREATE INDEX ix_hidden_questions_cells ON hidden_questions (consultation_id, question_code, stakeholder_type)`,
		`DROP INDEX ix_hidden_questions_consultation`,
	}
	if Dialect(tx) == Postgres {
		stmts = append(stmts, `ANALYZE answers`, `ANALYZE hidden_questions`)
	}
	for _, stmt := range stmts {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}
