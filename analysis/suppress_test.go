package analysis_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// smallGroups deploys testDefinition with 8 NGO, 3 academic and 6
// private-sector respondents, minimum cell 5. Every academic explains.
func smallGroups(t *testing.T, anonymity string) (*env, *forms.Consultation) {
	e := newEnv(t)
	c := e.consult(e.publish(testDefinition()), "KEN", anonymity, 5)
	for i, typ := range []string{"ngo", "ngo", "ngo", "ngo", "ngo", "ngo", "ngo", "ngo", "academia", "academia", "academia", "private_sector", "private_sector", "private_sector", "private_sector", "private_sector", "private_sector"} {
		a := forms.Answers{"q_single": "b", "q_years": float64(i)}
		if typ == "academia" {
			a = forms.Answers{"q_single": "a", "q_why": "Written by an academic", "q_years": 50.0}
		}
		e.respond(c, typ, a)
	}
	return e, c
}

func TestSuppressionForAllButAdmins(t *testing.T) {
	e, c := smallGroups(t, forms.AnonymityConfidential)
	byType := analysis.SummaryOptions{ByType: true}

	s, err := e.an.Summary(e.ctx, forms.AllCountries, analyst, c.ID, byType)
	if err != nil {
		t.Fatal(err)
	}
	single := question(t, s, "q_single")
	if s.Suppressed || single.Overall.Answered != 17 || single.ByType["ngo"].Answered != 8 {
		t.Errorf("visible figures: overall %+v, ngo %+v", single.Overall, single.ByType["ngo"])
	}
	// Academia (3) is below the minimum; private sector (6) goes with it,
	// or the total minus NGOs would give the academics' answers away.
	for g, rule := range map[string]string{"academia": analysis.SuppressedSmall, "private_sector": analysis.SuppressedComplementary} {
		raw, _ := json.Marshal(single.ByType[g])
		if string(raw) != `{"suppressed":true,"suppressed_by":"`+rule+`"}` {
			t.Errorf("%s: %s", g, raw)
		}
		// The response rates withhold the same groups, for the same reason.
		if r := s.ResponseRates.ByType[g]; !r.Suppressed || r.SuppressedBy != rule || r.Submitted != 0 || r.Invited != 0 {
			t.Errorf("%s's response rates: %+v", g, r)
		}
	}
	if r := s.ResponseRates.ByType["ngo"]; r.Suppressed || r.Submitted != 8 {
		t.Errorf("ngo's response rates: %+v", r)
	}
	want := []analysis.Group{{Code: "ngo", Respondents: 8}, {Code: "academia", Suppressed: true, SuppressedBy: analysis.SuppressedSmall},
		{Code: "private_sector", Suppressed: true, SuppressedBy: analysis.SuppressedComplementary}}
	if got, _ := json.Marshal(s.Groups); string(got) != mustJSON(want) {
		t.Errorf("groups %s", got)
	}
	// The academics' texts are listed, without the type of their authors.
	if why := question(t, s, "q_why"); len(why.Texts) != 3 || why.Texts[0].StakeholderType != "" {
		t.Errorf("an academic's text reached an analyst with its type, or not at all: %+v", why.Texts)
	}

	s, err = e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, byType)
	if err != nil {
		t.Fatal(err)
	}
	single = question(t, s, "q_single")
	if a := single.ByType["academia"]; a.Suppressed || a.Respondents != 3 || a.Options[0].Count != 3 {
		t.Errorf("admin sees academia as %+v", a)
	}
	if why := question(t, s, "q_why"); len(why.Texts) != 3 || why.Texts[0].StakeholderType != "academia" {
		t.Errorf("admin texts %+v", why.Texts)
	}
}

func TestSuppressionOfOneTypeOnItsOwn(t *testing.T) {
	e, c := smallGroups(t, forms.AnonymityConfidential)
	for typ, hidden := range map[string]bool{"ngo": false, "academia": true, "private_sector": true} {
		s, err := e.an.Summary(e.ctx, forms.AllCountries, analyst, c.ID, analysis.SummaryOptions{StakeholderType: typ})
		if err != nil {
			t.Fatal(err)
		}
		years := question(t, s, "q_years")
		if s.Suppressed != hidden || years.Overall.Suppressed != hidden {
			t.Errorf("%s alone: suppressed %v, want %v", typ, s.Suppressed, hidden)
		}
		if !hidden && (years.Overall.Number.Count != 8 || years.Overall.Number.Max != 7) {
			t.Errorf("%s alone: %+v", typ, years.Overall.Number)
		}
	}
	s, err := e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{StakeholderType: "academia"})
	if err != nil || s.Suppressed || question(t, s, "q_years").Overall.Number.Median != 50 {
		t.Errorf("admin, academia alone: %v %+v", err, s)
	}
}

func TestSuppressionOfASmallConsultation(t *testing.T) {
	e := newEnv(t)
	c := e.consult(e.publish(testDefinition()), "KEN", forms.AnonymityConfidential, 5)
	for range 3 {
		e.respond(c, "ngo", forms.Answers{"q_single": "a", "q_why": "Few of us answered"})
	}
	s, err := e.an.Summary(e.ctx, forms.AllCountries, analyst, c.ID, analysis.SummaryOptions{ByType: true})
	if err != nil {
		t.Fatal(err)
	}
	why := question(t, s, "q_why")
	if !s.Suppressed || !why.Overall.Suppressed || !why.ByType["ngo"].Suppressed || len(why.Texts) != 0 {
		t.Errorf("a consultation of 3 shows %+v %+v", why.Overall, why.Texts)
	}
	if r := s.ResponseRates; s.Respondents != 0 || r.Submitted != 0 || !r.Suppressed || r.SuppressedBy != analysis.SuppressedSelection || r.Invited != 3 {
		t.Errorf("counts of respondents: %d %+v", s.Respondents, s.ResponseRates)
	}
}

func TestIdentityOfTexts(t *testing.T) {
	cases := []struct {
		anonymity string
		viewer    analysis.Viewer
		named     bool
	}{
		{forms.AnonymityNamed, admin, true},
		{forms.AnonymityNamed, analyst, true},
		{forms.AnonymityConfidential, admin, true},
		{forms.AnonymityConfidential, analyst, false},
		{forms.AnonymityAnonymous, admin, false},
	}
	for _, tc := range cases {
		name := tc.anonymity + "_analyst"
		if tc.viewer.Role == forms.RoleAdmin {
			name = tc.anonymity + "_admin"
		}
		// Distinct names: a "#01" suffix would end up in the SQLite URI.
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			c := e.consult(e.publish(testDefinition()), "KEN", tc.anonymity, forms.MinCellFloor)
			for range forms.MinCellFloor {
				e.respond(c, "ngo", forms.Answers{"q_single": "a", "q_why": "Our view"})
			}
			s, err := e.an.Summary(e.ctx, forms.AllCountries, tc.viewer, c.ID, analysis.SummaryOptions{})
			if err != nil {
				t.Fatal(err)
			}
			texts := question(t, s, "q_why").Texts
			if len(texts) != forms.MinCellFloor {
				t.Fatalf("%s: texts %+v", tc.viewer.Role, texts)
			}
			for _, tx := range texts {
				if named := strings.HasPrefix(tx.Organization, "Organization "); named != tc.named || !tc.named && tx.Organization != "" {
					t.Errorf("%s: text %+v, named %v", tc.viewer.Role, tx, tc.named)
				}
			}
		})
	}
}

func TestResponseRates(t *testing.T) {
	e := newEnv(t)
	c := e.consult(e.publish(testDefinition()), "KEN", forms.AnonymityConfidential, 5)
	answers := forms.Answers{"q_single": "b"}
	e.invite(c, "academia") // never opened
	opened, _ := e.store.ResolveLink(e.ctx, e.invite(c, "ngo"))
	if err := e.store.MarkOpened(e.ctx, opened); err != nil {
		t.Fatal(err)
	}
	e.draft(c, "ngo", answers)
	e.respond(c, "ngo", answers)
	e.respond(c, "ngo", answers)
	revoked, _ := e.store.ResolveLink(e.ctx, e.invite(c, "ngo"))
	if _, err := e.store.RevokeInvitation(e.ctx, forms.AllCountries, revoked.Invitation.ID); err != nil {
		t.Fatal(err)
	}
	open, err := e.store.SetOpenLink(e.ctx, forms.AllCountries, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	visit, _ := e.store.ResolveLink(e.ctx, open)
	token, err := e.store.StartOpenVisit(e.ctx, visit, "private_sector", "en")
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := e.store.ResolveLink(e.ctx, token)
	if _, err := e.store.Submit(e.ctx, sess, "", answers); err != nil {
		t.Fatal(err)
	}

	s, err := e.an.Summary(e.ctx, forms.AllCountries, admin, c.ID, analysis.SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rr := s.ResponseRates
	got := map[string][5]int{"all": counts(rr.RateCounts)}
	for typ, rc := range rr.ByType {
		got[typ] = counts(rc)
	}
	want := map[string][5]int{ // invited, open visits, opened, started, submitted
		"all":            {5, 1, 5, 4, 3},
		"ngo":            {4, 0, 4, 3, 2},
		"academia":       {1, 0, 0, 0, 0},
		"private_sector": {0, 1, 1, 1, 1},
	}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("rates %v, want %v", got, want)
	}
	if rr.SubmittedPercent == nil || *rr.SubmittedPercent != 50 {
		t.Errorf("submitted percent %v, want 50 (3 of 5 invited + 1 visit)", rr.SubmittedPercent)
	}
}

func counts(r analysis.RateCounts) [5]int {
	return [5]int{r.Invited, r.OpenVisits, r.Opened, r.Started, r.Submitted}
}

func question(t *testing.T, s *analysis.Summary, code string) *analysis.QuestionSummary {
	t.Helper()
	for _, q := range s.Questions {
		if q.Code == code {
			return q
		}
	}
	t.Fatalf("no question %s", code)
	return nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestFewAnswersAndNamedTypes withholds, for those who do not see small
// groups, a figure answered by fewer than the minimum (a question, a matrix
// row) and an option that names a withheld stakeholder type; the admin of
// a confidential consultation sees them, the admin of an anonymous one
// does not.
func TestFewAnswersAndNamedTypes(t *testing.T) {
	def := testDefinition()
	def.Sections[0].Questions = append(def.Sections[0].Questions, forms.Question{
		Code: "q_org", Type: forms.TypeSingleChoice, Label: text("Your organization is"), Options: options("ngo", "academia")})
	for _, tc := range []struct {
		mode   string
		viewer analysis.Viewer
		shown  bool
	}{
		{forms.AnonymityConfidential, analyst, false},
		{forms.AnonymityConfidential, admin, true},
		{forms.AnonymityAnonymous, admin, false},
	} {
		t.Run(tc.mode+"_"+tc.viewer.Role, func(t *testing.T) {
			e := newEnv(t)
			c := e.consult(e.publish(def), "KEN", tc.mode, 5)
			for i := range 8 {
				a := forms.Answers{"q_single": "b", "q_org": "ngo", "q_matrix": map[string]any{"r5": 2.0}}
				if i < 2 { // two answer the scale and the matrix's second row
					a["q_scale"] = 3.0
					a["q_matrix"] = map[string]any{"r5": 2.0, "r6": 1.0}
				}
				e.respond(c, "ngo", a)
			}
			for range 2 {
				e.respond(c, "academia", forms.Answers{"q_single": "b", "q_org": "academia"})
			}
			s, err := e.an.Summary(e.ctx, forms.AllCountries, tc.viewer, c.ID, analysis.SummaryOptions{})
			if err != nil {
				t.Fatal(err)
			}
			scale := question(t, s, "q_scale").Overall
			if got := !scale.Suppressed; got != tc.shown || !tc.shown && scale.SuppressedBy != analysis.SuppressedFewAnswers {
				t.Errorf("a scale answered by 2: %s", mustJSON(scale))
			}
			rows := question(t, s, "q_matrix").Overall.Rows
			if rows[0].Suppressed || rows[1].Suppressed == tc.shown || !tc.shown && rows[1].Scale.Mean != nil {
				t.Errorf("matrix rows answered by 8 and 2: %s", mustJSON(rows))
			}
			// The 2 academics are withheld, and the 8 NGOs with them: the
			// total minus the NGOs would give the academics away.
			org := question(t, s, "q_org").Overall.Options
			if org[0].Suppressed == tc.shown || org[1].Suppressed == tc.shown || !tc.shown && (org[1].Count != 0 || org[0].SuppressedBy != analysis.SuppressedComplementary) {
				t.Errorf("the organization-type options: %s", mustJSON(org))
			}
		})
	}
}

// TestTextsInNoOrderOfTime lists texts written one after the other in an
// order that is neither theirs nor its reverse.
func TestTextsInNoOrderOfTime(t *testing.T) {
	e := newEnv(t)
	c := e.consult(e.publish(testDefinition()), "KEN", forms.AnonymityConfidential, 5)
	for i := range 20 {
		e.respond(c, "ngo", forms.Answers{"q_single": "a", "q_why": fmt.Sprintf("Text %02d", i)})
	}
	s, err := e.an.Summary(e.ctx, forms.AllCountries, analyst, c.ID, analysis.SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tx := range question(t, s, "q_why").Texts {
		got = append(got, tx.Text)
	}
	sorted := slices.Sorted(slices.Values(got))
	reversed := slices.Clone(sorted)
	slices.Reverse(reversed)
	if len(got) != 20 || slices.Equal(got, sorted) || slices.Equal(got, reversed) {
		t.Errorf("texts in the order they were written: %v", got)
	}
}
