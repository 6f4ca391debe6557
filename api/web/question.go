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
	kindRepeat     = "repeat"
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

	Repeat *RepeatView // repeat: its entries
	// Follows is set on a cascading select whose choices follow an answer
	// on the same page: the page offers to update them. NoChoices is set
	// when the answers so far leave no choice.
	Follows   bool
	NoChoices bool
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
	// entry is the source of entry i (from 0) of repeat code.
	entry(code string, i int) source
}

// question builds the view of q filled from src, outside repeats.
func (v *Visit) question(q *forms.Question, src source) *QuestionView {
	return v.questionAt(q, src, "", nil)
}

// questionAt builds the view of q filled from src: prefix names the entry
// of a repeat it is asked in ("members.2.", empty outside repeats), shown
// what the answers show (which options of a cascading select, how many
// entries); nil shows every option and no entry.
func (v *Visit) questionAt(q *forms.Question, src source, prefix string, shown *forms.Shown) *QuestionView {
	key := prefix + q.Code
	qv := &QuestionView{
		Code: fieldID(key), Name: key, ID: "q-" + fieldID(key),
		Label: v.txt(q.Label), Hint: v.txt(q.Hint), Required: q.Required,
	}
	switch q.Type {
	case forms.TypeSingleChoice, forms.TypeMultipleChoice:
		v.choices(qv, q, src, offeredOptions(q, key, shown))
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
		v.ranking(qv, q, src, offeredOptions(q, key, shown))
	case forms.TypeRepeat:
		v.repeat(qv, q, src, prefix, shown)
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

// offeredOptions lists the indexes of the options of q shown: those its choice
// filter keeps over the answers, every one without a filter.
func offeredOptions(q *forms.Question, key string, shown *forms.Shown) []int {
	if q.ChoiceFilter != "" && shown != nil {
		return shown.Options[key]
	}
	all := make([]int, len(q.Options))
	for i := range all {
		all[i] = i
	}
	return all
}

func (v *Visit) choices(qv *QuestionView, q *forms.Question, src source, shown []int) {
	qv.Kind = kindRadios
	chosen := map[string]bool{src.str(q.Code): true}
	if q.Type == forms.TypeMultipleChoice {
		qv.Kind = kindCheckboxes
		chosen = map[string]bool{}
		for _, c := range src.list(q.Code) {
			chosen[c] = true
		}
	}
	seen := map[string]bool{}
	for _, i := range shown {
		o := q.Options[i]
		if seen[o.Code] {
			continue // the same code under two filter values
		}
		seen[o.Code] = true
		qv.Options = append(qv.Options, OptionView{ID: qv.ID + "-" + fieldID(o.Code), Value: o.Code, Label: v.txt(o.Label), Checked: chosen[o.Code]})
		if o.Other && qv.Other == nil {
			qv.Other = otherView(qv, q.Code, src)
		}
	}
	qv.NoChoices = len(shown) == 0
}

func otherView(qv *QuestionView, code string, src source) *OtherView {
	return &OtherView{ID: qv.ID + "--other", Name: qv.Name + forms.OtherSuffix, Value: src.str(code + forms.OtherSuffix)}
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
		mr := MatrixRow{ID: qv.ID + "-" + row.Code, Name: qv.Name + "." + row.Code, Label: v.txt(row.Label)}
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

func (v *Visit) ranking(qv *QuestionView, q *forms.Question, src source, shown []int) {
	qv.Kind, qv.Max = kindRanking, len(shown)
	if q.Max != nil && int(*q.Max) >= 1 && int(*q.Max) < qv.Max {
		qv.Max = int(*q.Max)
	}
	choices := make([]int, qv.Max)
	for i := range choices {
		choices[i] = i + 1
	}
	seen := map[string]bool{}
	for _, i := range shown {
		o := q.Options[i]
		if seen[o.Code] {
			continue
		}
		seen[o.Code] = true
		qv.Ranks = append(qv.Ranks, RankView{
			ID: qv.ID + "-" + fieldID(o.Code), Name: qv.Name + rankInfix + o.Code,
			Label: v.txt(o.Label), Selected: src.rank(q.Code, o.Code), Choices: choices,
		})
		if o.Other && qv.Other == nil {
			qv.Other = otherView(qv, q.Code, src)
		}
	}
	qv.NoChoices = len(shown) == 0
	if len(qv.Ranks) > 0 {
		qv.ID = qv.Ranks[0].ID
	}
}

// fieldID makes a value or a field name usable in an id: "-1" becomes
// "m1", "members.2.age" becomes "members-2-age".
func fieldID(s string) string {
	return strings.NewReplacer("-", "m", ".", "-").Replace(s)
}
