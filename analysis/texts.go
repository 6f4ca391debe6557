package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// textArmSQL lists texts of one question in an order unrelated to who
// wrote them or when: the answers' ids (which follow the submissions)
// scattered modulo the prime 2^31-1 by a step of the golden ratio of it,
// so that answers written one after the other land far apart; ties by
// text. listTexts joins one arm per question with UNION ALL (the form
// SQLite and PostgreSQL both accept for a LIMIT in each part). %[1]s is
// the organization (only when it may be shown), %[2]s its joins.
const textArmSQL = `
SELECT * FROM (
  SELECT ((a.id %% 2147483647) * 1327217885) %% 2147483647 AS k, a.question_code AS q, a.row_code AS rw, a.option_code AS o, a.text AS txt,
         r.stakeholder_type AS g, %[1]s AS org
  FROM answers a JOIN responses r ON r.id = a.response_id%[2]s
  WHERE a.consultation_id IN ? AND a.question_code = ? AND %[3]s AND a.text <> ''
  ORDER BY k, a.text
  LIMIT ?
) t`

const (
	orgColumn = "COALESCE(s.organization, '')"
	orgJoins  = " LEFT JOIN invitations i ON i.id = r.invitation_id LEFT JOIN stakeholders s ON s.id = i.stakeholder_id"
)

// maxTextArms bounds the questions of one texts query: SQLite takes at
// most 500 parts in a UNION ALL.
const maxTextArms = 100

// textRow is one row of the texts query.
type textRow struct {
	Q, Rw, O, Txt, G, Org string
}

// textList is what listTexts found for one question.
type textList struct {
	items []TextAnswer
	more  bool
}

// listTexts lists up to limit texts per question of codes, with the
// organization when identify is set.
func (a *Analyzer) listTexts(ctx context.Context, sel selection, codes []string, limit int, identify bool) (map[string]*textList, error) {
	out := map[string]*textList{}
	if len(codes) == 0 || limit <= 0 {
		return out, nil
	}
	org, joins := "''", ""
	if identify {
		org, joins = orgColumn, orgJoins
	}
	arm := fmt.Sprintf(textArmSQL, org, joins, sel.where)
	var rows []textRow
	for chunk := range slices.Chunk(codes, maxTextArms) {
		arms := make([]string, len(chunk))
		var args []any
		for i, code := range chunk {
			arms[i] = arm
			args = append(args, sel.consultations, code)
			args = append(args, sel.args...)
			args = append(args, limit+1)
		}
		q := "SELECT u.q, u.rw, u.o, u.txt, u.g, u.org FROM (" + strings.Join(arms, "\nUNION ALL") + "\n) u ORDER BY u.q, u.k, u.txt"
		var part []textRow
		if err := a.db.WithContext(ctx).Raw(q, args...).Scan(&part).Error; err != nil {
			return nil, err
		}
		rows = append(rows, part...)
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
