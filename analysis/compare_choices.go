package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/unodc-csu/agora/forms"
)

// CompareChoices are what a comparison may be asked about within a
// scope: the questionnaires with submitted responses and, for the one
// chosen, the countries that answered it and their regional groups.
type CompareChoices struct {
	Questionnaires []QuestionnaireInfo `json:"questionnaires"`
	Countries      []CountryColumn     `json:"countries"`
	RegionalGroups []RegionColumn      `json:"regional_groups"`
}

// choiceSQL counts the submitted responses of the published questionnaires
// by consultation, newest version first, with each consultation's mode and
// minimum group.
const choiceSQL = `
SELECT q.code AS code, q.version AS version, q.id AS id, r.country_iso3 AS country,
       c.anonymity AS anonymity, c.min_cell_size AS min_cell, COUNT(*) AS submitted
FROM questionnaires q JOIN responses r ON r.questionnaire_id = q.id
JOIN consultations c ON c.id = r.consultation_id
WHERE q.status = ? AND r.status = ?%s
GROUP BY q.code, q.version, q.id, r.country_iso3, c.id, c.anonymity, c.min_cell_size
ORDER BY q.code, q.version DESC`

// Choices lists the questionnaires the scope's responses answered and, for
// code (when not empty), the countries in scope that answered it, with
// titles in lang when the questionnaire has it. Country names and groups
// come from the reference data. That a country answered at all is a
// figure too: a consultation counts only once its submissions reach its
// minimum group, unless v sees small groups in its mode (as a comparison
// would show it).
func (a *Analyzer) Choices(ctx context.Context, scope forms.Scope, v Viewer, code, lang string) (*CompareChoices, error) {
	out := &CompareChoices{Questionnaires: []QuestionnaireInfo{}, Countries: []CountryColumn{}, RegionalGroups: []RegionColumn{}}
	if !scope.All && len(scope.Countries) == 0 {
		return out, nil
	}
	args, filter := []any{forms.StatusPublished, forms.ResponseSubmitted}, ""
	if !scope.All {
		filter, args = " AND r.country_iso3 IN ?", append(args, scope.Countries)
	}
	var rows []struct {
		Code      string
		Version   int
		ID        uint
		Country   string
		Anonymity string
		MinCell   int
		Submitted int
	}
	if err := a.db.WithContext(ctx).Raw(fmt.Sprintf(choiceSQL, filter), args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	cells := map[string]*countryCell{}
	newest := map[string]uint{}
	for _, r := range rows {
		if r.Submitted < r.MinCell && !v.unsuppressed(r.Anonymity) {
			continue
		}
		if _, ok := newest[r.Code]; !ok {
			newest[r.Code] = r.ID
			out.Questionnaires = append(out.Questionnaires, QuestionnaireInfo{Code: r.Code})
		}
		i := len(out.Questionnaires) - 1
		if !slices.Contains(out.Questionnaires[i].Versions, r.Version) {
			out.Questionnaires[i].Versions = append(out.Questionnaires[i].Versions, r.Version)
		}
		if r.Code == code && cells[r.Country] == nil {
			cells[r.Country] = &countryCell{CountryColumn: CountryColumn{ISO3: r.Country}}
		}
	}
	ids := make([]uint, 0, len(newest))
	for _, id := range newest {
		ids = append(ids, id)
	}
	titles := map[uint]string{}
	if len(ids) > 0 {
		vs, err := a.loadVersions(ctx, "id IN ?", ids)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			titles[v.id] = v.def.Title.In(lang, v.def.DefaultLanguage)
		}
	}
	for i := range out.Questionnaires {
		q := &out.Questionnaires[i]
		slices.Sort(q.Versions)
		q.Title = cmp.Or(titles[newest[q.Code]], q.Code)
	}
	if err := a.describeCountries(ctx, cells); err != nil {
		return nil, err
	}
	cs := &countrySet{}
	for _, c := range cells {
		cs.list = append(cs.list, c)
	}
	cs.sort()
	out.Countries, out.RegionalGroups = cs.columns(), cs.regions()
	return out, nil
}
