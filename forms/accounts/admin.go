package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// UserChange is an admin's change to a user: every field is optional.
type UserChange struct {
	Name      *string  `json:"name" validate:"omitempty,max=200"`
	Role      *string  `json:"role" validate:"omitempty,oneof=admin analyst focal_point"`
	Countries []string `json:"countries" validate:"dive,country"`
	Disabled  *bool    `json:"disabled"`
}

// UserByID returns a user with their countries.
func (s *Store) UserByID(ctx context.Context, id uint) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Take(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, forms.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &u, s.loadCountries(ctx, &u)
}

// UpdateUser applies an admin's change. Disabling a user ends their
// sessions; their tokens stop working because authentication checks the
// user.
func (s *Store) UpdateUser(ctx context.Context, id uint, ch UserChange) (*User, error) {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	for i, c := range ch.Countries {
		ch.Countries[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	if err := forms.CheckInput(ch); err != nil {
		return nil, err
	}
	if ch.Name != nil {
		u.Name = *ch.Name
	}
	if ch.Role != nil {
		u.Role = *ch.Role
	}
	if ch.Countries != nil {
		u.Countries = ch.Countries
	}
	if u.Role != RoleFocalPoint {
		u.Countries = []string{}
	}
	ve := &forms.ValidationError{}
	if u.Role == RoleFocalPoint && len(u.Countries) == 0 {
		ve.Add("/countries", "a focal point needs at least one country")
	}
	if err := s.checkCountries(ctx, u.Countries, ve); err != nil {
		return nil, err
	}
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	if ch.Disabled != nil {
		u.DisabledAt = nil
		if *ch.Disabled {
			now := time.Now().UTC()
			u.DisabledAt = &now
		}
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"name": u.Name, "role": u.Role, "disabled_at": u.DisabledAt, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&UserCountry{}).Error; err != nil {
			return err
		}
		for _, c := range u.Countries {
			if err := tx.Create(&UserCountry{UserID: u.ID, CountryISO3: c}).Error; err != nil {
				return err
			}
		}
		if u.DisabledAt != nil {
			return tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error
		}
		return nil
	})
	return u, err
}

// Token returns one token (never its secret).
func (s *Store) Token(ctx context.Context, id uint) (*APIToken, error) {
	var t APIToken
	err := s.db.WithContext(ctx).Take(&t, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, forms.ErrNotFound
	}
	return &t, err
}
