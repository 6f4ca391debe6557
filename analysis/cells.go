package analysis

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms/database"
)

// Summaries and comparisons count answers by consultation: a consultation
// stands for its country and its questionnaire version, and each answer
// row carries its response's stakeholder type, so the responses need no
// join. Answer rows and hidden questions are written only when a response
// is submitted (forms.Submit), and every response of a consultation has
// the consultation's country, so a consultation's rows are exactly its
// submitted responses' rows.

// cellsSQL counts the answers to some questions by the keys of
// ix_answers_cells, in its order: PostgreSQL reads the index (in parallel
// when it is long) and counts each group as it ends (a GroupAggregate),
// where a hash of every row joined to its response took half as long
// again for a summary and twice as long for a comparison. %[1]s is the
// stakeholder type, or ” when the counts are not broken down by it; %[2]s
// restricts them to one type. Comparisons leave the number questions out,
// whose values counted one by one would be most of their groups
// (compareNumbers reads them); a summary counts them here, for quartiles.
const cellsSQL = `
SELECT a.consultation_id AS c, a.question_code AS q, a.row_code AS rw, a.option_code AS o,
       a.number AS x, a.rank AS rk, a.rows_given AS t, %[1]s AS g, COUNT(*) AS n
FROM answers a
WHERE a.consultation_id IN ? AND a.question_code IN ?%[2]s
GROUP BY a.consultation_id, a.question_code, a.row_code, a.option_code, a.number, a.rank, a.rows_given%[3]s`

// hiddenCellsSQL counts the questions skip logic did not show, by
// consultation, in the order of ix_hidden_questions_consultation. Hidden
// questions carry no stakeholder type: breakdowns count them joined to
// their responses (hiddenSQL), a few thousand rows.
const hiddenCellsSQL = `
SELECT h.consultation_id AS c, h.question_code AS q, COUNT(*) AS n
FROM hidden_questions h
WHERE h.consultation_id IN ?
GROUP BY h.consultation_id, h.questionnaire_id, h.question_code`

// placement is where a consultation's counts go: its group (its country in
// a comparison, the summary's one group in a summary) and its version.
type placement struct {
	group   string
	version uint
}

// countCells counts the answers to the questions codes of the selection's
// consultations into ts, by question and group: the stakeholder type when
// the selection groups by it, else the consultation's placement. The depth
// of rankings is counted only with rankDepth.
func (a *Analyzer) countCells(ctx context.Context, sel selection, qs map[string]*question, codes []string, rankDepth bool, ts tallies) error {
	if len(codes) == 0 {
		return nil
	}
	group, filter, key := "''", "", ""
	args := []any{consultationIDs(sel.place), codes}
	if sel.group == groupType {
		group, key = "a.stakeholder_type", ", a.stakeholder_type"
	}
	if sel.stakeholderType != "" {
		filter, args = " AND a.stakeholder_type = ?", append(args, sel.stakeholderType)
	}
	query := fmt.Sprintf(cellsSQL, group, filter, key)
	return a.streamAggregate(ctx, func(db *gorm.DB) error {
		rows, err := db.Raw(query, args...).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		// The rows are scanned one by one into one struct: a summary's
		// number values make them thousands, which reflection would make
		// costly.
		var (
			r answerRow
			c uint
		)
		for rows.Next() {
			if err := rows.Scan(&c, &r.Q, &r.Rw, &r.O, &r.X, &r.Rk, &r.T, &r.G, &r.N); err != nil {
				return err
			}
			p, ok := sel.place[c]
			if qq := qs[r.Q]; ok && qq != nil && qq.inVersion(p.version) {
				g := p.group
				if sel.group == groupType {
					g = r.G
				}
				qq.count(ts.get(r.Q, g), &r, rankDepth)
			}
		}
		return rows.Err()
	})
}

// countHiddenCells counts the hidden questions of the selection's
// consultations into ts, by question and placement.
func (a *Analyzer) countHiddenCells(ctx context.Context, sel selection, qs map[string]*question, ts tallies) error {
	var rows []struct {
		C uint
		Q string
		N int
	}
	if err := a.db.WithContext(ctx).Raw(hiddenCellsSQL, consultationIDs(sel.place)).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		p, ok := sel.place[r.C]
		if qq := qs[r.Q]; ok && qq != nil && qq.inVersion(p.version) {
			ts.get(r.Q, p.group).notShown += r.N
		}
	}
	return nil
}

// streamAggregate runs fn, on PostgreSQL in a read-only transaction that
// does not hash aggregates: its estimate of the groups of cellsSQL, from
// the multi-column statistics of the answers, makes a hash look cheaper
// than counting the groups in the index's order, which it is not once the
// rows are many. SQLite plans without the hint, and outside a
// transaction, which there would wait for the writers.
func (a *Analyzer) streamAggregate(ctx context.Context, fn func(db *gorm.DB) error) error {
	db := a.db.WithContext(ctx)
	if database.Dialect(db) != database.Postgres {
		return fn(db)
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL enable_hashagg = off").Error; err != nil {
			return err
		}
		return fn(tx)
	}, &sql.TxOptions{ReadOnly: true})
}

// consultationIDs lists the consultations placed.
func consultationIDs(place map[uint]placement) []uint {
	ids := make([]uint, 0, len(place))
	for id := range place {
		ids = append(ids, id)
	}
	return ids
}
