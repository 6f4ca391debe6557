package forms

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

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
type Response struct {
	ID              uint       `gorm:"primaryKey" json:"id"`
	ConsultationID  uint       `json:"consultation_id"`
	QuestionnaireID uint       `json:"questionnaire_id"`
	InvitationID    *uint      `json:"-"`
	CountryISO3     string     `gorm:"column:country_iso3" json:"country"`
	StakeholderType string     `json:"stakeholder_type"`
	Language        string     `json:"language"`
	Status          string     `json:"status"`
	Section         int        `json:"section"`
	Draft           string     `json:"-"`
	SubmissionID    *string    `json:"-"`
	Receipt         *string    `json:"receipt,omitempty"`
	Pending         bool       `json:"pending_changes"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	SubmittedAt     *time.Time `json:"submitted_at,omitempty"`
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
	if err != nil || inv.StartedAt == nil {
		// A link never saved from has no response yet.
		return sess, err
	}
	var resp Response
	err = db.Where("invitation_id = ?", inv.ID).Take(&resp).Error
	switch {
	case err == nil:
		sess.Response = &resp
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	case inv.SubmittedAt != nil:
		// Submitted in an anonymous consultation: the response was unlinked.
		return sess, ErrLinkAnonymous
	}
	return sess, nil
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
func (s *Store) StartOpenVisit(ctx context.Context, sess *Session, declaredType, lang, ip string) (string, error) {
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
	inv := &Invitation{
		ConsultationID: sess.Consultation.ID, OpenVisit: true, DeclaredType: declaredType,
		TokenHash: TokenHash(token), Language: lang, VisitorIP: &ip,
	}
	now := time.Now().UTC()
	inv.OpenedAt = &now
	return token, s.db.WithContext(ctx).Create(inv).Error
}

// MarkOpened records the first time a link was opened.
func (s *Store) MarkOpened(ctx context.Context, sess *Session) error {
	if sess.Invitation == nil || sess.Invitation.OpenedAt != nil {
		return nil
	}
	now := time.Now().UTC()
	sess.Invitation.OpenedAt = &now
	return s.db.WithContext(ctx).Model(&Invitation{}).
		Where("id = ? AND opened_at IS NULL", sess.Invitation.ID).Update("opened_at", now).Error
}

// SetLanguage remembers the language the stakeholder chose.
func (s *Store) SetLanguage(ctx context.Context, sess *Session, lang string) error {
	if sess.Invitation == nil || !slices.Contains(Languages, lang) || sess.Language() == lang {
		return nil
	}
	sess.Invitation.Language = lang
	db := s.db.WithContext(ctx)
	if err := db.Model(&Invitation{}).Where("id = ?", sess.Invitation.ID).Update("language", lang).Error; err != nil {
		return err
	}
	if sess.Response != nil {
		sess.Response.Language = lang
		return db.Model(&Response{}).Where("id = ?", sess.Response.ID).Update("language", lang).Error
	}
	return nil
}
