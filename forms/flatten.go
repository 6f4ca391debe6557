package forms

import "sort"

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
//   - matrix: one row per answered matrix row, with RowCode and Number.
type AnswerRow struct {
	QuestionCode string
	RowCode      string
	OptionCode   string
	Number       *float64
	Text         string
	Rank         int
}

// Flatten turns clean answers (as returned by Check) into rows, in
// questionnaire order. Answers that are not clean are skipped rather than
// guessed at.
func (f *Form) Flatten(clean Answers) []AnswerRow {
	rows := make([]AnswerRow, 0, len(clean))
	for _, q := range f.questions {
		v, ok := clean[q.q.Code]
		if !ok {
			continue
		}
		rows = q.flatten(rows, v, clean)
	}
	return rows
}

func (q *compiledQuestion) flatten(rows []AnswerRow, v any, clean Answers) []AnswerRow {
	code := q.q.Code
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
// of the questionnaire) and rows that do not fit the question's type are
// ignored.
func (f *Form) Unflatten(rows []AnswerRow) Answers {
	a := make(Answers)
	ranked := map[string][]AnswerRow{}
	for _, row := range rows {
		q := f.byCode[row.QuestionCode]
		if q == nil {
			continue
		}
		switch q.q.Type {
		case TypeSingleChoice:
			a[q.q.Code] = row.OptionCode
			q.unflattenOther(a, row)
		case TypeMultipleChoice:
			list, _ := a[q.q.Code].([]string)
			a[q.q.Code] = append(list, row.OptionCode)
			q.unflattenOther(a, row)
		case TypeRanking:
			ranked[q.q.Code] = append(ranked[q.q.Code], row)
			q.unflattenOther(a, row)
		case TypeText, TypeLongText, TypeDate:
			a[q.q.Code] = row.Text
		default:
			q.unflattenNumber(a, row)
		}
	}
	for code, list := range ranked {
		sort.SliceStable(list, func(i, j int) bool { return list[i].Rank < list[j].Rank })
		codes := make([]string, len(list))
		for i, row := range list {
			codes[i] = row.OptionCode
		}
		a[code] = codes
	}
	f.sortChoices(a)
	return a
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
// whatever order the database returned the rows in.
func (f *Form) sortChoices(a Answers) {
	for _, q := range f.questions {
		list, ok := a[q.q.Code].([]string)
		if !ok || q.q.Type != TypeMultipleChoice {
			continue
		}
		sort.SliceStable(list, func(i, j int) bool {
			return q.optIndex[list[i]] < q.optIndex[list[j]]
		})
	}
}
