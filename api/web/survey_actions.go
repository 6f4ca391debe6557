package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// Post answers POST /s/{token}. Every form of the pages posts here,
// naming what it wants in the action field: next, back or save from a
// section, submit from the review page, start from an open link's page.
func (s *Survey) Post(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderPage(c, http.StatusRequestEntityTooLarge, s.statusPage(c, nil, "too_large"))
			return
		}
		s.renderPage(c, http.StatusBadRequest, s.statusPage(c, nil, "bad_request"))
		return
	}
	sess, err := s.guard.Session(c)
	if err != nil {
		s.linkProblem(c, sess, err)
		return
	}
	token := c.Param("token")
	if !httpkit.SameOrigin(c.Request, s.links.Configured()) || !s.csrfValid(token, c.Request.PostForm.Get("csrf")) {
		p := s.statusPage(c, sess, "csrf")
		p.Link, p.LinkText = "/s/"+url.PathEscape(token), p.M.T("back_to_start")
		s.renderPage(c, http.StatusForbidden, p)
		return
	}
	action := c.Request.PostForm.Get("action")
	if sess.OpenLink {
		s.startOpenVisit(c, sess)
		return
	}
	s.unlockByCookie(c, sess)
	v := s.newVisit(c, sess, sess.Language())
	switch {
	case action == "unlock":
		s.postUnlock(v)
	case action == "submit":
		// First, even when the answers are locked: a repeated submission
		// is answered with its receipt.
		s.postSubmit(v)
	case !sess.Editable():
		// Submitted and locked: there is nothing to change, only to see.
		c.Redirect(http.StatusSeeOther, v.view.Path)
	case action == "next", action == "back", action == "save", action == "refresh",
		strings.HasPrefix(action, "add:"), strings.HasPrefix(action, "remove:"):
		s.postSection(v, action)
	default:
		s.renderPage(c, http.StatusBadRequest, s.statusPage(c, sess, "bad_request"))
	}
}

// postSection saves the answers of one section, leniently: everything valid
// is kept even when something is not. The stakeholder then moves on, or
// stays to see what is wrong, or to answer questions that their answers
// just made appear. Adding or removing a repeat's entry, and updating the
// choices of a cascading select (refresh), save the page and show it again.
func (s *Survey) postSection(v *surveyVisit, action string) {
	c, sess := v.c, v.sess
	def := sess.Form.Definition()
	index, err := strconv.Atoi(c.Request.PostForm.Get("section"))
	if err != nil || index < 0 || index >= len(def.Sections) {
		s.renderPage(c, http.StatusBadRequest, s.statusPage(c, sess, "bad_request"))
		return
	}
	form := c.Request.PostForm
	posted, problems := ParseSection(&def.Sections[index], form, v.view.Lang)
	var notice string
	switch add, key, n, isEntry := EntryAction(action); {
	case isEntry:
		changed, ok := ChangeEntries(&def.Sections[index], posted, form, add, key, n)
		if !ok {
			s.renderPage(c, http.StatusBadRequest, s.statusPage(c, sess, "bad_request"))
			return
		}
		form, notice = changed, "entries_changed"
	case action == "refresh":
		notice = "choices_updated"
	case strings.HasPrefix(action, "add:"), strings.HasPrefix(action, "remove:"):
		s.renderPage(c, http.StatusBadRequest, s.statusPage(c, sess, "bad_request"))
		return
	}
	saved := sess.Answers()
	clean, ve := sess.Form.Check(MergeSection(def, index, saved, posted), false)
	problems = append(problems, InSection(def, index, ve, nil)...)
	var appeared map[string]bool
	if action == "next" {
		appeared = NewlyShown(sess.Form, index, saved, clean, posted)
		if _, final := sess.Form.Check(clean, true); final != nil {
			problems = append(problems, InSection(def, index, final, appeared)...)
		}
	}
	stay := len(problems) > 0 || len(appeared) > 0 || notice != ""
	next := index
	switch {
	case stay || action == "save":
	case action == "back":
		next = PrevSection(sess.Form, clean, index)
	case c.Request.PostForm.Get("return") == "review":
		next = len(def.Sections)
	default:
		next = NextSection(sess.Form, clean, index)
	}
	if _, _, err := s.forms.SaveSection(c.Request.Context(), sess, index, posted, next); err != nil {
		s.saveFailed(v, err)
		return
	}
	switch {
	case stay:
		s.stayOnSection(v, index, form, clean, problems, appeared, notice)
	case action == "save":
		s.renderPage(c, http.StatusOK, s.render.Saved(v.view, s.links.Survey(v.token)))
	case next >= len(def.Sections):
		c.Redirect(http.StatusSeeOther, v.view.Path+"?page=review")
	default:
		c.Redirect(http.StatusSeeOther, v.view.Path+"?page="+strconv.Itoa(next+1))
	}
}

// stayOnSection shows a section again with what was posted (form), the
// problems found, the questions that appeared and a notice (a catalog
// key, or empty).
func (s *Survey) stayOnSection(v *surveyVisit, index int, form url.Values, clean forms.Answers, problems []forms.FieldError, appeared map[string]bool, notice string) {
	st := SectionState{
		Index: index, Answers: clean, Posted: form, Problems: problems, New: appeared,
		Return: v.c.Request.PostForm.Get("return"),
	}
	if st.Return != "review" {
		st.Return = ""
	}
	if notice != "" {
		st.Notices = append(st.Notices, notice)
	}
	if len(appeared) > 0 {
		st.Notices = append(st.Notices, "new_questions")
	}
	s.decorate(v, &st)
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.renderPage(v.c, status, s.render.Section(v.view, st))
}

// saveFailed answers a save or submit refused by the store.
func (s *Survey) saveFailed(v *surveyVisit, err error) {
	if errors.Is(err, forms.ErrLinkLocked) || errors.Is(err, forms.ErrReceiptRequired) {
		v.c.Redirect(http.StatusSeeOther, v.view.Path)
		return
	}
	s.pageError(v.c, err)
}

// postSubmit submits the saved answers. The submission id was drawn when
// the review page was made: the same page submitted twice submits once.
func (s *Survey) postSubmit(v *surveyVisit) {
	id := strings.TrimSpace(v.c.Request.PostForm.Get("submission_id"))
	receipt, err := s.forms.Submit(v.c.Request.Context(), v.sess, id, nil)
	var ve *forms.ValidationError
	switch {
	case errors.As(err, &ve) && !strings.HasPrefix(firstPath(ve), "/submission_id"):
		s.showReview(v, ve.Fields, http.StatusUnprocessableEntity)
	case ve != nil:
		s.renderPage(v.c, http.StatusBadRequest, s.statusPage(v.c, v.sess, "bad_request"))
	case err != nil:
		s.saveFailed(v, err)
	case v.sess.Response == nil || v.sess.Response.ID != receipt.ResponseID:
		// The id of a submission made through another link.
		s.renderPage(v.c, http.StatusBadRequest, s.statusPage(v.c, v.sess, "bad_request"))
	default:
		s.showDone(v, true)
	}
}

func firstPath(ve *forms.ValidationError) string {
	if len(ve.Fields) == 0 {
		return ""
	}
	return ve.Fields[0].Path
}

// startOpenVisit gives a visitor of an open link a personal link of their
// own, with the stakeholder type they declared, and sends them to it.
func (s *Survey) startOpenVisit(c *gin.Context, sess *forms.Session) {
	form := c.Request.PostForm
	lang := form.Get("language")
	if !slices.Contains(offered(sess), lang) {
		lang = s.browserLanguage(c, sess)
	}
	v := s.newVisit(c, sess, lang)
	if !s.visits.Allow(c.ClientIP()) {
		s.tooManyRequests(c, sess)
		return
	}
	kind := form.Get("stakeholder_type")
	if !slices.Contains(forms.StakeholderTypes, kind) {
		s.renderPage(c, http.StatusUnprocessableEntity, s.render.Open(v.view, "", true))
		return
	}
	token, err := s.forms.StartOpenVisit(c.Request.Context(), sess, kind, lang)
	if err != nil {
		s.pageError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/s/"+token)
}

// MergeSection is what SaveSection will save: the saved answers with the
// section's replaced by those posted.
func MergeSection(def *forms.Definition, index int, saved, posted forms.Answers) forms.Answers {
	merged := make(forms.Answers, len(saved)+len(posted))
	for k, v := range saved {
		merged[k] = v
	}
	for _, q := range def.Sections[index].Questions {
		delete(merged, q.Code)
		delete(merged, q.Code+forms.OtherSuffix)
	}
	for k, v := range posted {
		merged[k] = v
	}
	return merged
}

// InSection keeps the problems of ve that concern the questions of section
// index, leaving out the questions in skip.
func InSection(def *forms.Definition, index int, ve *forms.ValidationError, skip map[string]bool) []forms.FieldError {
	if ve == nil {
		return nil
	}
	var out []forms.FieldError
	for _, fe := range ve.Fields {
		key, _, _ := strings.Cut(strings.TrimPrefix(fe.Path, "/answers/"), "/")
		code := strings.TrimSuffix(key, forms.OtherSuffix)
		if skip[code] {
			continue
		}
		if slices.ContainsFunc(def.Sections[index].Questions, func(q forms.Question) bool { return q.Code == code }) {
			out = append(out, fe)
		}
	}
	return out
}

// NewlyShown lists the unanswered questions of section index that the new
// answers show and the saved ones did not: the page the stakeholder
// answered did not have them.
func NewlyShown(f *forms.Form, index int, before, after, posted forms.Answers) map[string]bool {
	was, is := f.Visible(before), f.Visible(after)
	out := map[string]bool{}
	for _, q := range f.Definition().Sections[index].Questions {
		if _, answered := posted[q.Code]; is[q.Code] && !was[q.Code] && !answered && q.Type != forms.TypeNote {
			out[q.Code] = true
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
