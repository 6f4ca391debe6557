package analysis

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/unodc-csu/agora/forms"
)

// Groupings: the SQL expression naming each response's group. Queries are
// assembled only from these constants and from constant fragments; every
// value is a parameter.
const (
	groupType    = "r.stakeholder_type"
	groupCountry = "r.country_iso3"
	groupRegion  = "COALESCE(c.regional_group, 'none')"
	groupAll     = "''"
	joinCountry  = " JOIN countries c ON c.iso3 = r.country_iso3"
)

// selection is the set of submitted responses an aggregation reads: a
// condition over responses r (constant SQL with ? placeholders) and its
// arguments, and how responses are grouped.
type selection struct {
	where string
	args  []any
	group string // one of the groupings above
	join  string // joinCountry when group needs it
}

// withGroup returns the selection grouped another way.
func (s selection) withGroup(group string) selection {
	s.group, s.join = group, ""
	if group == groupRegion {
		s.join = joinCountry
	}
	return s
}

// partition is the window partition suffix of the grouping: none for
// groupAll, which puts every response in one group.
func (s selection) partition() string {
	if s.group == groupAll {
		return ""
	}
	return ", " + s.group
}

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
	hist   map[float64]int  // number answers by value (summaries)
	rank   map[string]*rankTally
}

// valueKey is what a cell counts: an option, or a scale value of a row.
type valueKey struct {
	row, option string
	value       int
	scaled      bool
}

func newTally() *tally {
	return &tally{depth: map[int]int{}, values: map[valueKey]int{}, hist: map[float64]int{}, rank: map[string]*rankTally{}}
}

// answered is the number of respondents with at least one answer row.
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
	for x, n := range o.hist {
		t.hist[x] += n
	}
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
FROM responses r%[3]s
WHERE %[2]s
GROUP BY r.questionnaire_id, %[1]s`

// respondents counts the selection's responses by group and version.
func (a *Analyzer) respondents(ctx context.Context, sel selection) (sizes, error) {
	var rows []struct {
		Qid uint
		G   string
		N   int
	}
	q := fmt.Sprintf(respondentsSQL, sel.group, sel.where, sel.join)
	if err := a.db.WithContext(ctx).Raw(q, sel.args...).Scan(&rows).Error; err != nil {
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

// answersSQL reads the selection's answers once and counts them by
// question, row, option, value, rank and group, and by t, the number of
// rows the respondent gave to the question (a window over the respondent's
// rows): t tells respondents apart without COUNT(DISTINCT), and gives the
// depth of each ranking that Kendall's W needs. %[4]s is the value counted:
// the number itself, or NULL for the number questions whose figures come
// from numbersSQL (in comparisons, where distinct values would be many).
const answersSQL = `
SELECT v.qid, v.q, v.rw, v.o, v.x, v.rk, v.g, v.t, COUNT(*) AS n
FROM (
  SELECT a.questionnaire_id AS qid, a.question_code AS q, a.row_code AS rw, a.option_code AS o,
         %[4]s AS x, a.rank AS rk, %[1]s AS g,
         COUNT(*) OVER (PARTITION BY a.response_id, a.question_code) AS t
  FROM answers a JOIN responses r ON r.id = a.response_id%[3]s
  WHERE %[2]s
) v
GROUP BY v.qid, v.q, v.rw, v.o, v.x, v.rk, v.g, v.t`

// answerRow is one row of answersSQL.
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
	var rows []answerRow
	q := fmt.Sprintf(answersSQL, sel.group, sel.where, sel.join, value)
	if err := a.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if qq := qs[r.Q]; qq != nil && qq.inVersion(r.Qid) {
			qq.count(ts.get(r.Q, r.G), r)
		}
	}
	return nil
}

// count adds one row of answersSQL to the tally of its question and group.
func (q *question) count(t *tally, r *answerRow) {
	t.depth[r.T] += r.N
	switch q.info.Type {
	case forms.TypeNumber, forms.TypeInteger:
		if r.X.Valid {
			t.hist[r.X.Float64] += r.N
		}
	case forms.TypeRanking:
		rt := t.rankOf(r.O)
		rt.n += r.N
		rt.rankSum += r.Rk * r.N
		rt.byDepth[r.T] += r.N
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

// hiddenSQL counts the questions skip logic did not show.
const hiddenSQL = `
SELECT h.questionnaire_id AS qid, h.question_code AS q, %[1]s AS g, COUNT(*) AS n
FROM hidden_questions h JOIN responses r ON r.id = h.response_id%[3]s
WHERE %[2]s
GROUP BY h.questionnaire_id, h.question_code, %[1]s`

// countHidden counts the hidden questions into ts, which no other query
// writes at the same time.
func (a *Analyzer) countHidden(ctx context.Context, sel selection, qs map[string]*question, ts tallies) error {
	q := fmt.Sprintf(hiddenSQL, sel.group, sel.where, sel.join)
	return a.countPerQuestion(ctx, q, sel.args, qs, ts, func(t *tally, n int) { t.notShown += n })
}

func (a *Analyzer) countPerQuestion(ctx context.Context, q string, args []any, qs map[string]*question, ts tallies, set func(*tally, int)) error {
	var rows []struct {
		Qid  uint
		Q, G string
		N    int
	}
	if err := a.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if qq := qs[r.Q]; qq != nil && qq.inVersion(r.Qid) {
			set(ts.get(r.Q, r.G), r.N)
		}
	}
	return nil
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
