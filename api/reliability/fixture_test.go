package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database"
)

// fixture is a consultation open for answers, with personal links, prepared
// through the store on the database the servers will use.
type fixture struct {
	dsn          string
	db           *gorm.DB
	store        *forms.Store
	form         *forms.Form
	consultation *forms.Consultation
	tokens       []string // personal link tokens, by stakeholder index
	invitations  []uint   // invitation ids, by stakeholder index
}

// newFixture migrates the database at dsn and deploys the test
// questionnaire with n personal links.
func newFixture(t *testing.T, dsn string, n int) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	fx := &fixture{dsn: dsn, db: db, store: forms.NewStore(db)}
	q, err := fx.store.CreateQuestionnaire(ctx, definition(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.PublishQuestionnaire(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if fx.form, err = fx.store.Form(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	fx.consultation, err = fx.store.CreateConsultation(ctx, forms.AllCountries,
		forms.ConsultationInput{QuestionnaireID: q.ID, Country: "KEN", Title: "Reliability"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fx.tokens = make([]string, n)
	invs := make([]forms.Invitation, n)
	for i := range invs {
		if fx.tokens[i], err = forms.NewToken(); err != nil {
			t.Fatal(err)
		}
		invs[i] = forms.Invitation{ConsultationID: fx.consultation.ID, OpenVisit: true, DeclaredType: "ngo",
			TokenHash: forms.TokenHash(fx.tokens[i]), Language: "en"}
	}
	if n > 0 {
		if err := db.CreateInBatches(invs, 500).Error; err != nil {
			t.Fatal(err)
		}
	}
	fx.invitations = make([]uint, n)
	for i := range invs {
		fx.invitations[i] = invs[i].ID
	}
	return fx
}

// definition has two sections of single and multiple choices, numbers and
// texts, and a question shown only for one choice, so that responses differ
// in their number of answer rows and in what skip logic hid.
func definition() *forms.Definition {
	en := func(s string) forms.Text { return forms.Text{"en": s} }
	opts := func(codes ...string) []forms.Option {
		out := make([]forms.Option, len(codes))
		for i, c := range codes {
			out[i] = forms.Option{Code: c, Label: en("Option " + c)}
		}
		return out
	}
	choices := forms.Section{Code: "choices", Title: en("Choices")}
	for i := 1; i <= 4; i++ {
		choices.Questions = append(choices.Questions, forms.Question{Code: fmt.Sprintf("c%d", i),
			Type: forms.TypeSingleChoice, Label: en("Choose"), Required: true, Options: opts("a", "b", "c")})
	}
	choices.Questions = append(choices.Questions,
		forms.Question{Code: "why", Type: forms.TypeText, Label: en("Why a?"), Relevant: `c1 == "a"`},
		forms.Question{Code: "areas", Type: forms.TypeMultipleChoice, Label: en("Areas"), Options: opts("tip", "som", "fa", "cyber", "env")})
	details := forms.Section{Code: "details", Title: en("Details")}
	for i := 1; i <= 3; i++ {
		details.Questions = append(details.Questions,
			forms.Question{Code: fmt.Sprintf("n%d", i), Type: forms.TypeInteger, Label: en("How many")},
			forms.Question{Code: fmt.Sprintf("t%d", i), Type: forms.TypeText, Label: en("Tell us")})
	}
	return &forms.Definition{Code: "reliability", Kind: forms.KindOther, DefaultLanguage: "en",
		Languages: []string{"en"}, Title: en("Reliability"), Sections: []forms.Section{choices, details}}
}

// answers are stakeholder i's final answers: between 8 and 16 answer rows.
func answers(i int) map[string]any {
	a := map[string]any{}
	for q := 1; q <= 4; q++ {
		a[fmt.Sprintf("c%d", q)] = []string{"a", "b", "c"}[(i/q+q)%3]
	}
	if a["c1"] == "a" {
		a["why"] = fmt.Sprintf("Because of case %d", i)
	}
	all := []string{"tip", "som", "fa", "cyber", "env"}
	if k := i % 6; k > 0 {
		a["areas"] = all[:k]
	}
	for q := 1; q <= 3; q++ {
		if (i+q)%4 != 0 {
			a[fmt.Sprintf("n%d", q)] = i % (100 * q)
			a[fmt.Sprintf("t%d", q)] = fmt.Sprintf("Answer %d to question %d, as a stakeholder would write it: «ça va», 大丈夫.", i, q)
		}
	}
	return a
}

// draft is what stakeholder i has answered after step of their draft saves:
// the first section only at first, then more.
func draft(i, step int) map[string]any {
	full := answers(i)
	if step > 0 {
		return full
	}
	part := map[string]any{}
	for _, k := range []string{"c1", "c2", "why", "areas"} {
		if v, ok := full[k]; ok {
			part[k] = v
		}
	}
	return part
}

// expectedRows is how many answer rows answers make once submitted. They
// go through JSON first, as they do to the server.
func (fx *fixture) expectedRows(answers map[string]any) (int, error) {
	raw, err := json.Marshal(answers)
	if err != nil {
		return 0, err
	}
	var a forms.Answers
	if err := json.Unmarshal(raw, &a); err != nil {
		return 0, err
	}
	clean, ve := fx.form.Check(a, true)
	if ve != nil {
		return 0, ve
	}
	return len(fx.form.Flatten(clean)), nil
}
