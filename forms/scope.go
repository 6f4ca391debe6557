package forms

import "slices"

// Scope is the set of countries a caller may see. Every query over
// country-bound records takes one, so authorization is applied in the query
// and not only by hiding buttons.
type Scope struct {
	// All is true for roles that see every country (admin, analyst).
	All bool
	// Countries are the ISO3 codes visible when All is false.
	Countries []string
}

// AllCountries is the scope of the CSU's roles.
var AllCountries = Scope{All: true}

// Allows reports whether the scope covers country.
func (s Scope) Allows(country string) bool {
	return s.All || slices.Contains(s.Countries, country)
}
