package analysis

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/unodc-csu/agora/forms"
)

// answersSQL counts the answers to some questions by question, row,
// option, value, rank, rows given and group: one hash aggregation, the
// shape of the simplest hand-written GROUP BY, read from the
// consultations' ranges of ix_answers_consultation (consultation, then
// question). rows_given, the number of rows the respondent gave to the
// question (stored at submission), tells respondents of multi-row
// questions apart without COUNT(DISTINCT) and gives each ranking's depth,
// which Kendall's W needs: the rows with t rows given, divided by t, are
// respondents. %[3]s is the value counted: the number itself, or NULL for
// the number questions whose figures come from numbersSQL (in comparisons,
// where distinct values would be many).
const answersSQL = `
SELECT v.qid, v.q, v.rw, v.o, v.x, v.rk, v.t, v.g, COUNT(*) AS n
FROM (
  SELECT a.questionnaire_id AS qid, a.question_code AS q, a.row_code AS rw, a.option_code AS o,
         %[3]s AS x, a.rank AS rk, a.rows_given AS t, %[1]s AS g
  FROM answers a JOIN responses r ON r.id = a.response_id
  WHERE a.consultation_id IN ? AND a.question_code IN ? AND r.consultation_id IN ? AND %[2]s
) v
GROUP BY v.qid, v.q, v.rw, v.o, v.x, v.rk, v.t, v.g`

// answerParts is the number of queries that count one consultation's
// answers at the same time, each on its own connection and over its share
// of the questions (a range of the index each, read once in all): the
// count is the longest step of a summary, and one query would keep one
// core of the database busy while the others wait. PostgreSQL does not
// plan it in parallel itself: it cannot tell that the answers' and the
// responses' consultation agree, so it expects few rows. A comparison's
// answers are most of the table, which PostgreSQL does scan in parallel;
// split by question, each part would scan it all.
const answerParts = 2

// answerRow is one row of answersSQL.
type answerRow struct {
	Qid      uint
	Q, Rw, O string
	X        sql.NullFloat64
	Rk       int
	G        string
	T, N     int
}

// answerCounts returns the queries that count the answers to qs, each
// into a tallies of its own (the questions of each are apart, so they add
// up without overlap). Number questions are counted by value unless
// listed in momentsOnly; the depth of rankings is counted only with
// rankDepth.
func (a *Analyzer) answerCounts(ctx context.Context, sel selection, qs map[string]*question, momentsOnly []string, rankDepth bool) ([]func() error, []tallies) {
	n := 1
	if len(sel.consultations) == 1 {
		n = answerParts
	}
	parts := make([][]string, n)
	for i, code := range sortedKeys(qs) {
		parts[i%n] = append(parts[i%n], code)
	}
	var fns []func() error
	var out []tallies
	for _, codes := range parts {
		if len(codes) == 0 {
			continue
		}
		ts := tallies{}
		out = append(out, ts)
		fns = append(fns, func() error { return a.countAnswers(ctx, sel, codes, qs, momentsOnly, rankDepth, ts) })
	}
	return fns, out
}

// countAnswers runs answersSQL for the questions codes into ts.
func (a *Analyzer) countAnswers(ctx context.Context, sel selection, codes []string, qs map[string]*question, momentsOnly []string, rankDepth bool, ts tallies) error {
	value := "a.number"
	var args []any
	if len(momentsOnly) > 0 {
		value, args = "CASE WHEN a.question_code IN ? THEN NULL ELSE a.number END", []any{momentsOnly}
	}
	args = append(args, sel.consultations, codes)
	args = append(args, sel.ownArgs()...)
	q := fmt.Sprintf(answersSQL, sel.group, sel.where, value)
	rows, err := a.db.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	// The rows are scanned one by one into one struct: a summary's number
	// values make them thousands, which reflection would make costly.
	var r answerRow
	for rows.Next() {
		if err := rows.Scan(&r.Qid, &r.Q, &r.Rw, &r.O, &r.X, &r.Rk, &r.T, &r.G, &r.N); err != nil {
			return err
		}
		if qq := qs[r.Q]; qq != nil && qq.inVersion(r.Qid) {
			qq.count(ts.get(r.Q, r.G), &r, rankDepth)
		}
	}
	return rows.Err()
}

// count adds one row of answersSQL to the tally of its question and group.
// Only with rankDepth does a ranking's depth count: comparisons leave it
// out (see kendallW).
func (q *question) count(t *tally, r *answerRow, rankDepth bool) {
	if q.info.Type != forms.TypeRanking {
		t.depth[r.T] += r.N
	}
	switch q.info.Type {
	case forms.TypeNumber, forms.TypeInteger:
		if r.X.Valid {
			t.hist[r.X.Float64] += r.N
		}
	case forms.TypeRanking:
		rt := t.rankOf(r.O)
		rt.n += r.N
		rt.rankSum += r.Rk * r.N
		if r.Rk == 1 {
			rt.first += r.N
		}
		if r.Rk >= 1 && r.Rk <= 3 {
			rt.top3 += r.N
		}
		if rankDepth {
			t.depth[r.T] += r.N
			rt.byDepth[r.T] += r.N
		}
	case forms.TypeScale, forms.TypeMatrix:
		if r.X.Valid {
			t.values[valueKey{row: r.Rw, value: int(math.Round(r.X.Float64)), scaled: true}] += r.N
		}
	case forms.TypeSingleChoice, forms.TypeMultipleChoice:
		t.values[valueKey{option: r.O}] += r.N
	}
}
