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
// stakeholder type, or an empty string when the counts are not broken
// down by it (%[3]s then adds no key); %[2]s selects the questions and, if
// asked, one type. The values are read as floating point, as Go holds
// them, where PostgreSQL's numeric would be sent as text and parsed.
// Comparisons leave the number questions out, whose values counted one by
// one would be most of their groups (compareNumbers reads them); a summary
// counts them here, for quartiles: the ORDER BY, which the index's order
// already satisfies, gives each question's values in increasing order
// (see valueRun).
const cellsSQL = `
SELECT a.consultation_id AS c, a.question_code AS q, a.row_code AS rw, a.option_code AS o,
       CAST(a.number AS DOUBLE PRECISION) AS x, a.rank AS rk, a.rows_given AS t, %[1]s AS g, COUNT(*) AS n
FROM answers a
WHERE a.consultation_id IN ?%[2]s
GROUP BY a.consultation_id, a.question_code, a.row_code, a.option_code, a.number, a.rank, a.rows_given%[3]s
ORDER BY a.consultation_id, a.question_code, a.row_code, a.option_code, a.number, a.rank, a.rows_given%[3]s`

// hiddenCellsSQL counts the questions skip logic did not show, by
// consultation, question and (%[1]s) stakeholder type, in the order of
// ix_hidden_questions_cells; %[2]s restricts them to one type.
const hiddenCellsSQL = `
SELECT h.consultation_id AS c, h.question_code AS q, %[1]s AS g, COUNT(*) AS n
FROM hidden_questions h
WHERE h.consultation_id IN ?%[2]s
GROUP BY h.consultation_id, h.question_code%[3]s`

// questionRange selects the questions cellsSQL counts. Unless all is set,
// they are those listed in codes. With all, they are every question whose
// code is at least from and below to (an empty bound is no bound), and Go
// skips those not asked for: a range of the index costs less than testing
// every row against a list that is most of it. Such bounds cut the codes
// in two wherever the database's collation puts them, so each answer is
// counted by exactly one range; a list's first and last code would not.
type questionRange struct {
	codes    []string
	from, to string
	all      bool
}

// where returns the condition on a.question_code and its arguments.
func (q questionRange) where() (string, []any) {
	if !q.all {
		return " AND a.question_code IN ?", []any{q.codes}
	}
	var cond string
	var args []any
	if q.from != "" {
		cond, args = cond+" AND a.question_code >= ?", append(args, q.from)
	}
	if q.to != "" {
		cond, args = cond+" AND a.question_code < ?", append(args, q.to)
	}
	return cond, args
}

// placement is where a consultation's counts go: its group (its country in
// a comparison, the summary's one group in a summary) and its version.
type placement struct {
	group   string
	version uint
}

// countCells counts the answers to the questions of the selection's
// consultations into ts, by question and group: the stakeholder type when
// the selection groups by it, else the consultation's placement. The
// questions are those of qs that q selects. The depth of rankings is
// counted only with rankDepth.
func (a *Analyzer) countCells(ctx context.Context, sel selection, qs map[string]*question, q questionRange, rankDepth bool, ts tallies) error {
	if !q.all && len(q.codes) == 0 {
		return nil
	}
	group, typeFilter, key := sel.typeSQL("a")
	filter, args := q.where()
	args = append([]any{consultationIDs(sel.place)}, args...)
	if sel.stakeholderType != "" {
		filter, args = filter+typeFilter, append(args, sel.stakeholderType)
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
				qq.count(ts.get(r.Q, sel.groupOf(p, r.G)), &r, rankDepth)
			}
		}
		return rows.Err()
	})
}

// countHiddenCells counts the hidden questions of the selection's
// consultations into ts, by question and group, as countCells counts the
// answers.
func (a *Analyzer) countHiddenCells(ctx context.Context, sel selection, qs map[string]*question, ts tallies) error {
	group, filter, key := sel.typeSQL("h")
	args := []any{consultationIDs(sel.place)}
	if sel.stakeholderType != "" {
		args = append(args, sel.stakeholderType)
	}
	var rows []struct {
		C    uint
		Q, G string
		N    int
	}
	if err := a.db.WithContext(ctx).Raw(fmt.Sprintf(hiddenCellsSQL, group, filter, key), args...).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		p, ok := sel.place[r.C]
		if qq := qs[r.Q]; ok && qq != nil && qq.inVersion(p.version) {
			ts.get(r.Q, sel.groupOf(p, r.G)).notShown += r.N
		}
	}
	return nil
}

// typeSQL returns, for the rows of table alias t, the stakeholder type
// selected as the group (or ”), the condition restricting the rows to
// one type (or nothing) and the type as a further key of the GROUP BY (or
// nothing), as the selection asks.
func (sel selection) typeSQL(t string) (group, filter, key string) {
	group = "''"
	if sel.group == groupType {
		group, key = t+".stakeholder_type", ", "+t+".stakeholder_type"
	}
	if sel.stakeholderType != "" {
		filter = " AND " + t + ".stakeholder_type = ?"
	}
	return group, filter, key
}

// groupOf is the group a row counted for placement p, of type g, goes to.
func (sel selection) groupOf(p placement, g string) string {
	if sel.group == groupType {
		return g
	}
	return p.group
}

// streamAggregate runs fn, on PostgreSQL in a read-only transaction that
// plans cellsSQL for what it counts:
//
//   - without hashing the aggregate: the planner's estimate of the groups,
//     from the multi-column statistics of the answers, makes a hash of
//     every row look cheaper than counting the groups in the index's
//     order, which it is not once the rows are many;
//   - with a plan made for the consultations asked for each time: the
//     driver prepares the statement once per connection, and after five
//     runs PostgreSQL may keep a generic plan made without the values,
//     which took the comparison from 1.5 s to 3 to 5 s.
//
// SQLite plans without the hints, and outside a transaction, which there
// would wait for the writers.
func (a *Analyzer) streamAggregate(ctx context.Context, fn func(db *gorm.DB) error) error {
	db := a.db.WithContext(ctx)
	if database.Dialect(db) != database.Postgres {
		return fn(db)
	}
	return db.Transaction(func(tx *gorm.DB) error {
		for _, set := range []string{"SET LOCAL enable_hashagg = off", "SET LOCAL plan_cache_mode = force_custom_plan"} {
			if err := tx.Exec(set).Error; err != nil {
				return err
			}
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
