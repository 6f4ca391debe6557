package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unodc-csu/agora/forms"
)

// ReviewPage lists every answer before the final submit, with a way back
// to each section.
type ReviewPage struct {
	Layout
	Action, CSRF string
	// SubmissionID is drawn when the page is made, so that submitting it
	// twice (a double click, a reload) submits once.
	SubmissionID string
	Sections     []ReviewSection
	Errors       []ErrorLink
	Resubmit     bool
}

func (*ReviewPage) template() string { return "review" }

// ReviewSection is one section's answers.
type ReviewSection struct {
	Title Txt
	Items []ReviewItem
}

// ReviewItem is one question and its answer.
type ReviewItem struct {
	Label     Txt
	Answer    []Txt // one line each; empty when unanswered
	Ordered   bool  // a ranking: the lines are in rank order
	Error     string
	ChangeURL string // empty when the answers cannot change
}

// ReviewState is what the review page shows.
type ReviewState struct {
	Answers      forms.Answers
	Problems     []forms.FieldError
	SubmissionID string
	Resubmit     bool
}

// Review builds the review page.
func (r *Renderer) Review(v *Visit, st ReviewState) *ReviewPage {
	m := r.cat.Messages(v.Lang)
	p := &ReviewPage{Action: v.Path, CSRF: v.CSRF, SubmissionID: st.SubmissionID, Resubmit: st.Resubmit}
	p.Layout = r.layout(v, m.T("review_title"), url.Values{"page": {"review"}})
	// A problem of a repeat's entry is shown on the repeat.
	byCode := map[string]forms.FieldError{}
	for key, fe := range problemsByQuestion(st.Problems) {
		top, _, _ := strings.Cut(key, ".")
		if prev, seen := byCode[top]; !seen || fe.Path < prev.Path {
			byCode[top] = fe
		}
	}
	p.Sections = r.answerSections(v, st.Answers, true, func(q *forms.Question, item *ReviewItem) {
		if fe, ok := byCode[q.Code]; ok {
			if key, _, _ := locate(fe.Path); key != q.Code {
				if inner := v.Form.Definition().Question(lastCode(key)); inner != nil {
					q = inner
				}
			}
			item.Error = r.problem(v, q, fe)
			p.Errors = append(p.Errors, ErrorLink{Href: item.ChangeURL, Label: item.Label, Message: item.Error})
		}
	})
	p.HasErrors = len(p.Errors) > 0
	return p
}

// DonePage confirms a submission with its receipt and a printable copy of
// the answers; later visits see it too, read-only unless the consultation
// lets answers change until it closes.
type DonePage struct {
	Layout
	Fresh       bool // just submitted: thank the stakeholder
	Receipt     string
	SubmittedAt string
	Sections    []ReviewSection
	Editable    bool
	Pending     bool // changes saved but not submitted again
	EditURL     string
}

func (*DonePage) template() string { return "done" }

// DoneState is what the confirmation shows.
type DoneState struct {
	Answers     forms.Answers
	Receipt     string
	SubmittedAt time.Time
	Fresh       bool
	Editable    bool
	Pending     bool
	// DayOnly shows the day of the submission without its time.
	DayOnly bool
}

// Done builds the confirmation page.
func (r *Renderer) Done(v *Visit, st DoneState) *DonePage {
	m := r.cat.Messages(v.Lang)
	title := m.T("your_answers")
	if st.Fresh {
		title = m.T("done_title")
	}
	p := &DonePage{
		Fresh: st.Fresh, Receipt: st.Receipt, Editable: st.Editable, Pending: st.Pending,
		SubmittedAt: submittedAt(st),
		EditURL:     v.Path + "?page=1",
	}
	p.Layout = r.layout(v, title, url.Values{"page": {"done"}})
	p.Sections = r.answerSections(v, st.Answers, false, nil)
	return p
}

// answerSections lists the answers to the sections and questions shown,
// with change links when change is set; each item passes through fn.
func (r *Renderer) answerSections(v *Visit, a forms.Answers, change bool, fn func(*forms.Question, *ReviewItem)) []ReviewSection {
	def := v.Form.Definition()
	shownSections, shown := v.Form.VisibleSections(a), v.Form.Visible(a)
	m := r.cat.Messages(v.Lang)
	var out []ReviewSection
	for si := range def.Sections {
		sec := &def.Sections[si]
		if !shownSections[sec.Code] {
			continue
		}
		rs := ReviewSection{Title: v.txt(sec.Title)}
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			if !shown[q.Code] || !q.Asked() {
				continue
			}
			item := ReviewItem{Label: v.txt(q.Label), Answer: v.answerLines(q, a, m), Ordered: q.Type == forms.TypeRanking}
			if change {
				anchor := v.question(q, answerSource(a)).ID
				item.ChangeURL = v.Path + "?page=" + strconv.Itoa(si+1) + "&return=review#" + anchor
			}
			if fn != nil {
				fn(q, &item)
			}
			rs.Items = append(rs.Items, item)
		}
		out = append(out, rs)
	}
	return out
}

// answerLines shows the answer to q as lines of text: option and scale
// labels rather than codes, the stakeholder's own words as they wrote them.
func (v *Visit) answerLines(q *forms.Question, a forms.Answers, m Messages) []Txt {
	src := answerSource(a)
	colon := m.T("colon")
	var lines []Txt
	switch q.Type {
	case forms.TypeSingleChoice:
		lines = v.optionLines(q, []string{src.str(q.Code)}, src, colon)
	case forms.TypeMultipleChoice, forms.TypeRanking:
		lines = v.optionLines(q, src.list(q.Code), src, colon)
	case forms.TypeScale:
		if p := point(q, src.str(q.Code)); p != nil {
			lines = append(lines, v.txt(p.Label))
		}
	case forms.TypeRepeat:
		lines = v.entryLines(q, src, m)
	case forms.TypeMatrix:
		for _, row := range q.Rows {
			if p := point(q, src.cell(q.Code, row.Code)); p != nil {
				t := v.txt(row.Label)
				t.S += " — " + v.txt(p.Label).S
				lines = append(lines, t)
			}
		}
	default:
		if s := src.str(q.Code); s != "" {
			lines = append(lines, plain(s))
		}
	}
	return lines
}

// entryLines shows the entries of a repeat: a line per answer, led by the
// entry's number and the question, "Entry 2 – Name: Ana".
func (v *Visit) entryLines(q *forms.Question, src answerSource, m Messages) []Txt {
	var lines []Txt
	for i := 0; hasEntry(src[q.Code], i); i++ {
		entry, _ := src.entry(q.Code, i).(answerSource)
		lead := m.T("entry_n", "n", i+1)
		for ci := range q.Questions {
			c := &q.Questions[ci]
			if !c.Asked() {
				continue
			}
			for _, l := range v.answerLines(c, forms.Answers(entry), m) {
				l.S = lead + " – " + v.txt(c.Label).S + m.T("colon") + l.S
				lines = append(lines, l)
			}
		}
	}
	return lines
}

// hasEntry reports whether a repeat's answer has entry i (from 0).
func hasEntry(v any, i int) bool {
	switch list := v.(type) {
	case []forms.Answers:
		return i < len(list)
	case []any:
		return i < len(list)
	}
	return false
}

// optionLines shows chosen options by label, with the "please specify"
// text after its option.
func (v *Visit) optionLines(q *forms.Question, codes []string, src source, colon string) []Txt {
	var lines []Txt
	for _, c := range codes {
		o := q.Option(c)
		if o == nil {
			continue
		}
		t := v.txt(o.Label)
		if other := src.str(q.Code + forms.OtherSuffix); o.Other && other != "" {
			t.S += colon + other
		}
		lines = append(lines, t)
	}
	return lines
}

// point finds the scale point of a field value.
func point(q *forms.Question, s string) *forms.ScalePoint {
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	return q.Point(n)
}

// submittedAt writes when the answers were submitted, to the minute or to
// the day.
func submittedAt(st DoneState) string {
	if st.DayOnly {
		return st.SubmittedAt.UTC().Format("2006-01-02")
	}
	return st.SubmittedAt.UTC().Format("2006-01-02 15:04 UTC")
}
