package httpkit

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
)

// MailMerge answers the mail-merge workbooks of a consultation's links,
// for the API and the workspace alike.
type MailMerge struct {
	forms *forms.Store
	links *Links
}

// NewMailMerge writes the workbooks of store's invitations, with links
// addressed by links.
func NewMailMerge(store *forms.Store, links *Links) *MailMerge {
	return &MailMerge{forms: store, links: links}
}

// All answers the workbook of every invitation of the consultation with
// its status. Links are shown once, when issued, so the workbook lists no
// link, unless reissue is set: then the links never opened are re-issued
// (their old tokens stop working) and the workbook carries the new ones.
func (m *MailMerge) All(c *gin.Context, consultationID uint, reissue bool) error {
	ctx, scope := c.Request.Context(), Principal(c).Scope()
	rows, err := m.forms.Invitations(ctx, scope, consultationID)
	if err != nil {
		return err
	}
	links := map[uint]string{}
	if reissue {
		for _, r := range rows {
			if r.State != forms.InvitationNotOpened {
				continue
			}
			l, err := m.forms.ReissueInvitation(ctx, scope, r.ID, r.ExpiresAt)
			if err != nil {
				return err
			}
			links[r.ID] = m.links.Survey(c, l.Token)
		}
	}
	out := make([]exports.LinkRow, len(rows))
	for i, r := range rows {
		out[i] = linkRow(r, links[r.ID])
	}
	return send(c, fmt.Sprintf("invitations-%d.xlsx", consultationID), out)
}

// Issued answers the workbook of links just issued, given as their tokens
// by invitation id. Each token is checked against its invitation's stored
// hash, so only the consultation's current links can be put in a workbook.
func (m *MailMerge) Issued(c *gin.Context, consultationID uint, tokens map[uint]string) error {
	rows, err := m.forms.Invitations(c.Request.Context(), Principal(c).Scope(), consultationID)
	if err != nil {
		return err
	}
	out := []exports.LinkRow{}
	for _, r := range rows {
		if t, ok := tokens[r.ID]; ok && forms.TokenHash(t) == r.TokenHash {
			out = append(out, linkRow(r, m.links.Survey(c, t)))
		}
	}
	return send(c, fmt.Sprintf("invitations-%d-new.xlsx", consultationID), out)
}

func linkRow(r forms.InvitationRow, link string) exports.LinkRow {
	return exports.LinkRow{Organization: r.Organization, ContactName: r.ContactName, Email: r.Email,
		Language: r.Language, Status: r.State, Link: link}
}

// send writes the workbook as an attachment that no cache keeps.
func send(c *gin.Context, name string, rows []exports.LinkRow) error {
	var buf bytes.Buffer
	if err := exports.WriteInvitationLinks(&buf, name, rows); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, XLSXType, buf.Bytes())
	return nil
}
