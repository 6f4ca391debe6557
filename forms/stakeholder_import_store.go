package forms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms/xlsxlimit"
)

// ImportProblem is one problem found by an import: the spreadsheet row
// (the header is usually row 1), the column as headed in the file, and what
// is wrong.
type ImportProblem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Problem string `json:"problem"`
}

// ImportResult is the outcome of a stakeholder import. Every non-blank row
// below the header is counted once: created, skipped (it has a problem) or
// a duplicate (of an earlier row, or of a stakeholder already registered).
type ImportResult struct {
	Created    int             `json:"created"`
	Skipped    int             `json:"skipped"`
	Duplicates int             `json:"duplicates"`
	Report     []ImportProblem `json:"report"`
	Items      []Stakeholder   `json:"items"`
}

// importedRow is a valid row waiting for the duplicate check.
type importedRow struct {
	row int
	st  *Stakeholder
}

// ImportStakeholders adds the stakeholders of an .xlsx or CSV file (see
// docs/stakeholders.md for its columns). A row with a problem, or with a
// country outside scope, is reported and skipped; a row repeating an
// earlier row or a registered stakeholder of its country (same email, or
// same organization) is reported as a duplicate; the other rows are stored
// together. Only a file that cannot be read at all is an error.
func (s *Store) ImportStakeholders(ctx context.Context, scope Scope, filename string, r io.Reader, by *uint) (*ImportResult, error) {
	defer xlsxlimit.ReturnMemory() // what reading the file took, once its rows are dropped
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, fileProblem("the file is larger than %d MB", MaxImportBytes>>20)
	}
	sh, err := parseStakeholderFile(ctx, filename, data)
	if err != nil {
		return nil, err
	}
	refs, countryOf, err := s.importRefs(ctx)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Report: slices.Clone(sh.report), Items: []Stakeholder{}}
	var good []importedRow
	for _, rec := range sh.rows {
		row := sh.input(rec)
		row.in.Country = countryOf(row.in.Country)
		row.in.normalize()
		if err := validateStakeholder(&row.in, refs, scope); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				return nil, err
			}
			row.problems = append(row.problems, sh.rowProblems(&row, ve)...)
		}
		if len(row.problems) > 0 {
			res.Skipped++
			res.Report = append(res.Report, row.problems...)
			continue
		}
		st := row.in.stakeholder()
		st.CreatedBy = by
		st.EmailConfirmed = emailConfirmedBy(scope, st.Email)
		good = append(good, importedRow{row: row.row, st: st})
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return storeImported(tx, sh, good, res)
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(res.Report, func(a, b ImportProblem) int { return a.Row - b.Row })
	return res, nil
}

// importRefs loads what rows are checked against, and a function that turns
// a country as written (ISO3 code or English name) into its ISO3 code.
func (s *Store) importRefs(ctx context.Context) (stakeholderRefs, func(string) string, error) {
	themeKnown, err := s.ThemeKnown(ctx)
	if err != nil {
		return stakeholderRefs{}, nil, err
	}
	countries, err := s.Countries(ctx)
	if err != nil {
		return stakeholderRefs{}, nil, err
	}
	codes := make(map[string]bool, len(countries))
	names := make(map[string]string, 2*len(countries))
	for _, c := range countries {
		codes[c.ISO3] = true
		for _, name := range countryNameForms(c.Name) {
			names[name] = c.ISO3
		}
	}
	countryOf := func(cell string) string {
		if code, ok := names[countryNameForms(cell)[0]]; ok {
			return code
		}
		return cell
	}
	refs := stakeholderRefs{countryKnown: func(code string) bool { return codes[code] }, themeKnown: themeKnown}
	return refs, countryOf, nil
}

// countryNameForms returns the folded ways a country name is written: as
// is, and for the ISO names in inverted form ("Korea, Republic of"), in
// reading order ("republic of korea"). A leading "the" is dropped.
func countryNameForms(name string) []string {
	trim := func(s string) string { return strings.TrimPrefix(collapseSpace(s), "the ") }
	key := trim(fold(name))
	forms := []string{key}
	if head, tail, ok := strings.Cut(key, ", "); ok && !strings.Contains(tail, ",") {
		forms = append(forms, trim(tail+" "+head))
	}
	return forms
}

// rowProblems turns the validation problems of a row into report entries,
// naming the cell's value and leaving out columns whose cell was already
// reported.
func (sh *importSheet) rowProblems(row *importRow, ve *ValidationError) []ImportProblem {
	reported := map[string]bool{}
	for _, p := range row.problems {
		reported[p.Column] = true
	}
	var out []ImportProblem
	for _, fe := range ve.Fields {
		field, index, _ := strings.Cut(strings.TrimPrefix(fe.Path, "/"), "/")
		column := sh.column(field)
		if reported[column] {
			continue
		}
		value := row.raw[field]
		if i, err := strconv.Atoi(index); err == nil && field == "themes" && i < len(row.in.Themes) {
			value = row.in.Themes[i]
		}
		out = append(out, ImportProblem{Row: row.row, Column: column, Problem: importMessage(field, value, fe.Message)})
	}
	return out
}

// importMessage words a validation message for a spreadsheet cell.
func importMessage(field, value, msg string) string {
	switch {
	case msg == "required":
		return "the cell is empty; this column is required"
	case field == "country" && strings.HasPrefix(msg, "must be an ISO"):
		return fmt.Sprintf("%q is neither an ISO 3166-1 alpha-3 code (such as KEN) nor a country's English name", value)
	case value != "" && !strings.Contains(msg, value) && !strings.Contains(msg, strconv.Quote(value)):
		return fmt.Sprintf("%q: %s", value, msg)
	}
	return msg
}

// storeImported drops the duplicates of good, reporting them, and stores
// the rest. The registry is locked first, so the check holds until commit.
func storeImported(tx *gorm.DB, sh *importSheet, good []importedRow, res *ImportResult) error {
	if len(good) == 0 {
		return nil
	}
	if err := lockStakeholders(tx); err != nil {
		return err
	}
	seen, err := registeredKeys(tx, good)
	if err != nil {
		return err
	}
	var fresh []*Stakeholder
	for _, g := range good {
		emailKey, orgKey := duplicateKeys(g.st)
		field, other := "email", seen[emailKey]
		if other == "" {
			field, other = "organization", seen[orgKey]
		}
		if other != "" {
			res.Duplicates++
			res.Report = append(res.Report, ImportProblem{Row: g.row, Column: sh.column(field),
				Problem: fmt.Sprintf("duplicate: %s has the same %s in %s; row not imported", other, field, g.st.Country)})
			continue
		}
		where := "row " + strconv.Itoa(g.row)
		if emailKey != "" {
			seen[emailKey] = where
		}
		seen[orgKey] = where
		fresh = append(fresh, g.st)
	}
	if err := insertStakeholders(tx, fresh); err != nil {
		return err
	}
	res.Created = len(fresh)
	for _, st := range fresh {
		res.Items = append(res.Items, *st)
	}
	return nil
}

// registeredKeys returns the duplicate keys of the live stakeholders of the
// countries in good, each naming its stakeholder.
func registeredKeys(tx *gorm.DB, good []importedRow) (map[string]string, error) {
	var countries []string
	for _, g := range good {
		countries = append(countries, g.st.Country)
	}
	var existing []Stakeholder
	err := tx.Model(&Stakeholder{}).Select("id", "country_iso3", "email", "organization_key").
		Where("deleted_at IS NULL AND country_iso3 IN ?", sortedUnique(countries)).Find(&existing).Error
	if err != nil {
		return nil, err
	}
	seen := make(map[string]string, 2*len(existing))
	for i := range existing {
		emailKey, orgKey := duplicateKeys(&existing[i])
		name := "stakeholder " + strconv.FormatUint(uint64(existing[i].ID), 10)
		if emailKey != "" && seen[emailKey] == "" {
			seen[emailKey] = name
		}
		if seen[orgKey] == "" {
			seen[orgKey] = name
		}
	}
	return seen, nil
}

// duplicateKeys are the keys two stakeholders of one country must not share.
func duplicateKeys(st *Stakeholder) (email, org string) {
	if st.Email != "" {
		email = "email\x00" + st.Country + "\x00" + st.Email
	}
	return email, "org\x00" + st.Country + "\x00" + st.OrganizationKey
}
