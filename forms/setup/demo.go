// Package setup installs content into a new Agora database: the demo
// consultation a newcomer explores with `go run .`.
package setup

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
)

// Demo accounts. The addresses use a reserved domain: nothing is ever sent
// to them.
const (
	DemoAdminEmail      = "admin@agora.demo"
	DemoFocalPointEmail = "focal.ken@agora.demo"
	DemoAnalystEmail    = "analyst@agora.demo"
	// demoTokenName marks the token printed at start, replaced at each start.
	demoTokenName = "demo: printed at start"
)

// Credentials are what a newcomer needs to get in.
type Credentials struct {
	Email string
	Token string
	// SurveyToken is a stakeholder's personal link to the demo survey.
	SurveyToken string
	// Password logs in every demo account (admin, analyst, focal point)
	// on the web pages; it changes at each start.
	Password string
}

// IsEmpty reports whether the database holds no questionnaire and no user:
// the state in which the demo may be loaded.
func IsEmpty(ctx context.Context, db *gorm.DB) (bool, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&forms.Questionnaire{}).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	if err := db.WithContext(ctx).Model(&accounts.User{}).Count(&n).Error; err != nil {
		return false, err
	}
	return n == 0, nil
}

// LoadDemo fills an empty database with the demo: the shipped
// questionnaires, published, and an admin, an analyst and a focal point for
// Kenya.
func LoadDemo(ctx context.Context, store *forms.Store, acc *accounts.Store) error {
	defs, err := forms.DemoQuestionnaires()
	if err != nil {
		return err
	}
	var survey uint
	for i := range defs {
		q, err := store.CreateQuestionnaire(ctx, &defs[i], nil)
		if err != nil {
			return fmt.Errorf("demo questionnaire %s: %w", defs[i].Code, err)
		}
		if _, err := store.PublishQuestionnaire(ctx, q.ID); err != nil {
			return fmt.Errorf("publish demo questionnaire %s: %w", defs[i].Code, err)
		}
		if q.Code == "pilot-issues" {
			survey = q.ID
		}
	}
	if err := loadDemoConsultation(ctx, store, survey); err != nil {
		return err
	}
	users := []accounts.NewUser{
		{Email: DemoAdminEmail, Name: "Demo administrator (CSU)", Role: accounts.RoleAdmin},
		{Email: DemoAnalystEmail, Name: "Demo analyst (CSU)", Role: accounts.RoleAnalyst},
		{Email: DemoFocalPointEmail, Name: "Demo focal point, Kenya", Role: accounts.RoleFocalPoint, Countries: []string{"KEN"}},
	}
	for _, u := range users {
		if _, err := acc.AddUser(ctx, u); err != nil {
			return fmt.Errorf("demo user %s: %w", u.Email, err)
		}
	}
	return nil
}

// DemoCredentials issues a fresh token for the demo admin, revoking the one
// printed at the previous start, so that every start prints a working
// credential without tokens piling up. It returns nil when the demo admin
// does not exist (a real installation).
func DemoCredentials(ctx context.Context, store *forms.Store, acc *accounts.Store) (*Credentials, error) {
	u, err := acc.UserByEmail(ctx, DemoAdminEmail)
	if errors.Is(err, forms.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	tokens, err := acc.Tokens(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tokens {
		if t.Name == demoTokenName && t.RevokedAt == nil {
			if err := acc.RevokeToken(ctx, t.ID); err != nil {
				return nil, err
			}
		}
	}
	secret, _, err := acc.CreateToken(ctx, DemoAdminEmail, demoTokenName, 0)
	if err != nil {
		return nil, err
	}
	survey, err := DemoSurveyLink(ctx, store)
	if err != nil {
		return nil, err
	}
	password, err := demoPasswords(ctx, acc)
	if err != nil {
		return nil, err
	}
	return &Credentials{Email: DemoAdminEmail, Token: secret, SurveyToken: survey, Password: password}, nil
}

// demoPasswords gives the demo accounts a fresh random password, so that a
// newcomer can log in with what the start printed and nobody can with
// what an earlier start printed.
func demoPasswords(ctx context.Context, acc *accounts.Store) (string, error) {
	secret, err := accounts.NewSecret()
	if err != nil {
		return "", err
	}
	password := "demo-" + secret[:16]
	for _, email := range []string{DemoAdminEmail, DemoAnalystEmail, DemoFocalPointEmail} {
		u, err := acc.UserByEmail(ctx, email)
		if errors.Is(err, forms.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := acc.SetPassword(ctx, u.ID, password); err != nil {
			return "", err
		}
	}
	return password, nil
}
