package analysis

import "context"

// ratesSQL follows a consultation's invitations by stakeholder type: the
// registry's type for personal links, the declared type for open-link
// visits. The stages are a funnel: a link used without being opened in a
// browser (through the API) still counts as opened once it was started.
// An invitation revoked before it was submitted is left out: it was
// withdrawn (a wrong address, a duplicate), not ignored. The registry's
// type is looked up by key for each invitation: a join would make
// PostgreSQL hash the whole registry of every country.
const ratesSQL = `
SELECT v.g,
       SUM(CASE WHEN v.open_visit = ? THEN 0 ELSE 1 END) AS invited,
       SUM(CASE WHEN v.open_visit = ? THEN 1 ELSE 0 END) AS open_visits,
       COUNT(COALESCE(v.opened_at, v.started_at, v.submitted_at)) AS opened,
       COUNT(COALESCE(v.started_at, v.submitted_at)) AS started, COUNT(v.submitted_at) AS submitted
FROM (
  SELECT COALESCE((SELECT s.type FROM stakeholders s WHERE s.id = i.stakeholder_id), i.declared_type) AS g,
         i.open_visit, i.opened_at, i.started_at, i.submitted_at
  FROM invitations i
  WHERE i.consultation_id = ? AND (i.revoked_at IS NULL OR i.submitted_at IS NOT NULL)
) v
GROUP BY v.g`

// responseRates counts a consultation's invitations at each stage, in all
// and by stakeholder type. The summary then withholds, with
// ResponseRates.suppress, the types its breakdown withholds.
func (a *Analyzer) responseRates(ctx context.Context, consultationID uint) (ResponseRates, error) {
	var rows []struct {
		G                                               string
		Invited, OpenVisits, Opened, Started, Submitted int
	}
	err := a.db.WithContext(ctx).Raw(ratesSQL, true, true, consultationID).Scan(&rows).Error
	rr := ResponseRates{ByType: map[string]RateCounts{}}
	if err != nil {
		return rr, err
	}
	for _, r := range rows {
		c := RateCounts{Invited: r.Invited, OpenVisits: r.OpenVisits, Opened: r.Opened, Started: r.Started, Submitted: r.Submitted}
		c.SubmittedPercent = submittedPercent(c)
		rr.ByType[r.G] = c
		rr.Invited += c.Invited
		rr.OpenVisits += c.OpenVisits
		rr.Opened += c.Opened
		rr.Started += c.Started
		rr.Submitted += c.Submitted
	}
	rr.SubmittedPercent = submittedPercent(rr.RateCounts)
	return rr, nil
}

func submittedPercent(c RateCounts) *float64 {
	if c.Invited+c.OpenVisits == 0 {
		return nil
	}
	p := percent(c.Submitted, c.Invited+c.OpenVisits)
	return &p
}

// suppress withholds the counts of the stakeholder types d withholds, and
// when the whole consultation is too small to be shown, the overall
// figures past the invitations: otherwise the rates would say how many of
// a suppressed group answered, which the breakdown does not.
func (rr *ResponseRates) suppress(d disclosure) {
	for g, c := range rr.ByType {
		if why := d.reason(g); why != "" && c.Submitted+c.Started+c.Opened > 0 {
			rr.ByType[g] = RateCounts{Suppressed: true, SuppressedBy: why}
		}
	}
	if d.all && rr.Submitted > 0 {
		rr.RateCounts = RateCounts{Invited: rr.Invited, OpenVisits: rr.OpenVisits, Suppressed: true, SuppressedBy: SuppressedSelection}
	}
}
