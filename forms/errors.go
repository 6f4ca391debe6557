package forms

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError is one problem with one part of an input, located by a JSON
// pointer (RFC 6901) such as "/sections/0/questions/2/options".
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// ValidationError reports every problem found in an input at once.
type ValidationError struct {
	Message string
	Fields  []FieldError
}

func (e *ValidationError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "validation failed"
	}
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Path+": "+f.Message)
	}
	if len(parts) == 0 {
		return msg
	}
	return msg + ": " + strings.Join(parts, "; ")
}

// Add records one problem at path.
func (e *ValidationError) Add(path, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// OrNil returns e when it holds at least one problem, and nil otherwise, so
// that a validator can always build a ValidationError and return this.
func (e *ValidationError) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Domain errors that callers map to their own protocol (HTTP status codes
// live in the api package, not here).
var (
	// ErrNotFound is returned when a record does not exist or is outside the
	// caller's scope: the two are deliberately indistinguishable.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a change clashes with the record's state,
	// such as editing a published questionnaire.
	ErrConflict = errors.New("conflict")
	// ErrForbidden is returned when the caller may see a record but not
	// change it.
	ErrForbidden = errors.New("forbidden")
)

// ConflictError explains an ErrConflict.
type ConflictError struct{ Reason string }

func (e *ConflictError) Error() string { return e.Reason }

// Unwrap makes errors.Is(err, ErrConflict) hold.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// pointer escapes one JSON-pointer reference token.
func pointer(token string) string {
	token = strings.ReplaceAll(token, "~", "~0")
	return strings.ReplaceAll(token, "/", "~1")
}
