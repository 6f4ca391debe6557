package staff

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
)

// The comparison of two versions of a questionnaire: forms.Diff finds
// the differences, this page puts them in words.

// qnChangeLine is one change in words.
type qnChangeLine struct {
	What, Before, After string
}

// qnChangeTable is a table of changes with its caption and headings,
// given whole to its template.
type qnChangeTable struct {
	Caption, What, Before, After string
	Lines                        []qnChangeLine
}

// qnQuestionLine is a question added, removed or changed.
type qnQuestionLine struct {
	Code, Section, Type, Label string
	Changes                    *qnChangeTable
}

// qnSectionLine is a section added, removed or changed.
type qnSectionLine struct {
	Code, Kind, Title string
	Changes           *qnChangeTable
}

// qnDiffView is the comparison page; A is the older version.
type qnDiffView struct {
	A, B     qnVersion
	Changes  *qnChangeTable
	Sections []qnSectionLine
	Added    []qnQuestionLine
	Removed  []qnQuestionLine
	Changed  []qnQuestionLine
	Others   []qnVersion // the versions to compare with, when none is chosen
	Chosen   bool
	Same     bool
}

// QuestionnaireDiffPage answers GET /portal/questionnaires/:id/diff?with=:other.
// Without ?with= it lists the versions to compare with.
func (s *Pages) QuestionnaireDiffPage(c *gin.Context) {
	q, def, err := s.loadQuestionnaire(c)
	if err != nil {
		s.failPage(c, err)
		return
	}
	p := s.page(c, "questionnaires.diff_title", "questionnaires")
	view := qnDiffView{A: newQnVersion(q, def)}
	p.Data = &view
	with := c.Query("with")
	if with == "" {
		others, err := s.forms.Questionnaires(c.Request.Context(), forms.QuestionnaireFilter{Code: q.Code})
		if err != nil {
			s.failPage(c, err)
			return
		}
		for i := range others {
			if others[i].ID != q.ID {
				view.Others = append(view.Others, newQnVersion(&others[i], nil))
			}
		}
		renderStaff(c, http.StatusOK, "questionnaires-diff", p)
		return
	}
	otherID, err := strconv.ParseUint(with, 10, 32)
	if err != nil || otherID == 0 {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	o, err := s.forms.Questionnaire(c.Request.Context(), uint(otherID))
	if err != nil {
		s.failPage(c, err)
		return
	}
	odef, err := o.Decode()
	if err != nil {
		s.failPage(c, err)
		return
	}
	if o.Code != q.Code {
		p.Error = p.T("questionnaires.diff_other_code", "code", q.Code, "other", o.Code)
		renderStaff(c, http.StatusUnprocessableEntity, "questionnaires-diff", p)
		return
	}
	a, b, qa, qb := def, odef, q, o
	if o.Version < q.Version {
		a, b, qa, qb = odef, def, o, q
	}
	view.A, view.B, view.Chosen = newQnVersion(qa, a), newQnVersion(qb, b), true
	fillDiff(p, &view, forms.Diff(a, b), b)
	renderStaff(c, http.StatusOK, "questionnaires-diff", p)
}

// fillDiff puts a diff in the page's words; labels are those of the newer
// definition b, in the staff member's language when it has it.
func fillDiff(p *staffPage, view *qnDiffView, d forms.DefinitionDiff, b *forms.Definition) {
	view.Same = d.Empty()
	view.Changes = changeTable(p, p.T("questionnaires.diff_whole"), d.Changes)
	for _, sc := range d.Sections {
		title := sc.Title.In(p.Lang, b.DefaultLanguage)
		view.Sections = append(view.Sections, qnSectionLine{Code: sc.Code, Kind: qnWord(p, "kind", sc.Kind),
			Title: title, Changes: changeTable(p, p.T("questionnaires.diff_section_caption", "code", sc.Code), sc.Changes)})
	}
	ref := func(r forms.QuestionRef) qnQuestionLine {
		return qnQuestionLine{Code: r.Code, Section: r.Section, Type: qnWord(p, "type", r.Type), Label: r.Label.In(p.Lang, b.DefaultLanguage)}
	}
	for _, r := range d.Added {
		view.Added = append(view.Added, ref(r))
	}
	for _, r := range d.Removed {
		view.Removed = append(view.Removed, ref(r))
	}
	for _, qc := range d.Changed {
		view.Changed = append(view.Changed, qnQuestionLine{Code: qc.Code, Section: qc.Section,
			Label: qc.Label.In(p.Lang, b.DefaultLanguage), Changes: changeTable(p, p.T("questionnaires.diff_question_caption", "code", qc.Code), qc.Changes)})
	}
}

// changeTable says each change in words: what changed (the property, the
// item, the language) and its values before and after; nil when nothing
// changed.
func changeTable(p *staffPage, caption string, changes []forms.Change) *qnChangeTable {
	if len(changes) == 0 {
		return nil
	}
	t := &qnChangeTable{Caption: caption, What: p.T("questionnaires.diff_what"),
		Before: p.T("questionnaires.diff_before"), After: p.T("questionnaires.diff_after")}
	for _, ch := range changes {
		what := qnWord(p, "prop", ch.Property)
		if ch.Item != "" {
			what = p.T("questionnaires.change_item", "property", what, "item", ch.Item, "kind", qnWord(p, "kind", ch.Kind))
		}
		if ch.Lang != "" {
			what += " (" + web.LanguageName(ch.Lang) + ")"
		}
		before, after := ch.Before, ch.After
		switch ch.Property {
		case forms.PropRequired:
			before, after = qnWord(p, "bool", before), qnWord(p, "bool", after)
		case forms.PropType:
			before, after = qnWord(p, "type", before), qnWord(p, "type", after)
		}
		t.Lines = append(t.Lines, qnChangeLine{What: what, Before: before, After: after})
	}
	return t
}

// qnWord is the word of a value of a group of words of the catalog
// ("type", "single_choice" → questionnaires.type_single_choice); every
// value of each group has its key, which TestQuestionnaireWords checks.
func qnWord(p *staffPage, group, value string) string {
	return p.T("questionnaires." + group + "_" + value)
}
