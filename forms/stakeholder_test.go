package forms_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

var (
	scopeKEN = forms.Scope{Countries: []string{"KEN"}}
	scopeMEX = forms.Scope{Countries: []string{"MEX"}}
)

// newStakeholderStore returns a store over a fresh, migrated database.
func newStakeholderStore(t *testing.T) *forms.Store {
	t.Helper()
	return forms.NewStore(dbtest.Open(t))
}

// validStakeholder is an input every check accepts.
func validStakeholder() forms.StakeholderInput {
	return forms.StakeholderInput{
		Organization: "Haki Africa", Type: "ngo", Country: "KEN",
		Email: "info@haki.example", ContactName: "A. Person", Themes: []string{"TIP"},
	}
}

// mustCreate adds a stakeholder that must be valid.
func mustCreate(t *testing.T, s *forms.Store, scope forms.Scope, in forms.StakeholderInput) *forms.Stakeholder {
	t.Helper()
	st, err := s.CreateStakeholder(context.Background(), scope, in, nil)
	if err != nil {
		t.Fatalf("CreateStakeholder(%s): %v", in.Organization, err)
	}
	return st
}

// problemPaths lists the JSON pointers of a validation error.
func problemPaths(err error) []string {
	var ve *forms.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var paths []string
	for _, f := range ve.Fields {
		paths = append(paths, f.Path)
	}
	return paths
}

func TestCreateStakeholderValidation(t *testing.T) {
	s := newStakeholderStore(t)
	cases := []struct {
		name  string
		scope forms.Scope
		edit  func(in *forms.StakeholderInput)
		want  []string
	}{
		{"empty", forms.AllCountries, func(in *forms.StakeholderInput) { *in = forms.StakeholderInput{} },
			[]string{"/organization", "/type", "/country"}},
		{"bad email", forms.AllCountries, func(in *forms.StakeholderInput) { in.Email = "not-an-email" }, []string{"/email"}},
		{"unknown theme", forms.AllCountries, func(in *forms.StakeholderInput) { in.Themes = []string{"TIP", "NOPE", ""} },
			[]string{"/themes/2", "/themes/1"}},
		{"country name", forms.AllCountries, func(in *forms.StakeholderInput) { in.Country = "Kenya" }, []string{"/country"}},
		{"unknown country", forms.AllCountries, func(in *forms.StakeholderInput) { in.Country = "XXX" }, []string{"/country"}},
		{"type", forms.AllCountries, func(in *forms.StakeholderInput) { in.Type = "think tank" }, []string{"/type"}},
		{"ecosoc and language", forms.AllCountries, func(in *forms.StakeholderInput) {
			in.ECOSOCStatus, in.Language = "consultative", "de"
		}, []string{"/ecosoc_status", "/language"}},
		{"too long", forms.AllCountries, func(in *forms.StakeholderInput) { in.Organization = strings.Repeat("x", 301) }, []string{"/organization"}},
		{"other country for a focal point", scopeMEX, func(in *forms.StakeholderInput) {}, []string{"/country"}},
		{"focal point without countries", forms.Scope{}, func(in *forms.StakeholderInput) {}, []string{"/country"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := validStakeholder()
			tc.edit(&in)
			_, err := s.CreateStakeholder(context.Background(), tc.scope, in, nil)
			got := problemPaths(err)
			slices.Sort(got)
			slices.Sort(tc.want)
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems at %v, want %v (err: %v)", got, tc.want, err)
			}
		})
	}
}

func TestCreateStakeholderNormalizes(t *testing.T) {
	s := newStakeholderStore(t)
	by := uint(7)
	in := forms.StakeholderInput{
		Organization: "  Fundación   Example ", Type: " NGO ", Country: "mex", Email: " Info@Example.ORG ",
		Themes: []string{"xc.gender", "TIP", "tip"}, Language: "ES",
	}
	st, err := s.CreateStakeholder(context.Background(), scopeMEX, in, &by)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Stakeholder(context.Background(), scopeMEX, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := forms.Stakeholder{
		Organization: "Fundación Example", Type: "ngo", Country: "MEX", Email: "info@example.org",
		ECOSOCStatus: "none", Language: "es", Themes: []string{"TIP", "XC.GENDER"},
	}
	if got.Organization != want.Organization || got.Type != want.Type || got.Country != want.Country ||
		got.Email != want.Email || got.ECOSOCStatus != want.ECOSOCStatus || got.Language != want.Language ||
		!slices.Equal(got.Themes, want.Themes) {
		t.Errorf("stored %+v, want %+v", got, want)
	}
	if got.CreatedBy == nil || *got.CreatedBy != by {
		t.Errorf("created_by = %v, want %d", got.CreatedBy, by)
	}
	in.Organization, in.Email, in.Themes = "No Themes", "", nil
	if st, err := s.CreateStakeholder(context.Background(), scopeMEX, in, &by); err != nil || st.Themes == nil {
		t.Errorf("created without themes: %+v, %v; want an empty list, not nil", st, err)
	}
}

func TestCreateStakeholderDuplicates(t *testing.T) {
	s := newStakeholderStore(t)
	first := mustCreate(t, s, forms.AllCountries, validStakeholder())
	cases := []struct {
		name     string
		edit     func(in *forms.StakeholderInput)
		conflict bool
	}{
		{"same email, other organization", func(in *forms.StakeholderInput) { in.Organization = "Other" }, true},
		{"same email in capitals", func(in *forms.StakeholderInput) { in.Organization, in.Email = "Other", "INFO@HAKI.EXAMPLE" }, true},
		{"same organization, other case and spacing", func(in *forms.StakeholderInput) {
			in.Organization, in.Email = "  HAKI   africa", "other@haki.example"
		}, true},
		{"same organization, no email", func(in *forms.StakeholderInput) { in.Email = "" }, true},
		{"same email in another country", func(in *forms.StakeholderInput) { in.Country = "TZA" }, false},
		{"other organization and email", func(in *forms.StakeholderInput) {
			in.Organization, in.Email = "Kituo", "kituo@example.org"
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := validStakeholder()
			tc.edit(&in)
			_, err := s.CreateStakeholder(context.Background(), forms.AllCountries, in, nil)
			if got := errors.Is(err, forms.ErrConflict); got != tc.conflict {
				t.Fatalf("conflict = %v (err %v), want %v", got, err, tc.conflict)
			}
			if tc.conflict && !strings.Contains(err.Error(), "stakeholder ") {
				t.Errorf("conflict %q does not name stakeholder %d", err, first.ID)
			}
		})
	}
}

func TestStakeholderScope(t *testing.T) {
	s := newStakeholderStore(t)
	ctx := context.Background()
	ken := mustCreate(t, s, scopeKEN, validStakeholder())
	mexIn := validStakeholder()
	mexIn.Country, mexIn.Organization = "MEX", "Causa en Común"
	mex := mustCreate(t, s, scopeMEX, mexIn)

	if _, err := s.Stakeholder(ctx, scopeKEN, mex.ID); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("KEN reads MEX's stakeholder: err %v, want ErrNotFound", err)
	}
	if _, err := s.UpdateStakeholder(ctx, scopeKEN, mex.ID, mexIn); !errors.Is(err, forms.ErrNotFound) && problemPaths(err) == nil {
		t.Errorf("KEN updates MEX's stakeholder: err %v, want a refusal", err)
	}
	mexAsKen := mexIn
	mexAsKen.Country = "KEN"
	if _, err := s.UpdateStakeholder(ctx, scopeKEN, mex.ID, mexAsKen); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("KEN moves MEX's stakeholder to KEN: err %v, want ErrNotFound", err)
	}
	if err := s.DeleteStakeholder(ctx, scopeKEN, mex.ID); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("KEN deletes MEX's stakeholder: err %v, want ErrNotFound", err)
	}
	moved := validStakeholder()
	moved.Country = "MEX"
	if _, err := s.UpdateStakeholder(ctx, scopeKEN, ken.ID, moved); !slices.Equal(problemPaths(err), []string{"/country"}) {
		t.Errorf("KEN moves its stakeholder to MEX: err %v, want a problem at /country", err)
	}
	for _, tc := range []struct {
		name  string
		scope forms.Scope
		want  []uint
	}{
		{"KEN", scopeKEN, []uint{ken.ID}},
		{"MEX", scopeMEX, []uint{mex.ID}},
		{"all", forms.AllCountries, []uint{mex.ID, ken.ID}}, // by organization
		{"none", forms.Scope{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.Stakeholders(ctx, tc.scope, forms.StakeholderFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if got := stakeholderIDs(page.Items); !slices.Equal(got, tc.want) || page.Total != int64(len(tc.want)) {
				t.Errorf("listed %v (total %d), want %v", got, page.Total, tc.want)
			}
		})
	}
}

func stakeholderIDs(items []forms.Stakeholder) []uint {
	var ids []uint
	for _, st := range items {
		ids = append(ids, st.ID)
	}
	return ids
}
