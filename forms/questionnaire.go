package forms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Questionnaire statuses. A published version never changes again.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
)

// Questionnaire is one stored version of a questionnaire definition.
type Questionnaire struct {
	ID              uint       `gorm:"primaryKey" json:"id"`
	Code            string     `json:"code"`
	Version         int        `json:"version"`
	Kind            string     `json:"kind"`
	Status          string     `json:"status"`
	Title           string     `json:"title"`
	DefaultLanguage string     `json:"default_language"`
	Languages       string     `json:"-"`
	Definition      string     `json:"-"`
	CreatedBy       *uint      `json:"-"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	PublishedAt     *time.Time `json:"published_at,omitempty"`
}

// LanguageList returns the questionnaire's languages.
func (q *Questionnaire) LanguageList() []string {
	if q.Languages == "" {
		return nil
	}
	return strings.Split(q.Languages, ",")
}

// Decode returns the stored definition, with its version filled in.
func (q *Questionnaire) Decode() (*Definition, error) {
	var d Definition
	if err := json.Unmarshal([]byte(q.Definition), &d); err != nil {
		return nil, fmt.Errorf("questionnaire %d: stored definition: %w", q.ID, err)
	}
	d.Version = q.Version
	return &d, nil
}

// QuestionnaireFilter narrows a questionnaire listing.
type QuestionnaireFilter struct {
	Code   string
	Status string
	// Definitions includes each version's definition, which lists leave
	// out unless asked.
	Definitions bool
}

// CreateQuestionnaire validates def and stores it as a draft. A new code
// starts at version 1; an existing code gets the next version, provided its
// latest version is published — an open draft is edited with
// UpdateQuestionnaire instead, so drafts never pile up unseen.
func (s *Store) CreateQuestionnaire(ctx context.Context, def *Definition, by *uint) (*Questionnaire, error) {
	if _, err := s.compile(ctx, def); err != nil {
		return nil, err
	}
	var q *Questionnaire
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var latest Questionnaire
		err := tx.Where("code = ?", def.Code).Order("version DESC").Limit(1).Take(&latest).Error
		version := 1
		switch {
		case err == nil && latest.Status == StatusDraft:
			return &ConflictError{Reason: fmt.Sprintf(
				"questionnaire %q already has a draft (version %d, id %d): change that draft, or publish it first",
				def.Code, latest.Version, latest.ID)}
		case err == nil:
			version = latest.Version + 1
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		var err2 error
		q, err2 = newQuestionnaire(def, version, by)
		if err2 != nil {
			return err2
		}
		return tx.Create(q).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, &ConflictError{Reason: fmt.Sprintf("questionnaire %q was changed at the same time; try again", def.Code)}
	}
	return q, err
}

// UpdateQuestionnaire replaces the definition of a draft. A published version
// is immutable (ErrConflict); the code cannot change, since versions are
// grouped by it.
func (s *Store) UpdateQuestionnaire(ctx context.Context, id uint, def *Definition) (*Questionnaire, error) {
	if _, err := s.compile(ctx, def); err != nil {
		return nil, err
	}
	var q Questionnaire
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&q, id).Error; err != nil {
			return notFound(err)
		}
		if q.Status != StatusDraft {
			return &ConflictError{Reason: fmt.Sprintf(
				"version %d of %q is published and cannot change: post the definition to create version %d",
				q.Version, q.Code, q.Version+1)}
		}
		if def.Code != q.Code {
			ve := &ValidationError{Message: "the code of a questionnaire cannot change"}
			ve.Add("/code", "must stay %q (post a new questionnaire to use another code)", q.Code)
			return ve
		}
		next, err := newQuestionnaire(def, q.Version, q.CreatedBy)
		if err != nil {
			return err
		}
		next.ID, next.CreatedAt = q.ID, q.CreatedAt
		q = *next
		return tx.Save(&q).Error
	})
	if err != nil {
		return nil, err
	}
	return &q, nil
}

// PublishQuestionnaire freezes a draft: from now on it can be deployed and
// answered, and its questions are also stored as rows for aggregation.
func (s *Store) PublishQuestionnaire(ctx context.Context, id uint) (*Questionnaire, error) {
	var q Questionnaire
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&q, id).Error; err != nil {
			return notFound(err)
		}
		if q.Status != StatusDraft {
			return &ConflictError{Reason: fmt.Sprintf("version %d of %q is already published", q.Version, q.Code)}
		}
		def, err := q.Decode()
		if err != nil {
			return err
		}
		// Validate again: the taxonomy may have changed since the draft was saved.
		if _, err := s.compile(ctx, def); err != nil {
			return err
		}
		now := time.Now().UTC()
		res := tx.Model(&Questionnaire{}).Where("id = ? AND status = ?", id, StatusDraft).
			Updates(map[string]any{"status": StatusPublished, "published_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return &ConflictError{Reason: "the questionnaire was published at the same time"}
		}
		q.Status, q.PublishedAt, q.UpdatedAt = StatusPublished, &now, now
		return storeQuestions(tx, q.ID, def)
	})
	if err != nil {
		return nil, err
	}
	return &q, nil
}

// Questionnaire returns one stored version.
func (s *Store) Questionnaire(ctx context.Context, id uint) (*Questionnaire, error) {
	var q Questionnaire
	if err := s.db.WithContext(ctx).Take(&q, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &q, nil
}

// Questionnaires lists stored versions, newest code versions first.
func (s *Store) Questionnaires(ctx context.Context, f QuestionnaireFilter) ([]Questionnaire, error) {
	qs := []Questionnaire{}
	tx := s.db.WithContext(ctx).Order("code, version DESC")
	if !f.Definitions {
		tx = tx.Omit("definition")
	}
	if f.Code != "" {
		tx = tx.Where("code = ?", f.Code)
	}
	if f.Status != "" {
		tx = tx.Where("status = ?", f.Status)
	}
	return qs, tx.Find(&qs).Error
}

// Form returns the compiled form of a published version, ready to check
// answers. Published versions never change, so they are compiled once.
func (s *Store) Form(ctx context.Context, id uint) (*Form, error) {
	s.mu.RLock()
	f := s.forms[id]
	s.mu.RUnlock()
	if f != nil {
		return f, nil
	}
	q, err := s.Questionnaire(ctx, id)
	if err != nil {
		return nil, err
	}
	if q.Status != StatusPublished {
		return nil, &ConflictError{Reason: fmt.Sprintf("version %d of %q is a draft: publish it first", q.Version, q.Code)}
	}
	def, err := q.Decode()
	if err != nil {
		return nil, err
	}
	f, err = s.compile(ctx, def)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.forms[id] = f
	s.mu.Unlock()
	return f, nil
}

func (s *Store) compile(ctx context.Context, def *Definition) (*Form, error) {
	known, err := s.ThemeKnown(ctx)
	if err != nil {
		return nil, err
	}
	return Compile(def, known)
}

func newQuestionnaire(def *Definition, version int, by *uint) (*Questionnaire, error) {
	def.Version = version
	body, err := json.Marshal(def)
	if err != nil {
		return nil, err
	}
	return &Questionnaire{
		Code:            def.Code,
		Version:         version,
		Kind:            def.Kind,
		Status:          StatusDraft,
		Title:           def.Title.In(def.DefaultLanguage, def.DefaultLanguage),
		DefaultLanguage: def.DefaultLanguage,
		Languages:       strings.Join(def.Languages, ","),
		Definition:      string(body),
		CreatedBy:       by,
	}, nil
}
