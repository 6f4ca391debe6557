package web

import (
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// Kinds of control a question is shown with.
const (
	kindRadios     = "radios"
	kindCheckboxes = "checkboxes"
	kindInput      = "input"
	kindTextarea   = "textarea"
	kindMatrix     = "matrix"
	kindRanking    = "ranking"
	kindNote       = "note"
)

// QuestionView is one question with its controls, filled with the answer.
type QuestionView struct {
	Code     string
	Kind     string
	Name     string // the field name of inputs, radios and checkboxes
	ID       string // id of the first control: where the error summary leads
	Label    Txt
	Hint     Txt
	Required bool
	Error    string
	New      bool
	// DescribedBy lists the ids of the hint and the error.
	DescribedBy string

	// input and textarea
	Value     string
	InputType string // "text" or "date"
	InputMode string // "decimal", "numeric" or ""
	MaxLength int
	DateHint  bool

	Options []OptionView // radios, checkboxes, with Other for "please specify"
	Other   *OtherView
	Inline  bool // scale points side by side

	Columns []Txt // matrix: the scale points
	Rows    []MatrixRow

	Ranks []RankView // ranking: one select per option
	Max   int        // ranking: ranks offered, 1..Max
}

// OptionView is one radio or checkbox.
type OptionView struct {
	ID, Value string
	Label     Txt
	Checked   bool
}

// OtherView is the "please specify" input of a choice question.
type OtherView struct {
	ID, Name, Value string
}

// MatrixRow is one row of a matrix: a group of radios over the scale.
type MatrixRow struct {
	ID    string // id of the row header
	Name  string // name of the row's radios: CODE.ROW
	Label Txt
	Cells []OptionView
}

// RankView is the select that ranks one option.
type RankView struct {
	ID, Name string
	Label    Txt
	Selected int // 0 when not ranked
	Choices  []int
}

// source gives the current value of the fields of a question: the saved
// answers, or what was just posted.
type source interface {
	str(code string) string
	list(code string) []string
	cell(code, row string) string
	rank(code, option string) int
}

// question builds the view of q filled from src.
func (v *Visit) question(q *forms.Question, src source) *QuestionView {
	qv := &QuestionView{
		Code: q.Code, Name: q.Code, ID: "q-" + q.Code,
		Label: v.txt(q.Label), Hint: v.txt(q.Hint), Required: q.Required,
	}
	switch q.Type {
	case forms.TypeSingleChoice, forms.TypeMultipleChoice:
		v.choices(qv, q, src)
	case forms.TypeScale:
		qv.Kind, qv.Inline = kindRadios, q.Appearance == "likert" || len(q.Scale) <= 7
		chosen := src.str(q.Code)
		for _, p := range q.Scale {
			val := strconv.Itoa(p.Value)
			qv.Options = append(qv.Options, OptionView{ID: qv.ID + "-" + fieldID(val), Value: val, Label: v.txt(p.Label), Checked: chosen == val})
		}
	case forms.TypeText, forms.TypeLongText, forms.TypeNumber, forms.TypeInteger, forms.TypeDate:
		v.input(qv, q, src)
	case forms.TypeMatrix:
		v.matrix(qv, q, src)
	case forms.TypeRanking:
		v.ranking(qv, q, src)
	default:
		qv.Kind = kindNote
	}
	if len(qv.Options) > 0 {
		qv.ID = qv.Options[0].ID
	}
	qv.setDescribedBy()
	return qv
}

// setDescribedBy points the controls at the hint and the error.
func (qv *QuestionView) setDescribedBy() {
	var ids []string
	if qv.Hint.S != "" || qv.DateHint || qv.Kind == kindRanking {
		ids = append(ids, "q-"+qv.Code+"-hint")
	}
	if qv.Error != "" {
		ids = append(ids, "q-"+qv.Code+"-error")
	}
	qv.DescribedBy = strings.Join(ids, " ")
}

func (v *Visit) choices(qv *QuestionView, q *forms.Question, src source) {
	qv.Kind = kindRadios
	chosen := map[string]bool{src.str(q.Code): true}
	if q.Type == forms.TypeMultipleChoice {
		qv.Kind = kindCheckboxes
		chosen = map[string]bool{}
		for _, c := range src.list(q.Code) {
			chosen[c] = true
		}
	}
	for _, o := range q.Options {
		qv.Options = append(qv.Options, OptionView{ID: "q-" + q.Code + "-" + o.Code, Value: o.Code, Label: v.txt(o.Label), Checked: chosen[o.Code]})
		if o.Other && qv.Other == nil {
			qv.Other = otherView(q.Code, src)
		}
	}
}

func otherView(code string, src source) *OtherView {
	key := code + forms.OtherSuffix
	return &OtherView{ID: "q-" + code + "--other", Name: key, Value: src.str(key)}
}

func (v *Visit) input(qv *QuestionView, q *forms.Question, src source) {
	qv.Kind, qv.InputType, qv.Value = kindInput, "text", src.str(q.Code)
	switch q.Type {
	case forms.TypeLongText:
		qv.Kind, qv.MaxLength = kindTextarea, q.TextLimit()
	case forms.TypeText:
		qv.MaxLength = q.TextLimit()
	case forms.TypeNumber:
		qv.InputMode = "decimal"
	case forms.TypeInteger:
		qv.InputMode = "numeric"
	case forms.TypeDate:
		qv.InputType, qv.DateHint = "date", true
	}
}

func (v *Visit) matrix(qv *QuestionView, q *forms.Question, src source) {
	qv.Kind = kindMatrix
	for _, p := range q.Scale {
		qv.Columns = append(qv.Columns, v.txt(p.Label))
	}
	for _, row := range q.Rows {
		mr := MatrixRow{ID: "q-" + q.Code + "-" + row.Code, Name: q.Code + "." + row.Code, Label: v.txt(row.Label)}
		chosen := src.cell(q.Code, row.Code)
		for i, p := range q.Scale {
			val := strconv.Itoa(p.Value)
			mr.Cells = append(mr.Cells, OptionView{
				ID: mr.ID + "-" + fieldID(val), Value: val, Label: qv.Columns[i], Checked: chosen == val,
			})
		}
		qv.Rows = append(qv.Rows, mr)
	}
	if len(qv.Rows) > 0 && len(qv.Rows[0].Cells) > 0 {
		qv.ID = qv.Rows[0].Cells[0].ID
	}
}

func (v *Visit) ranking(qv *QuestionView, q *forms.Question, src source) {
	qv.Kind, qv.Max = kindRanking, len(q.Options)
	if q.Max != nil && int(*q.Max) >= 1 && int(*q.Max) < qv.Max {
		qv.Max = int(*q.Max)
	}
	choices := make([]int, qv.Max)
	for i := range choices {
		choices[i] = i + 1
	}
	for _, o := range q.Options {
		qv.Ranks = append(qv.Ranks, RankView{
			ID: "q-" + q.Code + "-" + o.Code, Name: q.Code + rankInfix + o.Code,
			Label: v.txt(o.Label), Selected: src.rank(q.Code, o.Code), Choices: choices,
		})
		if o.Other && qv.Other == nil {
			qv.Other = otherView(q.Code, src)
		}
	}
	if len(qv.Ranks) > 0 {
		qv.ID = qv.Ranks[0].ID
	}
}

// fieldID makes a scale value usable in an id: "-1" becomes "m1".
func fieldID(s string) string { return strings.ReplaceAll(s, "-", "m") }
