package analysis

import (
	"context"

	"github.com/unodc-csu/agora/forms"
)

// ResponseRates returns only the response rates of a consultation, for
// monitoring while it runs: the same figures as a Summary's, without
// aggregating any answer. A consultation outside scope is
// forms.ErrNotFound, as if it did not exist.
func (a *Analyzer) ResponseRates(ctx context.Context, scope forms.Scope, consultationID uint) (ResponseRates, error) {
	c, err := forms.NewStore(a.db).Consultation(ctx, scope, consultationID)
	if err != nil {
		return ResponseRates{ByType: map[string]RateCounts{}}, err
	}
	return a.responseRates(ctx, c.ID)
}
