package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// problemsByQuestion keeps the first problem of every question, keyed by
// its field name ("q_age", "members.2.age" in a repeat's entry); a problem
// with an "other" text or a matrix row belongs to its question.
func problemsByQuestion(problems []forms.FieldError) map[string]forms.FieldError {
	out := map[string]forms.FieldError{}
	for _, fe := range problems {
		key, _, _ := locate(fe.Path)
		if _, seen := out[key]; !seen && key != "" {
			out[key] = fe
		}
	}
	return out
}

// locate reads a problem's path "/answers/CODE[.other][/ROW]", where the
// answer to a repeat's question is "/answers/REPEAT/N/CODE..." (N from
// 0): key is the field name of the question, "REPEAT.N+1.CODE".
func locate(path string) (key, row string, other bool) {
	rest, ok := strings.CutPrefix(path, "/answers/")
	if !ok {
		return "", "", false
	}
	segs := strings.Split(rest, "/")
	for i := 0; i < len(segs); i++ {
		if i+1 < len(segs) && isIndex(segs[i+1]) && i+2 < len(segs) {
			n, _ := strconv.Atoi(segs[i+1])
			key += segs[i] + "." + strconv.Itoa(n+1) + "."
			i++
			continue
		}
		code, isOther := strings.CutSuffix(segs[i], forms.OtherSuffix)
		key, other = key+code, isOther
		if i+1 < len(segs) {
			row = segs[i+1]
		}
		break
	}
	return key, row, other
}

// isIndex tells an entry's index in a path from a matrix row's code, which
// starts with a letter.
func isIndex(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil && s != "" && s[0] != '-' && s[0] != '+'
}

// lastCode is the question code at the end of a field name.
func lastCode(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// problem says what is wrong with the answer to q in the visit's language.
// forms.Check reports problems in English for programs; the common ones
// are recognized here and told in the stakeholder's words, the author's
// own required and constraint messages in the author's translation.
func (r *Renderer) problem(v *Visit, q *forms.Question, fe forms.FieldError) string {
	m := r.cat.Messages(v.Lang)
	def := v.Form.Definition().DefaultLanguage
	msg := fe.Message
	_, row, other := locate(fe.Path)
	switch {
	case len(q.RequiredMessage) > 0 && msg == q.RequiredMessage.In(def, def):
		return v.txt(q.RequiredMessage).S
	case len(q.ConstraintMessage) > 0 && msg == q.ConstraintMessage.In(def, def):
		return v.txt(q.ConstraintMessage).S
	case msg == "required" && other:
		return m.T("err_other")
	case msg == "required" && row != "":
		return m.T("err_required_row", "row", v.rowLabel(q, row))
	case msg == "required":
		return m.T("err_required")
	case msg == "does not satisfy the constraint":
		return m.T("err_constraint")
	case msg == "must be a number":
		return m.T("err_number")
	case msg == "must be a whole number":
		return m.T("err_integer")
	case strings.HasPrefix(msg, "must be a date"):
		return m.T("err_date")
	case msg == msgRankTwice:
		return m.T("err_rank_duplicate")
	}
	if key, args, ok := bounded(q, msg); ok {
		return m.T(key, args...)
	}
	if strings.HasPrefix(msg, "unknown option") || strings.HasPrefix(msg, "must be one of") ||
		strings.HasPrefix(msg, "must be an option") || strings.HasPrefix(msg, "must be a list of option") ||
		msg == "unknown row" || strings.Contains(msg, "listed twice") {
		return m.T("err_option")
	}
	return m.T("err_invalid")
}

// bounded recognizes the problems of an answer out of bounds: a number too
// small or too large, a text too long, too few or too many choices.
func bounded(q *forms.Question, msg string) (string, []any, bool) {
	var a, b int
	if _, err := fmt.Sscanf(msg, "must be at most %d characters (it has %d)", &a, &b); err == nil {
		return "err_too_long", []any{"max", a, "n", b}, true
	}
	for _, c := range []struct{ prefix, key string }{
		{"choose at least ", "err_choose_min"}, {"choose at most ", "err_choose_max"},
		{"rank at least ", "err_rank_min"}, {"rank at most ", "err_rank_max"},
	} {
		if rest, ok := strings.CutPrefix(msg, c.prefix); ok {
			n, _, _ := strings.Cut(rest, " ")
			return c.key, []any{"n", n}, true
		}
	}
	if rest, ok := strings.CutPrefix(msg, "must be at least "); ok {
		return "err_min", []any{"min", bound(q.Min, rest)}, true
	}
	if rest, ok := strings.CutPrefix(msg, "must be at most "); ok {
		return "err_max", []any{"max", bound(q.Max, rest)}, true
	}
	return "", nil, false
}

// bound writes a question's bound, or what the message said when unset.
func bound(x *float64, said string) string {
	if x == nil {
		return said
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// rowLabel returns the label of a matrix row, or its code.
func (v *Visit) rowLabel(q *forms.Question, code string) string {
	for _, r := range q.Rows {
		if r.Code == code {
			return v.txt(r.Label).S
		}
	}
	return code
}
