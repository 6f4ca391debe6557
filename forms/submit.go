package forms

import (
	"context"
	"crypto/rand"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxSubmissionIDLength bounds client-chosen submission ids.
const MaxSubmissionIDLength = 100

// Receipt confirms a submission.
type Receipt struct {
	ResponseID  uint      `json:"-"`
	Code        string    `json:"receipt"`
	SubmittedAt time.Time `json:"submitted_at"`
	// Replayed is set when the submission had been received before: the
	// answer of a retried request, with nothing written twice.
	Replayed bool `json:"replayed"`
}

// SaveDraft replaces the draft answers with a, if they are valid as a draft
// (of the right types; required answers may still be missing). Invalid
// answers change nothing and return a *ValidationError.
func (s *Store) SaveDraft(ctx context.Context, sess *Session, a Answers, section int) (Answers, error) {
	if err := editable(sess); err != nil {
		return nil, err
	}
	clean, ve := sess.Form.Check(a, false)
	if ve != nil {
		return nil, ve
	}
	return clean, s.writeDraft(ctx, sess, clean, section)
}

// SaveSection saves the answers posted from one page: they replace that
// section's answers in the draft, and everything valid is kept even when some
// answers are not, so that a stakeholder loses nothing they typed correctly.
// The problems found in the merged answers are returned alongside.
func (s *Store) SaveSection(ctx context.Context, sess *Session, section int, posted Answers, next int) (Answers, *ValidationError, error) {
	if err := editable(sess); err != nil {
		return nil, nil, err
	}
	def := sess.Form.Definition()
	merged := sess.Answers()
	if section >= 0 && section < len(def.Sections) {
		for _, q := range def.Sections[section].Questions {
			delete(merged, q.Code)
			delete(merged, q.Code+OtherSuffix)
		}
	}
	for k, v := range posted {
		merged[k] = v
	}
	clean, ve := sess.Form.Check(merged, false)
	return clean, ve, s.writeDraft(ctx, sess, clean, next)
}

// editable refuses changes to a response that may no longer change, and
// to a submitted one whose receipt the link has not shown.
func editable(sess *Session) error {
	switch {
	case !sess.Editable():
		return ErrLinkLocked
	case sess.Sealed():
		return ErrReceiptRequired
	}
	return nil
}

// writeDraft stores the draft, creating the response on the first save.
func (s *Store) writeDraft(ctx context.Context, sess *Session, clean Answers, section int) error {
	body, err := json.Marshal(clean)
	if err != nil {
		return err
	}
	return s.withRetry(ctx, func(tx *gorm.DB, retry bool) error {
		resp, err := s.lockResponse(tx, sess, retry)
		if err != nil {
			return err
		}
		resp.Draft, resp.Section = string(body), section
		resp.Pending = resp.Status == ResponseSubmitted
		if resp.InvitationID == nil {
			resp.Section = 0 // an anonymous response keeps nothing of its path
		}
		resp.UpdatedAt = stamp(sess.Consultation, time.Now())
		if err := saveResponse(tx, resp); err != nil {
			return err
		}
		sess.Response = resp
		return markStarted(tx, sess)
	})
}

// Submit records the final answers: a (or, when a is nil, the saved draft)
// must pass every check. The response and all its answer rows are written in
// one transaction. A repeated submission id — a double click, a retried
// request — returns the first receipt and writes nothing.
func (s *Store) Submit(ctx context.Context, sess *Session, submissionID string, a Answers) (*Receipt, error) {
	if len(submissionID) > MaxSubmissionIDLength {
		ve := &ValidationError{}
		ve.Add("/submission_id", "must be at most %d characters", MaxSubmissionIDLength)
		return nil, ve
	}
	key := submissionKey(sess, submissionID)
	if err := editable(sess); err != nil {
		if r, rerr := s.replay(ctx, key); r != nil || rerr != nil {
			return r, rerr
		}
		return nil, err
	}
	if a == nil {
		a = sess.Answers()
	}
	clean, ve := sess.Form.Check(a, true)
	if ve != nil {
		return nil, ve
	}
	var receipt *Receipt
	err := s.withRetry(ctx, func(tx *gorm.DB, retry bool) error {
		// A concurrent request with the same submission id may have won the
		// race to create the response: its receipt is the answer.
		if retry && key != "" {
			r, err := s.replayTx(tx, key)
			if r != nil || err != nil {
				receipt = r
				return err
			}
		}
		var err error
		receipt, err = s.submitTx(tx, sess, key, clean, retry)
		return err
	})
	if err != nil {
		return nil, err
	}
	sess.Unlocked = true
	if sess.locator != "" && !receipt.Replayed {
		// Apart from the response, so that nothing written together ties
		// them. Should it fail, the submission stands all the same, and
		// the next visit of the link sets the mark (ResolveLink).
		_ = s.markSubmitted(ctx, sess)
	}
	return receipt, nil
}

func (s *Store) submitTx(tx *gorm.DB, sess *Session, submissionID string, clean Answers, retry bool) (*Receipt, error) {
	resp, err := s.lockResponse(tx, sess, retry)
	if err != nil {
		return nil, err
	}
	if submissionID != "" && resp.SubmissionID != nil && *resp.SubmissionID == submissionID && resp.Receipt != nil && resp.SubmittedAt != nil {
		// Received before: answer with the first receipt, write nothing.
		return &Receipt{ResponseID: resp.ID, Code: *resp.Receipt, SubmittedAt: *resp.SubmittedAt, Replayed: true}, nil
	}
	if resp.ID != 0 {
		if err := tx.Where("response_id = ?", resp.ID).Delete(&Answer{}).Error; err != nil {
			return nil, err
		}
		if err := tx.Where("response_id = ?", resp.ID).Delete(&HiddenQuestion{}).Error; err != nil {
			return nil, err
		}
	}
	body, err := json.Marshal(clean)
	if err != nil {
		return nil, err
	}
	now := stamp(sess.Consultation, time.Now())
	resp.Draft, resp.Status, resp.Pending = string(body), ResponseSubmitted, false
	if submissionID != "" {
		resp.SubmissionID = &submissionID
	}
	if resp.Receipt == nil {
		code := newReceiptCode()
		resp.Receipt = &code
	}
	if resp.SubmittedAt == nil {
		resp.SubmittedAt = &now
	}
	resp.UpdatedAt = now
	switch {
	case sess.locator != "" && resp.InvitationID != nil:
		// A draft saved before responses of anonymous consultations had a
		// locator.
		if resp, err = s.unlink(tx, sess, resp); err != nil {
			return nil, err
		}
	default:
		if err := saveResponse(tx, resp); err != nil {
			return nil, err
		}
	}
	if err := s.storeAnswers(tx, sess.Form, resp, clean); err != nil {
		return nil, err
	}
	if inv := sess.Invitation; sess.locator == "" && inv != nil && (inv.StartedAt == nil || inv.SubmittedAt == nil) {
		if err := touchInvitation(tx, sess, now, "started_at", "submitted_at"); err != nil {
			return nil, err
		}
	}
	sess.Response = resp
	return &Receipt{ResponseID: resp.ID, Code: *resp.Receipt, SubmittedAt: *resp.SubmittedAt}, nil
}

// saveResponse writes a response: a new one (with an id chosen already,
// for an anonymous consultation's, or none) is created, a stored one
// updated.
func saveResponse(tx *gorm.DB, resp *Response) error {
	if resp.fresh {
		if err := tx.Create(resp).Error; err != nil {
			return err
		}
		resp.fresh = false
		return nil
	}
	return tx.Save(resp).Error
}

// unlink writes an anonymous consultation's response as a row of its own
// at its first submission, and deletes the draft that was tied to the
// invitation (see anonymous.go).
func (s *Store) unlink(tx *gorm.DB, sess *Session, draft *Response) (*Response, error) {
	if draft.ID != 0 {
		if err := tx.Delete(&Response{}, draft.ID).Error; err != nil {
			return nil, err
		}
	}
	resp := *draft
	locator := sess.locator
	resp.ID, resp.InvitationID, resp.Locator = anonymousID(), nil, &locator
	resp.Language, resp.Section = "", 0
	resp.CreatedAt = *resp.SubmittedAt
	if err := tx.Create(&resp).Error; err != nil {
		return nil, err
	}
	return &resp, nil
}

// storeAnswers writes the atomic answer rows and the hidden questions, each
// with the response's consultation and stakeholder type, and every answer
// row with the number of rows of its question, which the analysis counts
// respondents by.
func (s *Store) storeAnswers(tx *gorm.DB, f *Form, resp *Response, clean Answers) error {
	flat := f.Flatten(clean)
	given := make(map[string]int, len(flat))
	for _, r := range flat {
		given[r.QuestionCode]++
	}
	rows := make([]Answer, len(flat))
	for i, r := range flat {
		rows[i] = Answer{ResponseID: resp.ID, ConsultationID: resp.ConsultationID, QuestionnaireID: resp.QuestionnaireID,
			QuestionCode: r.QuestionCode, RowCode: r.RowCode, OptionCode: r.OptionCode, Number: r.Number, Text: r.Text,
			Rank: r.Rank, RowsGiven: given[r.QuestionCode], StakeholderType: resp.StakeholderType, Entry: r.Entry}
	}
	if err := createAll(tx, rows); err != nil {
		return err
	}
	var hidden []HiddenQuestion
	for code, shown := range f.Visible(clean) {
		if !shown {
			hidden = append(hidden, HiddenQuestion{ResponseID: resp.ID, QuestionCode: code,
				ConsultationID: resp.ConsultationID, QuestionnaireID: resp.QuestionnaireID, StakeholderType: resp.StakeholderType})
		}
	}
	return createAll(tx, hidden)
}

// replay finds an earlier submission with the same id.
func (s *Store) replay(ctx context.Context, submissionID string) (*Receipt, error) {
	if submissionID == "" {
		return nil, nil
	}
	return s.replayTx(s.db.WithContext(ctx), submissionID)
}

func (s *Store) replayTx(tx *gorm.DB, submissionID string) (*Receipt, error) {
	var resp Response
	err := tx.Where("submission_id = ?", submissionID).Take(&resp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil || resp.Receipt == nil || resp.SubmittedAt == nil {
		return nil, err
	}
	return &Receipt{ResponseID: resp.ID, Code: *resp.Receipt, SubmittedAt: *resp.SubmittedAt, Replayed: true}, nil
}

// lockResponse loads the session's response for update, or prepares a new
// one. On PostgreSQL the row lock serializes concurrent saves of the same
// response; SQLite's immediate transactions already do. retry is set when a
// concurrent request may have created the response since the link was
// resolved.
func (s *Store) lockResponse(tx *gorm.DB, sess *Session, retry bool) (*Response, error) {
	var resp Response
	if sess.Response != nil && sess.Response.ID != 0 {
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&resp, sess.Response.ID).Error
		return &resp, err
	}
	// No response when the link was resolved: make one. Should a concurrent
	// request have made it meanwhile, the unique invitation_id (or, in an
	// anonymous consultation, locator) refuses this one and withRetry
	// starts over, finding it.
	if sess.Invitation != nil && (sess.Invitation.StartedAt != nil || retry) {
		q := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("invitation_id = ?", sess.Invitation.ID)
		if sess.locator != "" {
			q = tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("consultation_id = ? AND locator = ?", sess.Consultation.ID, sess.locator)
		}
		err := q.Take(&resp).Error
		if err == nil {
			sess.Response = &resp
			return &resp, nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, err
		}
	}
	return s.newResponse(tx, sess)
}

// newResponse prepares the response of a session's first save, with the
// stakeholder type and country kept on it for aggregation.
func (s *Store) newResponse(tx *gorm.DB, sess *Session) (*Response, error) {
	now := stamp(sess.Consultation, time.Now())
	resp := &Response{
		ConsultationID: sess.Consultation.ID, QuestionnaireID: sess.Consultation.QuestionnaireID,
		CountryISO3: sess.Consultation.CountryISO3, Language: sess.Language(), Status: ResponseDraft,
		StakeholderType: StakeholderOther, CreatedAt: now, UpdatedAt: now, fresh: true,
	}
	inv := sess.Invitation
	if inv == nil {
		return nil, ErrLinkUnknown
	}
	resp.InvitationID = &inv.ID
	if sess.locator != "" {
		// Anonymous: never tied to the invitation, from the first save on
		// (anonymous.go).
		locator := sess.locator
		resp.ID, resp.InvitationID, resp.Locator, resp.Language = anonymousID(), nil, &locator, ""
	}
	switch {
	case inv.OpenVisit:
		resp.StakeholderType = inv.DeclaredType
	case inv.StakeholderID != nil:
		var t string
		if err := tx.Model(&Stakeholder{}).Where("id = ?", *inv.StakeholderID).Pluck("type", &t).Error; err != nil {
			return nil, err
		}
		if t != "" {
			resp.StakeholderType = t
		}
	}
	return resp, nil
}

func markStarted(tx *gorm.DB, sess *Session) error {
	inv := sess.Invitation
	if inv == nil || inv.StartedAt != nil {
		return nil
	}
	now := stamp(sess.Consultation, time.Now())
	inv.StartedAt = &now
	return touchInvitation(tx, sess, now, "started_at")
}

// withRetry runs fn in a transaction, retrying when a concurrent writer
// created the same response or submission first (the retry then finds
// it), or when the connection turned out broken before the database did
// anything (driver.ErrBadConn, which a driver returns only then): the
// transaction was rolled back, so running it again on another connection
// writes the answers once.
func (s *Store) withRetry(ctx context.Context, fn func(tx *gorm.DB, retry bool) error) error {
	var err error
	for attempt := range 3 {
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(tx, attempt > 0) })
		if !errors.Is(err, gorm.ErrDuplicatedKey) && !(errors.Is(err, driver.ErrBadConn) && ctx.Err() == nil) {
			return err
		}
	}
	return err
}

// receiptAlphabet leaves out letters and digits that read alike (0/O, 1/I).
const receiptAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newReceiptCode returns a code such as "K7QD-3MPX-2AHT": 60 random bits.
func newReceiptCode() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(receiptAlphabet[int(c)%len(receiptAlphabet)])
	}
	return sb.String()
}
