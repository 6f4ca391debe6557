package staff

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// The questionnaires' pages of the staff workspace: the list of every
// version, a version's outline and actions, publishing and new versions.
// Uploads are in workspace_questionnaires_upload.go, the preview in
// workspace_questionnaires_preview.go and the comparison in
// workspace_questionnaires_diff.go. They call the same store functions as
// /api/v1/questionnaires and record the same audit events.

// qnVersion is one version of a questionnaire as the list shows it.
type qnVersion struct {
	ID                          uint
	Code, Title, Status         string
	Version, Questions          int
	Languages                   []string
	Created, Updated, Published string
}

// qnGroup is one questionnaire code with its versions, newest first.
type qnGroup struct {
	Code     string
	Versions []qnVersion
}

// qnListView is the list page.
type qnListView struct {
	Groups  []qnGroup
	IsAdmin bool
}

const qnDate = "2006-01-02 15:04"

func newQnVersion(q *forms.Questionnaire, def *forms.Definition) qnVersion {
	v := qnVersion{ID: q.ID, Code: q.Code, Title: q.Title, Status: q.Status, Version: q.Version,
		Languages: q.LanguageList(), Created: q.CreatedAt.UTC().Format(qnDate), Updated: q.UpdatedAt.UTC().Format(qnDate)}
	if q.PublishedAt != nil {
		v.Published = q.PublishedAt.UTC().Format(qnDate)
	}
	if def != nil {
		v.Questions = len(def.Questions())
	}
	return v
}

// QuestionnairesPage answers GET /portal/questionnaires.
func (s *Pages) QuestionnairesPage(c *gin.Context) {
	ctx := c.Request.Context()
	p := s.page(c, "questionnaires.title", "questionnaires")
	// The question counts need the definitions.
	list, err := s.forms.Questionnaires(ctx, forms.QuestionnaireFilter{Definitions: true})
	if err != nil {
		s.failPage(c, err)
		return
	}
	view := qnListView{IsAdmin: p.User.HasRole(accounts.RoleAdmin)}
	for i := range list {
		q := &list[i]
		def, err := q.Decode()
		if err != nil {
			s.failPage(c, err)
			return
		}
		if n := len(view.Groups); n == 0 || view.Groups[n-1].Code != q.Code {
			view.Groups = append(view.Groups, qnGroup{Code: q.Code})
		}
		g := &view.Groups[len(view.Groups)-1]
		g.Versions = append(g.Versions, newQnVersion(q, def))
	}
	p.Data = view
	renderStaff(c, http.StatusOK, "questionnaires-list", p)
}

// qnQuestion is one line of a version's outline.
type qnQuestion struct {
	Code, Type, Label, Relevant string
	Themes                      []string
	Required                    bool
}

// qnSection is one section of the outline.
type qnSection struct {
	Code, Title, Relevant string
	Questions             []qnQuestion
}

// qnLanguage is one language of a version, with its preview link.
type qnLanguage struct {
	Code, Name, Dir string
	Default         bool
}

// qnShowView is a version's page.
type qnShowView struct {
	qnVersion
	Kind     string
	Sections []qnSection
	Langs    []qnLanguage
	Others   []qnVersion // the other versions of the same code
	IsAdmin  bool
	// PublishProblem is set when a publish was asked without confirming.
	PublishProblem bool
}

// loadQuestionnaire reads the version named by the :id path parameter.
func (s *Pages) loadQuestionnaire(c *gin.Context) (*forms.Questionnaire, *forms.Definition, error) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.loadQuestionnaireID(c, id)
}

// loadQuestionnaireID reads the version id.
func (s *Pages) loadQuestionnaireID(c *gin.Context, id uint) (*forms.Questionnaire, *forms.Definition, error) {
	q, err := s.forms.Questionnaire(c.Request.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	def, err := q.Decode()
	if err != nil {
		return nil, nil, err
	}
	return q, def, nil
}

// QuestionnairePage answers GET /portal/questionnaires/:id.
func (s *Pages) QuestionnairePage(c *gin.Context) {
	s.showQuestionnaire(c, http.StatusOK, "")
}

// showQuestionnaire renders a version's page with status, and an error
// sentence when an action on it failed.
func (s *Pages) showQuestionnaire(c *gin.Context, status int, problem string) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.renderQuestionnaire(c, id, status, problem, "", nil)
}

// renderQuestionnaire renders version id's page: with an error sentence
// when an action on it failed, or with a notice and the warnings of the
// upload that made it.
func (s *Pages) renderQuestionnaire(c *gin.Context, id uint, status int, problem, notice string, warnings []pageProblem) {
	q, def, err := s.loadQuestionnaireID(c, id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	p := s.page(c, "questionnaires.show_title", "questionnaires")
	p.Title = p.T("questionnaires.show_heading", "title", q.Title, "version", q.Version)
	p.Error = problem
	if notice != "" {
		p.Notice, p.Warnings = p.T(notice), warnings
	}
	view := qnShowView{qnVersion: newQnVersion(q, def), Kind: def.Kind, IsAdmin: p.User.HasRole(accounts.RoleAdmin),
		PublishProblem: problem != ""}
	for _, l := range def.Languages {
		view.Langs = append(view.Langs, qnLanguage{Code: l, Name: web.LanguageName(l), Dir: web.Direction(l), Default: l == def.DefaultLanguage})
	}
	for _, sec := range def.Sections {
		qs := qnSection{Code: sec.Code, Title: staffText(sec.Title, p.Lang, def), Relevant: sec.Relevant}
		for _, qu := range sec.Questions {
			qs.Questions = append(qs.Questions, qnQuestion{Code: qu.Code, Type: qu.Type, Label: staffText(qu.Label, p.Lang, def),
				Relevant: qu.Relevant, Themes: qu.Themes, Required: qu.Required})
		}
		view.Sections = append(view.Sections, qs)
	}
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
	p.Data = view
	renderStaff(c, status, "questionnaires-show", p)
}

// staffText shows a questionnaire text in the staff member's language when
// the questionnaire has it, else in its default language.
func staffText(t forms.Text, lang string, def *forms.Definition) string {
	return t.In(lang, def.DefaultLanguage)
}

// PublishQuestionnairePage answers POST /portal/questionnaires/:id/publish:
// the form must carry confirm=yes, the box that says a published version
// no longer changes.
func (s *Pages) PublishQuestionnairePage(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, err)
		return
	}
	if c.PostForm("confirm") != "yes" {
		p := s.page(c, "questionnaires.show_title", "questionnaires")
		s.showQuestionnaire(c, http.StatusUnprocessableEntity, p.T("questionnaires.publish_unconfirmed"))
		return
	}
	q, err := s.forms.PublishQuestionnaire(c.Request.Context(), id)
	if err != nil {
		s.questionnaireActionFailed(c, err)
		return
	}
	s.recorder.Record(c, audit.QuestionnairePublish, "questionnaire", q.ID, "", map[string]any{"code": q.Code, "version": q.Version, "via": "portal"})
	redirectNotice(c, fmt.Sprintf("/portal/questionnaires/%d", q.ID), "notice.questionnaires_published")
}

// NewVersionPage answers POST /portal/questionnaires/:id/versions: a draft
// copy of this version becomes the code's next version, to be changed by
// upload. Refused (409) while the code has a draft already.
func (s *Pages) NewVersionPage(c *gin.Context) {
	_, def, err := s.loadQuestionnaire(c)
	if err != nil {
		s.failPage(c, err)
		return
	}
	q, err := s.forms.CreateQuestionnaire(c.Request.Context(), def, &httpkit.Principal(c).UserID)
	if err != nil {
		s.questionnaireActionFailed(c, err)
		return
	}
	redirectNotice(c, fmt.Sprintf("/portal/questionnaires/%d", q.ID), "notice.questionnaires_new_version")
}

// questionnaireActionFailed shows a refused action (a conflict, a
// definition the taxonomy no longer accepts) on the version's page with
// the store's reason; anything else is an error page.
func (s *Pages) questionnaireActionFailed(c *gin.Context, err error) {
	var ce *forms.ConflictError
	var ve *forms.ValidationError
	switch {
	case errors.As(err, &ce):
		s.showQuestionnaire(c, http.StatusConflict, ce.Reason)
	case errors.As(err, &ve):
		s.showQuestionnaire(c, http.StatusUnprocessableEntity, ve.Error())
	default:
		s.failPage(c, err)
	}
}
