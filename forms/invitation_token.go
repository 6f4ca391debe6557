package forms

import (
	"context"
	"time"
)

// RotateInvitationToken gives a personal invitation a new token and
// changes nothing else: its expiry, its status and the draft or response
// attached to it stay, and so does a revocation (a revoked invitation is
// refused, not restored as ReissueInvitation does). The old link stops
// working. Emailing a link needs this, since only the token's hash is kept.
func (s *Store) RotateInvitationToken(ctx context.Context, scope Scope, id uint) (*IssuedLink, error) {
	return s.RotateInvitationTokenAfter(ctx, scope, id, nil)
}

// RotateInvitationTokenAfter renews the token as RotateInvitationToken
// does, but first hands the new token to deliver (which emails it, say),
// and stores it only once deliver has succeeded: a message that could not
// be sent leaves the stakeholder's earlier link working. A nil deliver
// stores the token at once.
func (s *Store) RotateInvitationTokenAfter(ctx context.Context, scope Scope, id uint, deliver func(token string) error) (*IssuedLink, error) {
	inv, c, err := s.invitation(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	switch {
	case inv.OpenVisit || inv.StakeholderID == nil:
		return nil, &ConflictError{Reason: "open-link visits have no personal link to renew"}
	case inv.RevokedAt != nil:
		return nil, &ConflictError{Reason: "the invitation is revoked"}
	case c.State(time.Now()) == ConsultationClosed:
		return nil, &ConflictError{Reason: "the consultation is closed: reopen it before sending links"}
	}
	token, err := NewToken()
	if err != nil {
		return nil, err
	}
	if deliver != nil {
		if err := deliver(token); err != nil {
			return nil, err
		}
	}
	// The revocation is checked again in the update, so that a revocation
	// made meanwhile is not undone by a link that works.
	res := s.db.WithContext(ctx).Model(&Invitation{}).Where("id = ? AND revoked_at IS NULL", inv.ID).
		Update("token_hash", TokenHash(token))
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		if deliver != nil {
			return nil, &ConflictError{Reason: "the invitation was revoked while its link was being sent: the link sent does not work"}
		}
		return nil, &ConflictError{Reason: "the invitation is revoked"}
	}
	return &IssuedLink{InvitationID: inv.ID, StakeholderID: *inv.StakeholderID, Token: token, Country: c.CountryISO3}, nil
}
