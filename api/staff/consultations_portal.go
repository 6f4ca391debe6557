package staff

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// portalView is the staff's home page.
type portalView struct {
	Rows     []portalRow
	CanAdmin bool
}

// portalRow is one consultation with its response rate.
type portalRow struct {
	ID                 uint
	Title, Country     string
	State, Rate        string
	Invited, Submitted int
}

// Portal is the staff's home: their countries' consultations with response
// rates; for admins, also the users and the latest audit events.
func (s *Pages) Portal(c *gin.Context) {
	ctx, who := c.Request.Context(), httpkit.Principal(c)
	p := s.page(c, "consultations.portal_title", "consultations")
	v := &portalView{CanAdmin: who.HasRole(accounts.RoleAdmin)}
	list, err := s.forms.Consultations(ctx, who.Scope(), forms.ConsultationFilter{})
	if err != nil {
		s.failPage(c, err)
		return
	}
	ids := make([]uint, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	totals, err := s.analysis.RateTotals(ctx, who.Scope(), ids)
	if err != nil {
		s.failPage(c, err)
		return
	}
	now := time.Now()
	for i := range list {
		v.Rows = append(v.Rows, portalRowOf(&list[i], totals[list[i].ID], now))
	}
	if v.CanAdmin {
		if p.Users, err = s.accounts.Users(ctx); err == nil {
			p.Events, err = s.audit.List(ctx, audit.Filter{Limit: 50})
		}
		if err != nil {
			s.failPage(c, err)
			return
		}
	}
	p.Data = v
	renderStaff(c, http.StatusOK, "portal", p)
}

// portalRowOf is a consultation with the figures of its page's response
// rates: personal links issued, responses submitted (open-link visitors'
// included) and their share.
func portalRowOf(cons *forms.Consultation, rc analysis.RateCounts, now time.Time) portalRow {
	row := portalRow{ID: cons.ID, Title: cons.Title, Country: cons.CountryISO3, State: cons.State(now), Rate: "–",
		Invited: rc.Invited, Submitted: rc.Submitted}
	if rc.SubmittedPercent != nil {
		row.Rate = fmt.Sprintf("%.0f %%", *rc.SubmittedPercent)
	}
	return row
}
