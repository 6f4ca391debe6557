package analysis

import (
	"context"
	"fmt"

	"github.com/unodc-csu/agora/forms"
)

// ResponseRates returns only the response rates of a consultation, for
// monitoring while it runs: the same figures as a Summary's, suppressed in
// the same way, without aggregating any answer. A consultation outside
// scope is forms.ErrNotFound, as if it did not exist.
func (a *Analyzer) ResponseRates(ctx context.Context, scope forms.Scope, v Viewer, consultationID uint) (ResponseRates, error) {
	c, err := forms.NewStore(a.db).Consultation(ctx, scope, consultationID)
	if err != nil {
		return ResponseRates{ByType: map[string]RateCounts{}}, err
	}
	rr, err := a.responseRates(ctx, c.ID)
	if err != nil {
		return rr, err
	}
	sz, err := a.respondents(ctx, selection{consultations: []uint{c.ID}, where: "r.status = ?", args: []any{forms.ResponseSubmitted}, group: groupType})
	if err != nil {
		return rr, err
	}
	rr.suppress(newDisclosure(v.unsuppressed(c.Anonymity), sz.totals(), c.MinCellSize))
	return rr, nil
}

// totalsSQL counts the invitations of several consultations at each stage,
// in all, as ratesSQL does for one consultation by type.
const totalsSQL = `
SELECT i.consultation_id AS id, MAX(c.min_cell_size) AS min_cell, MAX(c.anonymity) AS anonymity,
       SUM(CASE WHEN i.open_visit = ? THEN 0 ELSE 1 END) AS invited,
       SUM(CASE WHEN i.open_visit = ? THEN 1 ELSE 0 END) AS open_visits,
       COUNT(COALESCE(i.opened_at, i.started_at, i.submitted_at)) AS opened,
       COUNT(COALESCE(i.started_at, i.submitted_at)) AS started, COUNT(i.submitted_at) AS submitted
FROM invitations i JOIN consultations c ON c.id = i.consultation_id
WHERE i.consultation_id IN ? AND (i.revoked_at IS NULL OR i.submitted_at IS NOT NULL) AND %s
GROUP BY i.consultation_id`

// RateTotals returns the response rates in all (not by type) of the
// consultations ids within scope, in one query, for lists of
// consultations; a consultation outside scope, or with no invitation, is
// absent from the map. A consultation with fewer submissions than its
// minimum group shows only its invitations, as its summary does.
func (a *Analyzer) RateTotals(ctx context.Context, scope forms.Scope, v Viewer, ids []uint) (map[uint]RateCounts, error) {
	out := map[uint]RateCounts{}
	if len(ids) == 0 {
		return out, nil
	}
	where, args := "1 = 1", []any{true, true, ids}
	if !scope.All {
		where, args = "c.country_iso3 IN ?", append(args, scope.Countries)
	}
	var rows []struct {
		ID                                              uint
		MinCell                                         int
		Anonymity                                       string
		Invited, OpenVisits, Opened, Started, Submitted int
	}
	if err := a.db.WithContext(ctx).Raw(fmt.Sprintf(totalsSQL, where), args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		c := RateCounts{Invited: r.Invited, OpenVisits: r.OpenVisits, Opened: r.Opened, Started: r.Started, Submitted: r.Submitted}
		c.SubmittedPercent = submittedPercent(c)
		if !v.unsuppressed(r.Anonymity) && c.Submitted > 0 && c.Submitted < r.MinCell {
			c = RateCounts{Invited: c.Invited, OpenVisits: c.OpenVisits, Suppressed: true, SuppressedBy: SuppressedSelection}
		}
		out[r.ID] = c
	}
	return out, nil
}
