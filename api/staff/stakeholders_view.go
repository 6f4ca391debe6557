package staff

import (
	"context"
	"errors"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
)

// The views of the stakeholder pages: the filter form (a template of its
// own, "stakeholders-filters", which other pages may reuse), the theme
// and country choices, and the add/edit form with its problems.

// stakeholderFilters is what the template "stakeholders-filters" shows: a
// GET form over a stakeholder listing, by country, type, theme and text.
// Build it with Server.stakeholderFilterView; read the request's filter
// with stakeholderFilterOf.
type stakeholderFilters struct {
	Msg web.Messages
	// Action is the path the form is sent to, with GET.
	Action string
	// Hidden are query fields the form carries along unchanged (name →
	// value), such as the page's own parameters.
	Hidden map[string]string
	// Filter is the current filter, shown as the form's values.
	Filter    forms.StakeholderFilter
	Countries []countryOption
	Types     []string
	Themes    []themeGroup
}

// T translates key in the page's language, as staffPage.T does.
func (v *stakeholderFilters) T(key string, pairs ...any) string { return v.Msg.T(key, pairs...) }

// countryOption is a country the caller may choose.
type countryOption struct{ Code, Name string }

// themeGroup is a top theme of the taxonomy (an instrument, the
// cross-cutting themes, the working groups) with itself and every theme
// below it, in display order.
type themeGroup struct {
	Code, Label string
	Themes      []themeOption
}

// themeOption is one theme in a choice; Indent shows its depth in a select.
type themeOption struct {
	Code, Label, Indent string
	Depth               int
}

// stakeholderFilterOf reads a listing's filter from the query: country,
// type, theme and q. Paging is the caller's.
func stakeholderFilterOf(c *gin.Context) forms.StakeholderFilter {
	return forms.StakeholderFilter{
		Country: strings.ToUpper(strings.TrimSpace(c.Query("country"))),
		Type:    strings.TrimSpace(c.Query("type")),
		Theme:   strings.ToUpper(strings.TrimSpace(c.Query("theme"))),
		Q:       strings.TrimSpace(c.Query("q")),
	}
}

// stakeholderFilterView builds the filter form of page for f, sent to
// action; its country choice holds only the caller's countries.
func (s *Pages) stakeholderFilterView(ctx context.Context, p *staffPage, f forms.StakeholderFilter, action string) (*stakeholderFilters, error) {
	countries, err := s.countryOptions(ctx, p.User)
	if err != nil {
		return nil, err
	}
	themes, err := s.themeGroups(ctx, p.Lang)
	if err != nil {
		return nil, err
	}
	return &stakeholderFilters{Msg: p.Msg, Action: action, Filter: f, Countries: countries,
		Types: forms.StakeholderTypes, Themes: themes}, nil
}

// countryOptions lists the countries the caller may choose: a focal
// point's own, or every country, by name.
func (s *Pages) countryOptions(ctx context.Context, u *accounts.Principal) ([]countryOption, error) {
	all, err := s.forms.Countries(ctx)
	if err != nil {
		return nil, err
	}
	scope := u.Scope()
	out := make([]countryOption, 0, len(all))
	for _, c := range all {
		if scope.Allows(c.ISO3) {
			out = append(out, countryOption{Code: c.ISO3, Name: c.Name})
		}
	}
	return out, nil
}

// themeGroups is the taxonomy as choices, its names in lang where known.
func (s *Pages) themeGroups(ctx context.Context, lang string) ([]themeGroup, error) {
	themes, err := s.forms.Themes(ctx)
	if err != nil {
		return nil, err
	}
	var groups []themeGroup
	for _, root := range forms.ThemeTree(themes) {
		g := themeGroup{Code: root.Code, Label: themeLabel(&root.Theme, lang)}
		var walk func(n *forms.ThemeNode, depth int)
		walk = func(n *forms.ThemeNode, depth int) {
			g.Themes = append(g.Themes, themeOption{Code: n.Code, Label: themeLabel(&n.Theme, lang),
				Indent: strings.Repeat("\u00a0\u00a0", depth), Depth: depth})
			for _, child := range n.Children {
				walk(child, depth+1)
			}
		}
		walk(root, 0)
		groups = append(groups, g)
	}
	return groups, nil
}

// themeLabel is a theme's name in lang, else its English name; in
// English, an instrument goes by its short name (Trafficking in Persons
// Protocol), which the other languages' names do not have.
func themeLabel(t *forms.Theme, lang string) string {
	if n := t.Names[lang]; n != "" && lang != "en" {
		return n
	}
	if t.Kind == forms.ThemeInstrument && t.ShortName != "" {
		return t.ShortName
	}
	return t.Name
}

// themeLabels maps every theme code to its label in lang.
func themeLabels(groups []themeGroup) map[string]string {
	out := map[string]string{}
	for _, g := range groups {
		for _, t := range g.Themes {
			out[t.Code] = t.Label
		}
	}
	return out
}

// stakeholderFormView is the add or edit form of a stakeholder, with what
// was typed and the problems found in it.
type stakeholderFormView struct {
	// ID is the stakeholder's, 0 on the add form.
	ID     uint
	Action string
	In     forms.StakeholderInput
	// Selected holds the chosen theme codes.
	Selected  map[string]bool
	Countries []countryOption
	Types     []string
	ECOSOC    []string
	Languages []countryOption // code and name, as for countries
	Themes    []themeGroup
	// Problems are the problems of each field, by the input's name.
	Problems map[string]string
	// ReadOnly shows the record without a form (analysts).
	ReadOnly bool
	// Record is the stored stakeholder on the edit page.
	Record *forms.Stakeholder
	// ThemeNames labels the record's themes on the read-only view.
	ThemeNames map[string]string
	// RecordLanguage names the record's language of invitations.
	RecordLanguage string
}

// stakeholderFormOf reads the add/edit form's fields.
func stakeholderFormOf(c *gin.Context) forms.StakeholderInput {
	return forms.StakeholderInput{
		Organization: c.PostForm("organization"),
		Type:         c.PostForm("type"),
		Subtype:      c.PostForm("subtype"),
		Country:      c.PostForm("country"),
		Email:        c.PostForm("email"),
		ContactName:  c.PostForm("contact_name"),
		Themes:       c.PostFormArray("themes"),
		ECOSOCStatus: c.PostForm("ecosoc_status"),
		HubConsent:   c.PostForm("hub_consent") == "yes",
		Language:     c.PostForm("language"),
		Notes:        c.PostForm("notes"),
	}
}

// stakeholderInputOf is the form's input for a stored stakeholder.
func stakeholderInputOf(st *forms.Stakeholder) forms.StakeholderInput {
	return forms.StakeholderInput{Organization: st.Organization, Type: st.Type, Subtype: st.Subtype, Country: st.Country,
		Email: st.Email, ContactName: st.ContactName, Themes: st.Themes, ECOSOCStatus: st.ECOSOCStatus,
		HubConsent: st.HubConsent, Language: st.Language, Notes: st.Notes}
}

// stakeholderFieldKeys are the catalog keys of the form's fields' labels.
var stakeholderFieldKeys = map[string]string{
	"organization": "stakeholders.organization", "type": "stakeholders.type", "subtype": "stakeholders.subtype",
	"country": "stakeholders.country", "email": "stakeholders.email", "contact_name": "stakeholders.contact",
	"themes": "stakeholders.themes", "ecosoc_status": "stakeholders.ecosoc", "hub_consent": "stakeholders.consent",
	"language": "stakeholders.language", "notes": "stakeholders.notes",
}

// stakeholderFormView builds the form of in for page p.
func (s *Pages) stakeholderFormView(ctx context.Context, p *staffPage, in forms.StakeholderInput) (*stakeholderFormView, error) {
	countries, err := s.countryOptions(ctx, p.User)
	if err != nil {
		return nil, err
	}
	themes, err := s.themeGroups(ctx, p.Lang)
	if err != nil {
		return nil, err
	}
	v := &stakeholderFormView{In: in, Selected: map[string]bool{}, Countries: countries, Types: forms.StakeholderTypes,
		ECOSOC: forms.ECOSOCStatuses, Themes: themes, Problems: map[string]string{}, ThemeNames: themeLabels(themes)}
	for _, code := range in.Themes {
		v.Selected[strings.ToUpper(strings.TrimSpace(code))] = true
	}
	for _, l := range forms.Languages {
		v.Languages = append(v.Languages, countryOption{Code: l, Name: web.LanguageName(l)})
	}
	if v.In.Language == "" {
		v.In.Language = forms.DefaultStakeholderLanguage
	}
	if v.In.ECOSOCStatus == "" {
		v.In.ECOSOCStatus = forms.ECOSOCNone
	}
	return v, nil
}

// formProblems puts a save's refusal on the page and the form: each
// field's problems beside it and in the list under the page's error. It
// answers the status to render with, or false when err is not the
// caller's to fix.
func formProblems(p *staffPage, v *stakeholderFormView, err error) (int, bool) {
	var ve *forms.ValidationError
	var ce *forms.ConflictError
	switch {
	case errors.As(err, &ve):
		p.Error = p.T("stakeholders.form_problems")
		for _, f := range ve.Fields {
			field, _, _ := strings.Cut(strings.TrimPrefix(f.Path, "/"), "/")
			v.addProblem(p, field, f.Message)
		}
		return 422, true
	case errors.As(err, &ce):
		// The store names the clash in its reason: the same email, or
		// else the same organization.
		field, key := "organization", "stakeholders.duplicate_organization"
		if strings.Contains(ce.Reason, "same email") {
			field, key = "email", "stakeholders.duplicate_email"
		}
		p.Error = p.T(key, "country", v.In.Country)
		v.addProblem(p, field, ce.Reason)
		return 409, true
	}
	return 0, false
}

func (v *stakeholderFormView) addProblem(p *staffPage, field, msg string) {
	label := field
	if key, ok := stakeholderFieldKeys[field]; ok {
		label = p.T(key)
	}
	p.Problems = append(p.Problems, pageProblem{Field: label, Problem: msg})
	if old := v.Problems[field]; old != "" {
		msg = old + "; " + msg
	}
	v.Problems[field] = msg
}

// canEditRegistry reports whether the caller may change the registry.
func canEditRegistry(p *accounts.Principal) bool {
	return p != nil && p.HasRole(accounts.RoleAdmin, accounts.RoleFocalPoint)
}

// GroupSelected reports whether a theme of g is chosen, to show the group
// open.
func (v *stakeholderFormView) GroupSelected(g themeGroup) bool {
	for _, t := range g.Themes {
		if v.Selected[t.Code] {
			return true
		}
	}
	return false
}

// fieldProblem is a field's problem as shown beside it; ID links it to
// the field with aria-describedby.
type fieldProblem struct{ ID, Text string }

// Problem returns the problem of the form's field, or nil.
func (v *stakeholderFormView) Problem(field string) *fieldProblem {
	if text := v.Problems[field]; text != "" {
		return &fieldProblem{ID: "st-" + field + "-problem", Text: text}
	}
	return nil
}
