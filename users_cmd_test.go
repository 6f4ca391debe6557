package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

func TestUsersPasswordAndResetLink(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	acc := accounts.NewStore(db)
	if _, err := acc.AddUser(ctx, accounts.NewUser{Email: "cli@example.org", Role: accounts.RoleAnalyst}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := setPasswordFromStdin(ctx, db, acc, "cli@example.org", strings.NewReader("short\n"), &out); err == nil {
		t.Fatal("a short password was accepted")
	}
	if err := setPasswordFromStdin(ctx, db, acc, "cli@example.org", strings.NewReader("a long enough password\n"), &out); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.Login(ctx, "cli@example.org", "a long enough password", "127.0.0.1"); err != nil {
		t.Fatalf("login with the password set from stdin: %v", err)
	}
	out.Reset()
	if err := printResetLink(ctx, db, acc, "cli@example.org", "https://agora.example.org/", &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "https://agora.example.org/password/") {
		t.Fatalf("reset link: %q", out.String())
	}
	if err := printResetLink(ctx, db, acc, "nobody@example.org", "", &out); err == nil || !strings.Contains(err.Error(), "no user") {
		t.Fatalf("unknown user: %v", err)
	}
	events, err := audit.New(db).List(ctx, audit.Filter{Actor: "cli"})
	if err != nil || len(events) != 2 || events[0].Action != audit.UserPasswordLink || events[1].Action != audit.UserPassword {
		t.Fatalf("audit of the command line: %+v %v", events, err)
	}
}
