package forms

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Invitation statuses, as staff see them.
const (
	InvitationNotOpened = "not_opened"
	InvitationOpened    = "opened"
	InvitationDraft     = "draft"
	InvitationSubmitted = "submitted"
	InvitationRevoked   = "revoked"
	InvitationExpired   = "expired"
)

// Invitation is a personal link to a consultation. Only the SHA-256 of its
// token is stored: the token itself is shown once, when it is issued. An
// open-link visitor gets an invitation of their own (OpenVisit), with the
// stakeholder type they declared.
type Invitation struct {
	ID             uint       `gorm:"primaryKey" json:"id"`
	ConsultationID uint       `json:"consultation_id"`
	StakeholderID  *uint      `json:"stakeholder_id,omitempty"`
	OpenVisit      bool       `json:"open_visit"`
	DeclaredType   string     `json:"declared_type,omitempty"`
	TokenHash      string     `json:"-"`
	Language       string     `json:"language"`
	VisitorIP      *string    `json:"-"`
	CreatedBy      *uint      `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	ExpiresAt      *time.Time `json:"expires_at,omitempty"`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
	OpenedAt       *time.Time `json:"opened_at,omitempty"`
	StartedAt      *time.Time `json:"started_at,omitempty"`
	SubmittedAt    *time.Time `json:"submitted_at,omitempty"`
	// Consultation is loaded with the link when it is resolved.
	Consultation *Consultation `gorm:"foreignKey:ConsultationID" json:"-"`
}

// Status summarizes where the invitation stands at t.
func (inv *Invitation) Status(t time.Time) string {
	switch {
	case inv.SubmittedAt != nil:
		return InvitationSubmitted
	case inv.RevokedAt != nil:
		return InvitationRevoked
	case inv.ExpiresAt != nil && !t.Before(*inv.ExpiresAt):
		return InvitationExpired
	case inv.StartedAt != nil:
		return InvitationDraft
	case inv.OpenedAt != nil:
		return InvitationOpened
	}
	return InvitationNotOpened
}

// IssuedLink is a freshly issued token: the only moment it exists in clear.
type IssuedLink struct {
	InvitationID  uint   `json:"invitation_id"`
	StakeholderID uint   `json:"stakeholder_id"`
	Token         string `json:"token"`
	// Country is the consultation's country, for the audit log.
	Country string `json:"-"`
}

// SkippedStakeholder explains why no invitation was made for a stakeholder.
type SkippedStakeholder struct {
	StakeholderID uint   `json:"stakeholder_id"`
	Reason        string `json:"reason"`
}

// InvitationRow is an invitation with its stakeholder, for listings and the
// mail-merge workbook.
type InvitationRow struct {
	Invitation
	Organization    string `json:"organization"`
	ContactName     string `json:"contact_name"`
	Email           string `json:"email"`
	EmailConfirmed  bool   `json:"email_confirmed"`
	StakeholderType string `json:"stakeholder_type"`
	State           string `json:"status" gorm:"-"`
}

// NewToken returns a personal-link token: 128 random bits, base64url.
func NewToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// TokenHash is how link tokens are stored.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateInvitations issues one personal link per stakeholder. Stakeholders
// who already hold a link to the consultation, belong to another country or
// are not in the registry are skipped, with the reason.
func (s *Store) CreateInvitations(ctx context.Context, scope Scope, consultationID uint, stakeholderIDs []uint, expiresAt *time.Time, by *uint) ([]IssuedLink, []SkippedStakeholder, error) {
	c, err := s.Consultation(ctx, scope, consultationID)
	if err != nil {
		return nil, nil, err
	}
	if err := checkInvitationInput(c, stakeholderIDs, expiresAt); err != nil {
		return nil, nil, err
	}
	var (
		issued  []IssuedLink
		skipped []SkippedStakeholder
	)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var invited []uint
		if err := tx.Model(&Invitation{}).Where("consultation_id = ? AND stakeholder_id IN ?", c.ID, stakeholderIDs).
			Pluck("stakeholder_id", &invited).Error; err != nil {
			return err
		}
		skipped, err = eachCandidate(tx, scope, c, stakeholderIDs, func(sh *Stakeholder) (string, error) {
			if slices.Contains(invited, sh.ID) {
				return "already invited: re-issue that invitation for a new link", nil
			}
			link, err := issue(tx, c, sh, expiresAt, by)
			if err != nil {
				return "", err
			}
			issued = append(issued, link)
			return "", nil
		})
		if err != nil {
			return err
		}
		return acceptProposals(tx, c.ID, issued, by)
	})
	return issued, skipped, err
}

// eachCandidate reads the stakeholders ids name within scope and calls each
// with those of the consultation's country, once each in the order given.
// The others, and those each gives a reason for, are returned as skipped,
// with the reason.
func eachCandidate(tx *gorm.DB, scope Scope, c *Consultation, ids []uint, each func(sh *Stakeholder) (skip string, err error)) ([]SkippedStakeholder, error) {
	var holders []Stakeholder
	if err := scopedStakeholders(tx, scope).Where("id IN ?", ids).Find(&holders).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*Stakeholder, len(holders))
	for i := range holders {
		byID[holders[i].ID] = &holders[i]
	}
	var skipped []SkippedStakeholder
	for _, id := range dedupeIDs(ids) {
		sh := byID[id]
		reason := ""
		switch {
		case sh == nil:
			reason = "no such stakeholder in your countries"
		case sh.Country != c.CountryISO3:
			reason = fmt.Sprintf("the stakeholder is in %s, the consultation in %s", sh.Country, c.CountryISO3)
		default:
			var err error
			if reason, err = each(sh); err != nil {
				return nil, err
			}
		}
		if reason != "" {
			skipped = append(skipped, SkippedStakeholder{id, reason})
		}
	}
	return skipped, nil
}

func checkInvitationInput(c *Consultation, ids []uint, expiresAt *time.Time) error {
	ve := &ValidationError{}
	if len(ids) == 0 {
		ve.Add("/stakeholder_ids", "name at least one stakeholder")
	}
	if len(ids) > 5000 {
		ve.Add("/stakeholder_ids", "at most 5000 stakeholders at once")
	}
	if expiresAt != nil && !expiresAt.After(time.Now()) {
		ve.Add("/expires_at", "must be in the future")
	}
	if c.State(time.Now()) == ConsultationClosed {
		ve.Add("/consultation", "the consultation is closed: reopen it before inviting")
	}
	return ve.OrNil()
}

func issue(tx *gorm.DB, c *Consultation, sh *Stakeholder, expiresAt *time.Time, by *uint) (IssuedLink, error) {
	token, err := NewToken()
	if err != nil {
		return IssuedLink{}, err
	}
	lang := sh.Language
	if !slices.Contains(c.LanguageList(), lang) {
		lang = c.LanguageList()[0]
	}
	inv := &Invitation{
		ConsultationID: c.ID, StakeholderID: &sh.ID, TokenHash: TokenHash(token),
		Language: lang, ExpiresAt: utc(expiresAt), CreatedBy: by,
	}
	if err := tx.Create(inv).Error; err != nil {
		return IssuedLink{}, err
	}
	return IssuedLink{InvitationID: inv.ID, StakeholderID: sh.ID, Token: token, Country: c.CountryISO3}, nil
}

// Invitations lists a consultation's personal invitations with their
// stakeholders and status. Open-link visitors are counted in the response
// rates, not listed here.
func (s *Store) Invitations(ctx context.Context, scope Scope, consultationID uint) ([]InvitationRow, error) {
	c, err := s.Consultation(ctx, scope, consultationID)
	if err != nil {
		return nil, err
	}
	rows := []InvitationRow{}
	err = s.db.WithContext(ctx).Table("invitations").
		Select("invitations.*, stakeholders.organization, stakeholders.contact_name, stakeholders.email, stakeholders.email_confirmed, stakeholders.type AS stakeholder_type").
		Joins("JOIN stakeholders ON stakeholders.id = invitations.stakeholder_id").
		Where("invitations.consultation_id = ? AND invitations.open_visit = ?", c.ID, false).
		Order("stakeholders.organization, invitations.id").Scan(&rows).Error
	now := time.Now()
	for i := range rows {
		rows[i].State = rows[i].Status(now)
	}
	return rows, err
}

// invitation loads one invitation whose consultation is within scope.
func (s *Store) invitation(ctx context.Context, scope Scope, id uint) (*Invitation, *Consultation, error) {
	var inv Invitation
	if err := s.db.WithContext(ctx).Take(&inv, id).Error; err != nil {
		return nil, nil, notFound(err)
	}
	c, err := s.Consultation(ctx, scope, inv.ConsultationID)
	if err != nil {
		return nil, nil, err
	}
	return &inv, c, nil
}

// RevokeInvitation makes a link stop working; the answers given stay. The
// invitation comes back with its Consultation.
func (s *Store) RevokeInvitation(ctx context.Context, scope Scope, id uint) (*Invitation, error) {
	inv, c, err := s.invitation(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	inv.Consultation = c
	if inv.RevokedAt == nil {
		now := time.Now().UTC()
		inv.RevokedAt = &now
		if err := s.db.WithContext(ctx).Model(inv).Update("revoked_at", now).Error; err != nil {
			return nil, err
		}
	}
	return inv, nil
}

// ReissueInvitation replaces an invitation's token: the old link stops
// working, the new one reaches the same response. A revoked invitation is
// restored.
func (s *Store) ReissueInvitation(ctx context.Context, scope Scope, id uint, expiresAt *time.Time) (*IssuedLink, error) {
	inv, c, err := s.invitation(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	if inv.OpenVisit || inv.StakeholderID == nil {
		return nil, &ConflictError{Reason: "open-link visits cannot be re-issued"}
	}
	if c.State(time.Now()) == ConsultationClosed {
		return nil, &ConflictError{Reason: "the consultation is closed: reopen it before re-issuing links"}
	}
	if expiresAt != nil && !expiresAt.After(time.Now()) {
		ve := &ValidationError{}
		ve.Add("/expires_at", "must be in the future")
		return nil, ve
	}
	token, err := NewToken()
	if err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Model(inv).Updates(map[string]any{
		"token_hash": TokenHash(token), "revoked_at": nil, "expires_at": utc(expiresAt),
	}).Error
	if err != nil {
		return nil, err
	}
	return &IssuedLink{InvitationID: inv.ID, StakeholderID: *inv.StakeholderID, Token: token, Country: c.CountryISO3}, nil
}

// SetOpenLink issues a new open link for a consultation, replacing any
// earlier one, and returns its token.
func (s *Store) SetOpenLink(ctx context.Context, scope Scope, consultationID uint) (string, error) {
	c, err := s.Consultation(ctx, scope, consultationID)
	if err != nil {
		return "", err
	}
	token, err := NewToken()
	if err != nil {
		return "", err
	}
	hash := TokenHash(token)
	return token, s.db.WithContext(ctx).Model(c).Update("open_link_hash", hash).Error
}

// DisableOpenLink turns the open link off; visitors who already started keep
// their own links.
func (s *Store) DisableOpenLink(ctx context.Context, scope Scope, consultationID uint) error {
	c, err := s.Consultation(ctx, scope, consultationID)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Model(c).Update("open_link_hash", nil).Error
}

func dedupeIDs(ids []uint) []uint {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
