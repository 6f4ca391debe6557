package staff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
)

// The preview: any version, draft or published, shown page by page with
// the stakeholder's own renderer, in each of its languages. Moving between
// sections posts the section back to the preview, which evaluates the skip
// logic on the answers given so far — carried from page to page in a
// hidden field, never stored — so that the staff member sees the
// questions appear and the sections skipped as a stakeholder would.

// previewAnswersField and previewLangField are the hidden fields the
// preview adds to the survey's forms.
const (
	previewAnswersField = "preview_answers"
	previewLangField    = "preview_lang"
)

// preview is one request to the preview of a version.
type preview struct {
	c    *gin.Context
	q    *forms.Questionnaire
	form *forms.Form
	view *web.Visit
}

// newPreview compiles the version named by the path (a draft is never
// compiled by the store, which only serves published forms) and prepares
// its pages in lang, or in its default language.
func (s *Pages) newPreview(c *gin.Context, lang string) (*preview, error) {
	q, def, err := s.loadQuestionnaire(c)
	if err != nil {
		return nil, err
	}
	// Themes are not checked: a definition stored before a theme left the
	// taxonomy still shows.
	f, err := forms.Compile(def, nil)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(def.Languages, lang) {
		lang = def.DefaultLanguage
	}
	return &preview{c: c, q: q, form: f, view: &web.Visit{
		Form: f, Lang: lang, Languages: def.Languages,
		Path: fmt.Sprintf("/portal/questionnaires/%d/preview", q.ID), CSRF: httpkit.Session(c).CSRF,
	}}, nil
}

// QuestionnairePreview answers GET /portal/questionnaires/:id/preview
// ?lang=xx&page=N|review: a section, or the review page, as it shows
// before anything is answered.
func (s *Pages) QuestionnairePreview(c *gin.Context) {
	pv, err := s.newPreview(c, c.Query("lang"))
	if err != nil {
		s.failPage(c, err)
		return
	}
	n := len(pv.form.Definition().Sections)
	page := c.Query("page")
	index, err := strconv.Atoi(page)
	switch {
	case page == "review":
		s.previewReview(pv, forms.Answers{})
	case err == nil && index >= 1 && index <= n:
		s.previewSection(pv, web.SectionState{Index: web.ResumeSection(pv.form, forms.Answers{}, index-1), Answers: forms.Answers{}}, http.StatusOK)
	default:
		s.previewSection(pv, web.SectionState{Index: web.ResumeSection(pv.form, forms.Answers{}, 0), Answers: forms.Answers{}}, http.StatusOK)
	}
}

// QuestionnairePreviewPost answers POST /portal/questionnaires/:id/preview,
// where the preview's forms post: the section's answers are checked and
// the next section chosen as for a stakeholder, and nothing is saved.
func (s *Pages) QuestionnairePreviewPost(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		s.failPage(c, httpkit.UploadError(err))
		return
	}
	form := c.Request.PostForm
	pv, err := s.newPreview(c, form.Get(previewLangField))
	if err != nil {
		s.failPage(c, err)
		return
	}
	if form.Get("action") == "submit" {
		redirectNotice(c, fmt.Sprintf("/portal/questionnaires/%d", pv.q.ID), "notice.questionnaires_preview_submitted")
		return
	}
	index, err := strconv.Atoi(form.Get("section"))
	if err != nil || index < 0 || index >= len(pv.form.Definition().Sections) {
		s.failPage(c, httpkit.BadRequest("the preview's form names no section"))
		return
	}
	var carried forms.Answers
	if raw := form.Get(previewAnswersField); raw != "" && json.Unmarshal([]byte(raw), &carried) != nil {
		carried = nil
	}
	s.previewStep(pv, index, carried, form)
}

// previewStep does what postSection does for a stakeholder, but saves
// nothing: the section's answers are merged with those carried, checked,
// and the page that follows is shown — the same section again when
// something is wrong or new questions appeared, else the next section
// shown (or the one before, or the review).
func (s *Pages) previewStep(pv *preview, index int, carried forms.Answers, form url.Values) {
	def := pv.form.Definition()
	saved, _ := pv.form.Check(carried, false)
	posted, problems := web.ParseSection(&def.Sections[index], form, pv.view.Lang)
	// A repeat's add and remove buttons change the entries, as for a
	// stakeholder; the page stays.
	if add, key, n, ok := web.EntryAction(form.Get("action")); ok {
		if changed, ok := web.ChangeEntries(&def.Sections[index], posted, form, add, key, n); ok {
			form = changed
		}
	}
	clean, ve := pv.form.Check(web.MergeSection(def, index, saved, posted), false)
	problems = append(problems, web.InSection(def, index, ve, nil)...)
	action := form.Get("action")
	var appeared map[string]bool
	if action == "next" {
		appeared = web.NewlyShown(pv.form, index, saved, clean, posted)
		if _, final := pv.form.Check(clean, true); final != nil {
			problems = append(problems, web.InSection(def, index, final, appeared)...)
		}
	}
	next := index
	switch {
	case len(problems) > 0 || len(appeared) > 0 || (action != "next" && action != "back"):
		// "save" too: there is nothing to save, so the page stays.
		st := web.SectionState{Index: index, Answers: clean, Posted: form, Problems: problems, New: appeared}
		if len(appeared) > 0 {
			st.Notices = append(st.Notices, "new_questions")
		}
		status := http.StatusOK
		if len(problems) > 0 {
			status = http.StatusUnprocessableEntity
		}
		s.previewSection(pv, st, status)
		return
	case action == "back":
		next = web.PrevSection(pv.form, clean, index)
	case form.Get("return") == "review":
		next = len(def.Sections)
	default:
		next = web.NextSection(pv.form, clean, index)
	}
	s.previewSection(pv, web.SectionState{Index: next, Answers: clean}, http.StatusOK)
}

// previewSection renders a section of the preview.
func (s *Pages) previewSection(pv *preview, st web.SectionState, status int) {
	if st.Index >= len(pv.form.Definition().Sections) {
		s.previewReview(pv, st.Answers)
		return
	}
	s.renderPreview(pv, status, s.render.Section(pv.view, st), st.Answers)
}

// previewReview renders the review page of the preview, with the problems
// a submission would meet.
func (s *Pages) previewReview(pv *preview, answers forms.Answers) {
	var problems []forms.FieldError
	if _, ve := pv.form.Check(answers, true); ve != nil {
		problems = ve.Fields
	}
	s.renderPreview(pv, http.StatusOK, s.render.Review(pv.view, web.ReviewState{Answers: answers, Problems: problems, SubmissionID: "preview"}), answers)
}

// previewBanner is the staff's notice at the top of every preview page, in
// the staff member's language.
var previewBanner = template.Must(template.New("banner").Parse(
	`<div class="notice" role="note" lang="{{.Lang}}" dir="{{.Dir}}"><p><strong>{{.Banner}}</strong> {{.Which}}</p>` +
		`<p><a href="{{.Back}}">{{.BackText}}</a></p></div>`))

// previewFields are the hidden fields added to the preview's forms.
var previewFields = template.Must(template.New("fields").Parse(
	`<input type="hidden" name="` + previewAnswersField + `" value="{{.Answers}}">` +
		`<input type="hidden" name="` + previewLangField + `" value="{{.Lang}}">`))

// renderPreview renders a survey page, then adds the preview's banner
// after the opening of <main> and the carried answers to its form. The
// survey's templates stay those of the stakeholder's pages, untouched.
func (s *Pages) renderPreview(pv *preview, status int, page web.Page, answers forms.Answers) {
	var buf bytes.Buffer
	if err := s.render.Render(&buf, page); err != nil {
		s.failPage(pv.c, err)
		return
	}
	body := buf.Bytes()
	staff := staffCatalog.Messages(savedStaffLang(pv.c))
	var banner bytes.Buffer
	_ = previewBanner.Execute(&banner, map[string]string{
		"Lang": staff.Lang(), "Dir": web.Direction(staff.Lang()), "Banner": staff.T("questionnaires.preview_banner"),
		"Which": staff.T("questionnaires.preview_which", "code", pv.q.Code, "version", pv.q.Version,
			"status", staff.T("state."+pv.q.Status), "language", web.LanguageName(pv.view.Lang)),
		"Back": fmt.Sprintf("/portal/questionnaires/%d", pv.q.ID), "BackText": staff.T("questionnaires.preview_back"),
	})
	const mainTag = `<main id="main" class="wrap" tabindex="-1">`
	body = bytes.Replace(body, []byte(mainTag), append([]byte(mainTag), banner.Bytes()...), 1)
	carried, err := json.Marshal(answers)
	if err != nil {
		s.failPage(pv.c, err)
		return
	}
	var fields bytes.Buffer
	_ = previewFields.Execute(&fields, map[string]string{"Answers": string(carried), "Lang": pv.view.Lang})
	body = bytes.Replace(body, []byte("</form>"), append(fields.Bytes(), "</form>"...), -1)

	h := pv.c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Content-Type", "text/html; charset=utf-8")
	pv.c.Status(status)
	_, _ = pv.c.Writer.Write(body)
	pv.c.Abort()
}
