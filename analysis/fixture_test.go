package analysis_test

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// env is a fresh database with the store that writes into it and the
// analyzer that reads it.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	store *forms.Store
	an    *analysis.Analyzer
	orgs  int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := dbtest.Open(t)
	return &env{t: t, ctx: context.Background(), db: db, store: forms.NewStore(db), an: analysis.New(db)}
}

var (
	admin   = analysis.Viewer{Role: forms.RoleAdmin}
	analyst = analysis.Viewer{Role: forms.RoleAnalyst}
)

// publish stores and publishes a definition, returning its id.
func (e *env) publish(def *forms.Definition) uint {
	e.t.Helper()
	q, err := e.store.CreateQuestionnaire(e.ctx, def, nil)
	if err != nil {
		e.t.Fatalf("create %s: %v", def.Code, err)
	}
	if _, err := e.store.PublishQuestionnaire(e.ctx, q.ID); err != nil {
		e.t.Fatalf("publish %s: %v", def.Code, err)
	}
	return q.ID
}

// consult deploys a questionnaire version in a country.
func (e *env) consult(qid uint, country, anonymity string, minCell int) *forms.Consultation {
	e.t.Helper()
	c, err := e.store.CreateConsultation(e.ctx, forms.AllCountries, forms.ConsultationInput{
		QuestionnaireID: qid, Country: country, Title: "Consultation in " + country,
		Anonymity: anonymity, MinCellSize: &minCell,
	}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// invite registers a stakeholder of the given type and invites it,
// returning the link's token.
func (e *env) invite(c *forms.Consultation, typ string) string {
	e.t.Helper()
	e.orgs++
	st, err := e.store.CreateStakeholder(e.ctx, forms.AllCountries, forms.StakeholderInput{
		Organization: fmt.Sprintf("Organization %d", e.orgs), Type: typ, Country: c.CountryISO3,
	}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	links, _, err := e.store.CreateInvitations(e.ctx, forms.AllCountries, c.ID, []uint{st.ID}, nil, nil)
	if err != nil || len(links) != 1 {
		e.t.Fatalf("invite: %v %v", links, err)
	}
	return links[0].Token
}

// respond submits answers through a new personal link.
func (e *env) respond(c *forms.Consultation, typ string, a forms.Answers) {
	e.t.Helper()
	token := e.invite(c, typ)
	sess, err := e.store.ResolveLink(e.ctx, token)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.store.Submit(e.ctx, sess, "", a); err != nil {
		e.t.Fatalf("submit %v: %v", a, err)
	}
}

// draft saves answers without submitting them.
func (e *env) draft(c *forms.Consultation, typ string, a forms.Answers) {
	e.t.Helper()
	sess, err := e.store.ResolveLink(e.ctx, e.invite(c, typ))
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.store.SaveDraft(e.ctx, sess, a, 0); err != nil {
		e.t.Fatal(err)
	}
}

// count runs a counting query written by hand for the test.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Raw(query, args...).Row().Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func text(en string) forms.Text { return forms.Text{"en": en} }

func options(codes ...string) []forms.Option {
	out := make([]forms.Option, len(codes))
	for i, c := range codes {
		out[i] = forms.Option{Code: c, Label: text("Option " + c)}
	}
	return out
}

func f64(x float64) *float64 { return &x }

// testDefinition has a question of every type that carries answers, with
// skip logic, an "other" option and matrix rows with themes of their own.
func testDefinition() *forms.Definition {
	withOther := options("a", "b", "c")
	withOther = append(withOther, forms.Option{Code: "other", Label: text("Other"), Other: true})
	scale := []forms.ScalePoint{{Value: 1, Label: text("Low")}, {Value: 2, Label: text("Mid")}, {Value: 3, Label: text("High")}, {Value: 9, Label: text("Don't know"), Missing: true}}
	return &forms.Definition{
		Code: "analysis-test", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: text("Analysis test"),
		Sections: []forms.Section{{Code: "s1", Title: text("All"), Questions: []forms.Question{
			{Code: "q_single", Type: forms.TypeSingleChoice, Label: text("Single"), Themes: []string{"UNTOC", "UNTOC.C1", "UNTOC.ART5"}, Options: withOther},
			{Code: "q_why", Type: forms.TypeLongText, Label: text("Why?"), Themes: []string{"UNTOC.ART5"}, Relevant: `q_single == "a"`},
			{Code: "q_multi", Type: forms.TypeMultipleChoice, Label: text("Multi"), Themes: []string{"XC.GENDER"}, Options: options("x", "y", "z")},
			{Code: "q_years", Type: forms.TypeInteger, Label: text("Years"), Themes: []string{"UNTOC"}},
			{Code: "q_share", Type: forms.TypeNumber, Label: text("Share"), Themes: []string{"UNTOC"}},
			{Code: "q_scale", Type: forms.TypeScale, Label: text("Scale"), Themes: []string{"TIP"}, Scale: scale},
			{Code: "q_rank", Type: forms.TypeRanking, Label: text("Rank"), Themes: []string{"UNTOC", "TIP", "XC.CORRUPTION"}, Options: options("a", "b", "c", "d"), Max: f64(3)},
			{Code: "q_matrix", Type: forms.TypeMatrix, Label: text("Matrix"), Themes: []string{"UNTOC.C1"}, Scale: scale, Rows: []forms.Row{
				{Code: "r5", Label: text("Article 5"), Themes: []string{"UNTOC.ART5"}},
				{Code: "r6", Label: text("Article 6"), Themes: []string{"UNTOC.ART6"}},
			}},
			{Code: "q_date", Type: forms.TypeDate, Label: text("Date")},
		}}},
	}
}
