package analysis

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Groupings: the SQL expression naming each response's group. Queries are
// assembled only from these constants and from constant fragments; every
// value is a parameter.
const (
	groupType = "r.stakeholder_type"
	// groupNone puts every response in one group, for a summary without
	// a breakdown: its figures are the roll-up of all groups anyway, and
	// its counts need no join to the responses at all (see cellsSQL).
	groupNone = "''"
)

// selection is the set of submitted responses an aggregation reads: their
// consultations, a further condition over responses r (constant SQL with ?
// placeholders) and its arguments, and how responses are grouped.
//
// The answers and hidden questions are counted without the responses
// (cellsSQL), from place and stakeholderType. The texts, which join answers
// a to their responses, select the consultations on a.consultation_id, a
// range of an index, and not on r.consultation_id too: the
// planner, which cannot know that both columns agree, would then expect
// almost no rows and sort every text of a question instead of walking the
// index up to the few it lists.
type selection struct {
	consultations []uint
	where         string
	args          []any
	group         string // groupType or groupNone
	// The same selection for the queries over answers alone (cellsSQL):
	// the consultations' groups and versions, and the one stakeholder
	// type the responses are restricted to, if any.
	place           map[uint]placement
	stakeholderType string
}

// ownArgs are the arguments of "x.consultation_id IN ? AND " + where, for
// queries over responses alone and for the texts.
func (s selection) ownArgs() []any { return withArgs([]any{s.consultations}, s.args...) }

// tally holds one question's additive counts in one group, as the queries
// return them; tallies of several groups add up into a roll-up.
type tally struct {
	asked    int
	notShown int
	// depth counts answer rows by the number of rows t their respondent
	// gave to the question: depth[t]/t respondents gave t rows, so the
	// respondents who answered are Σ depth[t]/t, for a multiple choice or a
	// matrix as for a question of one row per respondent.
	depth  map[int]int
	values map[valueKey]int // options, scale points, matrix cells
	hist   valueRun         // number answers by value (summaries)
	rank   map[string]*rankTally
}

// valueKey is what a cell counts: an option, or a scale value of a row.
type valueKey struct {
	row, option string
	value       int
	scaled      bool
}

func newTally() *tally {
	return &tally{depth: map[int]int{}, values: map[valueKey]int{}, rank: map[string]*rankTally{}}
}

// answered is the number of respondents with at least one answer row (for
// rankings, see question.answered).
func (t *tally) answered() int {
	n := 0
	for d, rows := range t.depth {
		if d > 0 {
			n += rows / d
		}
	}
	return n
}

// add adds o's counts to t.
func (t *tally) add(o *tally) {
	t.asked += o.asked
	t.notShown += o.notShown
	for d, n := range o.depth {
		t.depth[d] += n
	}
	for k, n := range o.values {
		t.values[k] += n
	}
	t.hist = t.hist.merge(o.hist)
	for code, r := range o.rank {
		t.rankOf(code).add(r)
	}
}

// tallies maps question code → group → tally.
type tallies map[string]map[string]*tally

func (ts tallies) get(q, g string) *tally {
	byGroup := ts[q]
	if byGroup == nil {
		byGroup = map[string]*tally{}
		ts[q] = byGroup
	}
	t := byGroup[g]
	if t == nil {
		t = newTally()
		byGroup[g] = t
	}
	return t
}

// addAll adds the tallies of o, question by question and group by group,
// to those of ts.
func (ts tallies) addAll(o tallies) {
	for q, byGroup := range o {
		for g, t := range byGroup {
			ts.get(q, g).add(t)
		}
	}
}

// rollup adds up the tallies of the groups keep accepts.
func (ts tallies) rollup(q string, keep func(g string) bool) *tally {
	sum := newTally()
	for g, t := range ts[q] {
		if keep(g) {
			sum.add(t)
		}
	}
	return sum
}

// sizes counts submitted responses by group and questionnaire version.
type sizes map[string]map[uint]int

func (s sizes) total(g string) int {
	n := 0
	for _, c := range s[g] {
		n += c
	}
	return n
}

func (s sizes) totals() map[string]int {
	out := make(map[string]int, len(s))
	for g := range s {
		out[g] = s.total(g)
	}
	return out
}

const respondentsSQL = `
SELECT r.questionnaire_id AS qid, %[1]s AS g, COUNT(*) AS n
FROM responses r
WHERE r.consultation_id IN ? AND %[2]s
GROUP BY r.questionnaire_id, %[1]s`

// respondents counts the selection's responses by group and version.
func (a *Analyzer) respondents(ctx context.Context, sel selection) (sizes, error) {
	var rows []struct {
		Qid uint
		G   string
		N   int
	}
	q := fmt.Sprintf(respondentsSQL, sel.group, sel.where)
	if err := a.db.WithContext(ctx).Raw(q, sel.ownArgs()...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := sizes{}
	for _, r := range rows {
		if out[r.G] == nil {
			out[r.G] = map[uint]int{}
		}
		out[r.G][r.Qid] += r.N
	}
	return out, nil
}

// setAsked records, for every question and group, how many respondents
// answered a version that has the question.
func setAsked(ts tallies, qs []*question, sz sizes) {
	for _, q := range qs {
		for g, byVersion := range sz {
			n := 0
			for _, id := range q.versions {
				n += byVersion[id]
			}
			if n > 0 {
				ts.get(q.info.Code, g).asked += n
			}
		}
	}
}

// withArgs returns args followed by more, without touching args' array.
func withArgs(args []any, more ...any) []any {
	out := make([]any, 0, len(args)+len(more))
	return append(append(out, args...), more...)
}

// peek returns the tally of q in g, an empty one when there is none.
func (ts tallies) peek(q, g string) *tally {
	if t := ts[q][g]; t != nil {
		return t
	}
	return newTally()
}

// parallel runs independent queries at the same time, each on a connection
// of its own, and returns their errors joined. A summary's queries read
// different things (answers, hidden questions, texts, invitations), so its
// time is that of the longest rather than of their sum.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
