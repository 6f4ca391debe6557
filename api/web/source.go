package web

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"

	"github.com/unodc-csu/agora/forms"
)

// answerSource reads fields from answers, either clean (Go types) or
// decoded from the saved JSON draft (float64, []any, map[string]any).
type answerSource forms.Answers

func (a answerSource) str(code string) string { return scalar(a[code]) }

func (a answerSource) list(code string) []string {
	switch v := a[code].(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, scalar(x))
		}
		return out
	}
	return nil
}

func (a answerSource) cell(code, row string) string {
	switch m := a[code].(type) {
	case map[string]any:
		return scalar(m[row])
	case map[string]int:
		if x, ok := m[row]; ok {
			return strconv.Itoa(x)
		}
	case map[string]float64:
		if x, ok := m[row]; ok {
			return scalar(x)
		}
	}
	return ""
}

func (a answerSource) rank(code, option string) int {
	return slices.Index(a.list(code), option) + 1
}

// scalar writes one answer value as a form field holds it.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case json.Number:
		return x.String()
	}
	return ""
}

// formSource reads fields from a posted form.
type formSource url.Values

func (f formSource) str(code string) string       { return url.Values(f).Get(code) }
func (f formSource) list(code string) []string    { return f[code] }
func (f formSource) cell(code, row string) string { return url.Values(f).Get(code + "." + row) }
func (f formSource) rank(code, option string) int {
	n, err := strconv.Atoi(url.Values(f).Get(code + rankInfix + option))
	if err != nil || n < 1 {
		return 0
	}
	return n
}
