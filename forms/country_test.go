package forms

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

func mustSeedCountries(t *testing.T) []Country {
	t.Helper()
	countries, err := SeedCountries()
	if err != nil {
		t.Fatalf("SeedCountries: %v", err)
	}
	return countries
}

func TestSeedCountries(t *testing.T) {
	countries := mustSeedCountries(t)
	if len(countries) != 249 {
		t.Fatalf("got %d countries, want the 249 entries of ISO 3166-1", len(countries))
	}
	byISO := map[string]Country{}
	for _, c := range countries {
		byISO[c.ISO3] = c
	}
	tests := []struct {
		iso3, m49, name, group string // group "" means none
	}{
		{"KEN", "404", "Kenya", "AFRICAN"},
		{"MEX", "484", "Mexico", "GRULAC"},
		{"FRA", "250", "France", "WEOG"},
		{"TUR", "792", "Türkiye", "WEOG"},
		{"USA", "840", "United States", ""}, // observer in WEOG, member of no group
		{"AFG", "004", "Afghanistan", "ASIAPAC"},
		{"ALB", "008", "Albania", "EASTEUR"},
		{"KIR", "296", "Kiribati", ""},
		{"CYP", "196", "Cyprus", "ASIAPAC"},
		{"ISR", "376", "Israel", "WEOG"},
		{"AUS", "036", "Australia", "WEOG"},
		{"EST", "233", "Estonia", "EASTEUR"},
		{"GEO", "268", "Georgia", "EASTEUR"},
		{"KAZ", "398", "Kazakhstan", "ASIAPAC"},
		{"SSD", "728", "South Sudan", "AFRICAN"},
		{"CIV", "384", "Côte d'Ivoire", "AFRICAN"},
		{"BOL", "068", "Bolivia, Plurinational State of", "GRULAC"},
		{"GUY", "328", "Guyana", "GRULAC"},
		{"PSE", "275", "Palestine, State of", ""},
		{"VAT", "336", "Holy See (Vatican City State)", ""},
		{"TWN", "158", "Taiwan, Province of China", ""},
		{"ATA", "010", "Antarctica", ""},
		{"GRL", "304", "Greenland", ""},
	}
	for _, tt := range tests {
		t.Run(tt.iso3, func(t *testing.T) {
			c, ok := byISO[tt.iso3]
			if !ok {
				t.Fatalf("%s missing", tt.iso3)
			}
			if c.M49 != tt.m49 || c.Name != tt.name {
				t.Errorf("got %s %q, want %s %q", c.M49, c.Name, tt.m49, tt.name)
			}
			group := ""
			if c.RegionalGroup != nil {
				group = *c.RegionalGroup
			}
			if group != tt.group {
				t.Errorf("group = %q, want %q", group, tt.group)
			}
		})
	}
}

// TestSeedCountriesGroups pins the group totals: 192 of the 193 Member States
// in a group (all but the United States), with Türkiye counted in WEOG and
// Kiribati in none (UN Library, 2023).
func TestSeedCountriesGroups(t *testing.T) {
	totals := map[string]int{}
	for _, c := range mustSeedCountries(t) {
		g := "none"
		if c.RegionalGroup != nil {
			g = *c.RegionalGroup
		}
		totals[g]++
	}
	want := map[string]int{"AFRICAN": 54, "ASIAPAC": 53, "EASTEUR": 23, "GRULAC": 33, "WEOG": 28, "none": 58}
	if !maps.Equal(totals, want) {
		t.Errorf("countries per group = %v, want %v", totals, want)
	}
	groups := slices.Sorted(maps.Keys(RegionalGroups))
	if want := []string{"AFRICAN", "ASIAPAC", "EASTEUR", "GRULAC", "WEOG"}; !slices.Equal(groups, want) {
		t.Errorf("RegionalGroups = %v, want %v", groups, want)
	}
}

func TestSeedCountriesUnique(t *testing.T) {
	iso3s, m49s := map[string]bool{}, map[string]bool{}
	for _, c := range mustSeedCountries(t) {
		if iso3s[c.ISO3] || m49s[c.M49] {
			t.Errorf("%s / %s listed twice", c.ISO3, c.M49)
		}
		iso3s[c.ISO3], m49s[c.M49] = true, true
		if !ValidCountryCode(c.ISO3) || !validM49(c.M49) || c.Name == "" {
			t.Errorf("malformed row %+v", c)
		}
	}
}

func TestValidCountryCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"KEN", true}, {"XKX", true}, {"ken", false}, {"KE", false}, {"KENY", false},
		{"", false}, {"K3N", false}, {"KÉN", false}, {" KE", false},
	}
	for _, tt := range tests {
		if got := ValidCountryCode(tt.code); got != tt.want {
			t.Errorf("ValidCountryCode(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestParseCountriesRejects(t *testing.T) {
	const header = "iso3,m49,name,regional_group\n"
	tests := []struct {
		name, csv string
		path      string // the first error's path, or "" for a non-validation error
	}{
		{"wrong header", "iso,m49,name,group\nKEN,404,Kenya,AFRICAN\n", ""},
		{"missing column", header + "KEN,404,Kenya\n", ""},
		{"lower-case iso3", header + "ken,404,Kenya,AFRICAN\n", "/2/iso3"},
		{"duplicate iso3", header + "KEN,404,Kenya,AFRICAN\nKEN,405,Kenya again,AFRICAN\n", "/3/iso3"},
		{"m49 without leading zeros", header + "AFG,4,Afghanistan,ASIAPAC\n", "/2/m49"},
		{"duplicate m49", header + "KEN,404,Kenya,AFRICAN\nMEX,404,Mexico,GRULAC\n", "/3/m49"},
		{"empty name", header + "KEN,404, ,AFRICAN\n", "/2/name"},
		{"unknown group", header + "KEN,404,Kenya,AU\n", "/2/regional_group"},
		{"the old African Group code", header + "KEN,404,Kenya,AFG\n", "/2/regional_group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCountries([]byte(tt.csv))
			if err == nil {
				t.Fatalf("parsed %+v, want an error", got)
			}
			var verr *ValidationError
			isValidation := errors.As(err, &verr)
			switch {
			case tt.path == "" && isValidation:
				t.Errorf("got validation error %v, want a format error", err)
			case tt.path != "" && !isValidation:
				t.Errorf("got %v, want a validation error at %s", err, tt.path)
			case tt.path != "" && verr.Fields[0].Path != tt.path:
				t.Errorf("error at %s, want %s (%v)", verr.Fields[0].Path, tt.path, err)
			}
		})
	}
}

func TestParseCountriesQuotedNames(t *testing.T) {
	got, err := parseCountries([]byte("iso3,m49,name,regional_group\nKOR,410,\"Korea, Republic of\",ASIAPAC\nATA,010,Antarctica,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "Korea, Republic of" || *got[0].RegionalGroup != "ASIAPAC" ||
		got[1].M49 != "010" || got[1].RegionalGroup != nil {
		t.Errorf("got %+v", got)
	}
	if strings.Contains(got[0].Name, "\"") {
		t.Errorf("quotes kept in %q", got[0].Name)
	}
}

// TestRegionalGroupCodesAreNotCountryCodes keeps every group code apart
// from country codes: none has the shape of an ISO 3166-1 code, so none can
// be taken for one (the African Group's old code AFG is Afghanistan).
func TestRegionalGroupCodesAreNotCountryCodes(t *testing.T) {
	iso := map[string]bool{}
	for _, c := range mustSeedCountries(t) {
		iso[c.ISO3] = true
	}
	for _, code := range RegionalGroupCodes {
		t.Run(code, func(t *testing.T) {
			if ValidCountryCode(code) || len(code) <= 3 || iso[code] {
				t.Errorf("regional group code %q could be taken for a country code", code)
			}
			if RegionalGroups[code] == "" {
				t.Errorf("%q has no name", code)
			}
		})
	}
	if len(RegionalGroupCodes) != len(RegionalGroups) {
		t.Errorf("RegionalGroupCodes lists %d groups, RegionalGroups %d", len(RegionalGroupCodes), len(RegionalGroups))
	}
}
