// Package forms is the domain of data collection in Agora: questionnaire
// definitions and their validation, the theme taxonomy and the country list,
// versioning, answer validation and relevance expressions, and their
// persistence. It knows nothing of HTTP.
package forms

// Text is a human-readable text in several languages: language code → text.
type Text map[string]string

// In returns the text in lang, falling back to fallback, then to any
// non-empty translation so that a label is never blank when one exists.
func (t Text) In(lang, fallback string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t[fallback]; s != "" {
		return s
	}
	for _, l := range Languages {
		if s := t[l]; s != "" {
			return s
		}
	}
	return ""
}

// Languages are the six official UN languages, the languages Agora speaks.
var Languages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// Questionnaire kinds.
const (
	KindIssueIdentification = "issue_identification"
	KindSelfAssessmentInput = "self_assessment_input"
	KindOther               = "other"
)

// Question types.
const (
	TypeSingleChoice   = "single_choice"
	TypeMultipleChoice = "multiple_choice"
	TypeText           = "text"
	TypeLongText       = "long_text"
	TypeNumber         = "number"
	TypeInteger        = "integer"
	TypeDate           = "date"
	TypeScale          = "scale"
	TypeRanking        = "ranking"
	TypeMatrix         = "matrix"
	TypeNote           = "note"
	// TypeCalculate is a value computed on the server from earlier answers
	// (its Calculation), never asked and never taken from the client.
	TypeCalculate = "calculate"
	// TypeRepeat asks its Questions once per entry: the members of a
	// household, the projects of an organization.
	TypeRepeat = "repeat"
)

// QuestionTypes lists every question type a definition may use.
var QuestionTypes = []string{
	TypeSingleChoice, TypeMultipleChoice, TypeText, TypeLongText, TypeNumber,
	TypeInteger, TypeDate, TypeScale, TypeRanking, TypeMatrix, TypeNote,
	TypeCalculate, TypeRepeat,
}

// Definition is a questionnaire as authored: the JSON form described in
// docs/questionnaire-format.md. XLSForm spreadsheets map onto it.
type Definition struct {
	Code            string    `json:"code"`
	Version         int       `json:"version,omitempty"`
	Kind            string    `json:"kind"`
	DefaultLanguage string    `json:"default_language"`
	Languages       []string  `json:"languages"`
	Title           Text      `json:"title"`
	Description     Text      `json:"description,omitempty"`
	Sections        []Section `json:"sections"`
}

// Section is one page of a questionnaire.
type Section struct {
	Code        string     `json:"code"`
	Title       Text       `json:"title"`
	Description Text       `json:"description,omitempty"`
	Relevant    string     `json:"relevant,omitempty"`
	Questions   []Question `json:"questions"`
	// Appearance is a rendering hint carried over from XLSForm (a group's
	// "field-list"), written back when the questionnaire is exported.
	Appearance string `json:"appearance,omitempty"`
}

// Question is one question. Which of the optional fields apply depends on
// Type: Options (and ChoiceFilter) for single_choice, multiple_choice and
// ranking; Scale for scale and matrix; Rows for matrix; Calculation for
// calculate; Questions and RepeatCount for repeat.
type Question struct {
	Code              string       `json:"code"`
	Type              string       `json:"type"`
	Label             Text         `json:"label"`
	Hint              Text         `json:"hint,omitempty"`
	Required          bool         `json:"required,omitempty"`
	RequiredMessage   Text         `json:"required_message,omitempty"`
	Themes            []string     `json:"themes,omitempty"`
	Relevant          string       `json:"relevant,omitempty"`
	Constraint        string       `json:"constraint,omitempty"`
	ConstraintMessage Text         `json:"constraint_message,omitempty"`
	Options           []Option     `json:"options,omitempty"`
	Scale             []ScalePoint `json:"scale,omitempty"`
	Rows              []Row        `json:"rows,omitempty"`
	// Min and Max bound number and integer answers; for multiple_choice and
	// ranking they bound how many options are selected or ranked.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// MaxLength bounds text answers in characters; zero means the default
	// (DefaultTextLength for text, DefaultLongTextLength for long_text).
	MaxLength int `json:"max_length,omitempty"`
	// Appearance is a rendering hint carried over from XLSForm (e.g. "likert").
	Appearance string `json:"appearance,omitempty"`
	// Calculation is the expression a calculate question's value is
	// computed by.
	Calculation string `json:"calculation,omitempty"`
	// ChoiceFilter, on a choice or ranking question, is an expression that
	// keeps the options it holds for: `option` is the option (its code and
	// attributes), the other names are earlier answers (a cascading select).
	ChoiceFilter string `json:"choice_filter,omitempty"`
	// RepeatCount, on a repeat, is an expression over earlier answers that
	// gives the number of entries; without it the respondent adds and
	// removes entries, between Min and Max.
	RepeatCount string `json:"repeat_count,omitempty"`
	// Questions are a repeat's questions, asked once per entry.
	Questions []Question `json:"questions,omitempty"`
}

// Option is one choice of a choice or ranking question. An option with Other
// set asks the respondent to specify, stored as the answer's text.
type Option struct {
	Code  string `json:"code"`
	Label Text   `json:"label"`
	Other bool   `json:"other,omitempty"`
	// Attributes are values a choice filter tests, such as the state a
	// county is in: {"state": "texas"}.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// ScalePoint is one labelled point of a scale or matrix. Missing marks a
// point such as "Don't know" that is counted but left out of means.
type ScalePoint struct {
	Value   int  `json:"value"`
	Label   Text `json:"label"`
	Missing bool `json:"missing,omitempty"`
}

// Row is one row of a matrix question.
type Row struct {
	Code   string   `json:"code"`
	Label  Text     `json:"label"`
	Themes []string `json:"themes,omitempty"`
}

// Default text limits, in characters.
const (
	DefaultTextLength     = 500
	DefaultLongTextLength = 10000
)

// Questions returns every question of the definition in order, the
// questions of a repeat right after it.
func (d *Definition) Questions() []*Question {
	var qs []*Question
	for si := range d.Sections {
		qs = appendQuestions(qs, d.Sections[si].Questions)
	}
	return qs
}

func appendQuestions(qs []*Question, list []Question) []*Question {
	for i := range list {
		qs = append(qs, &list[i])
		qs = appendQuestions(qs, list[i].Questions)
	}
	return qs
}

// Question returns the question with the given code, or nil.
func (d *Definition) Question(code string) *Question {
	for _, q := range d.Questions() {
		if q.Code == code {
			return q
		}
	}
	return nil
}

// Option returns the (first) option with the given code, or nil.
func (q *Question) Option(code string) *Option {
	for i := range q.Options {
		if q.Options[i].Code == code {
			return &q.Options[i]
		}
	}
	return nil
}

// Point returns the scale point with the given value, or nil.
func (q *Question) Point(value int) *ScalePoint {
	for i := range q.Scale {
		if q.Scale[i].Value == value {
			return &q.Scale[i]
		}
	}
	return nil
}

// Asked reports whether the question takes an answer from the respondent:
// notes only show a text, calculations are computed.
func (q *Question) Asked() bool {
	return q.Type != TypeNote && q.Type != TypeCalculate
}

// TextLimit is the longest text answer accepted for q, in characters.
func (q *Question) TextLimit() int {
	switch {
	case q.MaxLength > 0:
		return q.MaxLength
	case q.Type == TypeLongText:
		return DefaultLongTextLength
	default:
		return DefaultTextLength
	}
}
