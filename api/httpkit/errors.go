package httpkit

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/database"
)

// Error is the body of every failed API call:
// {"error":{"code":"validation_failed","message":"...","fields":[...]}}.
type Error struct {
	Status  int                `json:"-"`
	Code    string             `json:"code"`
	Message string             `json:"message"`
	Fields  []forms.FieldError `json:"fields,omitempty"`
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Errors handlers return for conditions of the HTTP layer itself.
var (
	ErrUnauthenticated = &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: "sign in or send an API token: Authorization: Bearer <token>"}
	ErrForbidden       = &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "your role does not allow this"}
	ErrNotFound        = &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such record"}
	ErrTooLarge        = &Error{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large", Message: "the request body is too large"}
	ErrRateLimited     = &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "too many requests: wait a moment and try again"}
	ErrUnavailable     = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "the database cannot be reached just now: try again in a few seconds"}
)

// RetryAfterSeconds is the Retry-After sent with ErrUnavailable.
const RetryAfterSeconds = "5"

// BadRequest is a 400 whose message says what is wrong with the request.
func BadRequest(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: fmt.Sprintf(format, args...)}
}

// ToError maps a domain error to its HTTP form. Anything unknown is an
// internal error: logged in full, shown without detail.
func ToError(err error) *Error {
	var (
		apiErr *Error
		ve     *forms.ValidationError
		ce     *forms.ConflictError
		tooBig *http.MaxBytesError
		linkEr *forms.LinkError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &linkEr):
		return linkError(linkEr)
	case errors.As(err, &ve):
		msg := ve.Message
		if msg == "" {
			msg = fmt.Sprintf("%d problem(s) found", len(ve.Fields))
		}
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: msg, Fields: ve.Fields}
	case errors.As(err, &ce):
		return &Error{Status: http.StatusConflict, Code: "conflict", Message: ce.Reason}
	case errors.As(err, &tooBig):
		return ErrTooLarge
	case errors.Is(err, forms.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, forms.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: "conflict", Message: err.Error()}
	case errors.Is(err, forms.ErrForbidden):
		return ErrForbidden
	case errors.Is(err, accounts.ErrUnauthenticated):
		return ErrUnauthenticated
	case database.IsUnavailable(err):
		// A database that is down or overloaded is not a bug: the client
		// may retry, and an idempotent submission is safe to retry.
		return ErrUnavailable
	}
	return nil
}

// linkError answers a link that does not lead to a questionnaire.
func linkError(e *forms.LinkError) *Error {
	switch e {
	case forms.ErrLinkUnknown:
		return &Error{Status: http.StatusNotFound, Code: "link_unknown", Message: "this link is not valid: check that it was copied whole"}
	case forms.ErrLinkRevoked, forms.ErrLinkExpired, forms.ErrLinkClosed:
		return &Error{Status: http.StatusGone, Code: "link_" + e.Reason, Message: "this link no longer takes answers (" + e.Reason + ")"}
	case forms.ErrLinkNotOpen:
		return &Error{Status: http.StatusConflict, Code: "link_not_yet_open", Message: "this consultation has not opened yet"}
	case forms.ErrLinkAnonymous:
		return &Error{Status: http.StatusConflict, Code: "link_submitted_anonymously", Message: "the answers were submitted anonymously and can no longer be reached through this link"}
	}
	return &Error{Status: http.StatusConflict, Code: "link_" + e.Reason, Message: "the answers were submitted and can no longer be changed"}
}

// Fail renders err as the JSON error body and stops the request.
func Fail(c *gin.Context, err error) {
	if e, ok := resolve(c, err, "request failed"); ok {
		c.AbortWithStatusJSON(e.Status, gin.H{"error": e})
	}
}

// resolve decides how to answer err: its HTTP form, with Retry-After set
// while the database is away and anything unknown logged (as what) and
// shown without detail. It reports false when the client went away and
// nobody is left to answer; the request is then stopped.
func resolve(c *gin.Context, err error, what string) (*Error, bool) {
	e := ToError(err)
	if e == nil || e == ErrUnavailable {
		if ctxErr := c.Request.Context().Err(); ctxErr != nil && (e != nil || errors.Is(err, ctxErr) || errors.Is(err, sql.ErrTxDone)) {
			// The client went away; nobody is left to answer (a broken
			// database connection, or a transaction rolled back because
			// the request's context ended, is then its consequence, not
			// news).
			c.Abort()
			return nil, false
		}
	}
	switch e {
	case nil:
		slog.Error(what, "method", c.Request.Method, "path", c.FullPath(), "err", err)
		e = errInternal
	case ErrUnavailable:
		// The database is down or overloaded: nothing is broken, and the
		// client may retry (an idempotent submission is safe to retry).
		slog.Warn("database unavailable", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		c.Header("Retry-After", RetryAfterSeconds)
	}
	return e, true
}

// XLSXType is the content type of Excel workbooks.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
