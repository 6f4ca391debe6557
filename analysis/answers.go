package analysis

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/unodc-csu/agora/forms"
)

// answersSQL counts the selection's answers by question, row, option,
// value, rank and group: one hash aggregation over the answers, the shape
// of the simplest hand-written GROUP BY. %[3]s is the value counted: the
// number itself, or NULL for the number questions whose figures come from
// numbersSQL (in comparisons, where distinct values would be many).
const answersSQL = `
SELECT v.qid, v.q, v.rw, v.o, v.x, v.rk, v.g, COUNT(*) AS n
FROM (
  SELECT a.questionnaire_id AS qid, a.question_code AS q, a.row_code AS rw, a.option_code AS o,
         %[3]s AS x, a.rank AS rk, %[1]s AS g
  FROM answers a JOIN responses r ON r.id = a.response_id
  WHERE %[2]s
) v
GROUP BY v.qid, v.q, v.rw, v.o, v.x, v.rk, v.g`

// depthSQL counts the rows of questions that take several rows per
// respondent (multiple choices, matrices, rankings) by t, the number of
// rows the respondent gave (a window over the respondent's rows): depth[t]/t
// respondents gave t rows, which tells respondents apart without
// COUNT(DISTINCT) and gives each ranking's depth, which Kendall's W needs.
const depthSQL = `
SELECT v.qid, v.q, v.o, v.g, v.t, COUNT(*) AS n
FROM (
  SELECT a.questionnaire_id AS qid, a.question_code AS q, a.option_code AS o, %[1]s AS g,
         COUNT(*) OVER (PARTITION BY a.response_id, a.question_code) AS t
  FROM answers a JOIN responses r ON r.id = a.response_id
  WHERE %[2]s AND a.question_code IN ?
) v
GROUP BY v.qid, v.q, v.o, v.g, v.t`

// answerRow is one row of answersSQL or depthSQL.
type answerRow struct {
	Qid      uint
	Q, Rw, O string
	X        sql.NullFloat64
	Rk       int
	G        string
	T, N     int
}

// countAnswers runs answersSQL into ts. Number questions are counted by
// value unless listed in momentsOnly.
func (a *Analyzer) countAnswers(ctx context.Context, sel selection, qs map[string]*question, momentsOnly []string, ts tallies) error {
	value, args := "a.number", sel.args
	if len(momentsOnly) > 0 {
		value, args = "CASE WHEN a.question_code IN ? THEN NULL ELSE a.number END", withArgs([]any{momentsOnly}, sel.args...)
	}
	q := fmt.Sprintf(answersSQL, sel.group, sel.where, value)
	return a.scanAnswers(ctx, q, args, qs, ts, (*question).count)
}

// countDepths runs depthSQL for the questions of several rows into ts;
// rankings only with rankings set, since only Kendall's W needs their
// depth (a ranking's respondents are its first places).
func (a *Analyzer) countDepths(ctx context.Context, sel selection, qs map[string]*question, rankings bool, ts tallies) error {
	var codes []string
	for code, q := range qs {
		if q.multiRow() && (rankings || q.info.Type != forms.TypeRanking) {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return nil
	}
	q := fmt.Sprintf(depthSQL, sel.group, sel.where)
	return a.scanAnswers(ctx, q, withArgs(sel.args, codes), qs, ts, (*question).countDepth)
}

func (a *Analyzer) scanAnswers(ctx context.Context, q string, args []any, qs map[string]*question, ts tallies, count func(*question, *tally, *answerRow)) error {
	var rows []answerRow
	if err := a.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if qq := qs[r.Q]; qq != nil && qq.inVersion(r.Qid) {
			count(qq, ts.get(r.Q, r.G), r)
		}
	}
	return nil
}

// multiRow reports whether a respondent may give the question several
// answer rows.
func (q *question) multiRow() bool {
	switch q.info.Type {
	case forms.TypeMultipleChoice, forms.TypeMatrix, forms.TypeRanking:
		return true
	}
	return false
}

// count adds one row of answersSQL to the tally of its question and group.
func (q *question) count(t *tally, r *answerRow) {
	if !q.multiRow() {
		t.depth[1] += r.N
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
	case forms.TypeScale, forms.TypeMatrix:
		if r.X.Valid {
			t.values[valueKey{row: r.Rw, value: int(math.Round(r.X.Float64)), scaled: true}] += r.N
		}
	case forms.TypeSingleChoice, forms.TypeMultipleChoice:
		t.values[valueKey{option: r.O}] += r.N
	}
}

// countDepth adds one row of depthSQL.
func (q *question) countDepth(t *tally, r *answerRow) {
	t.depth[r.T] += r.N
	if q.info.Type == forms.TypeRanking {
		t.rankOf(r.O).byDepth[r.T] += r.N
	}
}
