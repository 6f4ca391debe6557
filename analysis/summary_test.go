package analysis_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// randomAnswers answers testDefinition, leaving questions out at random.
func randomAnswers(rng *rand.Rand) forms.Answers {
	a := forms.Answers{}
	maybe := func() bool { return rng.IntN(8) > 0 }
	if maybe() {
		s := []string{"a", "b", "c", "other"}[rng.IntN(4)]
		a["q_single"] = s
		if s == "other" {
			a["q_single.other"] = "Something else"
		}
		if s == "a" && rng.IntN(2) == 0 {
			a["q_why"] = "Because of the cases we see."
		}
	}
	var multi []any
	for _, o := range []string{"x", "y", "z"} {
		if rng.IntN(2) == 0 {
			multi = append(multi, o)
		}
	}
	if len(multi) > 0 {
		a["q_multi"] = multi
	}
	if maybe() {
		a["q_years"] = float64(rng.IntN(40))
	}
	if maybe() {
		a["q_share"] = math.Round(rng.Float64()*10000) / 100
	}
	if maybe() {
		a["q_scale"] = float64([]int{1, 2, 3, 9}[rng.IntN(4)])
	}
	if maybe() {
		perm := rng.Perm(4)[:1+rng.IntN(3)]
		var rank []any
		for _, i := range perm {
			rank = append(rank, []string{"a", "b", "c", "d"}[i])
		}
		a["q_rank"] = rank
	}
	m := map[string]any{}
	for _, r := range []string{"r5", "r6"} {
		if maybe() {
			m[r] = float64([]int{1, 2, 3, 9}[rng.IntN(4)])
		}
	}
	if len(m) > 0 {
		a["q_matrix"] = m
	}
	if rng.IntN(3) == 0 {
		a["q_date"] = "2026-03-01"
	}
	return a
}

// generated deploys testDefinition and submits n random responses (plus
// drafts, which must not count).
func generated(t *testing.T, n int, minCell int, anonymity string) (*env, *forms.Consultation) {
	e := newEnv(t)
	qid := e.publish(testDefinition())
	c := e.consult(qid, "KEN", anonymity, minCell)
	rng := rand.New(rand.NewPCG(7, 11))
	types := []string{"ngo", "ngo", "ngo", "academia", "private_sector"}
	for range n {
		e.respond(c, types[rng.IntN(len(types))], randomAnswers(rng))
	}
	e.draft(c, "ngo", forms.Answers{"q_single": "b", "q_years": 99.0})
	return e, c
}

func TestSummaryCountsEqualTheAnswers(t *testing.T) {
	e, c := generated(t, 40, 5, forms.AnonymityConfidential)
	s, err := e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{ByType: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Respondents != 40 || s.Suppressed {
		t.Fatalf("respondents %d suppressed %v", s.Respondents, s.Suppressed)
	}
	if len(s.Questions) != 9 {
		t.Fatalf("%d questions", len(s.Questions))
	}
	for _, q := range s.Questions {
		t.Run(q.Code, func(t *testing.T) {
			check := &checker{e: e, t: t, q: q, where: "r.consultation_id = ? AND r.status = 'submitted'", args: []any{c.ID}}
			check.figures(q.Overall)
			for typ, f := range q.ByType {
				sub := *check
				sub.where += " AND r.stakeholder_type = ?"
				sub.args = append(slices.Clone(check.args), typ)
				sub.figures(f)
			}
		})
	}
}

// checker compares figures with counts taken directly from the answers.
type checker struct {
	e     *env
	t     *testing.T
	q     *analysis.QuestionSummary
	where string
	args  []any
}

func (c *checker) n(query string, more ...any) int {
	return c.e.count(query, append(slices.Clone(c.args), more...)...)
}

const fromAnswers = " FROM answers a JOIN responses r ON r.id = a.response_id WHERE "

func (c *checker) figures(f *analysis.Figures) {
	t, code := c.t, c.q.Code
	if f == nil || f.Suppressed {
		t.Fatalf("figures missing or suppressed for an admin: %+v", f)
	}
	want := [3]int{
		c.n("SELECT COUNT(*) FROM responses r WHERE " + c.where),
		c.n("SELECT COUNT(DISTINCT a.response_id)"+fromAnswers+c.where+" AND a.question_code = ?", code),
		c.n("SELECT COUNT(*) FROM hidden_questions h JOIN responses r ON r.id = h.response_id WHERE "+c.where+" AND h.question_code = ?", code),
	}
	if got := [3]int{f.Respondents, f.Answered, f.NotShown}; got != want {
		t.Errorf("respondents, answered, not shown = %v, want %v", got, want)
	}
	if f.Respondents != f.Answered+f.NotAnswered+f.NotShown {
		t.Errorf("%d respondents ≠ %d + %d + %d", f.Respondents, f.Answered, f.NotAnswered, f.NotShown)
	}
	for _, o := range f.Options {
		if n := c.n("SELECT COUNT(*)"+fromAnswers+c.where+" AND a.question_code = ? AND a.option_code = ?", code, o.Code); o.Count != n {
			t.Errorf("option %s: %d, want %d", o.Code, o.Count, n)
		}
	}
	if f.Scale != nil {
		c.points("", f.Scale)
	}
	for _, r := range f.Rows {
		if n := c.n("SELECT COUNT(*)"+fromAnswers+c.where+" AND a.question_code = ? AND a.row_code = ?", code, r.Code); r.Answered != n {
			t.Errorf("row %s answered %d, want %d", r.Code, r.Answered, n)
		}
		c.points(r.Code, &r.Scale)
	}
	if f.Number != nil {
		c.number(f.Number)
	}
	if f.Ranking != nil {
		c.ranking(f.Ranking)
	}
}

func (c *checker) points(row string, s *analysis.ScaleFigures) {
	sum, valid := 0, 0
	for _, p := range s.Points {
		n := c.n("SELECT COUNT(*)"+fromAnswers+c.where+" AND a.question_code = ? AND a.row_code = ? AND a.number = ?", c.q.Code, row, p.Value)
		if p.Count != n {
			c.t.Errorf("row %q point %d: %d, want %d", row, p.Value, p.Count, n)
		}
		if !p.Missing {
			sum, valid = sum+n*p.Value, valid+n
		}
	}
	if valid != s.Valid || valid > 0 && (s.Mean == nil || math.Abs(*s.Mean-float64(sum)/float64(valid)) > 1e-4) {
		c.t.Errorf("row %q: valid %d mean %v, want %d and %d/%d", row, s.Valid, s.Mean, valid, sum, valid)
	}
}

// number checks the moments against SQL and the quartiles against values
// sorted here, the one place a test may read them all.
func (c *checker) number(f *analysis.NumberFigures) {
	var xs []float64
	rows, err := c.e.db.Raw("SELECT a.number"+fromAnswers+c.where+" AND a.question_code = ? AND a.number IS NOT NULL", append(slices.Clone(c.args), c.q.Code)...).Rows()
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var x float64
		if err := rows.Scan(&x); err != nil {
			c.t.Fatal(err)
		}
		xs = append(xs, x)
	}
	if len(xs) != f.Count || len(xs) == 0 {
		c.t.Fatalf("count %d, want %d", f.Count, len(xs))
	}
	b := bruteNumbers(xs)
	got := []float64{f.Min, f.Q1, f.Median, f.Q3, f.Max, f.Mean}
	want := []float64{b.Min, b.Q1, b.Median, b.Q3, b.Max, b.Mean}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-4 {
			c.t.Errorf("min, q1, median, q3, max, mean = %v, want %v", got, want)
			break
		}
	}
}

func (c *checker) ranking(f *analysis.RankFigures) {
	for _, it := range f.Items {
		got := [3]int{it.Ranked, it.First, it.Borda}
		want := [3]int{
			c.n("SELECT COUNT(*)"+fromAnswers+c.where+" AND a.question_code = ? AND a.option_code = ?", c.q.Code, it.Code),
			c.n("SELECT COUNT(*)"+fromAnswers+c.where+" AND a.question_code = ? AND a.option_code = ? AND a.rank = 1", c.q.Code, it.Code),
			c.n("SELECT COALESCE(SUM(4 - a.rank), 0)"+fromAnswers+c.where+" AND a.question_code = ? AND a.option_code = ?", c.q.Code, it.Code),
		}
		if got != want {
			c.t.Errorf("item %s ranked, first, borda = %v, want %v", it.Code, got, want)
		}
	}
}

func TestSummaryScopeAndOptions(t *testing.T) {
	e, c := generated(t, 6, 5, forms.AnonymityConfidential)
	_, err := e.an.Summary(e.ctx, forms.Scope{Countries: []string{"MEX"}}, analyst, c.ID, analysis.SummaryOptions{})
	if !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("another country's consultation: %v, want not found", err)
	}
	if _, err := e.an.Summary(e.ctx, forms.Scope{Countries: []string{"KEN"}}, analyst, c.ID, analysis.SummaryOptions{}); err != nil {
		t.Errorf("own country: %v", err)
	}
	if _, err := e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID+100, analysis.SummaryOptions{}); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("unknown consultation: %v", err)
	}
	_, err = e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{StakeholderType: "spy", Language: "xx", TextLimit: 5000})
	var ve *forms.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Errorf("bad options: %v", err)
	}
}

// TestSummaryTextsOldestFirst checks the texts listed with a summary: for
// each question, the first ones by submission order, another
// consultation's left out, and whether more exist.
func TestSummaryTextsOldestFirst(t *testing.T) {
	e, c := generated(t, 40, 5, forms.AnonymityConfidential)
	other := e.consult(c.QuestionnaireID, "KEN", forms.AnonymityConfidential, 5)
	e.respond(other, "ngo", forms.Answers{"q_single": "a", "q_why": "Another consultation."})
	for _, limit := range []int{2, 1000} {
		s, err := e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{TextLimit: limit})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range s.Questions {
			var want []string
			err := e.db.Raw(`SELECT a.text FROM answers a JOIN responses r ON r.id = a.response_id
				WHERE r.consultation_id = ? AND r.status = 'submitted' AND a.question_code = ? AND a.text <> '' ORDER BY a.id`,
				c.ID, q.Code).Scan(&want).Error
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range q.Texts {
				got = append(got, x.Text)
			}
			more := len(want) > limit
			if more {
				want = want[:limit]
			}
			if !slices.Equal(got, want) || q.MoreTexts != more {
				t.Errorf("limit %d, %s: texts %q (more %v), want %q (more %v)", limit, q.Code, got, q.MoreTexts, want, more)
			}
		}
	}
}

// TestSummaryTextsOfManyQuestions checks the texts of a questionnaire with
// more text questions than one texts query takes.
func TestSummaryTextsOfManyQuestions(t *testing.T) {
	e := newEnv(t)
	def := &forms.Definition{
		Code: "many-texts", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: text("Many texts"), Sections: []forms.Section{{Code: "s1", Title: text("All")}},
	}
	answers := forms.Answers{}
	for i := range 130 {
		code := fmt.Sprintf("t%03d", i)
		def.Sections[0].Questions = append(def.Sections[0].Questions, forms.Question{Code: code, Type: forms.TypeText, Label: text(code)})
		answers[code] = "Answer to " + code
	}
	c := e.consult(e.publish(def), "KEN", forms.AnonymityConfidential, forms.MinCellFloor)
	e.respond(c, "ngo", answers)
	s, err := e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Questions) != 130 {
		t.Fatalf("%d questions, want 130", len(s.Questions))
	}
	for _, q := range s.Questions {
		if len(q.Texts) != 1 || q.Texts[0].Text != "Answer to "+q.Code {
			t.Errorf("%s: texts %+v", q.Code, q.Texts)
		}
	}
}
