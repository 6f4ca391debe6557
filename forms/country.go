package forms

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Country is a country or territory of ISO 3166-1, where stakeholders work
// and consultations are held.
//
// The seed list (seed/countries.csv) holds all 249 entries of ISO 3166-1 with
// their ISO English short names, as published in Debian's iso-codes 4.15. The
// M49 code is the UN statistical code, equal to the ISO 3166-1 numeric code
// for every entry; Taiwan (158) has an ISO numeric code but no M49 entry of
// its own. The European Union, a party to the Convention, has no ISO alpha-3
// code and belongs to no regional group, so it is not listed.
type Country struct {
	ISO3          string  `gorm:"primaryKey;size:3" json:"iso3"`
	M49           string  `gorm:"size:3;not null" json:"m49"`
	Name          string  `gorm:"size:200;not null" json:"name"`
	RegionalGroup *string `gorm:"size:8" json:"regional_group"` // AFRICAN, ASIAPAC, EASTEUR, GRULAC, WEOG or null
}

// TableName names the table that holds the countries.
func (Country) TableName() string { return "countries" }

// RegionalGroups are the five UN regional groups, code → English name.
//
// The codes are longer than three letters so that none can be taken for an
// ISO 3166-1 code: the African Group was once "AFG", which is Afghanistan
// (migration 16 renamed the stored codes). A country's group is set for
// the 192 UN Member States that are members of a group, and left null for
// everything else: territories, observer States (the Holy See, the State
// of Palestine), the United States, which attends WEOG meetings as an
// observer without being a member of any group, and Kiribati, which belongs
// to no group (UN Library, 2023). Türkiye, which takes part in both WEOG
// and the Asia-Pacific Group, is recorded with WEOG, the group it belongs
// to for elections. Hence the seed's counts: AFRICAN 54, ASIAPAC 53,
// EASTEUR 23, GRULAC 33, WEOG 28.
var RegionalGroups = map[string]string{
	"AFRICAN": "African Group",
	"ASIAPAC": "Asia-Pacific Group",
	"EASTEUR": "Eastern European Group",
	"GRULAC":  "Latin American and Caribbean Group",
	"WEOG":    "Western European and Others Group",
}

// RegionalGroupCodes lists the regional groups' codes in the order reports
// show them.
var RegionalGroupCodes = []string{"AFRICAN", "ASIAPAC", "EASTEUR", "GRULAC", "WEOG"}

// countryColumns is the header that seed/countries.csv must have.
var countryColumns = []string{"iso3", "m49", "name", "regional_group"}

// ValidCountryCode reports whether s has the shape of an ISO 3166-1 alpha-3
// code: three upper-case ASCII letters. It does not look the code up.
func ValidCountryCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// validM49 reports whether s is a three-digit M49 code, leading zeros kept.
func validM49(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// SeedCountries returns the country list shipped with Agora
// (seed/countries.csv) in file order, after checking every row: codes well
// formed and unique, a name, and a known regional group or none.
func SeedCountries() ([]Country, error) {
	raw, err := seedFS.ReadFile("seed/countries.csv")
	if err != nil {
		return nil, err
	}
	countries, err := parseCountries(raw)
	if err != nil {
		return nil, fmt.Errorf("seed/countries.csv: %w", err)
	}
	return countries, nil
}

// parseCountries reads and validates countries from CSV with the columns
// iso3, m49, name, regional_group. Validation paths are "/line/column".
func parseCountries(raw []byte) ([]Country, error) {
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = len(countryColumns)
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	if strings.Join(header, ",") != strings.Join(countryColumns, ",") {
		return nil, fmt.Errorf("header is %q, want %q", strings.Join(header, ","), strings.Join(countryColumns, ","))
	}
	verr := &ValidationError{Message: "invalid country list"}
	iso3s, m49s := map[string]int{}, map[string]int{}
	var countries []Country
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		path := "/" + strconv.Itoa(line)
		c := Country{ISO3: rec[0], M49: rec[1], Name: strings.TrimSpace(rec[2])}
		if !ValidCountryCode(c.ISO3) {
			verr.Add(path+"/iso3", "%q is not an ISO 3166-1 alpha-3 code", c.ISO3)
		} else if prev, dup := iso3s[c.ISO3]; dup {
			verr.Add(path+"/iso3", "%s is already on line %d", c.ISO3, prev)
		}
		iso3s[c.ISO3] = line
		if !validM49(c.M49) {
			verr.Add(path+"/m49", "%q is not a three-digit M49 code", c.M49)
		} else if prev, dup := m49s[c.M49]; dup {
			verr.Add(path+"/m49", "%s is already on line %d", c.M49, prev)
		}
		m49s[c.M49] = line
		if c.Name == "" {
			verr.Add(path+"/name", "a country needs a name")
		}
		if g := rec[3]; g != "" {
			if _, ok := RegionalGroups[g]; !ok {
				verr.Add(path+"/regional_group", "unknown regional group %q", g)
			}
			c.RegionalGroup = &g
		}
		countries = append(countries, c)
	}
	if err := verr.OrNil(); err != nil {
		return nil, err
	}
	return countries, nil
}
