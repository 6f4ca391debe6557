package staff

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
)

// The stakeholder registry in the staff's workspace: the list with its
// filters, the add and edit forms, deletion and the spreadsheet import.
// They call the same registry functions as /api/v1/stakeholders with the
// caller's scope, so a focal point sees and changes only their countries,
// and another country's stakeholder is a 404.

// stakeholderList is the view of GET /portal/stakeholders.
type stakeholderList struct {
	Filters  *stakeholderFilters
	Rows     []stakeholderRow
	Total    int64
	From, To int
	// PrevHref and NextHref page through the list, filters kept.
	PrevHref, NextHref string
	CanEdit            bool
}

// stakeholderRow is one stakeholder of the list with its themes' labels.
type stakeholderRow struct {
	forms.Stakeholder
	ThemeLabels []string
}

// StakeholdersPage answers GET /portal/stakeholders: the registry of
// the caller's countries, filtered and paged.
func (s *Pages) StakeholdersPage(c *gin.Context) {
	ctx := c.Request.Context()
	p := s.page(c, "stakeholders.title", "stakeholders")
	f := stakeholderFilterOf(c)
	f.Offset, _ = strconv.Atoi(c.Query("offset"))
	f.Offset = max(f.Offset, 0)
	f.Limit = forms.DefaultStakeholderLimit
	filters, err := s.stakeholderFilterView(ctx, p, f, "/portal/stakeholders")
	if err != nil {
		s.failPage(c, err)
		return
	}
	view := &stakeholderList{Filters: filters, CanEdit: canEditRegistry(p.User)}
	p.Data = view
	list, err := s.forms.Stakeholders(ctx, p.User.Scope(), f)
	var ve *forms.ValidationError
	switch {
	case errors.As(err, &ve):
		// A filter typed into the address: say what is wrong with it.
		p.Error = p.T("stakeholders.filter_problems")
		p.Problems = fieldProblems(ve.Fields)
		renderStaff(c, http.StatusUnprocessableEntity, "stakeholders-list", p)
		return
	case err != nil:
		s.failPage(c, err)
		return
	}
	view.fill(list, f)
	renderStaff(c, http.StatusOK, "stakeholders-list", p)
}

// fill puts one page of the listing of f in the view, with its links to
// the pages before and after.
func (v *stakeholderList) fill(list *forms.StakeholderPage, f forms.StakeholderFilter) {
	labels := themeLabels(v.Filters.Themes)
	for _, st := range list.Items {
		row := stakeholderRow{Stakeholder: st}
		for _, code := range st.Themes {
			row.ThemeLabels = append(row.ThemeLabels, labels[code]+" ("+code+")")
		}
		v.Rows = append(v.Rows, row)
	}
	v.Total = list.Total
	if len(list.Items) > 0 {
		v.From, v.To = f.Offset+1, f.Offset+len(list.Items)
	}
	if f.Offset > 0 {
		v.PrevHref = stakeholderListHref(f, max(f.Offset-f.Limit, 0))
	}
	if int64(f.Offset+f.Limit) < list.Total {
		v.NextHref = stakeholderListHref(f, f.Offset+f.Limit)
	}
}

// stakeholderListHref links the list at offset with the filter f.
func stakeholderListHref(f forms.StakeholderFilter, offset int) string {
	q := url.Values{}
	for k, v := range map[string]string{"country": f.Country, "type": f.Type, "theme": f.Theme, "q": f.Q} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	u := url.URL{Path: "/portal/stakeholders", RawQuery: q.Encode()}
	return u.String()
}

// stakeholderForm renders the add or edit form of in, with err's problems
// when a save was refused.
func (s *Pages) stakeholderForm(c *gin.Context, p *staffPage, in forms.StakeholderInput, record *forms.Stakeholder, status int, err error) {
	v, verr := s.stakeholderFormView(c.Request.Context(), p, in)
	if verr != nil {
		s.failPage(c, verr)
		return
	}
	v.Action, v.Record, v.ReadOnly = "/portal/stakeholders", record, !canEditRegistry(p.User)
	if record != nil {
		v.ID, v.Action = record.ID, fmt.Sprintf("/portal/stakeholders/%d", record.ID)
		v.RecordLanguage = web.LanguageName(record.Language)
	}
	if err != nil {
		var ok bool
		if status, ok = formProblems(p, v, err); !ok {
			s.failPage(c, err)
			return
		}
	}
	p.Data = v
	renderStaff(c, status, "stakeholders-form", p)
}

// NewStakeholderPage answers GET /portal/stakeholders/new: the empty
// form.
func (s *Pages) NewStakeholderPage(c *gin.Context) {
	p := s.page(c, "stakeholders.new_title", "stakeholders")
	var in forms.StakeholderInput
	if sc := p.User.Scope(); !sc.All && len(sc.Countries) == 1 {
		in.Country = sc.Countries[0]
	}
	s.stakeholderForm(c, p, in, nil, http.StatusOK, nil)
}

// CreateStakeholderPage answers POST /portal/stakeholders: the form
// posted, saved or shown again with each field's problem.
func (s *Pages) CreateStakeholderPage(c *gin.Context) {
	in := stakeholderFormOf(c)
	st, err := s.forms.CreateStakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), in, &httpkit.Principal(c).UserID)
	if err != nil {
		s.stakeholderForm(c, s.page(c, "stakeholders.new_title", "stakeholders"), in, nil, 0, err)
		return
	}
	redirectNotice(c, fmt.Sprintf("/portal/stakeholders/%d", st.ID), "notice.stakeholders_added")
}

// stakeholderInScope loads the stakeholder of the path in the caller's
// scope, or answers 404 as a page.
func (s *Pages) stakeholderInScope(c *gin.Context) (*forms.Stakeholder, bool) {
	id, err := httpkit.PathID(c, "id")
	if err == nil {
		var st *forms.Stakeholder
		if st, err = s.forms.Stakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), id); err == nil {
			return st, true
		}
	}
	s.failPage(c, err)
	return nil, false
}

// StakeholderPage answers GET /portal/stakeholders/:id: the record, in
// a form for those who may change it.
func (s *Pages) StakeholderPage(c *gin.Context) {
	st, ok := s.stakeholderInScope(c)
	if !ok {
		return
	}
	p := s.page(c, "stakeholders.edit_title", "stakeholders")
	p.Title = p.T("stakeholders.edit_title_of", "name", st.Organization)
	s.stakeholderForm(c, p, stakeholderInputOf(st), st, http.StatusOK, nil)
}

// UpdateStakeholderPage answers POST /portal/stakeholders/:id.
func (s *Pages) UpdateStakeholderPage(c *gin.Context) {
	st, ok := s.stakeholderInScope(c)
	if !ok {
		return
	}
	in := stakeholderFormOf(c)
	if _, err := s.forms.UpdateStakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), st.ID, in); err != nil {
		p := s.page(c, "stakeholders.edit_title", "stakeholders")
		p.Title = p.T("stakeholders.edit_title_of", "name", st.Organization)
		s.stakeholderForm(c, p, in, st, 0, err)
		return
	}
	redirectNotice(c, fmt.Sprintf("/portal/stakeholders/%d", st.ID), "notice.stakeholders_saved")
}

// DeleteStakeholderPage removes a stakeholder once its box is ticked;
// without it, the edit page asks again.
func (s *Pages) DeleteStakeholderPage(c *gin.Context) {
	st, ok := s.stakeholderInScope(c)
	if !ok {
		return
	}
	if c.PostForm("confirm") != "yes" {
		p := s.page(c, "stakeholders.edit_title", "stakeholders")
		p.Title = p.T("stakeholders.edit_title_of", "name", st.Organization)
		p.Error = p.T("stakeholders.delete_unconfirmed")
		s.stakeholderForm(c, p, stakeholderInputOf(st), st, http.StatusUnprocessableEntity, nil)
		return
	}
	if err := s.forms.DeleteStakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), st.ID); err != nil {
		s.failPage(c, err)
		return
	}
	redirectNotice(c, "/portal/stakeholders", "notice.stakeholders_deleted")
}
