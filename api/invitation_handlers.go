package api

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body invitationsBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	p := principal(c)
	issued, skipped, err := s.forms.CreateInvitations(c.Request.Context(), p.Scope(), id, body.StakeholderIDs, body.ExpiresAt, &p.UserID)
	if err != nil {
		return err
	}
	country := ""
	if len(issued) > 0 {
		country = issued[0].Country
	}
	s.record(c, audit.InvitationsCreate, "consultation", id, country, map[string]any{"issued": len(issued), "skipped": len(skipped)})
	c.Header("Cache-Control", "no-store")
	if c.Query("format") == "xlsx" {
		return s.linksWorkbook(c, id, issued)
	}
	items := make([]issuedJSON, len(issued))
	for i, l := range issued {
		items[i] = issuedJSON{IssuedLink: l, URL: s.linkURL(c, l.Token)}
	}
	if skipped == nil {
		skipped = []forms.SkippedStakeholder{}
	}
	c.JSON(http.StatusCreated, gin.H{"items": items, "skipped": skipped})
	return nil
}

func (s *Server) listInvitations(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	rows, err := s.forms.Invitations(c.Request.Context(), principal(c).Scope(), id)
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
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, scope := c.Request.Context(), principal(c).Scope()
	rows, err := s.forms.Invitations(ctx, scope, id)
	if err != nil {
		return err
	}
	links := map[uint]string{}
	if c.Request.Method == http.MethodPost {
		for _, r := range rows {
			if r.State != forms.InvitationNotOpened {
				continue
			}
			l, err := s.forms.ReissueInvitation(ctx, scope, r.ID, r.ExpiresAt)
			if err != nil {
				return err
			}
			links[r.ID] = s.linkURL(c, l.Token)
		}
	}
	out := make([]exports.LinkRow, len(rows))
	for i, r := range rows {
		out[i] = exports.LinkRow{Organization: r.Organization, ContactName: r.ContactName, Email: r.Email,
			Language: r.Language, Status: r.State, Link: links[r.ID]}
	}
	return s.sendWorkbook(c, fmt.Sprintf("invitations-%d.xlsx", id), out)
}

// linksWorkbook answers the mail-merge workbook of links just issued.
func (s *Server) linksWorkbook(c *gin.Context, consultationID uint, issued []forms.IssuedLink) error {
	rows, err := s.forms.Invitations(c.Request.Context(), principal(c).Scope(), consultationID)
	if err != nil {
		return err
	}
	tokens := map[uint]string{}
	for _, l := range issued {
		tokens[l.InvitationID] = l.Token
	}
	var out []exports.LinkRow
	for _, r := range rows {
		if t, ok := tokens[r.ID]; ok {
			out = append(out, exports.LinkRow{Organization: r.Organization, ContactName: r.ContactName, Email: r.Email,
				Language: r.Language, Status: r.State, Link: s.linkURL(c, t)})
		}
	}
	return s.sendWorkbook(c, fmt.Sprintf("invitations-%d-new.xlsx", consultationID), out)
}

func (s *Server) sendWorkbook(c *gin.Context, name string, rows []exports.LinkRow) error {
	var buf bytes.Buffer
	if err := exports.WriteInvitationLinks(&buf, name, rows); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, xlsxType, buf.Bytes())
	return nil
}

func (s *Server) revokeInvitation(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := s.forms.RevokeInvitation(c.Request.Context(), principal(c).Scope(), id)
	if err != nil {
		return err
	}
	s.record(c, audit.InvitationRevoke, "invitation", inv.ID, inv.Consultation.CountryISO3, map[string]any{"consultation_id": inv.ConsultationID})
	c.JSON(http.StatusOK, inv)
	return nil
}

func (s *Server) reissueInvitation(c *gin.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		ExpiresAt *time.Time `json:"expires_at"`
	}
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
	}
	l, err := s.forms.ReissueInvitation(c.Request.Context(), principal(c).Scope(), id, body.ExpiresAt)
	if err != nil {
		return err
	}
	s.record(c, audit.InvitationReissue, "invitation", id, l.Country, map[string]any{"new_invitation_id": l.InvitationID})
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, issuedJSON{IssuedLink: *l, URL: s.linkURL(c, l.Token)})
	return nil
}
