package staff

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// Creating a consultation from the workspace (admins, as in the API): the
// admin first picks a published questionnaire version, then fills in the
// consultation's settings, with the languages of that version to choose
// from.

// consultationForm is the view of the new-consultation form, with what the
// admin typed.
type consultationForm struct {
	Questionnaires []forms.Questionnaire // published versions, when none is chosen yet
	Questionnaire  *forms.Questionnaire
	Countries      []forms.Country
	WorkingGroups  []choice
	Clusters       []choice
	Languages      []choice
	Purposes       []string
	Scenarios      []string
	Anonymities    []string
	// What was typed.
	Country, Title, Purpose, WorkingGroup, Cluster, Scenario string
	Opens, Closes, Anonymity, MinCellSize                    string
	Editable                                                 bool
	Chosen                                                   []string
}

// choice is an option of a select list or a checkbox.
type choice struct {
	Value, Label string
	Selected     bool
}

// ConsultationNewPage answers GET /portal/consultations/new?questionnaire=ID.
func (s *Pages) ConsultationNewPage(c *gin.Context) {
	p := s.page(c, "consultations.new_title", "consultations")
	f := &consultationForm{Anonymity: forms.AnonymityConfidential, MinCellSize: strconv.Itoa(forms.DefaultMinCellSize), Editable: true}
	if err := s.fillConsultationForm(c, p, f, c.Query("questionnaire")); err != nil {
		s.failPage(c, err)
		return
	}
	if f.Questionnaire != nil {
		f.Chosen = f.Questionnaire.LanguageList()
		f.Languages = languageChoices(f.Questionnaire, f.Chosen)
	}
	p.Data = f
	renderStaff(c, http.StatusOK, "consultations-new", p)
}

// fillConsultationForm loads the form's lists: the published versions
// when qid is empty or unknown, the chosen version otherwise.
func (s *Pages) fillConsultationForm(c *gin.Context, p *staffPage, f *consultationForm, qid string) error {
	ctx := c.Request.Context()
	f.Purposes = []string{"issue_identification", "self_assessment_input", "other"}
	f.Scenarios = []string{"A", "B", "C"}
	f.Anonymities = []string{forms.AnonymityNamed, forms.AnonymityConfidential, forms.AnonymityAnonymous}
	if n, err := strconv.ParseUint(qid, 10, 32); err == nil {
		q, err := s.forms.Questionnaire(ctx, uint(n))
		if err == nil && q.Status == forms.StatusPublished {
			f.Questionnaire = q
		} else if err != nil && !errors.Is(err, forms.ErrNotFound) {
			return err
		}
	}
	if f.Questionnaire == nil {
		var err error
		f.Questionnaires, err = s.forms.Questionnaires(ctx, forms.QuestionnaireFilter{Status: forms.StatusPublished})
		return err
	}
	countries, err := s.forms.Countries(ctx)
	if err != nil {
		return err
	}
	scope := httpkit.Principal(c).Scope()
	for _, ct := range countries {
		if scope.Allows(ct.ISO3) {
			f.Countries = append(f.Countries, ct)
		}
	}
	themes, err := s.forms.Themes(ctx)
	if err != nil {
		return err
	}
	for _, t := range themes {
		ch := choice{Value: t.Code, Label: t.Code + " – " + themeName(t, p.Lang)}
		switch {
		case t.Kind == forms.ThemeWorkingGroup:
			ch.Selected = t.Code == f.WorkingGroup
			f.WorkingGroups = append(f.WorkingGroups, ch)
		case t.Kind == forms.ThemeCluster:
			ch.Selected = t.Code == f.Cluster
			f.Clusters = append(f.Clusters, ch)
		}
	}
	return nil
}

// themeName is a theme's name in lang, or in English.
func themeName(t forms.Theme, lang string) string {
	if n := t.Names[lang]; n != "" {
		return n
	}
	return t.Name
}

// languageChoices are the questionnaire's languages as checkboxes.
func languageChoices(q *forms.Questionnaire, chosen []string) []choice {
	var out []choice
	for _, l := range q.LanguageList() {
		out = append(out, choice{Value: l, Label: web.LanguageName(l), Selected: slices.Contains(chosen, l)})
	}
	return out
}

// ConsultationCreate answers POST /portal/consultations.
func (s *Pages) ConsultationCreate(c *gin.Context) {
	p := s.page(c, "consultations.new_title", "consultations")
	f := &consultationForm{
		Country: c.PostForm("country"), Title: c.PostForm("title"), Purpose: c.PostForm("purpose"),
		WorkingGroup: c.PostForm("working_group"), Cluster: c.PostForm("cluster"), Scenario: c.PostForm("scenario"),
		Opens: c.PostForm("opens_at"), Closes: c.PostForm("closes_at"), Anonymity: c.PostForm("anonymity"),
		MinCellSize: c.PostForm("min_cell_size"), Editable: c.PostForm("editable_after_submit") == "yes",
		Chosen: c.PostFormArray("languages"),
	}
	if err := s.fillConsultationForm(c, p, f, c.PostForm("questionnaire_id")); err != nil {
		s.failPage(c, err)
		return
	}
	in, problems := consultationInput(p, f)
	if f.Questionnaire == nil {
		problems = append(problems, pageProblem{Field: p.T("consultations.field_questionnaire_id"), Problem: p.T("consultations.problem_questionnaire")})
	}
	if len(problems) == 0 {
		who := httpkit.Principal(c)
		cons, err := s.forms.CreateConsultation(c.Request.Context(), who.Scope(), in, &who.UserID)
		var ve *forms.ValidationError
		switch {
		case errors.As(err, &ve):
			problems = labeledProblems(p, ve)
		case err != nil:
			s.failPage(c, err)
			return
		default:
			s.recorder.Record(c, audit.ConsultationCreate, "consultation", cons.ID, cons.CountryISO3, map[string]any{"questionnaire_id": cons.QuestionnaireID, "via": "portal"})
			redirectNotice(c, consultationPath(cons.ID), "notice.consultations_created")
			return
		}
	}
	if f.Questionnaire != nil {
		f.Languages = languageChoices(f.Questionnaire, f.Chosen)
	}
	p.Data, p.Error, p.Problems = f, p.T("consultations.new_problems"), problems
	renderStaff(c, http.StatusUnprocessableEntity, "consultations-new", p)
}

// consultationInput reads the form into the store's input; what cannot be
// read (a date, a number) is a problem of its field.
func consultationInput(p *staffPage, f *consultationForm) (forms.ConsultationInput, []pageProblem) {
	in := forms.ConsultationInput{Country: f.Country, Title: f.Title, Purpose: f.Purpose, WorkingGroup: f.WorkingGroup,
		Cluster: f.Cluster, Scenario: f.Scenario, Languages: f.Chosen, Anonymity: f.Anonymity}
	if f.Questionnaire != nil {
		in.QuestionnaireID = f.Questionnaire.ID
	}
	editable := f.Editable
	in.EditableAfterSubmit = &editable
	var problems []pageProblem
	bad := func(field, problem string) {
		problems = append(problems, pageProblem{Field: fieldLabel(p, field), Problem: p.T(problem)})
	}
	var wrong bool
	if in.OpensAt, wrong = startOfDay(f.Opens); wrong {
		bad("opens_at", "consultations.problem_date")
	}
	if in.ClosesAt, wrong = endOfDay(f.Closes); wrong {
		bad("closes_at", "consultations.problem_date")
	}
	if v := strings.TrimSpace(f.MinCellSize); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			bad("min_cell_size", "consultations.problem_min_cell")
		} else {
			in.MinCellSize = &n
		}
	}
	if f.Questionnaire != nil && len(f.Chosen) == 0 {
		bad("languages", "consultations.problem_languages")
	}
	for _, l := range f.Chosen {
		if f.Questionnaire != nil && !slices.Contains(f.Questionnaire.LanguageList(), l) {
			bad("languages", "consultations.problem_languages")
			break
		}
	}
	return in, problems
}
