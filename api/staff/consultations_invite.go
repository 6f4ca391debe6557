package staff

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// Inviting stakeholders from the workspace (admins and the country's focal
// points, as in the API), and the links that result: shown once, as the
// store keeps only their hashes, with a mail-merge workbook of exactly
// those links.

// inviteLimit bounds the stakeholders listed on the invite page; "invite
// all matching" reaches beyond it, up to the store's 5000 at once.
const inviteLimit = 500

// invitePage is the view of GET /portal/consultations/:id/invite.
type invitePage struct {
	C      *forms.Consultation
	Filter forms.StakeholderFilter
	// Filters is the stakeholder pages' filter form, over this country.
	Filters     *stakeholderFilters
	Stakeholder []inviteCandidate
	Matching    int  // stakeholders matching the filter, not yet invited
	More        bool // more match than are listed
	All         bool // every box checked
	Expires     string
}

// inviteCandidate is a stakeholder that may be invited.
type inviteCandidate struct {
	forms.Stakeholder
	LanguageName string
	Checked      bool
}

// issuedView is the page of links just issued.
type issuedView struct {
	C       *forms.Consultation
	Links   []issuedLine
	Skipped []skippedLine
	// Pairs are "invitation:token", posted back for the workbook.
	Pairs []string
}

// issuedLine is one new link with its stakeholder.
type issuedLine struct {
	ID                         uint
	Organization, Contact, URL string
}

// skippedLine is a stakeholder that was not invited, and why.
type skippedLine struct {
	Organization, Reason string
}

// ConsultationInvitePage answers GET /portal/consultations/:id/invite.
func (s *Pages) ConsultationInvitePage(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	p := s.page(c, "consultations.invite_title", "consultations")
	v, err := s.inviteView(c, p, id, c.Request.URL.Query())
	if err != nil {
		s.failPage(c, err)
		return
	}
	v.All = c.Query("select") == "all"
	for i := range v.Stakeholder {
		v.Stakeholder[i].Checked = v.All
	}
	renderStaff(c, http.StatusOK, "consultations-invite", p)
}

// inviteView loads the invite page: the stakeholders of the consultation's
// country that match the filter and hold no link to it yet.
func (s *Pages) inviteView(c *gin.Context, p *staffPage, id uint, q url.Values) (*invitePage, error) {
	ctx, scope := c.Request.Context(), httpkit.Principal(c).Scope()
	cons, err := s.forms.Consultation(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	v := &invitePage{C: cons, Expires: q.Get("expires_at")}
	v.Filter = forms.StakeholderFilter{Country: cons.CountryISO3, Q: clipText(strings.TrimSpace(q.Get("q")), 200),
		Theme: clipText(strings.ToUpper(strings.TrimSpace(q.Get("theme"))), 64)}
	if t := q.Get("type"); slices.Contains(forms.StakeholderTypes, t) {
		v.Filter.Type = t
	}
	if v.Filters, err = s.stakeholderFilterView(ctx, p, v.Filter, fmt.Sprintf("%s/invite", consultationPath(id))); err != nil {
		return nil, err
	}
	v.Filters.Countries = slices.DeleteFunc(v.Filters.Countries, func(o countryOption) bool { return o.Code != cons.CountryISO3 })
	candidates, err := s.uninvited(c, cons, v.Filter)
	if err != nil {
		return nil, err
	}
	v.Matching = len(candidates)
	v.More = len(candidates) > inviteLimit
	for _, sh := range candidates[:min(len(candidates), inviteLimit)] {
		cand := inviteCandidate{Stakeholder: sh}
		if sh.Language != "" {
			cand.LanguageName = web.LanguageName(sh.Language)
		}
		v.Stakeholder = append(v.Stakeholder, cand)
	}
	p.Title = p.T("consultations.invite_title_of", "title", cons.Title)
	p.Data = v
	return v, nil
}

// uninvited lists the stakeholders matching f who hold no link to the
// consultation, page by page, up to the store's limit of one invitation
// request.
func (s *Pages) uninvited(c *gin.Context, cons *forms.Consultation, f forms.StakeholderFilter) ([]forms.Stakeholder, error) {
	ctx, scope := c.Request.Context(), httpkit.Principal(c).Scope()
	invs, err := s.forms.Invitations(ctx, scope, cons.ID)
	if err != nil {
		return nil, err
	}
	invited := map[uint]bool{}
	for _, inv := range invs {
		if inv.StakeholderID != nil {
			invited[*inv.StakeholderID] = true
		}
	}
	var out []forms.Stakeholder
	f.Limit = inviteLimit
	for f.Offset = 0; f.Offset < 5000; f.Offset += inviteLimit {
		page, err := s.forms.Stakeholders(ctx, scope, f)
		if err != nil {
			return nil, err
		}
		for _, sh := range page.Items {
			if !invited[sh.ID] {
				out = append(out, sh)
			}
		}
		if int64(f.Offset+len(page.Items)) >= page.Total || len(page.Items) == 0 {
			break
		}
	}
	return out, nil
}

// ConsultationInvite answers POST /portal/consultations/:id/invitations:
// the stakeholders checked, or all matching the filter, are invited and
// their links shown this once.
func (s *Pages) ConsultationInvite(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	p := s.page(c, "consultations.invite_title", "consultations")
	form := url.Values{"type": {c.PostForm("type")}, "theme": {c.PostForm("theme")}, "q": {c.PostForm("q")}, "expires_at": {c.PostForm("expires_at")}}
	v, err := s.inviteView(c, p, id, form)
	if err != nil {
		s.failPage(c, err)
		return
	}
	var ids []uint
	if c.PostForm("all") == "yes" {
		all, err := s.uninvited(c, v.C, v.Filter)
		if err != nil {
			s.failPage(c, err)
			return
		}
		for _, sh := range all {
			ids = append(ids, sh.ID)
		}
	} else {
		for _, raw := range c.PostFormArray("stakeholder") {
			if n, err := strconv.ParseUint(raw, 10, 32); err == nil {
				ids = append(ids, uint(n))
			}
		}
	}
	expires, bad := endOfDay(v.Expires)
	var problems []pageProblem
	if bad {
		problems = append(problems, pageProblem{Field: p.T("consultations.field_expires_at"), Problem: p.T("consultations.problem_date")})
	}
	if len(ids) == 0 {
		problems = append(problems, pageProblem{Field: p.T("consultations.field_stakeholder_ids"), Problem: p.T("consultations.problem_none_chosen")})
	}
	if len(problems) == 0 {
		who := httpkit.Principal(c)
		issued, skipped, err := s.forms.CreateInvitations(c.Request.Context(), who.Scope(), id, ids, expires, &who.UserID)
		var ve *forms.ValidationError
		switch {
		case errors.As(err, &ve):
			problems = labeledProblems(p, ve)
		case err != nil:
			s.failPage(c, err)
			return
		default:
			s.recorder.Record(c, audit.InvitationsCreate, "consultation", id, v.C.CountryISO3, map[string]any{"issued": len(issued), "skipped": len(skipped), "via": "portal"})
			s.showIssued(c, p, v.C, issued, skipped)
			return
		}
	}
	for i := range v.Stakeholder {
		v.Stakeholder[i].Checked = slices.Contains(ids, v.Stakeholder[i].ID)
	}
	p.Error, p.Problems = p.T("consultations.invite_problems"), problems
	renderStaff(c, http.StatusUnprocessableEntity, "consultations-invite", p)
}

// showIssued renders the links just issued, with their stakeholders.
func (s *Pages) showIssued(c *gin.Context, p *staffPage, cons *forms.Consultation, issued []forms.IssuedLink, skipped []forms.SkippedStakeholder) {
	rows, err := s.forms.Invitations(c.Request.Context(), httpkit.Principal(c).Scope(), cons.ID)
	if err != nil {
		s.failPage(c, err)
		return
	}
	byInv := map[uint]forms.InvitationRow{}
	for _, r := range rows {
		byInv[r.ID] = r
	}
	v := &issuedView{C: cons}
	for _, l := range issued {
		r := byInv[l.InvitationID]
		v.Links = append(v.Links, issuedLine{ID: l.InvitationID, Organization: r.Organization, Contact: r.ContactName, URL: s.links.Survey(c, l.Token)})
		v.Pairs = append(v.Pairs, fmt.Sprintf("%d:%s", l.InvitationID, l.Token))
	}
	for _, sk := range skipped {
		name := fmt.Sprint("#", sk.StakeholderID)
		if sh, err := s.forms.Stakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), sk.StakeholderID); err == nil {
			name = sh.Organization
		}
		v.Skipped = append(v.Skipped, skippedLine{Organization: name, Reason: sk.Reason})
	}
	p.Title, p.Data = p.T("consultations.issued_title"), v
	p.Notice = p.T("consultations.issued_count", "n", len(issued))
	renderStaff(c, http.StatusOK, "consultations-issued", p)
}

// ConsultationNewLinks answers POST /portal/consultations/:id/new-links.xlsx:
// the mail-merge workbook of the links just shown, which the page posts
// back. Each token is checked against its invitation's stored hash, so
// only the consultation's current links can be put in a workbook.
func (s *Pages) ConsultationNewLinks(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	tokens := map[uint]string{}
	for _, pair := range c.PostFormArray("link") {
		inv, token, ok := strings.Cut(pair, ":")
		if n, err := strconv.ParseUint(inv, 10, 32); ok && err == nil {
			tokens[uint(n)] = token
		}
	}
	if err := s.mailMerge.Issued(c, id, tokens); err != nil {
		s.failPage(c, err)
	}
}

// ConsultationLinks answers POST /portal/consultations/:id/links.xlsx: the
// whole mail-merge workbook, as POST /api/v1/consultations/:id/invitations.xlsx
// gives it — the links never opened are re-issued, the others listed
// without a link.
func (s *Pages) ConsultationLinks(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err == nil {
		err = s.mailMerge.All(c, id, true)
	}
	if err != nil {
		s.failPage(c, err)
	}
}

// InvitationRevoke answers POST /portal/invitations/:id/revoke.
func (s *Pages) InvitationRevoke(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	inv, err := s.forms.RevokeInvitation(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.recorder.Record(c, audit.InvitationRevoke, "invitation", inv.ID, inv.Consultation.CountryISO3, map[string]any{"consultation_id": inv.ConsultationID, "via": "portal"})
	redirectNotice(c, consultationPath(inv.ConsultationID)+"#invitations", "notice.consultations_revoked")
}

// InvitationReissue answers POST /portal/invitations/:id/reissue: the new
// link is shown on the page that answers, this once.
func (s *Pages) InvitationReissue(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	l, err := s.forms.ReissueInvitation(c.Request.Context(), httpkit.Principal(c).Scope(), id, nil)
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.recorder.Record(c, audit.InvitationReissue, "invitation", id, l.Country, map[string]any{"new_invitation_id": l.InvitationID, "via": "portal"})
	p := s.page(c, "consultations.reissued_title", "consultations")
	cid, _ := strconv.ParseUint(c.PostForm("consultation_id"), 10, 32)
	cons, err := s.forms.Consultation(c.Request.Context(), httpkit.Principal(c).Scope(), uint(cid))
	if err != nil {
		cons = nil // the link is shown all the same; only the way back is missing
	}
	v := &issuedView{C: cons}
	line := issuedLine{ID: l.InvitationID, URL: s.links.Survey(c, l.Token)}
	if sh, err := s.forms.Stakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), l.StakeholderID); err == nil {
		line.Organization, line.Contact = sh.Organization, sh.ContactName
	}
	v.Links = []issuedLine{line}
	v.Pairs = []string{fmt.Sprintf("%d:%s", l.InvitationID, l.Token)}
	p.Data = v
	renderStaff(c, http.StatusOK, "consultations-issued", p)
}
