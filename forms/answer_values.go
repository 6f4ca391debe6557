package forms

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// value cleans the answer to one question. It returns nil for an
// unanswered question, and false after reporting a problem.
func (r *run) value(q *compiledQuestion, raw any) (any, bool) {
	if raw == nil {
		return nil, true
	}
	switch q.q.Type {
	case TypeSingleChoice:
		return r.single(q, raw)
	case TypeMultipleChoice, TypeRanking:
		return r.choices(q, raw)
	case TypeText, TypeLongText:
		return r.text(r.pathOf(q), raw, q.q.TextLimit())
	case TypeNumber, TypeInteger:
		return r.number(q, raw)
	case TypeDate:
		return r.date(q, raw)
	case TypeScale:
		x, present, ok := r.scaleValue(q, "", raw)
		if !present || !ok {
			return nil, ok
		}
		return x, true
	case TypeMatrix:
		return r.matrix(q, raw)
	}
	return nil, true
}

func (r *run) single(q *compiledQuestion, raw any) (any, bool) {
	s, ok := raw.(string)
	switch {
	case !ok:
		r.fail(r.pathOf(q), "must be an option code")
		return nil, false
	case s == "":
		return nil, true
	}
	if _, ok := q.optIndex[s]; !ok {
		r.fail(r.pathOf(q), "unknown option %q", s)
		return nil, false
	}
	if !r.offered(q, s) {
		return nil, true // filtered out by an earlier answer that changed
	}
	return raw, true
}

// choices cleans a multiple choice (returned in option order, so that equal
// answers look equal) or a ranking (kept in the respondent's order).
func (r *run) choices(q *compiledQuestion, raw any) (any, bool) {
	switch items := raw.(type) {
	case []string:
		return cleanChoices(r, q, items)
	case []any:
		return cleanChoices(r, q, items)
	}
	r.fail(r.pathOf(q), "must be a list of option codes")
	return nil, false
}

// cleanChoices takes the JSON array of option codes in either of its Go
// shapes, without copying it first.
func cleanChoices[T any](r *run, q *compiledQuestion, items []T) (any, bool) {
	if len(items) == 0 {
		return nil, true
	}
	verb := "choose"
	if q.q.Type == TypeRanking {
		verb = "rank"
	}
	if len(items) > len(q.q.Options) {
		// Bounds the work below on hostile input: a valid answer never
		// lists more items than there are options.
		r.fail(r.pathOf(q), "%s at most %s", verb, plural(len(q.q.Options), "option"))
		return nil, false
	}
	var buf [16]int // option indexes; on the stack for the usual short lists
	idx := buf[:0]
	ok := true
	for _, item := range items {
		code, isString := any(item).(string)
		if !isString {
			r.fail(r.pathOf(q), "must be a list of option codes")
			return nil, false
		}
		i, known := q.optIndex[code]
		switch {
		case !known:
			r.fail(r.pathOf(q), "unknown option %q", code)
			ok = false
		case slices.Contains(idx, i):
			r.fail(r.pathOf(q), "option %q is listed twice", code)
			ok = false
		case !r.offered(q, code):
			// Filtered out by an earlier answer that changed: dropped,
			// as the answers to questions no longer shown are.
		default:
			idx = append(idx, i)
		}
	}
	switch {
	case !ok:
		return nil, false
	case len(idx) == 0:
		return nil, true // every option chosen was filtered out
	case !r.countInBounds(q, len(idx), verb):
		return nil, false
	}
	if q.q.Type == TypeMultipleChoice {
		slices.Sort(idx)
	}
	codes := make([]string, len(idx))
	for j, i := range idx {
		codes[j] = q.q.Options[i].Code
	}
	return codes, true
}

// countInBounds checks how many options were chosen against min and max;
// by default a ranking must rank at least one option and at most all.
func (r *run) countInBounds(q *compiledQuestion, n int, verb string) bool {
	lo, hi := 1, len(q.q.Options)
	if q.q.Min != nil && *q.q.Min > 1 {
		lo = int(*q.q.Min)
	}
	if q.q.Max != nil && int(*q.q.Max) < hi {
		hi = int(*q.q.Max)
	}
	switch {
	case n < lo:
		r.fail(r.pathOf(q), "%s at least %s", verb, plural(lo, "option"))
	case n > hi:
		r.fail(r.pathOf(q), "%s at most %s", verb, plural(hi, "option"))
	default:
		return true
	}
	return false
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// text cleans a text answer: invalid UTF-8 is replaced and NUL removed
// (PostgreSQL stores neither), surrounding space trimmed, and the length
// counted in characters. Blank text is no answer.
func (r *run) text(path string, raw any, limit int) (any, bool) {
	if raw == nil {
		return nil, true
	}
	s, ok := raw.(string)
	if !ok {
		r.fail(path, "must be text")
		return nil, false
	}
	c := cleanText(s)
	if c == "" {
		return nil, true
	}
	if n := utf8.RuneCountInString(c); n > limit {
		r.fail(path, "must be at most %d characters (it has %d)", limit, n)
		return nil, false
	}
	if c == s {
		return raw, true // spares boxing the string again
	}
	return c, true
}

func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return strings.TrimSpace(s)
}

func (r *run) number(q *compiledQuestion, raw any) (any, bool) {
	x, ok, empty := parseNumber(raw)
	switch {
	case empty:
		return nil, true
	case !ok:
		r.fail(r.pathOf(q), "must be a number")
	case q.q.Type == TypeInteger && x != math.Trunc(x):
		r.fail(r.pathOf(q), "must be a whole number")
	case q.q.Min != nil && x < *q.q.Min:
		r.fail(r.pathOf(q), "must be at least %s", formatNumber(*q.q.Min))
	case q.q.Max != nil && x > *q.q.Max:
		r.fail(r.pathOf(q), "must be at most %s", formatNumber(*q.q.Max))
	case isFloat(raw):
		return raw, true // spares boxing the number again
	default:
		return x, true
	}
	return nil, false
}

func isFloat(v any) bool {
	_, ok := v.(float64)
	return ok
}

func (r *run) date(q *compiledQuestion, raw any) (any, bool) {
	s, ok := raw.(string)
	if ok {
		t := strings.TrimSpace(s)
		switch _, err := time.Parse(time.DateOnly, t); {
		case t == "":
			return nil, true
		case err != nil || len(t) != len(time.DateOnly):
		case t == s:
			return raw, true
		default:
			return t, true
		}
	}
	r.fail(r.pathOf(q), "must be a date in the form YYYY-MM-DD")
	return nil, false
}

// scaleValue cleans one scale value, for a scale question or, when row is
// set, a matrix cell.
func (r *run) scaleValue(q *compiledQuestion, row string, raw any) (v int, present, ok bool) {
	x, ok, empty := parseNumber(raw)
	if empty {
		return 0, false, true
	}
	if ok && x == math.Trunc(x) && math.Abs(x) <= math.MaxInt32 && q.q.Point(int(x)) != nil {
		return int(x), true, true
	}
	values := make([]string, len(q.q.Scale))
	for i, p := range q.q.Scale {
		values[i] = strconv.Itoa(p.Value)
	}
	path := r.pathOf(q)
	if row != "" {
		path += "/" + pointer(row)
	}
	r.fail(path, "must be one of the scale values (%s)", strings.Join(values, ", "))
	return 0, true, false
}

// parseNumber accepts JSON numbers in their Go shapes, and decimal strings
// because HTML forms send every value as text; a blank string is no answer.
func parseNumber(raw any) (x float64, ok, empty bool) {
	switch v := raw.(type) {
	case nil:
		return 0, false, true
	case string:
		v = strings.TrimSpace(v)
		if v == "" {
			return 0, false, true
		}
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f), false
	case json.Number:
		f, err := v.Float64()
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f), false
	}
	f, ok := toFloat(raw)
	return f, ok && !math.IsInf(f, 0) && !math.IsNaN(f), false
}

// toFloat converts Go numbers; it does not parse strings.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	}
	return 0, false
}

// matrix cleans an object of row code → scale value. Rows may be left out;
// a required matrix is checked for them once the answer is kept.
func (r *run) matrix(q *compiledQuestion, raw any) (any, bool) {
	switch m := raw.(type) {
	case map[string]any:
		return cleanMatrix(r, q, m)
	case map[string]int:
		return cleanMatrix(r, q, m)
	case map[string]float64:
		return cleanMatrix(r, q, m)
	}
	r.fail(r.pathOf(q), "must be an object of row codes to scale values")
	return nil, false
}

func cleanMatrix[V any](r *run, q *compiledQuestion, m map[string]V) (any, bool) {
	out := make(map[string]int, len(m))
	ok, seen := true, 0
	for _, row := range q.q.Rows {
		raw, present := m[row.Code]
		if !present {
			continue
		}
		seen++
		x, answered, valid := r.scaleValue(q, row.Code, any(raw))
		switch {
		case !valid:
			ok = false
		case answered:
			out[row.Code] = x
		}
	}
	if seen < len(m) {
		// Rare: sort the strangers so that the report is stable.
		var unknown []string
		for k := range m {
			if !q.rows[k] {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		for _, k := range unknown {
			r.fail(r.pathOf(q)+"/"+pointer(k), "unknown row")
		}
		ok = false
	}
	if !ok || len(out) == 0 {
		return nil, ok
	}
	return out, true
}
