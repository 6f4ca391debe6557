package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

func TestLoginSessionsAndLinks(t *testing.T) {
	ctx := context.Background()
	acc := accounts.NewStore(dbtest.Open(t))
	u, err := acc.AddUser(ctx, accounts.NewUser{Email: "fp@example.org", Role: accounts.RoleFocalPoint, Countries: []string{"KEN"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.Login(ctx, "fp@example.org", "", "1.2.3.4"); !errors.Is(err, accounts.ErrUnauthenticated) {
		t.Fatalf("login without a password set: %v", err)
	}
	var ve *forms.ValidationError
	if err := acc.SetPassword(ctx, u.ID, "short"); !errors.As(err, &ve) {
		t.Fatalf("short password: %v", err)
	}
	const pw = "correct horse battery"
	if err := acc.SetPassword(ctx, u.ID, pw); err != nil {
		t.Fatal(err)
	}
	p, err := acc.Login(ctx, "FP@example.org ", pw, "1.2.3.4")
	if err != nil || p.UserID != u.ID || p.Scope().Allows("MEX") || !p.Scope().Allows("KEN") {
		t.Fatalf("login: %+v %v", p, err)
	}
	cookie, sess, err := acc.NewSession(ctx, u.ID, "1.2.3.4", "test")
	if err != nil || sess.ID == cookie || sess.ID != accounts.HashSecret(cookie) || sess.CSRF == "" {
		t.Fatalf("session: %+v %v", sess, err)
	}
	if p, _, err := acc.SessionPrincipal(ctx, cookie); err != nil || p.Email != "fp@example.org" {
		t.Fatalf("session principal: %+v %v", p, err)
	}
	if _, _, err := acc.SessionPrincipal(ctx, sess.ID); !errors.Is(err, accounts.ErrUnauthenticated) {
		t.Fatalf("the stored hash must not work as a cookie: %v", err)
	}

	// Back-off: five failures from one address lock the account from that
	// address, even for the right password; not from another.
	for i := 0; i < accounts.MaxFailures; i++ {
		if _, err := acc.Login(ctx, "fp@example.org", "wrong password!", "5.6.7.8"); !errors.Is(err, accounts.ErrUnauthenticated) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := acc.Login(ctx, "fp@example.org", pw, "5.6.7.8"); !errors.Is(err, accounts.ErrLocked) {
		t.Fatalf("after %d failures, from the same address: %v", accounts.MaxFailures, err)
	}
	if _, err := acc.Login(ctx, "fp@example.org", pw, "1.2.3.4"); err != nil {
		t.Fatalf("after %d failures elsewhere, from the user's own address: %v", accounts.MaxFailures, err)
	}

	// A one-time link sets the password once and ends the sessions.
	link, err := acc.NewPasswordLink(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.UsePasswordLink(ctx, link, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.UsePasswordLink(ctx, link, "yet another password"); !errors.Is(err, forms.ErrNotFound) {
		t.Fatalf("second use: %v", err)
	}
	if _, _, err := acc.SessionPrincipal(ctx, cookie); !errors.Is(err, accounts.ErrUnauthenticated) {
		t.Fatalf("session after password reset: %v", err)
	}

	// Disabling ends sessions and refuses tokens.
	cookie, _, _ = acc.NewSession(ctx, u.ID, "", "")
	yes := true
	if _, err := acc.UpdateUser(ctx, u.ID, accounts.UserChange{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := acc.SessionPrincipal(ctx, cookie); !errors.Is(err, accounts.ErrUnauthenticated) {
		t.Fatalf("session of a disabled user: %v", err)
	}
	analyst := accounts.RoleAnalyst
	got, err := acc.UpdateUser(ctx, u.ID, accounts.UserChange{Role: &analyst})
	if err != nil || got.Role != analyst || len(got.Countries) != 0 {
		t.Fatalf("role change: %+v %v", got, err)
	}
}

// TestLoginBackOffAcrossAddresses: a guesser spread over many addresses
// reaches the account-wide limit, after which addresses the user never
// logged in from are refused, while the user's own still gets in.
func TestLoginBackOffAcrossAddresses(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	acc := accounts.NewStore(db)
	if _, err := acc.AddUser(ctx, accounts.NewUser{Email: "csu@example.org", Role: accounts.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	u, _ := acc.UserByEmail(ctx, "csu@example.org")
	pw := "the right password"
	if err := acc.SetPassword(ctx, u.ID, pw); err != nil {
		t.Fatal(err)
	}
	// The user logged in from 10.0.0.1 last month, as the audit log says.
	if err := db.Exec(`INSERT INTO audit_events (at, actor_email, action, object_type, object_id, country, details, ip) VALUES (?, ?, 'login', 'user', '1', '', '', '10.0.0.1')`,
		time.Now().UTC().Add(-30*24*time.Hour), "csu@example.org").Error; err != nil {
		t.Fatal(err)
	}
	for i := range accounts.MaxFailuresPerAccount {
		ip := fmt.Sprintf("198.51.100.%d", i/(accounts.MaxFailures-1))
		if _, err := acc.Login(ctx, "csu@example.org", "a wrong guess", ip); !errors.Is(err, accounts.ErrUnauthenticated) {
			t.Fatalf("guess %d from %s: %v", i, ip, err)
		}
	}
	tests := []struct {
		name, ip string
		locked   bool
	}{
		{"an address the user never used", "203.0.113.7", true},
		{"the user's own address", "10.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := acc.Login(ctx, "csu@example.org", pw, tt.ip)
			if locked := errors.Is(err, accounts.ErrLocked); locked != tt.locked || !locked && err != nil {
				t.Errorf("login from %s: %v, want locked %v", tt.ip, err, tt.locked)
			}
		})
	}
}
