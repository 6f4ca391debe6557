package analysis

import (
	"context"
	"database/sql"
	"math"

	"github.com/unodc-csu/agora/forms"
)

// answerParts is the number of queries that count one consultation's
// answers at the same time, each on its own connection and over its share
// of the questions (ranges of the index each, read once in all): the
// count is the longest step of a summary, and one query would keep one
// core of the database busy while the others wait. PostgreSQL scans one
// consultation's range in one process: it is too short for its parallel
// plans.
const answerParts = 2

// answerRow is one row of cellsSQL.
type answerRow struct {
	Q, Rw, O string
	X        sql.NullFloat64
	Rk       int
	G        string
	T, N     int
}

// answerCounts returns the queries that count a summary's answers to qs,
// each into a tallies of its own: the questions in code order, cut into
// answerParts of about the same work (apart, so they add up without
// overlap). With whole, qs is every question of the consultation's
// version, and each part is a range of codes rather than a list.
func (a *Analyzer) answerCounts(ctx context.Context, sel selection, qs map[string]*question, whole bool) ([]func() error, []tallies) {
	codes := sortedKeys(qs)
	total := 0
	for _, code := range codes {
		total += qs[code].countWork()
	}
	var parts []questionRange
	lo, done := 0, 0
	for i, code := range codes {
		done += qs[code].countWork()
		if end := i + 1; end == len(codes) || done*answerParts >= (len(parts)+1)*total && len(parts) < answerParts-1 {
			part := questionRange{codes: codes[lo:end], all: whole}
			if lo > 0 {
				part.from = codes[lo]
			}
			if end < len(codes) {
				part.to = codes[end]
			}
			parts, lo = append(parts, part), end
		}
	}
	var fns []func() error
	var out []tallies
	for _, part := range parts {
		ts := tallies{}
		out = append(out, ts)
		fns = append(fns, func() error { return a.countCells(ctx, sel, qs, part, true, ts) })
	}
	return fns, out
}

// countWork estimates, in answers to a one-row question, what counting q's
// answers costs: its rows per respondent (the rows of a matrix, the places
// of a ranking, about a quarter of a multiple choice's options), and four
// for a number, whose values are mostly groups of their own that the
// database returns and Go reads one by one.
func (q *question) countWork() int {
	switch q.info.Type {
	case forms.TypeNumber, forms.TypeInteger:
		return 4
	case forms.TypeMatrix:
		return max(1, len(q.rows))
	case forms.TypeRanking:
		return max(1, q.positions())
	case forms.TypeMultipleChoice:
		return max(1, len(q.options)/4)
	}
	return 1
}

// count adds one row of cellsSQL to the tally of its question and group.
// Only with rankDepth does a ranking's depth count: comparisons leave it
// out (see kendallW).
func (q *question) count(t *tally, r *answerRow, rankDepth bool) {
	if q.info.Type != forms.TypeRanking {
		t.depth[r.T] += r.N
	}
	switch q.info.Type {
	case forms.TypeNumber, forms.TypeInteger:
		if r.X.Valid {
			t.hist.add(r.X.Float64, r.N)
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
