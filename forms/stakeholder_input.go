package forms

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// StakeholderInput is what a client sends to add or replace a stakeholder,
// and what one row of an import becomes. Strings are trimmed, the email
// lower-cased and the codes upper-cased before validation.
type StakeholderInput struct {
	Organization string `json:"organization" validate:"required,max=300"`
	Type         string `json:"type" validate:"required,oneof=ngo academia private_sector government intergovernmental other"`
	// Subtype is free text: community group, labour union, faith-based...
	Subtype     string   `json:"subtype" validate:"max=100"`
	Country     string   `json:"country" validate:"required,country"`
	Email       string   `json:"email" validate:"omitempty,email,max=320"`
	ContactName string   `json:"contact_name" validate:"max=200"`
	Themes      []string `json:"themes" validate:"max=50,dive,required,max=64"`
	// ECOSOCStatus is one of ECOSOCStatuses; empty means "none".
	ECOSOCStatus string `json:"ecosoc_status" validate:"oneof=none general special roster"`
	// HubConsent records the organization's consent to be listed in
	// UNODC's stakeholder hub.
	HubConsent bool `json:"hub_consent"`
	// Language is the language of invitations, one of Languages; empty
	// means English.
	Language string `json:"language" validate:"oneof=ar zh en fr ru es"`
	Notes    string `json:"notes" validate:"max=4000"`
}

// normalize trims and canonicalizes in place, and fills the defaults.
func (in *StakeholderInput) normalize() {
	in.Organization = collapseSpace(in.Organization)
	in.Type = strings.ToLower(strings.TrimSpace(in.Type))
	in.Subtype = collapseSpace(in.Subtype)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.ContactName = collapseSpace(in.ContactName)
	in.Themes = slices.Clone(in.Themes) // the caller's slice stays as sent
	for i, t := range in.Themes {
		in.Themes[i] = strings.ToUpper(strings.TrimSpace(t))
	}
	in.ECOSOCStatus = strings.ToLower(strings.TrimSpace(in.ECOSOCStatus))
	if in.ECOSOCStatus == "" {
		in.ECOSOCStatus = ECOSOCNone
	}
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	if in.Language == "" {
		in.Language = DefaultStakeholderLanguage
	}
	in.Notes = strings.TrimSpace(in.Notes)
}

// normalize canonicalizes the filter's codes and search text.
func (f *StakeholderFilter) normalize() {
	f.Country = strings.ToUpper(strings.TrimSpace(f.Country))
	f.Type = strings.ToLower(strings.TrimSpace(f.Type))
	f.Theme = strings.ToUpper(strings.TrimSpace(f.Theme))
	f.Q = strings.TrimSpace(f.Q)
}

// stakeholder builds the record of a normalized, valid input.
func (in *StakeholderInput) stakeholder() *Stakeholder {
	return &Stakeholder{
		Organization:    in.Organization,
		OrganizationKey: fold(in.Organization),
		Type:            in.Type,
		Subtype:         in.Subtype,
		Country:         in.Country,
		Email:           in.Email,
		ContactName:     in.ContactName,
		ECOSOCStatus:    in.ECOSOCStatus,
		HubConsent:      in.HubConsent,
		Language:        in.Language,
		Notes:           in.Notes,
		Themes:          sortedUnique(in.Themes),
		SearchText:      fold(in.Organization + " " + in.ContactName + " " + in.Email),
	}
}

// stakeholderRefs is the reference data a stakeholder is checked against.
type stakeholderRefs struct {
	countryKnown func(iso3 string) bool
	themeKnown   func(code string) bool
}

// checkStakeholder normalizes in and reports every problem with it.
func (s *Store) checkStakeholder(ctx context.Context, scope Scope, in *StakeholderInput) error {
	in.normalize()
	themeKnown, err := s.ThemeKnown(ctx)
	if err != nil {
		return err
	}
	known := false
	if ValidCountryCode(in.Country) {
		var n int64
		if err := s.db.WithContext(ctx).Model(&Country{}).Where("iso3 = ?", in.Country).Count(&n).Error; err != nil {
			return err
		}
		known = n > 0
	}
	refs := stakeholderRefs{countryKnown: func(string) bool { return known }, themeKnown: themeKnown}
	return validateStakeholder(in, refs, scope)
}

// validateStakeholder checks a normalized input: its tags, then what needs
// reference data (country, themes) and the caller's scope.
func validateStakeholder(in *StakeholderInput, refs stakeholderRefs, scope Scope) error {
	ve := &ValidationError{}
	if err := CheckInput(in); err != nil && !errors.As(err, &ve) {
		return err
	}
	for i, code := range in.Themes {
		if code != "" && len(code) <= 64 && !refs.themeKnown(code) {
			ve.Add("/themes/"+strconv.Itoa(i), "unknown theme %q (the codes are listed at /api/v1/themes)", code)
		}
	}
	switch {
	case !ValidCountryCode(in.Country):
		// CheckInput has said so.
	case !refs.countryKnown(in.Country):
		ve.Add("/country", "unknown country %q", in.Country)
	case !scope.Allows(in.Country):
		ve.Add("/country", "%s is not one of your countries (%s)", in.Country, strings.Join(scope.Countries, ", "))
	}
	return ve.OrNil()
}

// fold is the key by which names are compared and searched: lower case, no
// accents, one space between words, typographic apostrophes made plain.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.NewReplacer("’", "'", "‘", "'", "`", "'").Replace(out)
	return collapseSpace(strings.ToLower(out))
}

// collapseSpace trims s and reduces every run of white space to one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// likeEscape escapes the wildcards of a LIKE pattern (with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
