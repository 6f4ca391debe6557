package forms

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Anonymity modes of a consultation.
const (
	// AnonymityNamed links answers to the stakeholder, visibly to staff.
	AnonymityNamed = "named"
	// AnonymityConfidential links answers to the stakeholder, but only
	// admins see who answered what; focal points see aggregates only.
	AnonymityConfidential = "confidential"
	// AnonymityAnonymous unlinks a response from its invitation once it is
	// submitted: nobody, not even an admin or someone reading the
	// database, can tell who gave it (see submit.go).
	AnonymityAnonymous = "anonymous"
)

// DefaultMinCellSize is the smallest group shown in a breakdown unless a
// consultation says otherwise.
const DefaultMinCellSize = 5

// Consultation states, derived from dates and the close switch.
const (
	ConsultationScheduled = "scheduled"
	ConsultationOpen      = "open"
	ConsultationClosed    = "closed"
)

// Consultation is a published questionnaire version deployed in one country.
type Consultation struct {
	ID                  uint       `gorm:"primaryKey" json:"id"`
	QuestionnaireID     uint       `json:"questionnaire_id"`
	CountryISO3         string     `gorm:"column:country_iso3" json:"country"`
	Title               string     `json:"title"`
	Purpose             string     `json:"purpose"`
	WorkingGroup        string     `json:"working_group,omitempty"`
	Cluster             string     `json:"cluster,omitempty"`
	Scenario            string     `json:"scenario,omitempty"`
	Languages           string     `json:"-"`
	OpensAt             *time.Time `json:"opens_at,omitempty"`
	ClosesAt            *time.Time `json:"closes_at,omitempty"`
	Anonymity           string     `json:"anonymity"`
	MinCellSize         int        `json:"min_cell_size"`
	EditableAfterSubmit bool       `json:"editable_after_submit"`
	ClosedAt            *time.Time `json:"closed_at,omitempty"`
	OpenLinkHash        *string    `json:"-"`
	CreatedBy           *uint      `json:"-"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
}

// LanguageList returns the languages offered to stakeholders; the first is
// the one a link opens in when the stakeholder has no preference.
func (c *Consultation) LanguageList() []string { return splitCSV(c.Languages) }

// State tells whether the consultation takes answers at t.
func (c *Consultation) State(t time.Time) string {
	switch {
	case c.ClosedAt != nil, c.ClosesAt != nil && !t.Before(*c.ClosesAt):
		return ConsultationClosed
	case c.OpensAt != nil && t.Before(*c.OpensAt):
		return ConsultationScheduled
	}
	return ConsultationOpen
}

// HasOpenLink reports whether an open link is active.
func (c *Consultation) HasOpenLink() bool { return c.OpenLinkHash != nil }

// ConsultationInput is the body that creates a consultation.
type ConsultationInput struct {
	QuestionnaireID     uint       `json:"questionnaire_id" validate:"required"`
	Country             string     `json:"country" validate:"required,country"`
	Title               string     `json:"title" validate:"required,max=300"`
	Purpose             string     `json:"purpose" validate:"omitempty,oneof=issue_identification self_assessment_input other"`
	WorkingGroup        string     `json:"working_group" validate:"max=64"`
	Cluster             string     `json:"cluster" validate:"max=64"`
	Scenario            string     `json:"scenario" validate:"omitempty,oneof=A B C"`
	Languages           []string   `json:"languages" validate:"dive,oneof=ar zh en fr ru es"`
	OpensAt             *time.Time `json:"opens_at"`
	ClosesAt            *time.Time `json:"closes_at"`
	Anonymity           string     `json:"anonymity" validate:"omitempty,oneof=named confidential anonymous"`
	MinCellSize         *int       `json:"min_cell_size" validate:"omitempty,max=1000"`
	EditableAfterSubmit *bool      `json:"editable_after_submit"`
}

// ConsultationFilter narrows a consultation listing.
type ConsultationFilter struct {
	Country         string
	QuestionnaireID uint
}

// CreateConsultation deploys a published questionnaire version in a country
// within the caller's scope.
func (s *Store) CreateConsultation(ctx context.Context, scope Scope, in ConsultationInput, by *uint) (*Consultation, error) {
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Title = strings.TrimSpace(in.Title)
	if err := CheckInput(in); err != nil {
		return nil, err
	}
	ve := &ValidationError{}
	q, err := s.checkConsultation(ctx, scope, &in, ve)
	if err != nil {
		return nil, err
	}
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	c := &Consultation{
		QuestionnaireID: in.QuestionnaireID, CountryISO3: in.Country, Title: in.Title,
		Purpose: cmp.Or(in.Purpose, q.Kind), WorkingGroup: in.WorkingGroup, Cluster: in.Cluster,
		Scenario: in.Scenario, Languages: strings.Join(in.Languages, ","),
		OpensAt: utc(in.OpensAt), ClosesAt: utc(in.ClosesAt),
		Anonymity:   cmp.Or(in.Anonymity, AnonymityConfidential),
		MinCellSize: DefaultMinCellSize, EditableAfterSubmit: true, CreatedBy: by,
	}
	if in.MinCellSize != nil {
		c.MinCellSize = *in.MinCellSize
	}
	if in.EditableAfterSubmit != nil {
		c.EditableAfterSubmit = *in.EditableAfterSubmit
	}
	if len(in.Languages) == 0 {
		c.Languages = q.Languages
	}
	return c, s.db.WithContext(ctx).Create(c).Error
}

// checkConsultation checks what the input refers to: the questionnaire (a
// published version), the country (known, within scope), the themes.
func (s *Store) checkConsultation(ctx context.Context, scope Scope, in *ConsultationInput, ve *ValidationError) (*Questionnaire, error) {
	q, err := s.Questionnaire(ctx, in.QuestionnaireID)
	switch {
	case errors.Is(err, ErrNotFound):
		ve.Add("/questionnaire_id", "no questionnaire has id %d", in.QuestionnaireID)
		q = &Questionnaire{}
	case err != nil:
		return nil, err
	case q.Status != StatusPublished:
		ve.Add("/questionnaire_id", "version %d of %q is a draft: publish it before deploying it", q.Version, q.Code)
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Country{}).Where("iso3 = ?", in.Country).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		ve.Add("/country", "unknown country %q", in.Country)
	} else if !scope.Allows(in.Country) {
		ve.Add("/country", "%s is not one of your countries", in.Country)
	}
	known, err := s.ThemeKnown(ctx)
	if err != nil {
		return nil, err
	}
	if in.WorkingGroup != "" && (!known(in.WorkingGroup) || !strings.HasPrefix(in.WorkingGroup, "WG.")) {
		ve.Add("/working_group", "must be a working group code such as WG.TIP")
	}
	if in.Cluster != "" && !known(in.Cluster) {
		ve.Add("/cluster", "must be a review cluster code such as UNTOC.C1")
	} else if in.Cluster != "" && n > 0 {
		open, err := s.InstrumentLimit(ctx, in.Country)
		if err != nil {
			return nil, err
		}
		if !open(in.Cluster) {
			ve.Add("/cluster", "%s is not recorded as a party to the instrument of %s", in.Country, in.Cluster)
		}
	}
	if in.OpensAt != nil && in.ClosesAt != nil && !in.ClosesAt.After(*in.OpensAt) {
		ve.Add("/closes_at", "must be after opens_at")
	}
	if len(in.Languages) != len(dedupe(in.Languages)) {
		ve.Add("/languages", "lists a language twice")
	}
	if in.MinCellSize != nil && *in.MinCellSize < MinCellFloor {
		ve.Add("/min_cell_size", "must be at least %d: a smaller group's figures would describe one or two organizations", MinCellFloor)
	}
	return q, nil
}

// Consultation returns a consultation within scope; one outside it is
// reported as not found, so its existence does not leak.
func (s *Store) Consultation(ctx context.Context, scope Scope, id uint) (*Consultation, error) {
	var c Consultation
	err := scoped(s.db.WithContext(ctx), scope, "country_iso3").Take(&c, id).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// Consultations lists the consultations within scope, newest first.
func (s *Store) Consultations(ctx context.Context, scope Scope, f ConsultationFilter) ([]Consultation, error) {
	list := []Consultation{}
	tx := scoped(s.db.WithContext(ctx), scope, "country_iso3").Order("id DESC")
	if f.Country != "" {
		tx = tx.Where("country_iso3 = ?", strings.ToUpper(f.Country))
	}
	if f.QuestionnaireID != 0 {
		tx = tx.Where("questionnaire_id = ?", f.QuestionnaireID)
	}
	return list, tx.Find(&list).Error
}

// CloseConsultation stops a consultation from taking answers now.
func (s *Store) CloseConsultation(ctx context.Context, scope Scope, id uint) (*Consultation, error) {
	c, err := s.Consultation(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if c.ClosedAt != nil {
		return c, nil
	}
	now := time.Now().UTC()
	if err := s.db.WithContext(ctx).Model(c).Update("closed_at", now).Error; err != nil {
		return nil, err
	}
	return c, nil
}

// ReopenConsultation lets a closed consultation take answers again. When its
// closing date has passed, a new one must be given.
func (s *Store) ReopenConsultation(ctx context.Context, scope Scope, id uint, closesAt *time.Time) (*Consultation, error) {
	c, err := s.Consultation(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	if closesAt != nil {
		if !closesAt.After(now) {
			ve := &ValidationError{}
			ve.Add("/closes_at", "must be in the future")
			return nil, ve
		}
		c.ClosesAt = utc(closesAt)
	} else if c.ClosesAt != nil && !c.ClosesAt.After(now) {
		ve := &ValidationError{Message: "the closing date has passed"}
		ve.Add("/closes_at", "give a new closing date in the future to reopen")
		return nil, ve
	}
	c.ClosedAt = nil
	err = s.db.WithContext(ctx).Model(c).Updates(map[string]any{"closed_at": nil, "closes_at": c.ClosesAt}).Error
	return c, err
}

// scoped restricts a query to the scope's countries, in SQL.
func scoped(tx *gorm.DB, scope Scope, column string) *gorm.DB {
	if scope.All {
		return tx
	}
	if len(scope.Countries) == 0 {
		return tx.Where("1 = 0")
	}
	return tx.Where(column+" IN ?", scope.Countries)
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func splitCSV(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
