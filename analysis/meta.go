package analysis

import (
	"context"
	"slices"
	"strconv"

	"github.com/unodc-csu/agora/forms"
)

// version is one published questionnaire version taking part in an
// aggregation.
type version struct {
	id  uint
	num int
	def *forms.Definition
}

// question is what the aggregation knows of a question: its definition
// (from the newest version that has it) and the versions whose answers are
// counted for it. Versions where the code has another type are left out,
// since their answers would not mean the same thing.
type question struct {
	info     QuestionInfo
	def      *forms.Question
	options  []labelled // options, in definition order, older versions' extra ones after
	points   []point
	rows     []matrixRow
	versions []uint // questionnaire ids
	lang     string
	fallback string
}

type labelled struct {
	code, label string
	other       bool
}

type point struct {
	value   int
	label   string
	missing bool
}

type matrixRow struct {
	code, label string
	themes      []string
}

// positions is the number of places of a ranking: its maximum number of
// ranked options when it has one, else its number of options.
func (q *question) positions() int {
	n := len(q.options)
	if q.def.Max != nil && int(*q.def.Max) > 0 && int(*q.def.Max) < n {
		return int(*q.def.Max)
	}
	return n
}

// hasOther reports whether an option asks to specify.
func (q *question) hasOther() bool {
	return slices.ContainsFunc(q.options, func(o labelled) bool { return o.other })
}

// inVersion reports whether answers of questionnaire id count for q.
func (q *question) inVersion(id uint) bool { return slices.Contains(q.versions, id) }

// loadVersions reads published versions, newest first. The definitions are
// the questionnaires themselves, a few kilobytes each, not answers.
func (a *Analyzer) loadVersions(ctx context.Context, where string, args ...any) ([]version, error) {
	var rows []forms.Questionnaire
	err := a.db.WithContext(ctx).Where("status = ?", forms.StatusPublished).Where(where, args...).
		Order("version DESC").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]version, 0, len(rows))
	for i := range rows {
		def, err := rows[i].Decode()
		if err != nil {
			return nil, err
		}
		out = append(out, version{id: rows[i].ID, num: rows[i].Version, def: def})
	}
	return out, nil
}

// buildQuestions merges versions (newest first) into one question list,
// joined by code, in the newest version's order; questions only older
// versions have come after, in their order. Notes are left out.
func buildQuestions(versions []version, lang string) []*question {
	var list []*question
	byCode := map[string]*question{}
	for _, v := range versions {
		fallback := v.def.DefaultLanguage
		for si := range v.def.Sections {
			sec := &v.def.Sections[si]
			for qi := range sec.Questions {
				fq := &sec.Questions[qi]
				if fq.Type == forms.TypeNote {
					continue
				}
				q := byCode[fq.Code]
				if q == nil {
					q = newQuestion(fq, sec.Code, lang, fallback)
					byCode[fq.Code] = q
					list = append(list, q)
				} else if q.info.Type != fq.Type {
					continue
				}
				q.versions = append(q.versions, v.id)
				q.merge(fq)
			}
		}
	}
	return list
}

func newQuestion(fq *forms.Question, section, lang, fallback string) *question {
	return &question{
		info: QuestionInfo{
			Code: fq.Code, Type: fq.Type, Section: section,
			Label: fq.Label.In(lang, fallback), Themes: slices.Clone(fq.Themes),
		},
		def: fq, lang: lang, fallback: fallback,
	}
}

// merge adds the options, points and rows of one version not known yet.
func (q *question) merge(fq *forms.Question) {
	for _, o := range fq.Options {
		if !slices.ContainsFunc(q.options, func(x labelled) bool { return x.code == o.Code }) {
			q.options = append(q.options, labelled{o.Code, o.Label.In(q.lang, q.fallback), o.Other})
		}
	}
	for _, p := range fq.Scale {
		if !slices.ContainsFunc(q.points, func(x point) bool { return x.value == p.Value }) {
			q.points = append(q.points, point{p.Value, p.Label.In(q.lang, q.fallback), p.Missing})
		}
	}
	for _, r := range fq.Rows {
		if !slices.ContainsFunc(q.rows, func(x matrixRow) bool { return x.code == r.Code }) {
			q.rows = append(q.rows, matrixRow{r.Code, r.Label.In(q.lang, q.fallback), slices.Clone(r.Themes)})
		}
	}
}

// optionLabel returns the label of an option code, or the code itself for
// an option no version defines.
func (q *question) optionLabel(code string) string {
	for _, o := range q.options {
		if o.code == code {
			return o.label
		}
	}
	return code
}

// pointOf returns the scale point of a value, or an unlabelled one.
func (q *question) pointOf(v int) point {
	for _, p := range q.points {
		if p.value == v {
			return p
		}
	}
	return point{value: v, label: strconv.Itoa(v)}
}

// questionKinds lists the questions some queries single out.
type questionKinds struct {
	numbers []string // number and integer: quartiles
	texts   []string // listed: text questions and choices with an "other" option
}

func kinds(qs []*question) questionKinds {
	var k questionKinds
	for _, q := range qs {
		switch q.info.Type {
		case forms.TypeNumber, forms.TypeInteger:
			k.numbers = append(k.numbers, q.info.Code)
		case forms.TypeText, forms.TypeLongText, forms.TypeDate:
			k.texts = append(k.texts, q.info.Code)
		}
		if q.hasOther() {
			k.texts = append(k.texts, q.info.Code)
		}
	}
	return k
}
