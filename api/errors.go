package api

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

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

func (e *Error) Error() string { return e.Message }

// Errors handlers return for conditions of the HTTP layer itself.
var (
	errUnauthenticated = &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: "sign in or send an API token: Authorization: Bearer <token>"}
	errForbidden       = &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "your role does not allow this"}
	errNotFound        = &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such record"}
	errTooLarge        = &Error{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large", Message: "the request body is too large"}
	errRateLimited     = &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "too many requests: wait a moment and try again"}
	errUnavailable     = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "the database cannot be reached just now: try again in a few seconds"}
)

// retryAfterSeconds is the Retry-After sent with errUnavailable.
const retryAfterSeconds = "5"

func badRequest(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: fmt.Sprintf(format, args...)}
}

// toError maps a domain error to its HTTP form. Anything unknown is an
// internal error: logged in full, shown without detail.
func toError(err error) *Error {
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
		return errTooLarge
	case errors.Is(err, forms.ErrNotFound):
		return errNotFound
	case errors.Is(err, forms.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: "conflict", Message: err.Error()}
	case errors.Is(err, forms.ErrForbidden):
		return errForbidden
	case errors.Is(err, accounts.ErrUnauthenticated):
		return errUnauthenticated
	case database.IsUnavailable(err):
		// A database that is down or overloaded is not a bug: the client
		// may retry, and an idempotent submission is safe to retry.
		return errUnavailable
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

// fail renders err as the JSON error body and stops the request.
func fail(c *gin.Context, err error) {
	e := toError(err)
	if e == nil || e == errUnavailable {
		if ctxErr := c.Request.Context().Err(); ctxErr != nil && (e != nil || errors.Is(err, ctxErr) || errors.Is(err, sql.ErrTxDone)) {
			// The client went away; nobody is left to answer (a broken
			// database connection, or a transaction rolled back because
			// the request's context ended, is then its consequence, not
			// news).
			c.Abort()
			return
		}
	}
	switch e {
	case nil:
		slog.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		e = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "something went wrong on our side; the error was logged"}
	case errUnavailable:
		slog.Warn("database unavailable", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		c.Header("Retry-After", retryAfterSeconds)
	}
	c.AbortWithStatusJSON(e.Status, gin.H{"error": e})
}

// decodeJSON reads a JSON body into v, refusing unknown fields so that a
// misspelt key is reported instead of silently ignored. Its errors name the
// field at fault as a JSON pointer.
func decodeJSON(c *gin.Context, v any) error {
	raw, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errTooLarge
	}
	if err != nil {
		return badRequest("the body could not be read: %v", err)
	}
	return decodeStrict(raw, v)
}

// decodeStrict decodes raw JSON into v and explains any failure.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return badRequest("the body holds more than one JSON value")
		}
		return nil
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("the body is empty: send a JSON object")
	case errors.As(err, &syntax):
		return badRequest("the body is not valid JSON (at byte %d): %v", syntax.Offset, err)
	case errors.As(err, &typ):
		path := locateTypeError(raw, typ)
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "a field has the wrong type",
			Fields: []forms.FieldError{{Path: path, Message: fmt.Sprintf("must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "the body has a field this API does not know",
			Fields: []forms.FieldError{{Path: "/" + field, Message: "unknown field (check its spelling)"}}}
	}
	return badRequest("the body could not be read as JSON: %v", err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "map", "struct":
		return "an object"
	case "int", "int64", "int32", "uint", "uint64", "uint32", "float64", "float32":
		return "a number"
	}
	return "of type " + goKind
}

// locateTypeError finds the JSON pointer of the value a type error is about.
// encoding/json names the field ("sections.questions.required") but not the
// array indices on the way, which a client needs to find its mistake.
func locateTypeError(raw []byte, typ *json.UnmarshalTypeError) string {
	var tree any
	if typ.Field == "" || json.Unmarshal(raw, &tree) != nil {
		return "/" + strings.ReplaceAll(typ.Field, ".", "/")
	}
	if p, ok := locate(tree, strings.Split(typ.Field, "."), typ.Value, ""); ok {
		return p
	}
	return "/" + strings.ReplaceAll(typ.Field, ".", "/")
}

func locate(node any, segs []string, kind, at string) (string, bool) {
	if arr, ok := node.([]any); ok {
		for i, el := range arr {
			if p, ok := locate(el, segs, kind, fmt.Sprintf("%s/%d", at, i)); ok {
				return p, true
			}
		}
		return "", false
	}
	if len(segs) == 0 {
		return at, jsonTypeOf(node) == kind
	}
	obj, ok := node.(map[string]any)
	if !ok {
		return "", false
	}
	child, ok := obj[segs[0]]
	if !ok {
		return "", false
	}
	return locate(child, segs[1:], kind, at+"/"+segs[0])
}

// jsonTypeOf names a decoded value's type the way UnmarshalTypeError does.
func jsonTypeOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return ""
}
