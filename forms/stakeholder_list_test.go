package forms_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// seedRegistry adds a small registry and returns its ids by organization.
func seedRegistry(t *testing.T, s *forms.Store) map[string]uint {
	t.Helper()
	rows := []forms.StakeholderInput{
		{Organization: "Haki Africa", Type: "ngo", Country: "KEN", Email: "info@haki.example", ContactName: "Amina Ochieng", Themes: []string{"TIP.ART3"}},
		{Organization: "University of Nairobi", Type: "academia", Country: "KEN", Themes: []string{"UNTOC", "XC.HUMAN_RIGHTS"}},
		{Organization: "École de la Paix", Type: "academia", Country: "MEX", Email: "ecole@example.org", Themes: []string{"SOM"}},
		{Organization: "100% Legal Ltd", Type: "private_sector", Country: "MEX", Themes: []string{"WG.TIP"}},
		{Organization: "Causa en Común", Type: "ngo", Country: "MEX", ContactName: "José Núñez", Themes: []string{"TIP"}},
	}
	ids := map[string]uint{}
	for _, in := range rows {
		ids[in.Organization] = mustCreate(t, s, forms.AllCountries, in).ID
	}
	return ids
}

func TestStakeholdersFilter(t *testing.T) {
	s := newStakeholderStore(t)
	ids := seedRegistry(t, s)
	cases := []struct {
		name   string
		scope  forms.Scope
		filter forms.StakeholderFilter
		want   []string
		total  int64
	}{
		{"all by organization", forms.AllCountries, forms.StakeholderFilter{},
			[]string{"100% Legal Ltd", "Causa en Común", "École de la Paix", "Haki Africa", "University of Nairobi"}, 5},
		{"country", forms.AllCountries, forms.StakeholderFilter{Country: "ken"}, []string{"Haki Africa", "University of Nairobi"}, 2},
		{"country outside scope", scopeKEN, forms.StakeholderFilter{Country: "MEX"}, nil, 0},
		{"type", forms.AllCountries, forms.StakeholderFilter{Type: "academia"}, []string{"École de la Paix", "University of Nairobi"}, 2},
		{"type within scope", scopeMEX, forms.StakeholderFilter{Type: "academia"}, []string{"École de la Paix"}, 1},
		{"theme and the themes below it", forms.AllCountries, forms.StakeholderFilter{Theme: "TIP"}, []string{"Causa en Común", "Haki Africa"}, 2},
		{"theme exactly", forms.AllCountries, forms.StakeholderFilter{Theme: "xc.human_rights"}, []string{"University of Nairobi"}, 1},
		{"theme underscore is no wildcard", forms.AllCountries, forms.StakeholderFilter{Theme: "XC.HUMAN_RIGHT_"}, nil, 0},
		{"search without accents", forms.AllCountries, forms.StakeholderFilter{Q: "ECOLE"}, []string{"École de la Paix"}, 1},
		{"search contact", forms.AllCountries, forms.StakeholderFilter{Q: "nunez"}, []string{"Causa en Común"}, 1},
		{"search email", forms.AllCountries, forms.StakeholderFilter{Q: "@haki."}, []string{"Haki Africa"}, 1},
		{"search percent is literal", forms.AllCountries, forms.StakeholderFilter{Q: "100%"}, []string{"100% Legal Ltd"}, 1},
		{"search percent alone", forms.AllCountries, forms.StakeholderFilter{Q: "%"}, []string{"100% Legal Ltd"}, 1},
		{"page", forms.AllCountries, forms.StakeholderFilter{Limit: 2, Offset: 1}, []string{"Causa en Común", "École de la Paix"}, 5},
		{"page past the end", forms.AllCountries, forms.StakeholderFilter{Limit: 2, Offset: 10}, nil, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.Stakeholders(context.Background(), tc.scope, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, st := range page.Items {
				got = append(got, st.Organization)
				if st.ID != ids[st.Organization] || st.Themes == nil {
					t.Errorf("%s: id %d, themes %v", st.Organization, st.ID, st.Themes)
				}
			}
			if !slices.Equal(got, tc.want) || page.Total != tc.total {
				t.Errorf("listed %q (total %d), want %q (total %d)", got, page.Total, tc.want, tc.total)
			}
		})
	}
}

func TestStakeholdersFilterValidation(t *testing.T) {
	s := newStakeholderStore(t)
	cases := []struct {
		filter forms.StakeholderFilter
		want   []string
	}{
		{forms.StakeholderFilter{Limit: 501}, []string{"/limit"}},
		{forms.StakeholderFilter{Offset: -1, Limit: -1}, []string{"/limit", "/offset"}},
		{forms.StakeholderFilter{Type: "club", Country: "Kenya"}, []string{"/country", "/type"}},
	}
	for _, tc := range cases {
		_, err := s.Stakeholders(context.Background(), forms.AllCountries, tc.filter)
		got := problemPaths(err)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v: problems at %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestUpdateStakeholder(t *testing.T) {
	s := newStakeholderStore(t)
	ctx := context.Background()
	ids := seedRegistry(t, s)
	id := ids["Haki Africa"]
	in := forms.StakeholderInput{
		Organization: "Haki Africa Trust", Type: "ngo", Subtype: "victim-led", Country: "KEN",
		Email: "info@haki.example", Themes: []string{"SOM", "FA"}, ECOSOCStatus: "special", HubConsent: true, Language: "fr",
	}
	st, err := s.UpdateStakeholder(ctx, scopeKEN, id, in)
	if err != nil {
		t.Fatalf("update keeping its own email: %v", err)
	}
	got, err := s.Stakeholder(ctx, scopeKEN, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Organization != "Haki Africa Trust" || got.Subtype != "victim-led" || got.ECOSOCStatus != "special" ||
		!got.HubConsent || got.Language != "fr" || !slices.Equal(got.Themes, []string{"FA", "SOM"}) ||
		!got.CreatedAt.Equal(st.CreatedAt) || got.ContactName != "" {
		t.Errorf("after update: %+v", got)
	}
	in.Organization = "university of  NAIROBI"
	if _, err := s.UpdateStakeholder(ctx, scopeKEN, id, in); !errors.Is(err, forms.ErrConflict) {
		t.Errorf("taking another stakeholder's organization: err %v, want a conflict", err)
	}
	if _, err := s.UpdateStakeholder(ctx, forms.AllCountries, 99999, in); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("missing id: err %v, want ErrNotFound", err)
	}
}

func TestDeleteStakeholder(t *testing.T) {
	s := newStakeholderStore(t)
	ctx := context.Background()
	ids := seedRegistry(t, s)
	id := ids["Haki Africa"]
	if err := s.DeleteStakeholder(ctx, scopeKEN, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stakeholder(ctx, forms.AllCountries, id); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("read after delete: err %v, want ErrNotFound", err)
	}
	if err := s.DeleteStakeholder(ctx, forms.AllCountries, id); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("second delete: err %v, want ErrNotFound", err)
	}
	if _, err := s.UpdateStakeholder(ctx, forms.AllCountries, id, validStakeholder()); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("update after delete: err %v, want ErrNotFound", err)
	}
	page, err := s.Stakeholders(ctx, forms.AllCountries, forms.StakeholderFilter{Theme: "TIP"})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || page.Items[0].Organization != "Causa en Común" {
		t.Errorf("after delete, theme TIP lists %+v", page)
	}
	var kept []map[string]any
	s.DB().Table("stakeholders").Select("organization, email, contact_name, notes, search_text").
		Where("id = ? AND deleted_at IS NOT NULL", id).Find(&kept)
	if len(kept) != 1 {
		t.Fatalf("the deleted row is gone; want it kept with deleted_at")
	}
	if row := kept[0]; row["organization"] != "Haki Africa" || row["email"] != "" || row["contact_name"] != "" ||
		row["notes"] != "" || row["search_text"] != "" {
		t.Errorf("the deleted row keeps %v; want the organization only, the contact's details erased", row)
	}
	// The same organization and email may be registered again.
	if _, err := s.CreateStakeholder(ctx, scopeKEN, validStakeholder(), nil); err != nil {
		t.Errorf("re-create after delete: %v", err)
	}
}
