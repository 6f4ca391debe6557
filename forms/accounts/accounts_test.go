package accounts_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

func TestAddUserValidation(t *testing.T) {
	acc := accounts.NewStore(dbtest.Open(t))
	ctx := context.Background()
	cases := []struct {
		name  string
		in    accounts.NewUser
		paths []string
	}{
		{"no email", accounts.NewUser{Role: "admin"}, []string{"/email"}},
		{"bad email and role", accounts.NewUser{Email: "nope", Role: "boss"}, []string{"/email", "/role"}},
		{"focal point without country", accounts.NewUser{Email: "a@b.org", Role: "focal_point"}, []string{"/countries"}},
		{"malformed country", accounts.NewUser{Email: "a@b.org", Role: "focal_point", Countries: []string{"KE"}}, []string{"/countries/0"}},
		{"unknown country", accounts.NewUser{Email: "a@b.org", Role: "focal_point", Countries: []string{"KEN", "XXX"}}, []string{"/countries/1"}},
		{"admin with country", accounts.NewUser{Email: "a@b.org", Role: "admin", Countries: []string{"KEN"}}, []string{"/countries"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := acc.AddUser(ctx, tc.in)
			var ve *forms.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a validation error", err)
			}
			var paths []string
			for _, f := range ve.Fields {
				paths = append(paths, f.Path)
			}
			if !slices.Equal(paths, tc.paths) {
				t.Errorf("paths %v, want %v (%v)", paths, tc.paths, ve)
			}
		})
	}
	if n, _ := acc.CountUsers(ctx); n != 0 {
		t.Errorf("%d users stored from invalid input", n)
	}
}

func TestUsersAndTokens(t *testing.T) {
	acc := accounts.NewStore(dbtest.Open(t))
	ctx := context.Background()

	u, err := acc.AddUser(ctx, accounts.NewUser{Email: " Focal@Example.ORG ", Role: "focal_point", Countries: []string{"ken", "MEX"}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "focal@example.org" || !slices.Equal(u.Countries, []string{"KEN", "MEX"}) {
		t.Errorf("stored %+v", u)
	}
	_, err = acc.AddUser(ctx, accounts.NewUser{Email: "focal@example.org", Role: "admin"})
	if !errors.Is(err, forms.ErrConflict) {
		t.Errorf("duplicate email: %v, want conflict", err)
	}

	secret, tok, err := acc.CreateToken(ctx, "FOCAL@example.org", "laptop", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, accounts.TokenPrefix) || len(secret) < len(accounts.TokenPrefix)+43 {
		t.Errorf("token %q is too short for 256 bits", secret)
	}
	if tok.Hash == secret || strings.Contains(tok.Hash, secret[len(accounts.TokenPrefix):]) {
		t.Error("the secret is stored in clear")
	}
	p, err := acc.Authenticate(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if p.Role != "focal_point" || !p.Scope().Allows("KEN") || p.Scope().Allows("FRA") || p.Scope().All {
		t.Errorf("principal %+v scope %+v", p, p.Scope())
	}
	list, _ := acc.Tokens(ctx, u.ID)
	if len(list) != 1 || list[0].LastUsedAt == nil {
		t.Errorf("last use not recorded: %+v", list)
	}

	bad := []string{"", "agora_", "agora_" + strings.Repeat("x", 43), secret + "x", strings.TrimPrefix(secret, accounts.TokenPrefix)}
	for _, b := range bad {
		if _, err := acc.Authenticate(ctx, b); !errors.Is(err, accounts.ErrUnauthenticated) {
			t.Errorf("Authenticate(%q) = %v, want ErrUnauthenticated", b, err)
		}
	}

	if err := acc.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.Authenticate(ctx, secret); !errors.Is(err, accounts.ErrUnauthenticated) {
		t.Errorf("revoked token still works: %v", err)
	}
	if err := acc.RevokeToken(ctx, 9999); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("revoke unknown = %v", err)
	}

	short, _, err := acc.CreateToken(ctx, "focal@example.org", "short", time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	if _, err := acc.Authenticate(ctx, short); !errors.Is(err, accounts.ErrUnauthenticated) {
		t.Errorf("expired token works: %v", err)
	}
	if _, _, err := acc.CreateToken(ctx, "nobody@example.org", "", 0); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("token for unknown user: %v", err)
	}
}

func TestAnalystAndAdminSeeEveryCountry(t *testing.T) {
	for _, role := range []string{accounts.RoleAdmin, accounts.RoleAnalyst} {
		p := accounts.Principal{Role: role}
		if !p.Scope().All || !p.Scope().Allows("KEN") {
			t.Errorf("%s scope %+v", role, p.Scope())
		}
	}
}
