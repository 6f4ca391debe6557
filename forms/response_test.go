package forms_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// fixture is a published demo questionnaire deployed in Kenya with one
// invited stakeholder.
type fixture struct {
	db    *gorm.DB
	store *forms.Store
	c     *forms.Consultation
	token string
	inv   uint
}

func newFixture(t *testing.T, anonymity string) *fixture {
	t.Helper()
	defs, err := forms.DemoQuestionnaires()
	if err != nil {
		t.Fatal(err)
	}
	var def forms.Definition
	for _, d := range defs {
		if d.Code == "pilot-issues" {
			def = d
		}
	}
	return newFixtureFor(t, anonymity, &def)
}

// newFixtureFor deploys the questionnaire def as newFixture does.
func newFixtureFor(t *testing.T, anonymity string, def *forms.Definition) *fixture {
	t.Helper()
	ctx := context.Background()
	db := dbtest.Open(t)
	store := forms.NewStore(db)
	q, err := store.CreateQuestionnaire(ctx, def, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.PublishQuestionnaire(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	c, err := store.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{
		QuestionnaireID: q.ID, Country: "KEN", Title: "Kenya pilot", Anonymity: anonymity,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := store.CreateStakeholder(ctx, forms.AllCountries, forms.StakeholderInput{
		Organization: "Haki Africa", Type: "ngo", Country: "KEN", Email: "info@haki.example",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	links, skipped, err := store.CreateInvitations(ctx, forms.AllCountries, c.ID, []uint{sh.ID}, nil, nil)
	if err != nil || len(links) != 1 || len(skipped) != 0 {
		t.Fatalf("invite: %v %v %v", links, skipped, err)
	}
	return &fixture{db: db, store: store, c: c, token: links[0].Token, inv: links[0].InvitationID}
}

func completeAnswers() forms.Answers {
	return forms.Answers{
		"q_org_type": "ngo", "q_areas": []any{"tip", "som"}, "q_years": 12.0,
		"q_priorities": []any{"tip", "corruption", "environment"}, "q_priorities_why": "Most cases we see.",
		"q_coop": 2.0, "q_coop_obstacles": "No answer to our letters.",
		"q_channels": []any{"meetings"}, "q_problems": "Victims are prosecuted.",
	}
}

func (f *fixture) count(t *testing.T, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.db.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDraftThenSubmitIsIdempotent(t *testing.T) {
	f := newFixture(t, forms.AnonymityConfidential)
	ctx := context.Background()

	sess, err := f.store.ResolveLink(ctx, f.token)
	if err != nil || sess.Response != nil || sess.Language() != "en" {
		t.Fatalf("resolve: %+v %v", sess, err)
	}
	if err := f.store.MarkOpened(ctx, sess); err != nil {
		t.Fatal(err)
	}

	// A draft with a wrong type changes nothing.
	if _, err := f.store.SaveDraft(ctx, sess, forms.Answers{"q_years": "many"}, 0); err == nil {
		t.Fatal("a draft with a wrong type was accepted")
	}
	if n := f.count(t, "responses", "1 = 1"); n != 0 {
		t.Fatalf("%d responses after a refused draft", n)
	}
	if _, err := f.store.SaveDraft(ctx, sess, forms.Answers{"q_org_type": "ngo"}, 1); err != nil {
		t.Fatal(err)
	}

	// Reopening the link resumes the draft on the same section.
	sess, err = f.store.ResolveLink(ctx, f.token)
	if err != nil || sess.Response == nil || sess.Response.Section != 1 || sess.Answers()["q_org_type"] != "ngo" {
		t.Fatalf("resume: %+v %v", sess.Response, err)
	}

	// Submitting the incomplete draft fails and keeps it.
	_, err = f.store.Submit(ctx, sess, "sub-0", nil)
	var ve *forms.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("incomplete submit: %v", err)
	}

	r1, err := f.store.Submit(ctx, sess, "sub-1", completeAnswers())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := f.store.Submit(ctx, sess, "sub-1", completeAnswers())
	if err != nil || !r2.Replayed || r2.Code != r1.Code {
		t.Fatalf("replay: %+v %v (first %+v)", r2, err, r1)
	}
	if n := f.count(t, "responses", "1 = 1"); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
	// 1 org type + 2 areas + 1 years + 3 priorities + why + coop + obstacles + 1 channel + problems = 12
	if n := f.count(t, "answers", "response_id = ?", r1.ResponseID); n != 12 {
		t.Errorf("%d answer rows, want 12", n)
	}
	if n := f.count(t, "answers", "response_id = ? AND question_code = ? AND option_code = ? AND rank = ?", r1.ResponseID, "q_priorities", "corruption", 2); n != 1 {
		t.Errorf("ranking row missing")
	}
	if n := f.count(t, "responses", "id = ? AND stakeholder_type = ? AND country_iso3 = ? AND status = ?", r1.ResponseID, "ngo", "KEN", "submitted"); n != 1 {
		t.Errorf("response not stored with type and country")
	}
	if n := f.count(t, "invitations", "id = ? AND submitted_at IS NOT NULL AND opened_at IS NOT NULL", f.inv); n != 1 {
		t.Errorf("invitation status not recorded")
	}

	// An edit after submitting keeps the same response and replaces its rows.
	edit := completeAnswers()
	edit["q_coop"] = 4.0 // the obstacles question is no longer shown
	r3, err := f.store.Submit(ctx, sess, "sub-2", edit)
	if err != nil || r3.ResponseID != r1.ResponseID || r3.Code != r1.Code {
		t.Fatalf("edit: %+v %v", r3, err)
	}
	if n := f.count(t, "answers", "response_id = ?", r1.ResponseID); n != 11 {
		t.Errorf("%d answer rows after edit, want 11", n)
	}
	if n := f.count(t, "hidden_questions", "response_id = ? AND question_code = ?", r1.ResponseID, "q_coop_obstacles"); n != 1 {
		t.Errorf("hidden question not recorded")
	}
}

func TestConcurrentSubmitsMakeOneResponse(t *testing.T) {
	f := newFixture(t, forms.AnonymityNamed)
	ctx := context.Background()
	var wg sync.WaitGroup
	codes := make([]string, 8)
	errs := make([]error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sess, err := f.store.ResolveLink(ctx, f.token)
			if err != nil {
				errs[i] = err
				return
			}
			r, err := f.store.Submit(ctx, sess, "double-click", completeAnswers())
			if err == nil {
				codes[i] = r.Code
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("submit %d: %v", i, err)
		}
		if codes[i] != codes[0] {
			t.Errorf("receipts differ: %v", codes)
		}
	}
	if n := f.count(t, "responses", "1 = 1"); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
	if n := f.count(t, "answers", "1 = 1"); n != 12 {
		t.Errorf("%d answer rows, want 12", n)
	}
}

func TestAnonymousResponseIsUnlinked(t *testing.T) {
	f := newFixture(t, forms.AnonymityAnonymous)
	ctx := context.Background()
	sess, _ := f.store.ResolveLink(ctx, f.token)
	if _, err := f.store.SaveDraft(ctx, sess, forms.Answers{"q_org_type": "ngo"}, 1); err != nil {
		t.Fatal(err)
	}
	// Even the draft is never tied to the invitation.
	draft := sess.Response.ID
	if n := f.count(t, "responses", "id = ? AND invitation_id IS NULL AND language = '' AND section = 0", draft); n != 1 || draft < 1<<40 {
		t.Errorf("anonymous draft %d: linked, or with a language, a section or an id in the sequence's range", draft)
	}
	r, err := f.store.Submit(ctx, sess, "inv-7", completeAnswers())
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "responses", "id = ? AND invitation_id IS NULL AND language = '' AND section = 0", r.ResponseID); n != 1 || r.ResponseID != draft {
		t.Errorf("anonymous response %d (draft %d): linked, with a language or a section, or moved", r.ResponseID, draft)
	}
	if n := f.count(t, "responses", "consultation_id = ?", f.c.ID); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
	if n := f.count(t, "responses", "submission_id = ?", "inv-7"); n != 0 {
		t.Error("the client's submission id is stored as it was sent")
	}
	var times struct{ Created, Updated, Submitted, InvSubmitted, InvStarted time.Time }
	f.db.Raw(`SELECT r.created_at AS created, r.updated_at AS updated, r.submitted_at AS submitted, i.submitted_at AS inv_submitted, i.started_at AS inv_started
		FROM responses r, invitations i WHERE r.id = ? AND i.id = ?`, r.ResponseID, f.inv).Scan(&times)
	for name, v := range map[string]time.Time{"created": times.Created, "updated": times.Updated, "submitted": times.Submitted,
		"invitation submitted": times.InvSubmitted, "invitation started": times.InvStarted} {
		if v.IsZero() || !v.Equal(v.Truncate(24*time.Hour)) {
			t.Errorf("%s at %v: finer than the day", name, v)
		}
	}
	// The link finds the response again, sealed until the receipt is shown.
	again, err := f.store.ResolveLink(ctx, f.token)
	if err != nil || again.Response == nil || again.Response.ID != r.ResponseID || !again.Sealed() {
		t.Fatalf("link after anonymous submit: %+v %v", again, err)
	}
	if _, err := f.store.SaveDraft(ctx, again, completeAnswers(), 0); !errors.Is(err, forms.ErrReceiptRequired) {
		t.Errorf("a change without the receipt: %v", err)
	}
	if again.Unlock("WRONG-CODE") || !again.Unlock(strings.ToLower(r.Code)) || again.Answers()["q_org_type"] != "ngo" {
		t.Errorf("unlock: %v, answers %v", again.Sealed(), again.Answers())
	}
	// A retried request still gets its receipt.
	if r2, err := f.store.Submit(ctx, sess, "inv-7", completeAnswers()); err != nil || r2.Code != r.Code || !r2.Replayed {
		t.Errorf("replay: %+v %v", r2, err)
	}
	// A re-issued link does not lead to the submitted answers.
	link, err := f.store.ReissueInvitation(ctx, forms.AllCountries, f.inv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ResolveLink(ctx, link.Token); !errors.Is(err, forms.ErrLinkAnonymous) {
		t.Errorf("re-issued link after an anonymous submission: %v", err)
	}
}

func TestLinkStates(t *testing.T) {
	f := newFixture(t, forms.AnonymityConfidential)
	ctx := context.Background()
	if _, err := f.store.ResolveLink(ctx, "AAAAAAAAAAAAAAAAAAAAAA"); !errors.Is(err, forms.ErrLinkUnknown) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := f.store.ResolveLink(ctx, "short"); !errors.Is(err, forms.ErrLinkUnknown) {
		t.Errorf("short: %v", err)
	}
	if _, err := f.store.RevokeInvitation(ctx, forms.AllCountries, f.inv); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ResolveLink(ctx, f.token); !errors.Is(err, forms.ErrLinkRevoked) {
		t.Errorf("revoked: %v", err)
	}
	link, err := f.store.ReissueInvitation(ctx, forms.AllCountries, f.inv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ResolveLink(ctx, f.token); !errors.Is(err, forms.ErrLinkUnknown) {
		t.Errorf("old token after re-issue: %v", err)
	}
	if _, err := f.store.ResolveLink(ctx, link.Token); err != nil {
		t.Errorf("re-issued: %v", err)
	}
	if _, err := f.store.CloseConsultation(ctx, forms.AllCountries, f.c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ResolveLink(ctx, link.Token); !errors.Is(err, forms.ErrLinkClosed) {
		t.Errorf("closed: %v", err)
	}
	past := time.Now().Add(-time.Hour)
	if _, err := f.store.ReopenConsultation(ctx, forms.AllCountries, f.c.ID, &past); err == nil {
		t.Error("reopened with a past closing date")
	}
	if _, err := f.store.ReopenConsultation(ctx, forms.AllCountries, f.c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ResolveLink(ctx, link.Token); err != nil {
		t.Errorf("reopened: %v", err)
	}
	// A focal point of another country sees nothing of it.
	mex := forms.Scope{Countries: []string{"MEX"}}
	if _, err := f.store.Consultation(ctx, mex, f.c.ID); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("foreign focal point: %v", err)
	}
	if _, err := f.store.RevokeInvitation(ctx, mex, f.inv); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("foreign revoke: %v", err)
	}
}

func TestOpenLinkVisitorsGetTheirOwnResponse(t *testing.T) {
	f := newFixture(t, forms.AnonymityConfidential)
	ctx := context.Background()
	open, err := f.store.SetOpenLink(ctx, forms.AllCountries, f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.store.ResolveLink(ctx, open)
	if err != nil || !sess.OpenLink {
		t.Fatalf("open link: %+v %v", sess, err)
	}
	if _, err := f.store.StartOpenVisit(ctx, sess, "spy", "en"); err == nil {
		t.Error("unknown stakeholder type accepted")
	}
	for i, typ := range []string{"academia", "private_sector"} {
		personal, err := f.store.StartOpenVisit(ctx, sess, typ, "fr")
		if err != nil {
			t.Fatal(err)
		}
		mine, err := f.store.ResolveLink(ctx, personal)
		if err != nil || mine.OpenLink || mine.Language() != "fr" {
			t.Fatalf("visitor %d: %+v %v", i, mine, err)
		}
		if _, err := f.store.Submit(ctx, mine, "", completeAnswers()); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count(t, "responses", "stakeholder_type IN ?", []string{"academia", "private_sector"}); n != 2 {
		t.Errorf("%d open-link responses, want 2", n)
	}
}
