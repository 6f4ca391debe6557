// Package accounts holds Agora's staff accounts — the CSU's admins and
// analysts and the governments' focal points — and their API tokens.
// Stakeholders have no account: a personal link is their key.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// Roles.
const (
	RoleAdmin      = forms.RoleAdmin      // the CSU: everything, every country
	RoleAnalyst    = forms.RoleAnalyst    // the CSU: reads everything
	RoleFocalPoint = forms.RoleFocalPoint // a government: its own countries
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleAnalyst, RoleFocalPoint}

// User is a staff account.
type User struct {
	ID           uint       `gorm:"primaryKey" json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Role         string     `json:"role"`
	PasswordHash string     `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	DisabledAt   *time.Time `json:"disabled_at,omitempty"`
	Countries    []string   `gorm:"-" json:"countries"`
}

// UserCountry assigns a country to a focal point.
type UserCountry struct {
	UserID      uint   `gorm:"primaryKey;autoIncrement:false"`
	CountryISO3 string `gorm:"primaryKey;column:country_iso3"`
}

// NewUser is the input for adding a user.
type NewUser struct {
	Email     string   `json:"email" validate:"required,email,max=320"`
	Name      string   `json:"name" validate:"max=200"`
	Role      string   `json:"role" validate:"required,oneof=admin analyst focal_point"`
	Countries []string `json:"countries" validate:"dive,country"`
}

// Principal is an authenticated caller: who, with which role, over which
// countries.
type Principal struct {
	UserID    uint
	Email     string
	Role      string
	Countries []string
}

// Scope is the set of countries the principal may see.
func (p *Principal) Scope() forms.Scope {
	if p.Role == RoleAdmin || p.Role == RoleAnalyst {
		return forms.AllCountries
	}
	return forms.Scope{Countries: p.Countries}
}

// HasRole reports whether the principal holds one of roles.
func (p *Principal) HasRole(roles ...string) bool {
	return slices.Contains(roles, p.Role)
}

// Store keeps accounts in the database.
type Store struct{ db *gorm.DB }

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// AddUser creates a user. A focal point needs at least one country; the
// CSU's roles see every country and take none.
func (s *Store) AddUser(ctx context.Context, in NewUser) (*User, error) {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	for i, c := range in.Countries {
		in.Countries[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	if err := forms.CheckInput(in); err != nil {
		return nil, err
	}
	ve := &forms.ValidationError{}
	switch {
	case in.Role == RoleFocalPoint && len(in.Countries) == 0:
		ve.Add("/countries", "a focal point needs at least one country")
	case in.Role != RoleFocalPoint && len(in.Countries) > 0:
		ve.Add("/countries", "only focal points are assigned countries; %s sees every country", in.Role)
	}
	if err := s.checkCountries(ctx, in.Countries, ve); err != nil {
		return nil, err
	}
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	u := &User{Email: in.Email, Name: in.Name, Role: in.Role, Countries: in.Countries}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		for _, c := range in.Countries {
			if err := tx.Create(&UserCountry{UserID: u.ID, CountryISO3: c}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, &forms.ConflictError{Reason: fmt.Sprintf("a user with email %s already exists", in.Email)}
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Store) checkCountries(ctx context.Context, codes []string, ve *forms.ValidationError) error {
	if len(codes) == 0 {
		return nil
	}
	var known []string
	if err := s.db.WithContext(ctx).Model(&forms.Country{}).Where("iso3 IN ?", codes).Pluck("iso3", &known).Error; err != nil {
		return err
	}
	for i, c := range codes {
		if forms.ValidCountryCode(c) && !slices.Contains(known, c) {
			ve.Add(fmt.Sprintf("/countries/%d", i), "unknown country %q", c)
		}
	}
	return nil
}

// UserByEmail returns the user with that email, with their countries.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, forms.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &u, s.loadCountries(ctx, &u)
}

// Users lists every user, by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	users := []User{}
	if err := s.db.WithContext(ctx).Order("email").Find(&users).Error; err != nil {
		return nil, err
	}
	for i := range users {
		if err := s.loadCountries(ctx, &users[i]); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// CountUsers returns how many users exist, to tell a new installation.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	return n, s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
}

func (s *Store) loadCountries(ctx context.Context, u *User) error {
	u.Countries = []string{}
	return s.db.WithContext(ctx).Model(&UserCountry{}).Where("user_id = ?", u.ID).
		Order("country_iso3").Pluck("country_iso3", &u.Countries).Error
}
