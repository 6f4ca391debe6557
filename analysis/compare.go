package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/unodc-csu/agora/forms"
)

// noRegion is the regional group of countries that belong to none.
const noRegion = "none"

// Compare builds the theme × country table of a questionnaire: every
// published version of the code, joined by question code, for the
// countries asked for (all countries in scope with submitted responses
// when none are). Asking for a country outside scope is a *ScopeError;
// an unknown code is forms.ErrNotFound.
func (a *Analyzer) Compare(ctx context.Context, scope forms.Scope, v Viewer, code string, opts CompareOptions) (*Comparison, error) {
	if err := opts.check(scope); err != nil {
		return nil, err
	}
	vs, err := a.loadVersions(ctx, "code = ?", code)
	if err != nil || len(vs) == 0 {
		return nil, cmp.Or(err, forms.ErrNotFound)
	}
	lang := cmp.Or(opts.Language, vs[0].def.DefaultLanguage)
	qs := buildQuestions(vs, lang)
	out := &Comparison{
		Questionnaire: QuestionnaireInfo{Code: code, Title: vs[0].def.Title.In(lang, vs[0].def.DefaultLanguage)},
		Language:      lang, Countries: []CountryColumn{}, RegionalGroups: []RegionColumn{},
		Questions: []*QuestionComparison{}, Generated: time.Now().UTC(),
	}
	ids := make([]uint, len(vs))
	for i, ver := range vs {
		ids[i] = ver.id
		out.Questionnaire.Versions = append(out.Questionnaire.Versions, ver.num)
	}
	slices.Sort(out.Questionnaire.Versions)
	countries := opts.Countries
	if len(countries) == 0 && !scope.All {
		countries = scope.Countries
		if len(countries) == 0 {
			return out, nil
		}
	}
	cs, err := a.countryCells(ctx, v, ids, countries)
	if err != nil {
		return nil, err
	}
	for _, ver := range vs {
		cs.versions[ver.id] = ver.num
	}
	if err := a.fillComparison(ctx, out, cs, qs); err != nil {
		return nil, err
	}
	tx, err := a.taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	out.Themes = tx.tree(qs, lang)
	if out.Themes == nil {
		out.Themes = []*ThemeNode{}
	}
	return out, nil
}

// fillComparison computes the figures by country and by regional group.
// Suppressed countries have no consultation included, so the regional
// groups add up visible countries only.
func (a *Analyzer) fillComparison(ctx context.Context, out *Comparison, cs *countrySet, qs []*question) error {
	out.Countries, out.RegionalGroups = cs.columns(), cs.regions()
	if len(cs.included) == 0 {
		return nil
	}
	place, groups, sz := cs.placements(out.RegionalGroups)
	sel := selection{place: place, group: groupNone}
	byCode := make(map[string]*question, len(qs))
	var others []string
	for _, q := range qs {
		byCode[q.info.Code] = q
		if q.info.Type != forms.TypeNumber && q.info.Type != forms.TypeInteger {
			others = append(others, q.info.Code)
		}
	}
	var (
		ts, hidden          = tallies{}, tallies{}
		byCountry, byRegion numberStats
		answered            map[string]map[string]int
	)
	err := parallel(
		func() error { return a.countCells(ctx, sel, byCode, questionRange{codes: others}, false, ts) },
		func() error { return a.countHiddenCells(ctx, sel, byCode, hidden) },
		func() (err error) {
			byCountry, byRegion, answered, err = a.compareNumbers(ctx, place, byCode, kinds(qs).numbers, groups)
			return err
		},
	)
	if err != nil {
		return err
	}
	ts.addAll(hidden)
	for q, byCountry := range answered {
		for g, n := range byCountry {
			ts.get(q, g).depth[1] += n
		}
	}
	setAsked(ts, qs, sz)
	for _, q := range qs {
		out.Questions = append(out.Questions, compareQuestion(q, out, cs, ts, byCountry, byRegion))
	}
	return nil
}

// compareQuestion lays out one question's figures by country and region.
func compareQuestion(q *question, out *Comparison, cs *countrySet, ts tallies, byCountry, byRegion numberStats) *QuestionComparison {
	code := q.info.Code
	qc := &QuestionComparison{
		QuestionInfo: q.info, Versions: cs.versionNumbers(q.versions),
		ByCountry: map[string]*Figures{}, ByRegionalGroup: map[string]*Figures{},
	}
	for _, c := range out.Countries {
		qc.ByCountry[c.ISO3] = &Figures{Suppressed: true, SuppressedBy: SuppressedSmall}
		if !c.Suppressed {
			qc.ByCountry[c.ISO3] = cs.rules(c.ISO3).thin(q.figures(ts.peek(code, c.ISO3), byCountry[code][c.ISO3]), q.info.Type)
		}
	}
	for _, r := range out.RegionalGroups {
		qc.ByRegionalGroup[r.Code] = &Figures{Suppressed: true, SuppressedBy: SuppressedSmall}
		if !r.Suppressed {
			t := ts.rollup(code, func(g string) bool { return slices.Contains(r.Countries, g) })
			qc.ByRegionalGroup[r.Code] = cs.rules(r.Countries...).thin(q.figures(t, byRegion[code][r.Code]), q.info.Type)
		}
	}
	return qc
}

// rules are the disclosure rules of figures over the given countries: the
// viewer is exempt when exempt from each, and the minimum is the largest.
func (cs *countrySet) rules(countries ...string) disclosure {
	d := disclosure{exempt: true}
	for _, c := range cs.list {
		if slices.Contains(countries, c.ISO3) {
			d.exempt = d.exempt && c.exempt
			d.min = max(d.min, c.minCell)
		}
	}
	return d
}

// countrySet is the countries of a comparison and the consultations whose
// responses their figures include.
type countrySet struct {
	list     []*countryCell
	included []uint // consultations counted
	versions map[uint]int
}

type countryCell struct {
	CountryColumn
	consultations []consultationSize
	included      []uint
	exempt        bool // the viewer sees every group of its consultations
	minCell       int  // the largest minimum of its consultations
}

type consultationSize struct {
	ID            uint
	Country       string
	Questionnaire uint
	N             int
	MinCell       int
	Anonymity     string
}

// consultationsSQL counts the submitted responses of every consultation of
// the versions, by country.
const consultationsSQL = `
SELECT r.consultation_id AS id, r.country_iso3 AS country, MAX(k.questionnaire_id) AS questionnaire,
       COUNT(*) AS n, MAX(k.min_cell_size) AS min_cell, MAX(k.anonymity) AS anonymity
FROM responses r JOIN consultations k ON k.id = r.consultation_id
WHERE r.questionnaire_id IN ? AND r.status = ?%s
GROUP BY r.consultation_id, r.country_iso3`

// countryCells finds the countries with responses and decides, for a
// viewer who is not an admin, which consultations and countries are shown.
func (a *Analyzer) countryCells(ctx context.Context, v Viewer, ids []uint, countries []string) (*countrySet, error) {
	args, filter := []any{ids, forms.ResponseSubmitted}, ""
	if len(countries) > 0 {
		filter = " AND r.country_iso3 IN ?"
		args = append(args, countries)
	}
	var rows []consultationSize
	if err := a.db.WithContext(ctx).Raw(fmt.Sprintf(consultationsSQL, filter), args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	cs := &countrySet{versions: map[uint]int{}}
	byISO := map[string]*countryCell{}
	for _, r := range rows {
		c := byISO[r.Country]
		if c == nil {
			c = &countryCell{CountryColumn: CountryColumn{ISO3: r.Country}}
			byISO[r.Country] = c
			cs.list = append(cs.list, c)
		}
		c.consultations = append(c.consultations, r)
	}
	if err := a.describeCountries(ctx, byISO); err != nil {
		return nil, err
	}
	for _, c := range cs.list {
		c.decide(v)
		cs.included = append(cs.included, c.included...)
	}
	cs.sort()
	return cs, nil
}

// decide chooses the consultations a country's figures include and whether
// the country is suppressed. A consultation too small to be shown on its
// own is left out when the country has larger ones, unless the small ones
// together reach the minimum: otherwise the country's figures minus the
// larger consultations' summaries would describe it.
func (c *countryCell) decide(v Viewer) {
	minCell, small, total := 0, 0, 0
	exempt := true // every consultation's groups are the viewer's to see
	for _, k := range c.consultations {
		exempt = exempt && v.unsuppressed(k.Anonymity)
		minCell = max(minCell, k.MinCell)
		total += k.N
		if k.N < k.MinCell {
			small += k.N
		}
	}
	for _, k := range c.consultations {
		if exempt || k.N >= k.MinCell || small >= minCell || small == total {
			c.included = append(c.included, k.ID)
			c.Respondents += k.N
		}
	}
	c.Consultations = len(c.consultations)
	if !exempt && c.Respondents < minCell {
		c.Suppressed, c.SuppressedBy, c.Respondents, c.included = true, SuppressedSmall, 0, nil
	}
	c.exempt, c.minCell = exempt, minCell
}
