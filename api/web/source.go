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

// entry is the source of entry i (from 0) of repeat code.
func (a answerSource) entry(code string, i int) source {
	var e any
	switch list := a[code].(type) {
	case []forms.Answers:
		if i < len(list) {
			e = list[i]
		}
	case []any:
		if i < len(list) {
			e = list[i]
		}
	}
	switch m := e.(type) {
	case forms.Answers:
		return answerSource(m)
	case map[string]any:
		return answerSource(m)
	}
	return answerSource{}
}

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

// formSource reads fields from a posted form; prefix names the entry of a
// repeat the fields belong to ("members.2."), empty outside repeats.
type formSource struct {
	v      url.Values
	prefix string
}

func postedSource(v url.Values) formSource { return formSource{v: v} }

func (f formSource) str(code string) string       { return f.v.Get(f.prefix + code) }
func (f formSource) list(code string) []string    { return f.v[f.prefix+code] }
func (f formSource) cell(code, row string) string { return f.v.Get(f.prefix + code + "." + row) }
func (f formSource) rank(code, option string) int {
	n, err := strconv.Atoi(f.v.Get(f.prefix + code + rankInfix + option))
	if err != nil || n < 1 {
		return 0
	}
	return n
}

func (f formSource) entry(code string, i int) source {
	return formSource{v: f.v, prefix: entryPrefix(f.prefix, code, i)}
}

// entryPrefix is the prefix of the fields of entry i (from 0) of repeat
// code, inside the entry prefix: "members.2.", "members.2.jobs.1.".
func entryPrefix(prefix, code string, i int) string {
	return prefix + code + "." + strconv.Itoa(i+1) + "."
}
