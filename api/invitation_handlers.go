package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// invitationsBody is the body that creates invitations.
type invitationsBody struct {
	StakeholderIDs []uint     `json:"stakeholder_ids"`
	ExpiresAt      *time.Time `json:"expires_at"`
}

// issuedJSON is a new link: the only answer that ever shows its token.
type issuedJSON struct {
	forms.IssuedLink
	URL string `json:"url"`
}

func (s *Server) createInvitations(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var body invitationsBody
	if err := httpkit.DecodeJSON(c, &body); err != nil {
		return err
	}
	p := httpkit.Principal(c)
	issued, skipped, err := s.forms.CreateInvitations(c.Request.Context(), p.Scope(), id, body.StakeholderIDs, body.ExpiresAt, &p.UserID)
	if err != nil {
		return err
	}
	country := ""
	if len(issued) > 0 {
		country = issued[0].Country
	}
	s.recorder.Record(c, audit.InvitationsCreate, "consultation", id, country, map[string]any{"issued": len(issued), "skipped": len(skipped)})
	c.Header("Cache-Control", "no-store")
	if c.Query("format") == "xlsx" {
		tokens := make(map[uint]string, len(issued))
		for _, l := range issued {
			tokens[l.InvitationID] = l.Token
		}
		return s.mailMerge.Issued(c, id, tokens)
	}
	items := make([]issuedJSON, len(issued))
	for i, l := range issued {
		items[i] = issuedJSON{IssuedLink: l, URL: s.links.Survey(c, l.Token)}
	}
	if skipped == nil {
		skipped = []forms.SkippedStakeholder{}
	}
	c.JSON(http.StatusCreated, gin.H{"items": items, "skipped": skipped})
	return nil
}

func (s *Server) listInvitations(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	rows, err := s.forms.Invitations(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": rows})
	return nil
}

// invitationsWorkbook is the mail-merge workbook of every invitation with
// its status. Links are shown once, when issued, so a GET lists no link;
// a POST re-issues the links that were never opened (their old tokens stop
// working) and the workbook carries the new ones.
func (s *Server) invitationsWorkbook(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	return s.mailMerge.All(c, id, c.Request.Method == http.MethodPost)
}

func (s *Server) revokeInvitation(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := s.forms.RevokeInvitation(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.InvitationRevoke, "invitation", inv.ID, inv.Consultation.CountryISO3, map[string]any{"consultation_id": inv.ConsultationID})
	c.JSON(http.StatusOK, inv)
	return nil
}

func (s *Server) reissueInvitation(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		ExpiresAt *time.Time `json:"expires_at"`
	}
	if c.Request.ContentLength != 0 {
		if err := httpkit.DecodeJSON(c, &body); err != nil {
			return err
		}
	}
	l, err := s.forms.ReissueInvitation(c.Request.Context(), httpkit.Principal(c).Scope(), id, body.ExpiresAt)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.InvitationReissue, "invitation", id, l.Country, map[string]any{"new_invitation_id": l.InvitationID})
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, issuedJSON{IssuedLink: *l, URL: s.links.Survey(c, l.Token)})
	return nil
}
