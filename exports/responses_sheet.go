package exports

import (
	"slices"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// maskedOption stands for a withheld stakeholder type, in a row's answers
// as in its type column.
const maskedOption = "(small group)"

// respColumn is one column of the Responses sheet and how a response fills
// it from its answers.
type respColumn struct {
	column
	code  string // header code: question, question/option, question/row
	value func(a *answerSet) any
}

// answerSet indexes one response's answer rows by question.
type answerSet map[string][]forms.AnswerRow

// index fills s with rows, reusing its memory: rows of one question come
// together (they are stored in questionnaire order), so each entry is a
// sub-slice of rows; a question met again later gets its rows appended.
func (s answerSet) index(rows []forms.AnswerRow) {
	clear(s)
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].QuestionCode == rows[i].QuestionCode {
			j++
		}
		code := rows[i].QuestionCode
		if prev, ok := s[code]; ok {
			s[code] = append(slices.Clip(prev), rows[i:j]...)
		} else {
			s[code] = rows[i:j:j]
		}
		i = j
	}
}

// labels chooses between labels in the export's language and stored codes.
type labels struct {
	lang, fallback string
	codes          bool
	st             styles // for user texts
	minCell        int    // the smallest group shown, for the notes of withheld figures
}

func (l labels) text(t forms.Text) string { return l.textOr(t, "") }

func (l labels) textOr(t forms.Text, code string) string {
	if l.codes && code != "" {
		return code
	}
	return t.In(l.lang, l.fallback)
}

// responseColumns plans the question columns of the Responses sheet: one
// per question; a multiple choice as one readable column plus a 0/1
// column per option; a ranking as the rank per option; a matrix as one
// column per row; the text of an "other" option in a column of its own.
func responseColumns(def *forms.Definition, l labels) []respColumn {
	var cols []respColumn
	for _, q := range def.Questions() {
		cols = append(cols, questionColumns(q, l)...)
	}
	return cols
}

func questionColumns(q *forms.Question, l labels) []respColumn {
	code, label := q.Code, l.text(q.Label)
	var cols []respColumn
	switch q.Type {
	case forms.TypeNote:
		return nil
	case forms.TypeSingleChoice, forms.TypeMultipleChoice:
		cols = append(cols, newRespColumn(code, label, float64(24+6*boolInt(q.Type == forms.TypeMultipleChoice)), true,
			func(a *answerSet) any { return choices(q, l, (*a)[code]) }))
		if q.Type == forms.TypeMultipleChoice {
			cols = append(cols, optionColumns(q, l, label, func(rows []forms.AnswerRow, o string) any {
				if rows == nil || slices.ContainsFunc(rows, func(r forms.AnswerRow) bool { return r.OptionCode == maskedOption }) {
					return nil
				}
				for _, r := range rows {
					if r.OptionCode == o {
						return 1
					}
				}
				return 0
			})...)
		}
	case forms.TypeRanking:
		cols = append(cols, optionColumns(q, l, label, func(rows []forms.AnswerRow, o string) any {
			for _, r := range rows {
				if r.OptionCode == o {
					return r.Rank
				}
			}
			return nil
		})...)
	case forms.TypeMatrix:
		cols = append(cols, matrixColumns(q, l, label)...)
	case forms.TypeNumber, forms.TypeInteger, forms.TypeScale:
		cols = append(cols, newRespColumn(code, label, 12, false, func(a *answerSet) any {
			if rs := (*a)[code]; len(rs) > 0 && rs[0].Number != nil {
				return *rs[0].Number
			}
			return nil
		}))
	default: // text, long_text, date
		width := 30.0
		if q.Type == forms.TypeLongText {
			width = 60
		}
		cols = append(cols, newRespColumn(code, label, width, true, func(a *answerSet) any {
			if rs := (*a)[code]; len(rs) > 0 {
				return l.st.user(rs[0].Text)
			}
			return nil
		}))
	}
	if hasOther(q) {
		cols = append(cols, newRespColumn(code+"/specify", label+": other, please specify", 30, true, func(a *answerSet) any {
			for _, r := range (*a)[code] {
				if r.Text != "" {
					return l.st.user(r.Text)
				}
			}
			return nil
		}))
	}
	return cols
}

func newRespColumn(code, title string, width float64, wrap bool, v func(a *answerSet) any) respColumn {
	return respColumn{column: column{title: SafeText(title), width: width, wrap: wrap}, code: code, value: v}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// optionColumns gives each option of q a column filled by value.
func optionColumns(q *forms.Question, l labels, label string, value func(rows []forms.AnswerRow, option string) any) []respColumn {
	var cols []respColumn
	for _, o := range q.Options {
		cols = append(cols, newRespColumn(q.Code+"/"+o.Code, label+": "+l.textOr(o.Label, o.Code), 10, false,
			func(a *answerSet) any { return value((*a)[q.Code], o.Code) }))
	}
	return cols
}

// matrixColumns gives each row of a matrix a column with its scale value.
func matrixColumns(q *forms.Question, l labels, label string) []respColumn {
	var cols []respColumn
	for _, row := range q.Rows {
		cols = append(cols, newRespColumn(q.Code+"/"+row.Code, label+": "+l.textOr(row.Label, row.Code), 10, false, func(a *answerSet) any {
			for _, r := range (*a)[q.Code] {
				if r.RowCode == row.Code && r.Number != nil {
					return *r.Number
				}
			}
			return nil
		}))
	}
	return cols
}

func hasOther(q *forms.Question) bool {
	for _, o := range q.Options {
		if o.Other {
			return true
		}
	}
	return false
}

// choices renders the chosen options of a choice question, in
// questionnaire order, joined by "; ".
func choices(q *forms.Question, l labels, rows []forms.AnswerRow) any {
	if len(rows) == 0 {
		return nil
	}
	var parts []string
	for _, r := range rows {
		if r.OptionCode == maskedOption {
			parts = append(parts, maskedOption)
		}
	}
	for _, o := range q.Options {
		for _, r := range rows {
			if r.OptionCode == o.Code {
				parts = append(parts, l.textOr(o.Label, o.Code))
			}
		}
	}
	return l.st.user(strings.Join(parts, "; "))
}

// responseFixed are the columns before the questions'.
// In an anonymous consultation the rows carry no response id, no language
// and the day of submission only, and come in the order of the responses'
// random ids: nothing in a row follows who answered or when.
func responseFixed(a forms.Access) []respColumn {
	if a.Mode == forms.AnonymityAnonymous {
		return []respColumn{
			{column: column{title: "Submitted on (UTC)", width: 14}, code: "submitted_on"},
			{column: column{title: "Stakeholder type", width: 18}, code: "stakeholder_type"},
		}
	}
	fixed := []respColumn{
		{column: column{title: "Response", width: 10}, code: "response_id"},
		{column: column{title: "Submitted (UTC)", width: 18}, code: "submitted_at"},
		{column: column{title: "Stakeholder type", width: 18}, code: "stakeholder_type"},
		{column: column{title: "Language", width: 9}, code: "language"},
	}
	if a.Identities() {
		fixed = append(fixed,
			respColumn{column: column{title: "Organization", width: 30, wrap: true}, code: "organization"},
			respColumn{column: column{title: "Contact name", width: 24}, code: "contact_name"},
			respColumn{column: column{title: "Email", width: 28}, code: "email"})
	}
	return fixed
}

// responseRow renders one response; typeShown hides the stakeholder type of
// a suppressed group.
func responseRow(rec *ResponseRecord, st styles, a forms.Access, typeShown func(string) string, cols []respColumn, set answerSet) []any {
	if t := rec.StakeholderType; typeShown(t) != t {
		// The type is withheld: so is an answer that names it, such as
		// "your organization is".
		for i := range rec.Answers {
			if rec.Answers[i].OptionCode == t {
				rec.Answers[i].OptionCode = maskedOption
			}
		}
	}
	var row []any
	if a.Mode == forms.AnonymityAnonymous {
		day := ""
		if rec.SubmittedAt != nil {
			day = rec.SubmittedAt.Format("2006-01-02")
		}
		row = []any{day, typeShown(rec.StakeholderType)}
	} else {
		submitted := ""
		if rec.SubmittedAt != nil {
			submitted = rec.SubmittedAt.Format("2006-01-02 15:04")
		}
		row = []any{int(rec.ID), submitted, typeShown(rec.StakeholderType), rec.Language}
	}
	if a.Identities() {
		row = append(row, st.user(rec.Organization), st.user(rec.ContactName), st.user(rec.Email))
	}
	set.index(rec.Answers)
	for _, c := range cols {
		row = append(row, c.value(&set))
	}
	return row
}
