package forms

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// Response statuses.
const (
	ResponseDraft     = "draft"
	ResponseSubmitted = "submitted"
)

// Response is one stakeholder's answers to one consultation. The current
// answers are kept whole in Draft (JSON) so that saving a page is one small
// write; submitting also stores them as atomic answer rows for aggregation.
//
// In an anonymous consultation a submitted response is a new row with a
// random id, no invitation, no language, and times to the day only; the
// link finds it again by Locator, which only the link's token gives (see
// submit.go). Its times are therefore set by the store, not by GORM.
type Response struct {
	ID              uint       `gorm:"primaryKey" json:"id"`
	ConsultationID  uint       `json:"consultation_id"`
	QuestionnaireID uint       `json:"questionnaire_id"`
	InvitationID    *uint      `json:"-"`
	Locator         *string    `json:"-"`
	CountryISO3     string     `gorm:"column:country_iso3" json:"country"`
	StakeholderType string     `json:"stakeholder_type"`
	Language        string     `json:"language"`
	Status          string     `json:"status"`
	Section         int        `json:"section"`
	Draft           string     `json:"-"`
	SubmissionID    *string    `json:"-"`
	Receipt         *string    `json:"receipt,omitempty"`
	Pending         bool       `json:"pending_changes"`
	CreatedAt       time.Time  `gorm:"autoCreateTime:false" json:"created_at"`
	UpdatedAt       time.Time  `gorm:"autoUpdateTime:false" json:"updated_at"`
	SubmittedAt     *time.Time `json:"submitted_at,omitempty"`
	// fresh is set on a response not stored yet, whose id may already be
	// chosen (an anonymous consultation's).
	fresh bool
}

// Answers decodes the response's current answers.
func (r *Response) Answers() Answers {
	a := Answers{}
	if r != nil && r.Draft != "" {
		_ = json.Unmarshal([]byte(r.Draft), &a)
	}
	return a
}

// Answer is a stored atomic answer row. ConsultationID and StakeholderType
// (the response's) and RowsGiven (the response's number of rows for the
// question, on each of them) let the analysis read a consultation's
// answers in one range of an index and count respondents, by type, in the
// same GROUP BY as the answers, without joining the responses.
type Answer struct {
	ID              uint `gorm:"primaryKey"`
	ResponseID      uint
	ConsultationID  uint
	QuestionnaireID uint
	QuestionCode    string
	RowCode         string
	OptionCode      string
	Number          *float64
	Text            string
	Rank            int
	RowsGiven       int
	StakeholderType string
	// Entry places an answer to a repeat's question in its entry (see
	// AnswerRow); empty outside repeats.
	Entry string
}

// HiddenQuestion records a question skip logic did not show.
type HiddenQuestion struct {
	ResponseID      uint   `gorm:"primaryKey;autoIncrement:false"`
	QuestionCode    string `gorm:"primaryKey"`
	ConsultationID  uint
	QuestionnaireID uint
	StakeholderType string
}

// Session is what a link leads to: the consultation, its compiled form, the
// invitation and, once something was saved, the response.
type Session struct {
	Consultation *Consultation
	Form         *Form
	Invitation   *Invitation // nil for an open link
	Response     *Response   // nil until the first save
	// OpenLink is set when the token is a consultation's open link: the
	// visitor declares a stakeholder type and gets a link of their own.
	OpenLink bool
	// Unlocked is set once the stakeholder has shown the receipt of a
	// submitted response (Store.Unlock), or right after submitting it: a
	// submitted response is read and changed through its link only then.
	Unlocked bool
	// locator finds the response of an anonymous consultation's link.
	locator string
}

// Language returns the language to show: the response's, else the
// invitation's, else the consultation's first.
func (s *Session) Language() string {
	switch {
	case s.Response != nil && s.Response.Language != "":
		return s.Response.Language
	case s.Invitation != nil && s.Invitation.Language != "":
		return s.Invitation.Language
	}
	if langs := s.Consultation.LanguageList(); len(langs) > 0 {
		return langs[0]
	}
	return s.Form.Definition().DefaultLanguage
}

// Answers returns the answers saved so far.
func (s *Session) Answers() Answers { return s.Response.Answers() }

// Sealed reports whether the response was submitted and the link has not
// shown its receipt: the answers are then neither shown nor changed, so
// that a forwarded or re-issued link opens nothing already submitted.
func (s *Session) Sealed() bool { return s.Submitted() && !s.Unlocked }

// Submitted reports whether the response was submitted.
func (s *Session) Submitted() bool {
	return s.Response != nil && s.Response.Status == ResponseSubmitted
}

// Editable reports whether answers may still change.
func (s *Session) Editable() bool {
	return !s.Submitted() || s.Consultation.EditableAfterSubmit
}

// LinkError tells why a link does not lead to a questionnaire. Its Reason
// is a stable key that pages translate.
type LinkError struct{ Reason string }

func (e *LinkError) Error() string { return "link " + e.Reason }

// Reasons a link is unusable.
var (
	ErrLinkUnknown   = &LinkError{"unknown"}
	ErrLinkRevoked   = &LinkError{"revoked"}
	ErrLinkExpired   = &LinkError{"expired"}
	ErrLinkClosed    = &LinkError{"closed"}
	ErrLinkNotOpen   = &LinkError{"not_yet_open"}
	ErrLinkAnonymous = &LinkError{"submitted_anonymously"}
	ErrLinkLocked    = &LinkError{"submitted_locked"}
	// ErrReceiptRequired refuses to show or change a submitted response
	// until the link shows the receipt given at submission.
	ErrReceiptRequired = &LinkError{"receipt_required"}
)

// ResolveLink finds what a personal or open link leads to. Every failure is
// a *LinkError; a malformed token is simply unknown.
func (s *Store) ResolveLink(ctx context.Context, token string) (*Session, error) {
	if len(token) < 16 || len(token) > 100 {
		return nil, ErrLinkUnknown
	}
	hash := TokenHash(token)
	db := s.db.WithContext(ctx)
	// One query finds the link and its consultation.
	var inv Invitation
	err := db.Joins("Consultation").Where("invitations.token_hash = ?", hash).Take(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s.resolveOpenLink(ctx, hash)
	}
	if err != nil {
		return nil, err
	}
	now := time.Now()
	switch {
	case inv.Consultation == nil:
		return nil, ErrLinkUnknown
	case inv.RevokedAt != nil:
		return nil, ErrLinkRevoked
	case inv.ExpiresAt != nil && !now.Before(*inv.ExpiresAt):
		return nil, ErrLinkExpired
	}
	c := inv.Consultation
	inv.Consultation = nil
	sess, err := s.sessionFor(ctx, c)
	if sess == nil {
		return nil, err
	}
	sess.Invitation = &inv
	anonymous := c.Anonymity == AnonymityAnonymous
	if anonymous {
		sess.locator = Locator(token)
	}
	if err != nil || (inv.StartedAt == nil && !anonymous) {
		// A link never saved from has no response yet.
		return sess, err
	}
	var resp Response
	err = db.Where("invitation_id = ?", inv.ID).Take(&resp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) && anonymous {
		err = db.Where("consultation_id = ? AND locator = ?", c.ID, sess.locator).Take(&resp).Error
		if err == nil && inv.SubmittedAt == nil {
			// The submission's mark on the invitation is written after the
			// response, apart from it (see submit.go); set it if it is
			// missing.
			if err := s.markSubmitted(ctx, sess); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case err == nil:
		sess.Response = &resp
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	case inv.SubmittedAt != nil:
		// Submitted in an anonymous consultation before responses had a
		// locator: the response was unlinked and nothing leads to it.
		return sess, ErrLinkAnonymous
	}
	return sess, nil
}

// Locator is how an anonymous consultation's submitted response is found
// by its link: a hash of the token, as the invitation keeps one, but of
// another kind, so that the database alone cannot join the two.
func Locator(token string) string {
	sum := sha256.Sum256([]byte("agora response locator\x00" + token))
	return hex.EncodeToString(sum[:])
}

func (s *Store) resolveOpenLink(ctx context.Context, hash string) (*Session, error) {
	var c Consultation
	err := s.db.WithContext(ctx).Where("open_link_hash = ?", hash).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrLinkUnknown
	}
	if err != nil {
		return nil, err
	}
	sess, err := s.sessionFor(ctx, &c)
	if sess != nil {
		sess.OpenLink = true
	}
	return sess, err
}

// sessionFor builds the session of a loaded consultation. When the
// consultation does not take answers now, the session comes back with the
// error, so that a page can still say when it opens or closed.
func (s *Store) sessionFor(ctx context.Context, c *Consultation) (*Session, error) {
	f, err := s.Form(ctx, c.QuestionnaireID)
	if err != nil {
		return nil, err
	}
	sess := &Session{Consultation: c, Form: f}
	switch c.State(time.Now()) {
	case ConsultationClosed:
		return sess, ErrLinkClosed
	case ConsultationScheduled:
		return sess, ErrLinkNotOpen
	}
	return sess, nil
}

// StartOpenVisit gives an open-link visitor a personal link of their own,
// with the stakeholder type they declared, and returns its token.
func (s *Store) StartOpenVisit(ctx context.Context, sess *Session, declaredType, lang string) (string, error) {
	ve := &ValidationError{}
	if !slices.Contains(StakeholderTypes, declaredType) {
		ve.Add("/stakeholder_type", "choose the kind of organization you answer for")
	}
	if err := ve.OrNil(); err != nil {
		return "", err
	}
	if !slices.Contains(sess.Consultation.LanguageList(), lang) {
		lang = sess.Language()
	}
	token, err := NewToken()
	if err != nil {
		return "", err
	}
	// The visitor's address is not kept: the limit on open-link visits
	// per address lives in memory.
	inv := &Invitation{
		ConsultationID: sess.Consultation.ID, OpenVisit: true, DeclaredType: declaredType,
		TokenHash: TokenHash(token), Language: lang,
	}
	now := stamp(sess.Consultation, time.Now())
	inv.OpenedAt = &now
	return token, s.db.WithContext(ctx).Create(inv).Error
}

// Unlock opens a submitted response to its link when receipt is the code
// given at submission (spaces, dashes and case aside); it reports whether
// it was.
func (s *Session) Unlock(receipt string) bool {
	if s.Response == nil || s.Response.Receipt == nil {
		return false
	}
	norm := func(v string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r == '-' || unicode.IsSpace(r):
				return -1
			}
			return unicode.ToUpper(r)
		}, v)
	}
	if subtle.ConstantTimeCompare([]byte(norm(receipt)), []byte(norm(*s.Response.Receipt))) == 1 {
		s.Unlocked = true
	}
	return s.Unlocked
}

// MarkOpened records the first time a link was opened.
func (s *Store) MarkOpened(ctx context.Context, sess *Session) error {
	if sess.Invitation == nil || sess.Invitation.OpenedAt != nil {
		return nil
	}
	now := stamp(sess.Consultation, time.Now())
	sess.Invitation.OpenedAt = &now
	return touchInvitation(s.db.WithContext(ctx), sess, now, "opened_at")
}

// SetLanguage remembers the language the stakeholder chose.
func (s *Store) SetLanguage(ctx context.Context, sess *Session, lang string) error {
	if sess.Invitation == nil || !slices.Contains(Languages, lang) || sess.Language() == lang {
		return nil
	}
	sess.Invitation.Language = lang
	db := s.db.WithContext(ctx)
	q := db.Model(&Invitation{}).Where("id = ?", sess.Invitation.ID)
	value := any(lang)
	if sess.locator != "" {
		// As touchInvitation: no invitation's row moves alone.
		q = db.Model(&Invitation{}).Where("consultation_id = ?", sess.Consultation.ID)
		value = gorm.Expr("CASE WHEN id = ? THEN ? ELSE language END", sess.Invitation.ID, lang)
	}
	if err := q.Update("language", value).Error; err != nil {
		return err
	}
	if sess.Response != nil && sess.Response.InvitationID != nil {
		// An anonymous consultation's response keeps no language: it
		// would tell which invitation it came from.
		sess.Response.Language = lang
		return db.Model(&Response{}).Where("id = ?", sess.Response.ID).Update("language", lang).Error
	}
	return nil
}
