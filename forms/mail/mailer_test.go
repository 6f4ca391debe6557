package mail_test

import (
	"context"
	"errors"
	netmail "net/mail"
	"testing"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database/dbtest"
	"github.com/unodc-csu/agora/forms/mail"
)

// blockingTransport holds each message until released.
type blockingTransport struct {
	got     chan *mail.Message
	release chan error
}

func (b *blockingTransport) Send(_ context.Context, m *mail.Message) error {
	b.got <- m
	return <-b.release
}

func TestMailerOneSendAtATime(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	store := forms.NewStore(db)
	defs, err := forms.DemoQuestionnaires()
	if err != nil {
		t.Fatal(err)
	}
	q, err := store.CreateQuestionnaire(ctx, &defs[0], nil)
	if err == nil {
		_, err = store.PublishQuestionnaire(ctx, q.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{QuestionnaireID: q.ID, Country: "KEN", Title: "Kenya"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint
	for _, email := range []string{"a@one.example", "b@two.example", "not an address"} {
		sh, err := store.CreateStakeholder(ctx, forms.AllCountries, forms.StakeholderInput{Organization: email, Type: "ngo", Country: "KEN"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The registry checks addresses; an older row may not be valid.
		if err := db.Table("stakeholders").Where("id = ?", sh.ID).Update("email", email).Error; err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sh.ID)
	}
	if _, _, err := store.CreateInvitations(ctx, forms.AllCountries, c.ID, ids, nil, nil); err != nil {
		t.Fatal(err)
	}

	tr := &blockingTransport{got: make(chan *mail.Message), release: make(chan error)}
	m := mail.New(db, store, tr, netmail.Address{Address: "agora@example.org"})
	plan, err := m.Plan(ctx, forms.AllCountries, c.ID, mail.KindInvitation)
	if err != nil || len(plan.Recipients) != 2 || len(plan.Skipped) != 1 || plan.Skipped[0].Reason != mail.SkipBadEmail {
		t.Fatalf("plan: %+v %v", plan, err)
	}
	done := make(chan *mail.Batch)
	go func() {
		b, err := m.Send(ctx, forms.AllCountries, c.ID, mail.KindInvitation, func(tok string) string { return "https://x/s/" + tok }, nil)
		if err != nil {
			t.Error(err)
		}
		done <- b
	}()
	<-tr.got // the first message is on its way
	if _, err := m.Send(ctx, forms.AllCountries, c.ID, mail.KindReminder, func(string) string { return "" }, nil); !errors.Is(err, mail.ErrBusy) {
		t.Errorf("a second send at once: %v, want ErrBusy", err)
	}
	// Another instance over the same database is refused too.
	other := mail.New(db, forms.NewStore(db), tr, netmail.Address{Address: "agora@example.org"})
	if _, err := other.Send(ctx, forms.AllCountries, c.ID, mail.KindReminder, func(string) string { return "" }, nil); !errors.Is(err, mail.ErrBusy) {
		t.Errorf("a second instance's send at once: %v, want ErrBusy", err)
	}
	tr.release <- errors.New("451 try again later")
	<-tr.got
	tr.release <- nil
	b := <-done
	if b.Sent != 1 || b.Failed != 1 || b.Skipped != 1 || b.Records[0].Status != mail.StatusFailed || b.Records[0].Error != "451 try again later" {
		t.Errorf("batch %+v", b)
	}
	rows, err := m.Log(ctx, forms.AllCountries, c.ID)
	if err != nil || len(rows) != 2 || rows[0].Status != mail.StatusSent || rows[1].Organization == "" {
		t.Errorf("log %+v %v", rows, err)
	}
	if _, err := m.Log(ctx, forms.Scope{Countries: []string{"MEX"}}, c.ID); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("log of another country: %v", err)
	}
	// Once it is over, the consultation can be sent to again.
	go func() {
		for range tr.got {
			tr.release <- nil
		}
	}()
	defer close(tr.got)
	if b, err := m.Send(ctx, forms.AllCountries, c.ID, mail.KindReminder, func(string) string { return "x" }, nil); err != nil || b.Sent != 2 {
		t.Errorf("reminder after: %+v %v", b, err)
	}
}
