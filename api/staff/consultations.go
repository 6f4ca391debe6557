package staff

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// The consultations' pages of the staff workspace: a consultation's own
// page (its settings, live response rates, invitations), closing and
// reopening it, its open link, and revoking or re-issuing personal links.
// They call the same store functions as /api/v1/consultations, under the
// same roles, and record the same audit events. Creating a consultation is
// in workspace_consultations_new.go, inviting in
// workspace_consultations_invite.go.

// consultationHub is the view of GET /portal/consultations/:id.
type consultationHub struct {
	C                  *forms.Consultation
	Questionnaire      *forms.Questionnaire
	State              string
	Opens, Closes      string // dates, or empty
	ClosedAt           string
	Languages          []string // the languages' names
	Rates              []rateLine
	Total              rateLine
	Refresh            bool
	Invitations        []invitationLine
	Status             string // the status the invitations are filtered by
	Statuses           []statusFilter
	CanAdmin, CanLinks bool
	// Secret is a link shown once, on the page after it was made.
	Secret, SecretWhat string
}

// rateLine is one row of the response rates: a stakeholder type, or all.
type rateLine struct {
	Label                                           string
	Invited, OpenVisits, Opened, Started, Submitted int
	Percent                                         string
}

// invitationLine is one row of the invitations table.
type invitationLine struct {
	forms.InvitationRow
	LanguageName                        string
	Created, Opened, Submitted, Expires string
}

// statusFilter is one link of the invitations' status filter.
type statusFilter struct {
	Status, Href string
	Count        int
	Current      bool
}

// invitationStatuses are the invitation statuses in the order of a link's life.
var invitationStatuses = []string{forms.InvitationNotOpened, forms.InvitationOpened, forms.InvitationDraft,
	forms.InvitationSubmitted, forms.InvitationRevoked, forms.InvitationExpired}

// consultationPath is the address of a consultation's page.
func consultationPath(id uint) string { return fmt.Sprintf("/portal/consultations/%d", id) }

// day formats a time as a date, or "" for none.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// stamp formats a time to the minute, in UTC, or "" for none.
func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// ConsultationPage answers GET /portal/consultations/:id.
func (s *Pages) ConsultationPage(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	p := s.page(c, "consultations.hub_title", "consultations")
	hub, err := s.consultationHubView(c, p, id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	if hub.Refresh {
		p.Refresh = 30
	}
	renderStaff(c, http.StatusOK, "consultations-hub", p)
}

// consultationHubView loads what a consultation's page shows into p.
func (s *Pages) consultationHubView(c *gin.Context, p *staffPage, id uint) (*consultationHub, error) {
	ctx, who := c.Request.Context(), httpkit.Principal(c)
	cons, err := s.forms.Consultation(ctx, who.Scope(), id)
	if err != nil {
		return nil, err
	}
	q, err := s.forms.Questionnaire(ctx, cons.QuestionnaireID)
	if err != nil {
		return nil, err
	}
	hub := &consultationHub{C: cons, Questionnaire: q, State: cons.State(time.Now()),
		Opens: stamp(cons.OpensAt), Closes: stamp(cons.ClosesAt), ClosedAt: stamp(cons.ClosedAt),
		Refresh:  c.Query("refresh") == "30",
		CanAdmin: who.HasRole(accounts.RoleAdmin), CanLinks: who.HasRole(accounts.RoleAdmin, accounts.RoleFocalPoint)}
	for _, l := range cons.LanguageList() {
		hub.Languages = append(hub.Languages, web.LanguageName(l))
	}
	rates, err := s.analysis.ResponseRates(ctx, who.Scope(), id)
	if err != nil {
		return nil, err
	}
	hub.Rates, hub.Total = rateLines(p, rates)
	invs, err := s.forms.Invitations(ctx, who.Scope(), id)
	if err != nil {
		return nil, err
	}
	hub.invitations(c, invs)
	p.Title = cons.Title
	p.Data = hub
	return hub, nil
}

// rateLines are the response rates by stakeholder type, in the registry's
// order of types, and in all.
func rateLines(p *staffPage, r analysis.ResponseRates) ([]rateLine, rateLine) {
	line := func(label string, rc analysis.RateCounts) rateLine {
		l := rateLine{Label: label, Invited: rc.Invited, OpenVisits: rc.OpenVisits, Opened: rc.Opened,
			Started: rc.Started, Submitted: rc.Submitted, Percent: "–"}
		if rc.SubmittedPercent != nil {
			l.Percent = fmt.Sprintf("%.0f %%", *rc.SubmittedPercent)
		}
		return l
	}
	var out []rateLine
	types := slices.Clone(forms.StakeholderTypes)
	for t := range r.ByType {
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	for _, t := range types {
		if rc, ok := r.ByType[t]; ok {
			label := t
			if staffCatalog.Has("en", "type."+t) {
				label = p.T("type." + t)
			}
			out = append(out, line(label, rc))
		}
	}
	return out, line(p.T("consultations.rates_all"), r.RateCounts)
}

// invitations fills the invitations table, filtered by ?status=.
func (hub *consultationHub) invitations(c *gin.Context, rows []forms.InvitationRow) {
	status := c.Query("status")
	if !slices.Contains(invitationStatuses, status) {
		status = ""
	}
	hub.Status = status
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.State]++
		if status != "" && r.State != status {
			continue
		}
		hub.Invitations = append(hub.Invitations, invitationLine{InvitationRow: r, LanguageName: web.LanguageName(r.Language), Created: day(&r.CreatedAt),
			Opened: day(r.OpenedAt), Submitted: day(r.SubmittedAt), Expires: lastDay(r.ExpiresAt)})
	}
	base := consultationPath(hub.C.ID)
	hub.Statuses = append(hub.Statuses, statusFilter{Href: base + "#invitations", Count: len(rows), Current: status == ""})
	for _, st := range invitationStatuses {
		hub.Statuses = append(hub.Statuses, statusFilter{Status: st, Href: base + "?status=" + st + "#invitations",
			Count: counts[st], Current: st == status})
	}
}

// ConsultationClose answers POST /portal/consultations/:id/close, which the
// admin confirms with a checkbox.
func (s *Pages) ConsultationClose(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	if c.PostForm("confirm") != "yes" {
		s.hubProblem(c, id, "consultations.close_unconfirmed", nil)
		return
	}
	cons, err := s.forms.CloseConsultation(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.recorder.Record(c, audit.ConsultationClose, "consultation", cons.ID, cons.CountryISO3, map[string]any{"via": "portal"})
	redirectNotice(c, consultationPath(id), "notice.consultations_closed")
}

// ConsultationReopen answers POST /portal/consultations/:id/reopen, with an
// optional new closing date (required once the old one has passed).
func (s *Pages) ConsultationReopen(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	if c.PostForm("confirm") != "yes" {
		s.hubProblem(c, id, "consultations.reopen_unconfirmed", nil)
		return
	}
	p := s.page(c, "consultations.hub_title", "consultations")
	closes, bad := endOfDay(c.PostForm("closes_at"))
	if bad {
		s.hubProblem(c, id, "consultations.reopen_failed", []pageProblem{{Field: p.T("consultations.field_closes_at"), Problem: p.T("consultations.problem_date")}})
		return
	}
	cons, err := s.forms.ReopenConsultation(c.Request.Context(), httpkit.Principal(c).Scope(), id, closes)
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		s.hubProblem(c, id, "consultations.reopen_failed", labeledProblems(p, ve))
		return
	}
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.recorder.Record(c, audit.ConsultationReopen, "consultation", cons.ID, cons.CountryISO3, map[string]any{"closes_at": closes, "via": "portal"})
	redirectNotice(c, consultationPath(id), "notice.consultations_reopened")
}

// hubProblem shows the consultation's page again with a problem, as 422.
func (s *Pages) hubProblem(c *gin.Context, id uint, key string, problems []pageProblem) {
	p := s.page(c, "consultations.hub_title", "consultations")
	if _, err := s.consultationHubView(c, p, id); err != nil {
		s.failPage(c, err)
		return
	}
	p.Error, p.Problems = p.T(key), problems
	renderStaff(c, http.StatusUnprocessableEntity, "consultations-hub", p)
}

// ConsultationOpenLink answers POST /portal/consultations/:id/open-link:
// a new open link, shown this once on the consultation's page.
func (s *Pages) ConsultationOpenLink(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	token, err := s.forms.SetOpenLink(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	p := s.page(c, "consultations.hub_title", "consultations")
	hub, err := s.consultationHubView(c, p, id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	hub.Secret, hub.SecretWhat = s.links.Survey(c, token), p.T("consultations.open_link_label")
	p.Notice = p.T("consultations.open_link_issued")
	renderStaff(c, http.StatusOK, "consultations-hub", p)
}

// ConsultationDisableOpenLink answers POST /portal/consultations/:id/open-link/disable.
func (s *Pages) ConsultationDisableOpenLink(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	if err := s.forms.DisableOpenLink(c.Request.Context(), httpkit.Principal(c).Scope(), id); err != nil {
		s.failPage(c, err)
		return
	}
	redirectNotice(c, consultationPath(id), "notice.consultations_open_link_off")
}

// labeledProblems lists a validation error's fields under their names on
// the consultations' forms, in the page's language.
func labeledProblems(p *staffPage, ve *forms.ValidationError) []pageProblem {
	out := fieldProblems(ve.Fields)
	for i := range out {
		out[i].Field = fieldLabel(p, out[i].Field)
	}
	if len(out) == 0 && ve.Message != "" {
		out = append(out, pageProblem{Problem: ve.Message})
	}
	return out
}

// fieldLabel names a field of the consultations' forms in the page's
// language; a field the forms do not show keeps its API name.
func fieldLabel(p *staffPage, name string) string {
	if key := "consultations.field_" + name; staffCatalog.Has("en", key) {
		return p.T(key)
	}
	return name
}

// endOfDay reads a date of a form as the end of that day in UTC (the start
// of the next), which is when a closing or expiry date takes effect. bad
// is true when the text is not a date.
func endOfDay(v string) (t *time.Time, bad bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, false
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, true
	}
	d = d.AddDate(0, 0, 1)
	return &d, false
}

// startOfDay reads a date of a form as the start of that day in UTC.
func startOfDay(v string) (t *time.Time, bad bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, false
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, true
	}
	return &d, false
}

// lastDay is the date of a form for a closing or expiry time: the day that
// ends then.
func lastDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	d := t.UTC().Add(-time.Nanosecond)
	return d.Format(time.DateOnly)
}
