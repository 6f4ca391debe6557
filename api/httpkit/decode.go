package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms"
)

// DecodeJSON reads a JSON body into v, refusing unknown fields so that a
// misspelt key is reported instead of silently ignored. Its errors name the
// field at fault as a JSON pointer.
func DecodeJSON(c *gin.Context, v any) error {
	raw, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return ErrTooLarge
	}
	if err != nil {
		return BadRequest("the body could not be read: %v", err)
	}
	return DecodeStrict(raw, v)
}

// DecodeStrict decodes raw JSON into v and explains any failure.
func DecodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return BadRequest("the body holds more than one JSON value")
		}
		return nil
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return BadRequest("the body is empty: send a JSON object")
	case errors.As(err, &syntax):
		return BadRequest("the body is not valid JSON (at byte %d): %v", syntax.Offset, err)
	case errors.As(err, &typ):
		path := locateTypeError(raw, typ)
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "a field has the wrong type",
			Fields: []forms.FieldError{{Path: path, Message: fmt.Sprintf("must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "the body has a field this API does not know",
			Fields: []forms.FieldError{{Path: "/" + field, Message: "unknown field (check its spelling)"}}}
	}
	return BadRequest("the body could not be read as JSON: %v", err)
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

// PathID reads a numeric id from the path; anything else is a 404, since
// no record has it.
func PathID(c *gin.Context, name string) (uint, error) {
	n, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || n == 0 {
		return 0, ErrNotFound
	}
	return uint(n), nil
}

// QueryInt reads a whole number from the query; absent is 0.
func QueryInt(c *gin.Context, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "a query parameter is not a whole number",
			Fields: []forms.FieldError{{Path: "/" + name, Message: "must be a whole number"}}}
	}
	return n, nil
}

// QueryError is a 422 about one query parameter, named by its path.
func QueryError(path, msg string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "a query parameter is not valid",
		Fields: []forms.FieldError{{Path: path, Message: msg}}}
}
