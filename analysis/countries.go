package analysis

import (
	"context"
	"slices"
	"sort"

	"github.com/unodc-csu/agora/forms"
)

// regionOrder is the order of the regional groups in a comparison.
var regionOrder = append(slices.Clone(forms.RegionalGroupCodes), noRegion)

// describeCountries fills in the names and regional groups.
func (a *Analyzer) describeCountries(ctx context.Context, cells map[string]*countryCell) error {
	if len(cells) == 0 {
		return nil
	}
	var list []forms.Country
	if err := a.db.WithContext(ctx).Where("iso3 IN ?", sortedKeys(cells)).Find(&list).Error; err != nil {
		return err
	}
	for _, c := range cells {
		c.Name, c.RegionalGroup = c.ISO3, noRegion
	}
	for _, c := range list {
		cell := cells[c.ISO3]
		cell.Name = c.Name
		if c.RegionalGroup != nil {
			cell.RegionalGroup = *c.RegionalGroup
		}
	}
	return nil
}

// sort orders countries by regional group, then name.
func (cs *countrySet) sort() {
	sort.Slice(cs.list, func(i, j int) bool {
		a, b := cs.list[i], cs.list[j]
		if ra, rb := regionRank(a.RegionalGroup), regionRank(b.RegionalGroup); ra != rb {
			return ra < rb
		}
		return a.Name < b.Name
	})
}

func regionRank(code string) int {
	if i := slices.Index(regionOrder, code); i >= 0 {
		return i
	}
	return len(regionOrder)
}

func (cs *countrySet) columns() []CountryColumn {
	out := make([]CountryColumn, 0, len(cs.list))
	for _, c := range cs.list {
		out = append(out, c.CountryColumn)
	}
	return out
}

// regions lists the regional groups of the countries, each aggregating
// its visible countries; a group with none is suppressed.
func (cs *countrySet) regions() []RegionColumn {
	var out []RegionColumn
	for _, c := range cs.list {
		if len(out) == 0 || out[len(out)-1].Code != c.RegionalGroup {
			name := forms.RegionalGroups[c.RegionalGroup]
			if name == "" {
				name = "No regional group"
			}
			out = append(out, RegionColumn{Code: c.RegionalGroup, Name: name, Countries: []string{}})
		}
		r := &out[len(out)-1]
		if !c.Suppressed {
			r.Countries = append(r.Countries, c.ISO3)
			r.Respondents += c.Respondents
		}
	}
	for i := range out {
		if out[i].Suppressed = len(out[i].Countries) == 0; out[i].Suppressed {
			out[i].SuppressedBy = SuppressedSmall
		}
	}
	if out == nil {
		return []RegionColumn{}
	}
	return out
}

// versionNumbers maps questionnaire ids to their version numbers, sorted.
func (cs *countrySet) versionNumbers(ids []uint) []int {
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		out = append(out, cs.versions[id])
	}
	slices.Sort(out)
	return out
}

// placements returns where the counts of each included consultation go,
// the consultations of each country and of each visible regional group,
// and the respondents by country and version.
func (cs *countrySet) placements(regions []RegionColumn) (map[uint]placement, numberGroups, sizes) {
	place := map[uint]placement{}
	groups := numberGroups{countries: map[string][]uint{}, regions: map[string][]uint{}}
	sz := sizes{}
	for _, c := range cs.list {
		for _, k := range c.consultations {
			if !slices.Contains(c.included, k.ID) {
				continue
			}
			place[k.ID] = placement{group: c.ISO3, version: k.Questionnaire}
			groups.countries[c.ISO3] = append(groups.countries[c.ISO3], k.ID)
			if sz[c.ISO3] == nil {
				sz[c.ISO3] = map[uint]int{}
			}
			sz[c.ISO3][k.Questionnaire] += k.N
		}
	}
	for _, r := range regions {
		for _, iso := range r.Countries {
			groups.regions[r.Code] = append(groups.regions[r.Code], groups.countries[iso]...)
		}
	}
	return place, groups, sz
}
