package forms

import (
	"sort"
	"strconv"
	"strings"
)

// AnswerRow is one atomic answer, the unit stored for aggregation: counting
// the respondents who chose an option, or averaging a scale by theme, is a
// SQL GROUP BY over these rows. Which fields are set depends on the question
// type:
//
//   - single_choice: OptionCode, and Text for an "other" option's text;
//   - multiple_choice: one row per chosen option, as single_choice;
//   - ranking: one row per ranked option with Rank (1 is first), as above;
//   - number, integer, scale: Number;
//   - text, long_text, date: Text (a date as YYYY-MM-DD);
//   - matrix: one row per answered matrix row, with RowCode and Number;
//   - calculate: Text, the value as text, and Number when it is a number
//     (1 or 0 for true or false);
//   - repeat: one row per entry, with nothing but Entry: counting them
//     counts entries.
//
// Entry places the answers of a repeat's questions: "2" for the second
// entry, "2.1" for the first entry of a repeat inside the second; it is
// empty outside repeats, and it is set on the repeat's own rows.
type AnswerRow struct {
	QuestionCode string
	RowCode      string
	OptionCode   string
	Number       *float64
	Text         string
	Rank         int
	Entry        string
}

// Flatten turns clean answers (as returned by Check) into rows, in
// questionnaire order. Answers that are not clean are skipped rather than
// guessed at.
func (f *Form) Flatten(clean Answers) []AnswerRow {
	rows := make([]AnswerRow, 0, len(clean))
	for _, s := range f.sections {
		rows = flattenLevel(rows, s.questions, clean, "")
	}
	return rows
}

// flattenLevel flattens the answers of one level: the response's, or one
// entry's.
func flattenLevel(rows []AnswerRow, qs []*compiledQuestion, clean Answers, entry string) []AnswerRow {
	for _, q := range qs {
		v, ok := clean[q.q.Code]
		if !ok {
			continue
		}
		if entries, isRepeat := v.([]Answers); isRepeat && q.q.Type == TypeRepeat {
			for i, e := range entries {
				path := entryPath(entry, i)
				rows = append(rows, AnswerRow{QuestionCode: q.q.Code, Entry: path})
				rows = flattenLevel(rows, q.children, e, path)
			}
			continue
		}
		n := len(rows)
		rows = q.flatten(rows, v, clean)
		for i := n; i < len(rows); i++ {
			rows[i].Entry = entry
		}
	}
	return rows
}

// entryPath names entry i (from 0) of a repeat inside the entry parent.
func entryPath(parent string, i int) string {
	if parent == "" {
		return strconv.Itoa(i + 1)
	}
	return parent + "." + strconv.Itoa(i+1)
}

func (q *compiledQuestion) flatten(rows []AnswerRow, v any, clean Answers) []AnswerRow {
	code := q.q.Code
	if q.q.Type == TypeCalculate {
		return append(rows, calculatedRow(code, v))
	}
	switch v := v.(type) {
	case string:
		if q.q.Type == TypeSingleChoice {
			return append(rows, q.optionRow(v, 0, clean))
		}
		return append(rows, AnswerRow{QuestionCode: code, Text: v})
	case []string:
		for i, o := range v {
			rank := 0
			if q.q.Type == TypeRanking {
				rank = i + 1
			}
			rows = append(rows, q.optionRow(o, rank, clean))
		}
	case float64:
		return append(rows, AnswerRow{QuestionCode: code, Number: &v})
	case int:
		x := float64(v)
		return append(rows, AnswerRow{QuestionCode: code, Number: &x})
	case map[string]int:
		for _, r := range q.q.Rows {
			if x, ok := v[r.Code]; ok {
				n := float64(x)
				rows = append(rows, AnswerRow{QuestionCode: code, RowCode: r.Code, Number: &n})
			}
		}
	}
	return rows
}

// calculatedRow stores a calculated value: as text always, so that it
// reads as it was computed, and as a number too when it is one.
func calculatedRow(code string, v any) AnswerRow {
	row := AnswerRow{QuestionCode: code, Text: textOf(v)}
	switch x := v.(type) {
	case float64:
		row.Number = &x
	case bool:
		n := 0.0
		if x {
			n = 1
		}
		row.Number = &n
	}
	return row
}

// optionRow is the row of one chosen option, carrying the specified text
// when it is the "other" option.
func (q *compiledQuestion) optionRow(option string, rank int, clean Answers) AnswerRow {
	row := AnswerRow{QuestionCode: q.q.Code, OptionCode: option, Rank: rank}
	if option == q.otherCode {
		row.Text, _ = clean[q.otherKey].(string)
	}
	return row
}

// Unflatten rebuilds clean answers from stored rows, the inverse of
// Flatten. Rows of questions the form does not have (from another version
// of the questionnaire) and rows that do not fit the question's type or
// place are ignored.
func (f *Form) Unflatten(rows []AnswerRow) Answers {
	u := unflattener{top: Answers{}, ranked: map[string]*rankedRows{}}
	for _, row := range rows {
		q := f.byCode[row.QuestionCode]
		if q == nil {
			continue
		}
		a, ok := u.level(q, row.Entry)
		if !ok {
			continue
		}
		u.row(q, a, row)
	}
	for _, rr := range u.ranked {
		list := rr.rows
		sort.SliceStable(list, func(i, j int) bool { return list[i].Rank < list[j].Rank })
		codes := make([]string, len(list))
		for i, row := range list {
			codes[i] = row.OptionCode
		}
		rr.a[rr.code] = codes
	}
	f.sortChoices(u.top)
	return u.top
}

// unflattener collects the rows of Unflatten.
type unflattener struct {
	top    Answers
	ranked map[string]*rankedRows // by entry and question
}

// rankedRows are the rows of one ranking, to order by rank at the end.
type rankedRows struct {
	a    Answers
	code string
	rows []AnswerRow
}

// level finds the answers a row belongs in: the response's, or those of
// the entry its Entry names, made as needed. A repeat's own row names its
// entry; the entry is made and the repeat's level returned.
func (u *unflattener) level(q *compiledQuestion, entry string) (Answers, bool) {
	var chain []*compiledQuestion // the repeats q is in, outermost first
	for p := q.parent; p != nil; p = p.parent {
		chain = append([]*compiledQuestion{p}, chain...)
	}
	if q.q.Type == TypeRepeat {
		chain = append(chain, q)
	}
	var parts []string
	if entry != "" {
		parts = strings.Split(entry, ".")
	}
	if len(parts) != len(chain) {
		return nil, false
	}
	a := u.top
	for i, r := range chain {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 1 || n > MaxRepeatEntries {
			return nil, false
		}
		entries, _ := a[r.q.Code].([]Answers)
		for len(entries) < n {
			entries = append(entries, Answers{})
		}
		a[r.q.Code] = entries
		if r == q {
			return a, true
		}
		a = entries[n-1]
	}
	return a, true
}

// row puts one row into the answers a of its level.
func (u *unflattener) row(q *compiledQuestion, a Answers, row AnswerRow) {
	code := q.q.Code
	switch q.q.Type {
	case TypeRepeat:
		// The entry was made by level.
	case TypeSingleChoice:
		a[code] = row.OptionCode
		q.unflattenOther(a, row)
	case TypeMultipleChoice:
		list, _ := a[code].([]string)
		a[code] = append(list, row.OptionCode)
		q.unflattenOther(a, row)
	case TypeRanking:
		key := row.Entry + "/" + code
		rr := u.ranked[key]
		if rr == nil {
			rr = &rankedRows{a: a, code: code}
			u.ranked[key] = rr
		}
		rr.rows = append(rr.rows, row)
		q.unflattenOther(a, row)
	case TypeText, TypeLongText, TypeDate:
		a[code] = row.Text
	case TypeCalculate:
		switch {
		case row.Number != nil && (row.Text == "true" || row.Text == "false"):
			a[code] = row.Text == "true"
		case row.Number != nil:
			a[code] = *row.Number
		case row.Text != "":
			a[code] = row.Text
		}
	default:
		q.unflattenNumber(a, row)
	}
}

func (q *compiledQuestion) unflattenOther(a Answers, row AnswerRow) {
	if row.OptionCode == q.otherCode && q.otherCode != "" && row.Text != "" {
		a[q.otherKey] = row.Text
	}
}

func (q *compiledQuestion) unflattenNumber(a Answers, row AnswerRow) {
	if row.Number == nil {
		return
	}
	switch q.q.Type {
	case TypeNumber, TypeInteger:
		a[q.q.Code] = *row.Number
	case TypeScale:
		a[q.q.Code] = int(*row.Number)
	case TypeMatrix:
		m, _ := a[q.q.Code].(map[string]int)
		if m == nil {
			m = map[string]int{}
			a[q.q.Code] = m
		}
		m[row.RowCode] = int(*row.Number)
	}
}

// sortChoices puts multiple choices back in option order, as Check does,
// whatever order the database returned the rows in, in entries too.
func (f *Form) sortChoices(a Answers) {
	for code, v := range a {
		q := f.byCode[code]
		if q == nil {
			continue
		}
		switch v := v.(type) {
		case []string:
			if q.q.Type == TypeMultipleChoice {
				sort.SliceStable(v, func(i, j int) bool { return q.optIndex[v[i]] < q.optIndex[v[j]] })
			}
		case []Answers:
			for _, e := range v {
				f.sortChoices(e)
			}
		}
	}
}
