package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// The buttons of a repeat post the page with action add:KEY or
// remove:KEY.N, KEY naming the repeat as its fields do ("members",
// "members.2.jobs"). The page's answers are read as usual, the entry added
// or removed, and the page saved and shown again: no JavaScript needed.

// EntryAction reads an add or remove action: the repeat's key, and for a
// removal the entry's number (from 1).
func EntryAction(action string) (add bool, key string, entry int, ok bool) {
	switch {
	case strings.HasPrefix(action, "add:"):
		return true, strings.TrimPrefix(action, "add:"), 0, true
	case strings.HasPrefix(action, "remove:"):
		rest := strings.TrimPrefix(action, "remove:")
		i := strings.LastIndexByte(rest, '.')
		if i < 0 {
			return false, "", 0, false
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil || n < 1 {
			return false, "", 0, false
		}
		return false, rest[:i], n, true
	}
	return false, "", 0, false
}

// ChangeEntries adds an empty entry to the repeat key of the posted
// answers, or removes entry n (from 1), and rewrites the posted form to
// match, so that the page shows again what was typed. It reports false
// when key names no repeat of the section whose entries the respondent
// may change, or when the repeat is full.
func ChangeEntries(sec *forms.Section, posted forms.Answers, form url.Values, add bool, key string, n int) (url.Values, bool) {
	q, a, ok := entryTarget(sec.Questions, posted, strings.Split(key, "."))
	if !ok || q.RepeatCount != "" {
		return nil, false
	}
	list, _ := a[q.Code].([]any)
	switch {
	case add && (q.Max != nil && float64(len(list)) >= *q.Max || len(list) >= forms.MaxRepeatEntries):
		return nil, false
	case add:
		a[q.Code] = append(list, map[string]any{})
		out := cloneValues(form)
		out.Set(key+".entries", strconv.Itoa(len(list)+1))
		return out, true
	case n > len(list):
		return nil, false
	}
	a[q.Code] = append(list[:n-1:n-1], list[n:]...)
	return renumber(form, key, n), true
}

// entryTarget finds the repeat a key names, and the answers that hold its
// entries: the section's, or an entry's for a repeat in a repeat.
func entryTarget(qs []forms.Question, a forms.Answers, segs []string) (*forms.Question, forms.Answers, bool) {
	var q *forms.Question
	for i := range qs {
		if qs[i].Code == segs[0] && qs[i].Type == forms.TypeRepeat {
			q = &qs[i]
		}
	}
	if q == nil {
		return nil, nil, false
	}
	if len(segs) == 1 {
		return q, a, true
	}
	n, err := strconv.Atoi(segs[1])
	list, _ := a[q.Code].([]any)
	if err != nil || n < 1 || n > len(list) || len(segs) < 3 {
		return nil, nil, false
	}
	entry, ok := list[n-1].(map[string]any)
	if !ok {
		return nil, nil, false
	}
	return entryTarget(q.Questions, entry, segs[2:])
}

// renumber drops the fields of entry n of repeat key from a posted form
// and moves those of the entries after it down by one.
func renumber(form url.Values, key string, n int) url.Values {
	prefix := key + "."
	out := url.Values{}
	for k, vs := range form {
		rest, in := strings.CutPrefix(k, prefix)
		if !in {
			out[k] = vs
			continue
		}
		idx, tail, _ := strings.Cut(rest, ".")
		if idx == "entries" {
			c, _ := strconv.Atoi(vs[0])
			out[k] = []string{strconv.Itoa(max(c-1, 0))}
			continue
		}
		i, err := strconv.Atoi(idx)
		switch {
		case err != nil:
			out[k] = vs
		case i == n:
		case i > n:
			out[prefix+strconv.Itoa(i-1)+"."+tail] = vs
		default:
			out[k] = vs
		}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = vs
	}
	return out
}
