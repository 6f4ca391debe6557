package analysis

import (
	"context"
	"fmt"
)

// textsSQL lists at most a given number of text answers per question,
// oldest first: ROW_NUMBER() bounds the rows in the database. %[1]s is the
// organization (only when it may be shown), %[2]s its joins, %[4]s the
// exclusion of suppressed groups.
const textsSQL = `
SELECT v.q, v.rw, v.o, v.txt, v.g, v.org FROM (
  SELECT a.question_code AS q, a.row_code AS rw, a.option_code AS o, a.text AS txt,
         r.stakeholder_type AS g, %[1]s AS org,
         ROW_NUMBER() OVER (PARTITION BY a.question_code ORDER BY a.id) AS rn
  FROM answers a JOIN responses r ON r.id = a.response_id%[2]s
  WHERE %[3]s AND a.question_code IN ? AND a.text <> ''%[4]s
) v
WHERE v.rn <= ?
ORDER BY v.q, v.rn`

const (
	orgColumn = "COALESCE(s.organization, '')"
	orgJoins  = " LEFT JOIN invitations i ON i.id = r.invitation_id LEFT JOIN stakeholders s ON s.id = i.stakeholder_id"
)

// textList is what listTexts found for one question.
type textList struct {
	items []TextAnswer
	more  bool
}

// listTexts lists up to limit texts per question of codes, leaving out
// the stakeholder types in withheld, with the organization when identify
// is set.
func (a *Analyzer) listTexts(ctx context.Context, sel selection, codes []string, limit int, withheld []string, identify bool) (map[string]*textList, error) {
	out := map[string]*textList{}
	if len(codes) == 0 || limit <= 0 {
		return out, nil
	}
	org, joins, exclude := "''", "", ""
	if identify {
		org, joins = orgColumn, orgJoins
	}
	args := withArgs(sel.args, codes)
	if len(withheld) > 0 {
		exclude = " AND r.stakeholder_type NOT IN ?"
		args = append(args, withheld)
	}
	var rows []struct {
		Q, Rw, O, Txt, G, Org string
	}
	q := fmt.Sprintf(textsSQL, org, joins, sel.where, exclude)
	if err := a.db.WithContext(ctx).Raw(q, append(args, limit+1)...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		l := out[r.Q]
		if l == nil {
			l = &textList{}
			out[r.Q] = l
		}
		if len(l.items) == limit {
			l.more = true
			continue
		}
		l.items = append(l.items, TextAnswer{Text: r.Txt, Option: r.O, Row: r.Rw, StakeholderType: r.G, Organization: r.Org})
	}
	return out, nil
}
