package forms

import (
	"maps"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// repeat checks the entries of a repeat: a list of objects, each holding
// the answers of one entry to the repeat's questions. With a repeat_count
// the number of entries is computed (missing ones are empty, extra ones
// dropped, as answers to questions no longer shown are); without, the
// respondent's list counts, within min and max.
func (r *run) repeat(q *compiledQuestion, raw any) {
	items, ok := r.entryList(q, raw)
	if !ok {
		return
	}
	n := len(items)
	if q.repeatCount != nil {
		n = entryCount(r.ev.value(q.repeatCount, r.env))
	} else if !r.entryBounds(q, n) {
		return
	}
	if r.show != nil {
		r.show.Entries[r.key+q.q.Code] = n
	}
	if n == 0 {
		return
	}
	outer, base := r.frame, r.pathOf(q)
	list := make([]Answers, 0, n)
	seen := make([]any, 0, n) // the entries as expressions see them
	lists := map[string][]any{}
	for i := range n {
		var in Answers
		if i < len(items) {
			in = items[i]
		}
		r.frame = frame{
			in: in, clean: Answers{}, env: maps.Clone(outer.env),
			path: base + "/" + strconv.Itoa(i),
			key:  outer.key + q.q.Code + "." + strconv.Itoa(i+1) + ".",
		}
		for _, c := range q.children {
			r.question(c, true)
		}
		if r.known < len(r.in) {
			r.unknown(q.childCodes)
		}
		list = append(list, r.clean)
		seen = append(seen, map[string]any(r.clean))
		q.collect(lists, r.env)
	}
	r.frame = outer
	r.clean[q.q.Code] = list
	r.env[q.q.Code] = seen
	for code, values := range lists {
		r.env[code] = values
	}
}

// collect adds the answers of one entry (env) to the lists that
// expressions outside the repeat see: a question's answer in each entry
// (nil when unanswered), the answers of a nested repeat's questions one
// after the other.
func (q *compiledQuestion) collect(lists map[string][]any, env map[string]any) {
	for _, c := range q.children {
		v := env[c.q.Code]
		lists[c.q.Code] = append(lists[c.q.Code], v)
		if c.q.Type == TypeRepeat {
			for _, g := range c.descendants() {
				inner, _ := env[g.q.Code].([]any)
				lists[g.q.Code] = append(lists[g.q.Code], inner...)
			}
		}
	}
}

// descendants are the questions of a repeat at every depth.
func (cq *compiledQuestion) descendants() []*compiledQuestion {
	var out []*compiledQuestion
	for _, c := range cq.children {
		out = append(out, c)
		out = append(out, c.descendants()...)
	}
	return out
}

// entryList reads a repeat's answer: a JSON array of objects (or the clean
// []Answers of an earlier Check).
func (r *run) entryList(q *compiledQuestion, raw any) ([]Answers, bool) {
	switch v := raw.(type) {
	case nil:
		return nil, true
	case []Answers:
		return v, r.entryLimit(q, len(v))
	case []map[string]any:
		out := make([]Answers, len(v))
		for i, e := range v {
			out[i] = e
		}
		return out, r.entryLimit(q, len(v))
	case []any:
		if !r.entryLimit(q, len(v)) {
			return nil, false
		}
		out := make([]Answers, len(v))
		for i, e := range v {
			switch e := e.(type) {
			case map[string]any:
				out[i] = e
			case Answers:
				out[i] = e
			case nil:
				out[i] = Answers{}
			default:
				r.fail(r.pathOf(q)+"/"+strconv.Itoa(i), "must be an object of answers to the repeat's questions")
				return nil, false
			}
		}
		return out, true
	}
	r.fail(r.pathOf(q), "must be a list of entries, each an object of answers")
	return nil, false
}

// entryLimit refuses more entries than any repeat may hold, before
// looking at them.
func (r *run) entryLimit(q *compiledQuestion, n int) bool {
	if n > MaxRepeatEntries {
		r.fail(r.pathOf(q), "at most %d entries", MaxRepeatEntries)
		return false
	}
	return true
}

// entryBounds checks the number of entries the respondent gave against
// min, max and required (at least one when final).
func (r *run) entryBounds(q *compiledQuestion, n int) bool {
	qq := q.q
	switch {
	case qq.Max != nil && float64(n) > *qq.Max:
		r.fail(r.pathOf(q), "at most %s", entries(int(*qq.Max)))
		return false
	case !r.final:
	case qq.Min != nil && float64(n) < *qq.Min:
		r.fail(r.pathOf(q), "at least %s", entries(int(*qq.Min)))
	case qq.Required && n == 0:
		r.fail(r.pathOf(q), "%s", q.required)
	}
	return true
}

func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return strconv.Itoa(n) + " entries"
}

// entryCount reads what a repeat_count gave: a whole number of entries,
// from 0 to MaxRepeatEntries; anything else is none.
func entryCount(v any) int {
	x, ok, _ := parseNumber(v)
	if !ok || x < 0 {
		return 0
	}
	return int(math.Min(math.Trunc(x), MaxRepeatEntries))
}

// calculated keeps what a calculation gave in a shape answers hold: a
// number (float64), a text, a boolean, a date written YYYY-MM-DD. Anything
// else, and a text longer than a long text answer may be, is no value.
func calculated(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		c := cleanText(x)
		if c == "" || utf8.RuneCountInString(c) > DefaultLongTextLength {
			return nil
		}
		return c
	case bool:
		return x
	case time.Time:
		return x.Format(time.DateOnly)
	}
	if f, ok := toFloat(v); ok && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return f
	}
	return nil
}
