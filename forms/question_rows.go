package forms

import (
	"strconv"

	"gorm.io/gorm"
)

// QuestionRow is a question of a published version, stored as a row so that
// answers can be aggregated with SQL: joined to its themes and choices,
// grouped by code across versions.
type QuestionRow struct {
	ID              uint   `gorm:"primaryKey" json:"-"`
	QuestionnaireID uint   `json:"questionnaire_id"`
	Code            string `json:"code"`
	Type            string `json:"type"`
	SectionCode     string `json:"section"`
	SectionPosition int    `json:"section_position"`
	Position        int    `json:"position"`
	Required        bool   `json:"required"`
	Label           string `json:"label"`
	// RepeatCode is the repeat the question is asked in, once per entry;
	// empty outside repeats.
	RepeatCode string `json:"repeat,omitempty"`
}

// TableName names the table of question rows.
func (QuestionRow) TableName() string { return "questions" }

// QuestionTheme tags a question (or one matrix row, when RowCode is set)
// with a theme of the taxonomy.
type QuestionTheme struct {
	QuestionnaireID uint   `gorm:"primaryKey;autoIncrement:false"`
	QuestionCode    string `gorm:"primaryKey"`
	RowCode         string `gorm:"primaryKey"`
	ThemeCode       string `gorm:"primaryKey"`
}

// Choice kinds of QuestionChoice.
const (
	ChoiceOption = "option"
	ChoiceRow    = "row"
	ChoicePoint  = "point"
)

// QuestionChoice is an option, matrix row or scale point of a published
// question, with its label in the default language.
type QuestionChoice struct {
	QuestionnaireID uint   `gorm:"primaryKey;autoIncrement:false"`
	QuestionCode    string `gorm:"primaryKey"`
	Kind            string `gorm:"primaryKey"`
	Code            string `gorm:"primaryKey"`
	Position        int
	Value           *int
	Label           string
	Other           bool
	Missing         bool
}

// storeQuestions writes the rows of a version being published.
func storeQuestions(tx *gorm.DB, questionnaireID uint, def *Definition) error {
	w := &questionWriter{id: questionnaireID, lang: def.DefaultLanguage}
	for si, sec := range def.Sections {
		w.questions(sec.Questions, sec.Code, si+1, "")
	}
	if err := createAll(tx, w.rows); err != nil {
		return err
	}
	if err := createAll(tx, w.themes); err != nil {
		return err
	}
	return createAll(tx, w.choices)
}

// questionWriter collects the rows of a version's questions.
type questionWriter struct {
	id       uint
	lang     string
	position int
	rows     []QuestionRow
	themes   []QuestionTheme
	choices  []QuestionChoice
}

// questions adds the rows of some questions of a section, those of a
// repeat after it.
func (w *questionWriter) questions(qs []Question, section string, sectionPosition int, repeat string) {
	id, lang := w.id, w.lang
	for _, q := range qs {
		w.position++
		w.rows = append(w.rows, QuestionRow{
			QuestionnaireID: id, Code: q.Code, Type: q.Type,
			SectionCode: section, SectionPosition: sectionPosition, Position: w.position,
			Required: q.Required, Label: q.Label.In(lang, lang), RepeatCode: repeat,
		})
		for _, t := range dedupe(q.Themes) {
			w.themes = append(w.themes, QuestionTheme{id, q.Code, "", t})
		}
		seen := map[string]bool{}
		for i, o := range q.Options {
			if seen[o.Code] {
				continue // the same code under another filter value: one choice
			}
			seen[o.Code] = true
			w.choices = append(w.choices, QuestionChoice{
				QuestionnaireID: id, QuestionCode: q.Code, Kind: ChoiceOption,
				Code: o.Code, Position: i + 1, Label: o.Label.In(lang, lang), Other: o.Other,
			})
		}
		for i, r := range q.Rows {
			w.choices = append(w.choices, QuestionChoice{
				QuestionnaireID: id, QuestionCode: q.Code, Kind: ChoiceRow,
				Code: r.Code, Position: i + 1, Label: r.Label.In(lang, lang),
			})
			for _, t := range dedupe(r.Themes) {
				w.themes = append(w.themes, QuestionTheme{id, q.Code, r.Code, t})
			}
		}
		for i, p := range q.Scale {
			v := p.Value
			w.choices = append(w.choices, QuestionChoice{
				QuestionnaireID: id, QuestionCode: q.Code, Kind: ChoicePoint,
				Code: strconv.Itoa(p.Value), Position: i + 1, Value: &v,
				Label: p.Label.In(lang, lang), Missing: p.Missing,
			})
		}
		if q.Type == TypeRepeat {
			w.questions(q.Questions, section, sectionPosition, q.Code)
		}
	}
}

// createAll inserts rows in batches; GORM refuses an empty slice.
func createAll[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, 200).Error
}

func dedupe(codes []string) []string {
	seen := make(map[string]bool, len(codes))
	out := codes[:0:0]
	for _, c := range codes {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
