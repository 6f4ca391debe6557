// Package analysis aggregates the answers collected by Agora: the summary of
// one consultation theme by theme, with breakdowns by stakeholder type,
// response rates and priorities, and the comparison of countries that
// answered versions of one questionnaire. Every figure is computed by the
// database (grouped queries, the same SQL on SQLite and PostgreSQL); Go
// rolls up the grouped rows and computes exact quartiles from the counted
// values of number questions (one consultation's in a summary, one
// question's at a time in a comparison). It never holds the answers.
//
// Small groups are suppressed for everyone but admins, so that a small
// organization cannot be recognized in a breakdown: see suppress.go and
// docs/analysis.md. The package knows nothing of HTTP or Excel; it returns
// plain structs with JSON tags that the API renders as they are and pages
// can render with templates.
package analysis

import (
	"slices"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// Analyzer computes summaries and comparisons over one database.
type Analyzer struct {
	db *gorm.DB
}

// New returns an Analyzer reading db.
func New(db *gorm.DB) *Analyzer { return &Analyzer{db: db} }

// Viewer is who looks at the figures: their role decides, with each
// consultation's anonymity mode, what they may see (forms.Access): small
// groups, who wrote a text.
type Viewer struct {
	Role string
}

// access is what the viewer may learn of consultation c's respondents.
func (v Viewer) access(c *forms.Consultation) forms.Access {
	return forms.Access{Role: v.Role, Mode: c.Anonymity}
}

// unsuppressed tells whether the viewer sees every group of a
// consultation in the given anonymity mode, however small.
func (v Viewer) unsuppressed(mode string) bool {
	return forms.Access{Role: v.Role, Mode: mode}.Unsuppressed()
}

// DefaultTextLimit is how many text answers a summary lists per question
// unless asked otherwise; MaxTextLimit bounds what may be asked. The full
// texts belong in the Excel export, not in a JSON page.
const (
	DefaultTextLimit = 50
	MaxTextLimit     = 1000
)

// SummaryOptions narrow and shape a consultation summary.
type SummaryOptions struct {
	// ByType adds a breakdown of every question by stakeholder type.
	ByType bool
	// StakeholderType, when set, restricts the figures to one type.
	StakeholderType string
	// Language of the labels; the questionnaire's default when empty.
	Language string
	// TextLimit is the number of text answers listed per question:
	// 0 means DefaultTextLimit, a negative value lists none.
	TextLimit int
}

// CompareOptions narrow and shape a country comparison.
type CompareOptions struct {
	// Countries to compare (ISO3); empty means every country in scope
	// that has responses.
	Countries []string
	// Language of the labels; the newest version's default when empty.
	Language string
}

// check validates the options, returning a *forms.ValidationError whose
// paths name the query parameters of the API.
func (o *SummaryOptions) check() error {
	ve := &forms.ValidationError{}
	if o.StakeholderType != "" && !isStakeholderType(o.StakeholderType) {
		ve.Add("/stakeholder_type", "unknown stakeholder type %q", o.StakeholderType)
	}
	checkLanguage(ve, o.Language)
	if o.TextLimit > MaxTextLimit {
		ve.Add("/texts", "at most %d texts per question", MaxTextLimit)
	}
	switch {
	case o.TextLimit == 0:
		o.TextLimit = DefaultTextLimit
	case o.TextLimit < 0:
		o.TextLimit = 0
	}
	return ve.OrNil()
}

func (o *CompareOptions) check(scope forms.Scope) error {
	ve := &forms.ValidationError{}
	seen := map[string]bool{}
	var list []string
	for _, c := range o.Countries {
		if !forms.ValidCountryCode(c) {
			ve.Add("/countries", "%q is not an ISO 3166-1 alpha-3 code such as KEN", c)
			continue
		}
		if !seen[c] {
			seen[c] = true
			list = append(list, c)
		}
	}
	checkLanguage(ve, o.Language)
	if err := ve.OrNil(); err != nil {
		return err
	}
	o.Countries = list
	for _, c := range list {
		if !scope.Allows(c) {
			return &ScopeError{Country: c}
		}
	}
	return nil
}

// ScopeError is returned when a comparison names a country outside the
// caller's scope. Countries are public reference data, so saying which one
// is refused leaks nothing; it unwraps to forms.ErrForbidden.
type ScopeError struct{ Country string }

func (e *ScopeError) Error() string { return e.Country + " is not one of your countries" }

// Unwrap makes errors.Is(err, forms.ErrForbidden) hold.
func (e *ScopeError) Unwrap() error { return forms.ErrForbidden }

func checkLanguage(ve *forms.ValidationError, lang string) {
	if lang != "" && !slices.Contains(forms.Languages, lang) {
		ve.Add("/lang", "unknown language %q: one of ar, zh, en, fr, ru, es", lang)
	}
}

func isStakeholderType(t string) bool { return slices.Contains(forms.StakeholderTypes, t) }
