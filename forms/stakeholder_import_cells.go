package forms

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// importColumn is a column an import understands: the field it feeds, its
// usual name and the other headers taken for it (compared folded, with
// underscores, hyphens and dots as spaces, a trailing "*" or "(...)" dropped).
type importColumn struct {
	field    string
	name     string
	required bool
	aliases  []string
}

var importColumns = []importColumn{
	{"organization", "Organization", true, []string{"organisation", "organization name", "organisation name", "name of organization", "name of organisation", "org"}},
	{"type", "Type", true, []string{"organization type", "organisation type", "stakeholder type", "type of organization", "type of organisation"}},
	{"subtype", "Subtype", false, []string{"sub type", "organization subtype", "organisation subtype"}},
	{"country", "Country", true, []string{"country code", "iso3", "country iso3"}},
	{"email", "Email", false, []string{"e mail", "email address", "e mail address", "contact email", "mail"}},
	{"contact_name", "Contact name", false, []string{"contact", "contact person", "focal person"}},
	{"themes", "Themes", false, []string{"theme", "theme codes", "thematic areas", "thematic area", "thematic expertise"}},
	{"ecosoc_status", "ECOSOC status", false, []string{"ecosoc", "ecosoc consultative status"}},
	{"hub_consent", "Hub consent", false, []string{"consent", "stakeholder hub", "stakeholder hub consent", "hub", "listed in hub"}},
	{"language", "Language", false, []string{"preferred language", "lang"}},
	{"notes", "Notes", false, []string{"note", "comments", "comment", "remarks"}},
}

var headerDecoration = regexp.MustCompile(`\s*(\(.*\)|\*)\s*$`)

// headerKey folds a header cell for comparison with the known names.
func headerKey(s string) string {
	s = headerDecoration.ReplaceAllString(fold(s), "")
	return collapseSpace(strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(s))
}

// columnByHeader returns the column a header names, or nil.
func columnByHeader(header string) *importColumn {
	key := headerKey(header)
	for i := range importColumns {
		col := &importColumns[i]
		if key == headerKey(col.name) || key == col.field || strings.ReplaceAll(key, " ", "") == strings.ReplaceAll(headerKey(col.name), " ", "") {
			return col
		}
		for _, a := range col.aliases {
			if key == a {
				return col
			}
		}
	}
	return nil
}

func importColumnNames() string {
	names := make([]string, len(importColumns))
	for i, col := range importColumns {
		names[i] = col.name
	}
	return strings.Join(names, ", ")
}

// importRow is one data row turned into an input, with the problems found
// in its cells. Country stays as written until the store resolves names.
type importRow struct {
	row      int
	in       StakeholderInput
	raw      map[string]string // field → cell as written, for messages
	problems []ImportProblem
}

// input reads the cells of rec into an input. Unknown words in enumerated
// cells are kept for validation to report with the list of allowed values.
func (sh *importSheet) input(rec importRecord) importRow {
	r := importRow{row: rec.row, raw: map[string]string{}}
	for i, cell := range rec.cells {
		if i >= len(sh.fields) || sh.fields[i] == "" {
			continue
		}
		field := sh.fields[i]
		cell = strings.TrimSpace(cell)
		r.raw[field] = cell
		if utf8.RuneCountInString(cell) > maxCellLength {
			r.problem(sh, field, "the cell is longer than %d characters", maxCellLength)
			continue
		}
		sh.setField(&r, field, cell)
	}
	return r
}

func (sh *importSheet) setField(r *importRow, field, cell string) {
	in := &r.in
	switch field {
	case "organization":
		in.Organization = cell
	case "type":
		in.Type = stakeholderTypeOf(cell)
	case "subtype":
		in.Subtype = cell
	case "country":
		in.Country = cell
	case "email":
		in.Email = strings.TrimPrefix(strings.TrimSpace(cell), "mailto:")
	case "contact_name":
		in.ContactName = cell
	case "themes":
		in.Themes = strings.FieldsFunc(cell, func(c rune) bool {
			return c == ',' || c == ';' || c == '|' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
		})
	case "ecosoc_status":
		in.ECOSOCStatus = ecosocStatusOf(cell)
	case "hub_consent":
		consent, ok := yesNo(cell)
		if !ok {
			r.problem(sh, field, "%q is not yes or no (use yes/no, true/false, 1/0, or x for yes)", cell)
		}
		in.HubConsent = consent
	case "language":
		in.Language = languageOf(cell)
	case "notes":
		in.Notes = cell
	}
}

func (r *importRow) problem(sh *importSheet, field, format string, args ...any) {
	r.problems = append(r.problems, ImportProblem{Row: r.row, Column: sh.column(field), Problem: fmt.Sprintf(format, args...)})
}

// stakeholderTypeOf reads an organization type as people write it.
func stakeholderTypeOf(cell string) string {
	key := strings.ReplaceAll(headerKey(cell), " ", "_")
	switch key {
	case "cso", "csos", "ngos", "civil_society", "civil_society_organization", "civil_society_organisation",
		"non_governmental_organization", "non_governmental_organisation", "nongovernmental_organization":
		return StakeholderNGO
	case "academic", "academia_research", "university", "research":
		return StakeholderAcademia
	case "private", "business", "private_sector_business", "company":
		return StakeholderPrivateSector
	case "igo", "intergovernmental_organization", "intergovernmental_organisation", "international_organization":
		return StakeholderIntergovernmental
	}
	return key
}

// ecosocStatusOf reads "General consultative status", "Special", "-"...
func ecosocStatusOf(cell string) string {
	key := headerKey(cell)
	key = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(key, " status"), " consultative"))
	switch key {
	case "", "-", "no", "n/a", "na", "none", "non", "ninguno", "aucun":
		return ECOSOCNone
	}
	return key
}

// yesNo reads a consent cell; blank is no.
func yesNo(cell string) (value, ok bool) {
	switch fold(cell) {
	case "yes", "y", "true", "1", "x", "oui", "si", "sí":
		return true, true
	case "", "no", "n", "false", "0", "non", "-":
		return false, true
	}
	return false, false
}

// languageNames maps the languages' names, in English and in themselves,
// to their codes.
var languageNames = map[string]string{
	"arabic": "ar", "العربية": "ar", "chinese": "zh", "中文": "zh", "english": "en",
	"french": "fr", "francais": "fr", "russian": "ru", "русскии": "ru", "русский": "ru",
	"spanish": "es", "espanol": "es",
}

// languageOf reads a language code or name; blank becomes the default.
func languageOf(cell string) string {
	key := fold(cell)
	if code, ok := languageNames[key]; ok {
		return code
	}
	return key
}
