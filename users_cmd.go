package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// setPasswordFromStdin sets a user's password from the first line of in,
// so that it shows neither on the screen nor in the shell's history.
func setPasswordFromStdin(ctx context.Context, db *gorm.DB, acc *accounts.Store, email string, in io.Reader, out io.Writer) error {
	u, err := userForCLI(ctx, acc, email)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "password for %s (at least %d characters), then Enter: ", u.Email, accounts.MinPasswordLength)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if err := acc.SetPassword(ctx, u.ID, strings.TrimRight(line, "\r\n")); err != nil {
		return err
	}
	if err := acc.EndUserSessions(ctx, u.ID); err != nil {
		return err
	}
	cliAudit(ctx, db, audit.UserPassword, u.ID, map[string]string{"via": "cli"})
	fmt.Fprintf(out, "\npassword set for %s\n", u.Email)
	return nil
}

// printResetLink prints a one-time link with which the user sets a
// password (valid 24 hours, single use): no mail server needed.
func printResetLink(ctx context.Context, db *gorm.DB, acc *accounts.Store, email, baseURL string, out io.Writer) error {
	u, err := userForCLI(ctx, acc, email)
	if err != nil {
		return err
	}
	token, err := acc.NewPasswordLink(ctx, u.ID)
	if err != nil {
		return err
	}
	cliAudit(ctx, db, audit.UserPasswordLink, u.ID, map[string]string{"via": "cli"})
	fmt.Fprintf(out, "one-time link for %s, valid %s (pass it on privately):\n%s/password/%s\n",
		u.Email, accounts.PasswordLinkTTL, strings.TrimSuffix(baseURL, "/"), token)
	return nil
}

func userForCLI(ctx context.Context, acc *accounts.Store, email string) (*accounts.User, error) {
	if email == "" {
		return nil, errors.New("--email is required")
	}
	u, err := acc.UserByEmail(ctx, email)
	if errors.Is(err, forms.ErrNotFound) {
		return nil, fmt.Errorf("no user with email %s: add one with agora users add", email)
	}
	return u, err
}

// cliAudit records a change made from the command line; the actor is the
// command line, from the local machine.
func cliAudit(ctx context.Context, db *gorm.DB, action string, userID uint, details any) {
	e := audit.Event{ActorEmail: "cli", Action: action, ObjectType: "user", ObjectID: fmt.Sprint(userID), IP: "local"}
	if err := audit.New(db).Record(ctx, e, details); err != nil {
		slog.Error("audit log: event not recorded", "action", action, "err", err)
	}
}
