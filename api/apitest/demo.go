package apitest

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/unodc-csu/agora/forms"
)

// DemoAnswers answers the demo issue-identification survey at random.
func DemoAnswers(rng *rand.Rand) forms.Answers {
	pick := func(codes ...string) string { return codes[rng.IntN(len(codes))] }
	some := func(codes ...string) []any {
		out := []any{codes[rng.IntN(len(codes))]}
		for _, c := range codes {
			if rng.IntN(3) == 0 && c != out[0] {
				out = append(out, c)
			}
		}
		return out
	}
	rank := []any{}
	for _, i := range rng.Perm(8)[:1+rng.IntN(3)] {
		rank = append(rank, []string{"tip", "som", "firearms", "money_laundering", "corruption", "cybercrime", "environment", "oc_groups"}[i])
	}
	a := forms.Answers{
		"q_org_type": pick("ngo", "academia", "private_sector"), "q_areas": some("untoc", "tip", "som", "fa"),
		"q_priorities": rank, "q_coop": float64([]int{1, 2, 3, 4, 5, 9}[rng.IntN(6)]),
	}
	if rng.IntN(2) == 0 {
		a["q_years"] = float64(rng.IntN(30))
		a["q_priorities_why"] = "The cases we work on."
		a["q_crosscutting"] = some("gender", "human_rights", "victims")
	}
	if c := a["q_coop"].(float64); c <= 2 && rng.IntN(2) == 0 {
		a["q_coop_obstacles"] = "No answer to our letters."
	}
	return a
}

// DemoConsultation deploys the demo in a country and submits responses
// from stakeholders of the given types.
func (e *Env) DemoConsultation(qid uint, country string, types map[string]int) uint {
	e.T.Helper()
	ctx := context.Background()
	c, err := e.Forms().CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{QuestionnaireID: qid, Country: country, Title: "Pilot"}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(c.ID), 3))
	n := 0
	for _, typ := range forms.StakeholderTypes {
		for range types[typ] {
			n++
			id := e.Stakeholder(fmt.Sprintf("%s organization %d", typ, n), typ, country)
			links, _, err := e.Forms().CreateInvitations(ctx, forms.AllCountries, c.ID, []uint{id}, nil, nil)
			if err != nil {
				e.T.Fatal(err)
			}
			sess, err := e.Forms().ResolveLink(ctx, links[0].Token)
			if err != nil {
				e.T.Fatal(err)
			}
			if _, err := e.Forms().Submit(ctx, sess, "", DemoAnswers(rng)); err != nil {
				e.T.Fatal(err)
			}
		}
	}
	return c.ID
}
