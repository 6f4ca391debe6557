package exports

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// hyperlink is the hostile answer every test workbook carries.
const hyperlink = `=HYPERLINK("http://x","y")`

// fixture is a database with the demo survey published and one
// consultation per test that asks for one.
type fixture struct {
	t     *testing.T
	db    *gorm.DB
	store *forms.Store
	an    *analysis.Analyzer
	qid   uint
	seq   int // stakeholders made so far
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := dbtest.Open(t)
	fx := &fixture{t: t, db: db, store: forms.NewStore(db), an: analysis.New(db)}
	defs, err := forms.DemoQuestionnaires()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range defs {
		if defs[i].Code != "pilot-issues" {
			continue
		}
		q, err := fx.store.CreateQuestionnaire(ctx, &defs[i], nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fx.store.PublishQuestionnaire(ctx, q.ID); err != nil {
			t.Fatal(err)
		}
		fx.qid = q.ID
	}
	return fx
}

// consultation deploys the demo in country with the anonymity given and
// submits responses: ngos NGOs and academics academic institutions. The
// first NGO's answer to q_priorities_why is the HYPERLINK formula.
func (fx *fixture) consultation(country, anonymity string, ngos, academics int) uint {
	fx.t.Helper()
	ctx := context.Background()
	c, err := fx.store.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{
		QuestionnaireID: fx.qid, Country: country, Title: "Pilot " + country, Anonymity: anonymity}, nil)
	if err != nil {
		fx.t.Fatal(err)
	}
	first := true
	for _, tc := range []struct {
		typ   string
		count int
	}{{"ngo", ngos}, {"academia", academics}} {
		typ := tc.typ
		for range tc.count {
			fx.seq++
			n := fx.seq
			st, err := fx.store.CreateStakeholder(ctx, forms.AllCountries, forms.StakeholderInput{
				Organization: fmt.Sprintf("Org %s %d", typ, n), Type: typ, Country: country,
				Email: fmt.Sprintf("c%d.%s@example.org", n, country), ContactName: fmt.Sprintf("Contact %d", n), ECOSOCStatus: "none"}, nil)
			if err != nil {
				fx.t.Fatal(err)
			}
			links, _, err := fx.store.CreateInvitations(ctx, forms.AllCountries, c.ID, []uint{st.ID}, nil, nil)
			if err != nil {
				fx.t.Fatal(err)
			}
			sess, err := fx.store.ResolveLink(ctx, links[0].Token)
			if err != nil {
				fx.t.Fatal(err)
			}
			a := answersFor(typ, n)
			if first {
				a["q_priorities_why"], first = hyperlink, false
			}
			if _, err := fx.store.Submit(ctx, sess, "", a); err != nil {
				fx.t.Fatal(err)
			}
		}
	}
	return c.ID
}

// answersFor answers the demo survey deterministically.
func answersFor(typ string, n int) forms.Answers {
	ranks := []string{"tip", "som", "firearms", "money_laundering", "corruption"}
	a := forms.Answers{
		"q_org_type": typ, "q_areas": []any{"untoc", "tip"},
		"q_priorities": []any{ranks[n%5], ranks[(n+1)%5]}, "q_coop": float64(1 + n%5),
		"q_years": float64(n), "q_crosscutting": []any{"gender"},
		"q_priorities_why": fmt.Sprintf("Reason %d", n),
		"q_coop_bodies":    map[string]any{"police": float64(1 + n%4), "judiciary": float64(1 + n%3)},
	}
	return a
}
