package forms_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
)

func TestRotateInvitationTokenKeepsTheDraft(t *testing.T) {
	f := newFixture(t, forms.AnonymityConfidential)
	ctx := context.Background()
	expires := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	if err := f.db.Model(&forms.Invitation{}).Where("id = ?", f.inv).Update("expires_at", expires).Error; err != nil {
		t.Fatal(err)
	}
	sess, err := f.store.ResolveLink(ctx, f.token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SaveDraft(ctx, sess, forms.Answers{"q_org_type": "ngo"}, 1); err != nil {
		t.Fatal(err)
	}

	link, err := f.store.RotateInvitationToken(ctx, forms.AllCountries, f.inv)
	if err != nil || link.InvitationID != f.inv || link.Token == f.token {
		t.Fatalf("rotate: %+v %v", link, err)
	}
	if _, err := f.store.ResolveLink(ctx, f.token); !errors.Is(err, forms.ErrLinkUnknown) {
		t.Errorf("old link: %v, want unknown", err)
	}
	sess, err = f.store.ResolveLink(ctx, link.Token)
	if err != nil || sess.Response == nil || sess.Answers()["q_org_type"] != "ngo" || sess.Response.Section != 1 {
		t.Fatalf("new link does not resume the draft: %+v %v", sess, err)
	}
	if !sess.Invitation.ExpiresAt.Equal(expires) {
		t.Errorf("expiry changed: %v, want %v", sess.Invitation.ExpiresAt, expires)
	}

	t.Run("a failed delivery keeps the link", func(t *testing.T) {
		refused := errors.New("550 no such mailbox")
		var offered string
		_, err := f.store.RotateInvitationTokenAfter(ctx, forms.AllCountries, f.inv, func(token string) error {
			offered = token
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatalf("got %v, want the delivery's error", err)
		}
		if _, err := f.store.ResolveLink(ctx, link.Token); err != nil {
			t.Errorf("the current link stopped working: %v", err)
		}
		if _, err := f.store.ResolveLink(ctx, offered); !errors.Is(err, forms.ErrLinkUnknown) {
			t.Errorf("the undelivered token works: %v", err)
		}
	})
	t.Run("a delivered token is stored", func(t *testing.T) {
		var delivered string
		got, err := f.store.RotateInvitationTokenAfter(ctx, forms.AllCountries, f.inv, func(token string) error {
			delivered = token
			return nil
		})
		if err != nil || got.Token != delivered {
			t.Fatalf("rotate: %+v %v", got, err)
		}
		if _, err := f.store.ResolveLink(ctx, delivered); err != nil {
			t.Errorf("the delivered link does not work: %v", err)
		}
		if _, err := f.store.ResolveLink(ctx, link.Token); !errors.Is(err, forms.ErrLinkUnknown) {
			t.Errorf("the link before it still works: %v", err)
		}
		link = got
	})
	t.Run("other country", func(t *testing.T) {
		_, err := f.store.RotateInvitationToken(ctx, forms.Scope{Countries: []string{"MEX"}}, f.inv)
		if !errors.Is(err, forms.ErrNotFound) {
			t.Errorf("got %v, want not found", err)
		}
	})
	t.Run("revoked stays revoked", func(t *testing.T) {
		if _, err := f.store.RevokeInvitation(ctx, forms.AllCountries, f.inv); err != nil {
			t.Fatal(err)
		}
		_, err := f.store.RotateInvitationToken(ctx, forms.AllCountries, f.inv)
		var ce *forms.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("got %v, want a conflict", err)
		}
		if n := f.count(t, "invitations", "id = ? AND revoked_at IS NOT NULL", f.inv); n != 1 {
			t.Error("the revocation was undone")
		}
	})
}
