package web

import (
	"net/url"
	"strconv"

	"github.com/unodc-csu/agora/forms"
)

// SectionPage is one section of the questionnaire as a form.
type SectionPage struct {
	Layout
	Action      string // where the form posts: the link's address
	CSRF        string
	Index       int // the section's index in the questionnaire, posted back
	Number      int // its position among the sections shown, from 1
	Total       int // how many sections are shown
	Title       Txt
	Description Txt
	Questions   []*QuestionView
	Errors      []ErrorLink
	First       bool // no section before it: no Back button
	Last        bool // the next step is the review
	Return      string
	// Notices are catalog keys of messages shown above the questions.
	Notices []string
	// PersonalLink is shown to a visitor who came through an open link,
	// until they save for the first time, so that they can bookmark it.
	PersonalLink string
	// Privacy tells, on the first page, who will see the answers.
	Privacy string
}

func (*SectionPage) template() string { return "section" }

// ErrorLink is one line of the error summary, leading to the field at fault.
type ErrorLink struct {
	Href    string
	Label   Txt
	Message string
}

// SectionState is what a section page shows: the answers, and after a post
// what was posted and what was wrong with it.
type SectionState struct {
	Index int
	// Answers are the saved answers (clean): they decide which sections and
	// questions are shown, and fill the fields when nothing was posted.
	Answers forms.Answers
	// Posted, when set, fills the fields of this section instead, so that a
	// page shown again after an error shows exactly what was typed.
	Posted url.Values
	// Problems are the problems found, located by "/answers/..." paths.
	Problems []forms.FieldError
	// New marks the questions that the posted answers made appear.
	New          map[string]bool
	Return       string
	Notices      []string
	PersonalLink string
}

// Section builds the page of one section.
func (r *Renderer) Section(v *Visit, st SectionState) *SectionPage {
	def := v.Form.Definition()
	sec := &def.Sections[st.Index]
	query := url.Values{"page": {strconv.Itoa(st.Index + 1)}}
	p := &SectionPage{
		Action: v.Path, CSRF: v.CSRF, Index: st.Index,
		Title: v.txt(sec.Title), Description: v.txt(sec.Description),
		Return: st.Return, Notices: st.Notices, PersonalLink: st.PersonalLink,
	}
	p.Layout = r.layout(v, p.Title.S, query)
	p.Number, p.Total, p.First, p.Last = progress(v.Form.VisibleSections(st.Answers), def, st.Index)
	if p.First {
		p.Privacy = r.privacy(v)
	}
	var src source = answerSource(st.Answers)
	if st.Posted != nil {
		src = postedSource(st.Posted)
	}
	shown := v.Form.Show(st.Answers)
	onPage := map[string]bool{}
	for _, q := range sec.Questions {
		onPage[q.Code] = true
	}
	byKey := problemsByQuestion(st.Problems)
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if !shown.Visible[q.Code] || q.Type == forms.TypeCalculate {
			continue
		}
		qv := v.questionAt(q, src, "", shown)
		qv.New = st.New[q.Code]
		p.Questions = append(p.Questions, qv)
	}
	walkViews(p.Questions, func(qv *QuestionView, q *forms.Question) {
		if fe, ok := byKey[qv.Name]; ok {
			qv.Error = r.problem(v, q, fe)
			qv.setDescribedBy()
			p.Errors = append(p.Errors, ErrorLink{Href: "#" + qv.ID, Label: qv.Label, Message: qv.Error})
		}
		for _, ref := range v.Form.ChoicesDependOn(q.Code) {
			qv.Follows = qv.Follows || onPage[ref]
		}
	}, v.Form.Definition())
	p.HasErrors = len(p.Errors) > 0
	return p
}

// walkViews calls fn on every question view, those of repeat entries too,
// with its question.
func walkViews(qvs []*QuestionView, fn func(*QuestionView, *forms.Question), def *forms.Definition) {
	for _, qv := range qvs {
		if q := def.Question(lastCode(qv.Name)); q != nil {
			fn(qv, q)
		}
		if qv.Repeat != nil {
			for _, e := range qv.Repeat.Entries {
				walkViews(e.Questions, fn, def)
			}
		}
	}
}

// progress places section index among the sections shown: its number, the
// total, and whether it is the first or the last of them.
func progress(shown map[string]bool, def *forms.Definition, index int) (n, total int, first, last bool) {
	first, last = true, true
	for i, s := range def.Sections {
		if !shown[s.Code] && i != index {
			continue
		}
		total++
		switch {
		case i < index:
			first = false
		case i == index:
			n = total
		default:
			last = false
		}
	}
	return n, total, first, last
}

// NextSection returns the index of the first section shown after index, or
// len(sections) — the review — when there is none.
func NextSection(f *forms.Form, a forms.Answers, index int) int {
	def := f.Definition()
	shown := f.VisibleSections(a)
	for i := index + 1; i < len(def.Sections); i++ {
		if shown[def.Sections[i].Code] {
			return i
		}
	}
	return len(def.Sections)
}

// PrevSection returns the index of the last section shown before index, or
// index itself when there is none.
func PrevSection(f *forms.Form, a forms.Answers, index int) int {
	def := f.Definition()
	shown := f.VisibleSections(a)
	for i := min(index, len(def.Sections)) - 1; i >= 0; i-- {
		if shown[def.Sections[i].Code] {
			return i
		}
	}
	return index
}

// ResumeSection returns where a stakeholder resumes: section index when it
// is shown, else the next one shown (or the review).
func ResumeSection(f *forms.Form, a forms.Answers, index int) int {
	def := f.Definition()
	if index < 0 {
		index = 0
	}
	if index >= len(def.Sections) {
		return len(def.Sections)
	}
	if f.VisibleSections(a)[def.Sections[index].Code] {
		return index
	}
	return NextSection(f, a, index)
}
