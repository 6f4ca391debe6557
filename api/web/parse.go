package web

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// rankInfix joins a ranking's code and an option's code in the name of the
// option's select: q_priorities.rank.tip.
const rankInfix = ".rank."

// Problems ParseSection finds itself; the rest are found by forms.Check.
const (
	msgRankTwice   = "a rank is given twice"
	msgRankInvalid = "unknown option"
)

// ParseSection reads the answers to one section from a posted form (field
// names are described in the package documentation) into forms.Answers for
// the section's questions only. Values stay text, as forms.Check accepts
// them; blank fields are no answer. A number is read the way people write
// it in lang: "2,5" in French, "١٢" in Arabic digits, "1,200" in English.
// Problems of the form itself, such as a rank given twice, are returned
// with paths "/answers/CODE", like the problems Check finds; the question
// concerned is then left out of the answers.
//
// A repeat's entries are read from KEY.entries, the number of entries the
// page showed, and each entry's fields from names prefixed with the
// repeat's code and the entry's number: "members.2.age". Entries are read
// even when blank, so that an entry added and not yet filled in stays.
func ParseSection(sec *forms.Section, form url.Values, lang string) (forms.Answers, []forms.FieldError) {
	p := parser{form: form, lang: lang}
	a := p.questions(sec.Questions, "", "/answers/")
	return a, p.problems
}

// parser reads the fields of a posted section.
type parser struct {
	form     url.Values
	lang     string
	problems []forms.FieldError
}

// questions reads the answers to qs; prefix is the field names' ("" or
// "members.2."), path the JSON pointer of the answers read.
func (p *parser) questions(qs []forms.Question, prefix, path string) forms.Answers {
	a := forms.Answers{}
	form := p.form
	for i := range qs {
		q := &qs[i]
		name := prefix + q.Code
		switch q.Type {
		case forms.TypeNote, forms.TypeCalculate:
		case forms.TypeRepeat:
			if entries := p.entries(q, name, path+q.Code+"/"); entries != nil {
				a[q.Code] = entries
			}
		case forms.TypeMultipleChoice:
			if list := nonBlank(form[name]); len(list) > 0 {
				a[q.Code] = list
			}
		case forms.TypeMatrix:
			m := map[string]any{}
			for _, row := range q.Rows {
				if s := strings.TrimSpace(form.Get(name + "." + row.Code)); s != "" {
					m[row.Code] = s
				}
			}
			if len(m) > 0 {
				a[q.Code] = m
			}
		case forms.TypeRanking:
			ranked, problem := parseRanking(q, name, form)
			if problem != "" {
				p.problems = append(p.problems, forms.FieldError{Path: path + q.Code, Message: problem})
			} else if len(ranked) > 0 {
				a[q.Code] = ranked
			}
		case forms.TypeNumber, forms.TypeInteger:
			if s := normalizeNumber(form.Get(name), p.lang); s != "" {
				a[q.Code] = s
			}
		default:
			if s := form.Get(name); strings.TrimSpace(s) != "" {
				a[q.Code] = s
			}
		}
		if hasOther(q) {
			if s := form.Get(name + forms.OtherSuffix); strings.TrimSpace(s) != "" {
				a[q.Code+forms.OtherSuffix] = s
			}
		}
	}
	return a
}

// entries reads the entries of repeat q, whose fields are named after key.
func (p *parser) entries(q *forms.Question, key, path string) []any {
	n, err := strconv.Atoi(p.form.Get(key + ".entries"))
	if err != nil || n <= 0 {
		return nil
	}
	n = min(n, forms.MaxRepeatEntries)
	out := make([]any, n)
	for i := range n {
		out[i] = map[string]any(p.questions(q.Questions, key+"."+strconv.Itoa(i+1)+".", path+strconv.Itoa(i)+"/"))
	}
	return out
}

func hasOther(q *forms.Question) bool {
	return slices.ContainsFunc(q.Options, func(o forms.Option) bool { return o.Other })
}

// nonBlank drops blank values and repeats.
func nonBlank(values []string) []string {
	var out []string
	for _, v := range values {
		if strings.TrimSpace(v) != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// parseRanking orders the ranked options by their rank. Ranks may leave
// gaps (1, 2, 4 is read as 1, 2, 3) but may not repeat.
func parseRanking(q *forms.Question, name string, form url.Values) ([]string, string) {
	type ranked struct {
		option string
		rank   int
	}
	var list []ranked
	seen := map[string]bool{}
	for _, o := range q.Options {
		if seen[o.Code] {
			continue // the same code under another filter value
		}
		seen[o.Code] = true
		s := strings.TrimSpace(form.Get(name + rankInfix + o.Code))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > len(q.Options) {
			return nil, msgRankInvalid
		}
		if slices.ContainsFunc(list, func(r ranked) bool { return r.rank == n }) {
			return nil, msgRankTwice
		}
		list = append(list, ranked{o.Code, n})
	}
	slices.SortFunc(list, func(x, y ranked) int { return cmp.Compare(x.rank, y.rank) })
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.option
	}
	return out, ""
}

// decimalComma are the languages that write 2.5 as "2,5".
var decimalComma = map[string]bool{"fr": true, "es": true, "ru": true}

// thousands matches "1,200" and "1,200.5": commas that group digits.
var thousands = regexp.MustCompile(`^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$`)

// normalizeNumber rewrites a number as typed into the form strconv reads:
// other digits become ASCII, spaces (which group thousands in many
// languages) go, and the comma is read as the decimal mark where lang uses
// it, or as a thousands separator where it groups digits. What cannot be
// read is returned as it is, for Check to report.
func normalizeNumber(s, lang string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '٠' && r <= '٩': // Arabic-Indic digits
			b.WriteRune('0' + r - '٠')
		case r >= '۰' && r <= '۹': // Extended Arabic-Indic digits
			b.WriteRune('0' + r - '۰')
		case r >= '０' && r <= '９': // fullwidth digits
			b.WriteRune('0' + r - '０')
		case r == '٫' || r == '．':
			b.WriteRune('.')
		case r == '，':
			b.WriteRune(',')
		case r == '−' || r == '－':
			b.WriteRune('-')
		case r == '٬' || r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\'':
			// thousands separators
		default:
			b.WriteRune(r)
		}
	}
	n := b.String()
	switch {
	case !strings.Contains(n, ","):
	case decimalComma[lang] && strings.Count(n, ",") == 1 && !strings.Contains(n, "."):
		n = strings.Replace(n, ",", ".", 1)
	case thousands.MatchString(n):
		n = strings.ReplaceAll(n, ",", "")
	}
	return n
}
