package forms

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A focal point holds no personal link (docs/protection.md). As the pilot
// methodology has it, the CSU invites "based on the list from the mapping
// exercise and suggestion from the Government": the focal point proposes
// invitees from the country's registry, and the CSU invites them, or
// declines with a reason.

// Proposal statuses.
const (
	ProposalPending  = "proposed"
	ProposalInvited  = "invited"
	ProposalDeclined = "declined"
)

// MaxProposalNote bounds a proposal's note and a decline's reason.
const MaxProposalNote = 1000

// Proposal is a stakeholder a focal point proposes to invite to a
// consultation, and what the CSU decided.
type Proposal struct {
	ID             uint       `gorm:"primaryKey" json:"id"`
	ConsultationID uint       `json:"consultation_id"`
	StakeholderID  uint       `json:"stakeholder_id"`
	Status         string     `json:"status"`
	Note           string     `json:"note,omitempty"`
	Reason         string     `json:"reason,omitempty"`
	ProposedBy     *uint      `json:"-"`
	DecidedBy      *uint      `json:"-"`
	InvitationID   *uint      `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
}

// TableName is the table of proposals.
func (Proposal) TableName() string { return "invitation_proposals" }

// ProposalRow is a proposal with its stakeholder, for listings.
type ProposalRow struct {
	Proposal
	Organization    string `json:"organization"`
	StakeholderType string `json:"stakeholder_type"`
}

// ProposeInvitees records proposals for stakeholders of the consultation's
// country within scope. Stakeholders already proposed, of another country
// or not in the registry are skipped, with the reason; so are those
// already invited, for the CSU only.
func (s *Store) ProposeInvitees(ctx context.Context, scope Scope, consultationID uint, ids []uint, note string, by *uint) ([]Proposal, []SkippedStakeholder, error) {
	c, err := s.Consultation(ctx, scope, consultationID)
	if err != nil {
		return nil, nil, err
	}
	note = strings.TrimSpace(note)
	ve := &ValidationError{}
	if len(ids) == 0 {
		ve.Add("/stakeholder_ids", "name at least one stakeholder")
	}
	if len(ids) > 5000 {
		ve.Add("/stakeholder_ids", "at most 5000 stakeholders at once")
	}
	if len([]rune(note)) > MaxProposalNote {
		ve.Add("/note", "must be at most %d characters", MaxProposalNote)
	}
	if c.State(time.Now()) == ConsultationClosed {
		ve.Add("/consultation", "the consultation is closed")
	}
	if err := ve.OrNil(); err != nil {
		return nil, nil, err
	}
	var (
		made    []Proposal
		skipped []SkippedStakeholder
	)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var invited, proposed []uint
		if err := tx.Model(&Invitation{}).Where("consultation_id = ? AND stakeholder_id IN ?", c.ID, ids).Pluck("stakeholder_id", &invited).Error; err != nil {
			return err
		}
		if err := tx.Model(&Proposal{}).Where("consultation_id = ? AND stakeholder_id IN ?", c.ID, ids).Pluck("stakeholder_id", &proposed).Error; err != nil {
			return err
		}
		skipped, err = eachCandidate(tx, scope, c, ids, func(sh *Stakeholder) (string, error) {
			switch {
			case slices.Contains(invited, sh.ID) && scope.All:
				// A focal point is not told: whom the CSU invited is not
				// theirs to learn (docs/protection.md). Their proposal
				// waits for the CSU like any other.
				return "already invited", nil
			case slices.Contains(proposed, sh.ID):
				return "already proposed", nil
			}
			p := Proposal{ConsultationID: c.ID, StakeholderID: sh.ID, Status: ProposalPending, Note: note, ProposedBy: by, CreatedAt: time.Now().UTC()}
			if err := tx.Create(&p).Error; err != nil {
				return "", err
			}
			made = append(made, p)
			return "", nil
		})
		return err
	})
	return made, skipped, err
}

// Proposals lists a consultation's proposals with their stakeholders, the
// pending ones first.
func (s *Store) Proposals(ctx context.Context, scope Scope, consultationID uint) ([]ProposalRow, error) {
	c, err := s.Consultation(ctx, scope, consultationID)
	if err != nil {
		return nil, err
	}
	rows := []ProposalRow{}
	err = s.db.WithContext(ctx).Table("invitation_proposals AS p").
		Select("p.*, st.organization, st.type AS stakeholder_type").
		Joins("JOIN stakeholders st ON st.id = p.stakeholder_id").
		Where("p.consultation_id = ?", c.ID).
		Order("CASE p.status WHEN 'proposed' THEN 0 ELSE 1 END, st.organization, p.id").Scan(&rows).Error
	return rows, err
}

// DeclineProposal records the CSU's decision not to invite a proposed
// stakeholder, with the reason, which the focal point sees.
func (s *Store) DeclineProposal(ctx context.Context, scope Scope, id uint, reason string, by *uint) (*Proposal, *Consultation, error) {
	var p Proposal
	if err := s.db.WithContext(ctx).Take(&p, id).Error; err != nil {
		return nil, nil, notFound(err)
	}
	c, err := s.Consultation(ctx, scope, p.ConsultationID)
	if err != nil {
		return nil, nil, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > MaxProposalNote {
		ve := &ValidationError{}
		ve.Add("/reason", "must be at most %d characters", MaxProposalNote)
		return nil, nil, ve
	}
	if p.Status != ProposalPending {
		return nil, nil, &ConflictError{Reason: "this proposal was already " + p.Status}
	}
	now := time.Now().UTC()
	p.Status, p.Reason, p.DecidedBy, p.DecidedAt = ProposalDeclined, reason, by, &now
	err = s.db.WithContext(ctx).Model(&Proposal{}).Where("id = ? AND status = ?", p.ID, ProposalPending).
		Updates(map[string]any{"status": p.Status, "reason": p.Reason, "decided_by": by, "decided_at": now}).Error
	return &p, c, err
}

// acceptProposals marks the pending proposals of stakeholders just
// invited, or invited before, as accepted, with their invitations.
func acceptProposals(tx *gorm.DB, consultationID uint, links []IssuedLink, by *uint) error {
	var earlier []IssuedLink
	err := tx.Table("invitation_proposals AS p").Select("i.id AS invitation_id, i.stakeholder_id").
		Joins("JOIN invitations i ON i.consultation_id = p.consultation_id AND i.stakeholder_id = p.stakeholder_id").
		Where("p.consultation_id = ? AND p.status = ?", consultationID, ProposalPending).Scan(&earlier).Error
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for _, l := range append(links, earlier...) {
		err := tx.Model(&Proposal{}).Where("consultation_id = ? AND stakeholder_id = ? AND status = ?", consultationID, l.StakeholderID, ProposalPending).
			Updates(map[string]any{"status": ProposalInvited, "decided_by": by, "decided_at": now, "invitation_id": l.InvitationID}).Error
		if err != nil {
			return err
		}
	}
	return nil
}
