package exports

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// ResponseRecord is one submitted response with its atomic answers.
type ResponseRecord struct {
	ID              uint
	StakeholderType string
	Language        string
	SubmittedAt     *time.Time
	// Organization, ContactName and Email are filled only when the
	// workbook may identify respondents.
	Organization, ContactName, Email string
	Answers                          []forms.AnswerRow
}

// ResponseCursor yields responses one at a time, in response id order.
type ResponseCursor interface {
	// Next advances to the next response; false at the end or on error.
	Next() bool
	// Record is the current response, valid until the next call to Next.
	Record() *ResponseRecord
	Err() error
	Close() error
}

// noResponses is the cursor of a workbook without a Responses sheet.
type noResponses struct{}

func (noResponses) Next() bool              { return false }
func (noResponses) Record() *ResponseRecord { return nil }
func (noResponses) Err() error              { return nil }
func (noResponses) Close() error            { return nil }

// sqlCursor streams a consultation's submitted responses and their answers
// with one query ordered by response id, reading rows one by one: memory
// holds one response at a time, however large the consultation.
type sqlCursor struct {
	rows    *sql.Rows
	cur     *ResponseRecord
	pending *ResponseRecord // first row of the next response, already read
	done    bool
	err     error
}

// cursorSQL selects each submitted response with its answers (or once,
// with NULL answer fields, when it has none). The identity columns are
// empty strings unless identify is set, so no name leaves the database
// when the workbook may not show it.
const cursorSQL = `
SELECT r.id, r.stakeholder_type, r.language, r.submitted_at,
       CASE WHEN ? THEN COALESCE(s.organization, '') ELSE '' END,
       CASE WHEN ? THEN COALESCE(s.contact_name, '') ELSE '' END,
       CASE WHEN ? THEN COALESCE(s.email, '') ELSE '' END,
       a.question_code, a.row_code, a.option_code, a.number, a.text, a.rank
FROM responses r
LEFT JOIN invitations i ON i.id = r.invitation_id
LEFT JOIN stakeholders s ON s.id = i.stakeholder_id
LEFT JOIN answers a ON a.response_id = r.id
WHERE r.consultation_id = ? AND r.status = ?
ORDER BY r.id, a.id`

// OpenResponses opens a cursor over the submitted responses of a
// consultation. identify adds the organization, contact name and email.
func OpenResponses(ctx context.Context, db *gorm.DB, consultationID uint, identify bool) (ResponseCursor, error) {
	rows, err := db.WithContext(ctx).Raw(cursorSQL, identify, identify, identify, consultationID, forms.ResponseSubmitted).Rows()
	if err != nil {
		return nil, err
	}
	return &sqlCursor{rows: rows}, nil
}

func (c *sqlCursor) Next() bool {
	c.cur = c.pending
	c.pending = nil
	for !c.done {
		if !c.rows.Next() {
			c.done, c.err = true, c.rows.Err()
			break
		}
		rec, ans, err := c.scan()
		if err != nil {
			c.done, c.err = true, err
			break
		}
		if c.cur == nil {
			c.cur = rec
		} else if c.cur.ID != rec.ID {
			c.pending = rec
			if ans != nil {
				rec.Answers = append(rec.Answers, *ans)
			}
			return true
		}
		if ans != nil {
			c.cur.Answers = append(c.cur.Answers, *ans)
		}
	}
	return c.cur != nil && c.err == nil
}

func (c *sqlCursor) scan() (*ResponseRecord, *forms.AnswerRow, error) {
	var (
		rec               ResponseRecord
		submitted         sql.NullTime
		q, row, opt, text sql.NullString
		num               sql.NullFloat64
		rank              sql.NullInt64
	)
	err := c.rows.Scan(&rec.ID, &rec.StakeholderType, &rec.Language, &submitted,
		&rec.Organization, &rec.ContactName, &rec.Email, &q, &row, &opt, &num, &text, &rank)
	if err != nil {
		return nil, nil, err
	}
	if submitted.Valid {
		t := submitted.Time.UTC()
		rec.SubmittedAt = &t
	}
	if !q.Valid {
		return &rec, nil, nil
	}
	a := &forms.AnswerRow{QuestionCode: q.String, RowCode: row.String, OptionCode: opt.String, Text: text.String, Rank: int(rank.Int64)}
	if num.Valid {
		a.Number = &num.Float64
	}
	return &rec, a, nil
}

func (c *sqlCursor) Record() *ResponseRecord { return c.cur }
func (c *sqlCursor) Err() error              { return c.err }
func (c *sqlCursor) Close() error            { return c.rows.Close() }
