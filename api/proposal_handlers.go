package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// Focal points propose invitees; the CSU invites them
// (POST /consultations/{id}/invitations) or declines (docs/protection.md).

// proposalsBody is the body that proposes invitees.
type proposalsBody struct {
	StakeholderIDs []uint `json:"stakeholder_ids"`
	Note           string `json:"note"`
}

func (s *Server) createProposals(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var body proposalsBody
	if err := httpkit.DecodeJSON(c, &body); err != nil {
		return err
	}
	p := httpkit.Principal(c)
	made, skipped, err := s.forms.ProposeInvitees(c.Request.Context(), p.Scope(), id, body.StakeholderIDs, body.Note, &p.UserID)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.ProposalsCreate, "consultation", id, "", map[string]any{"proposed": len(made), "skipped": len(skipped)})
	if made == nil {
		made = []forms.Proposal{}
	}
	if skipped == nil {
		skipped = []forms.SkippedStakeholder{}
	}
	c.JSON(http.StatusCreated, gin.H{"items": made, "skipped": skipped})
	return nil
}

func (s *Server) listProposals(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	rows, err := s.forms.Proposals(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": rows})
	return nil
}

func (s *Server) declineProposal(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if c.Request.ContentLength != 0 {
		if err := httpkit.DecodeJSON(c, &body); err != nil {
			return err
		}
	}
	p := httpkit.Principal(c)
	prop, cons, err := s.forms.DeclineProposal(c.Request.Context(), p.Scope(), id, body.Reason, &p.UserID)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.ProposalDecline, "proposal", prop.ID, cons.CountryISO3, map[string]any{"consultation_id": cons.ID})
	c.JSON(http.StatusOK, prop)
	return nil
}
