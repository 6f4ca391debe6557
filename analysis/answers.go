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
// answerParts (apart, so they add up without overlap). With whole, qs is
// every question of the consultation's version, and each part is a range
// of codes rather than a list.
func (a *Analyzer) answerCounts(ctx context.Context, sel selection, qs map[string]*question, whole bool) ([]func() error, []tallies) {
	codes := sortedKeys(qs)
	var parts []questionRange
	for k := range answerParts {
		lo, hi := k*len(codes)/answerParts, (k+1)*len(codes)/answerParts
		if lo == hi {
			continue
		}
		part := questionRange{codes: codes[lo:hi], all: whole}
		if k > 0 {
			part.from = codes[lo]
		}
		if hi < len(codes) {
			part.to = codes[hi]
		}
		parts = append(parts, part)
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
