package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// surveyVisit is one request to a stakeholder's link: the session it leads
// to and how to show it.
type surveyVisit struct {
	c     *gin.Context
	sess  *forms.Session
	token string
	view  *Visit
}

// newVisit prepares the pages of a session in lang.
func (s *Survey) newVisit(c *gin.Context, sess *forms.Session, lang string) *surveyVisit {
	token := c.Param("token")
	return &surveyVisit{c: c, sess: sess, token: token, view: &Visit{
		Form: sess.Form, Lang: lang, Languages: offered(sess),
		Path: "/s/" + url.PathEscape(token), CSRF: s.csrfToken(token),
	}}
}

// offered lists the languages a consultation offers.
func offered(sess *forms.Session) []string {
	if langs := sess.Consultation.LanguageList(); len(langs) > 0 {
		return langs
	}
	return sess.Form.Definition().Languages
}

// Page answers GET /s/{token}: the page where the stakeholder left
// off, or the one asked for with ?page=N|review|done.
func (s *Survey) Page(c *gin.Context) {
	sess, err := s.guard.Session(c)
	if err != nil {
		s.linkProblem(c, sess, err)
		return
	}
	ctx := c.Request.Context()
	lang := c.Query("lang")
	switch {
	case slices.Contains(offered(sess), lang):
		if err := s.forms.SetLanguage(ctx, sess, lang); err != nil {
			s.pageError(c, err)
			return
		}
	case sess.OpenLink:
		lang = s.browserLanguage(c, sess)
	default:
		lang = sess.Language()
	}
	v := s.newVisit(c, sess, lang)
	if sess.OpenLink {
		s.renderPage(c, http.StatusOK, s.render.Open(v.view, "", false))
		return
	}
	if err := s.forms.MarkOpened(ctx, sess); err != nil {
		s.pageError(c, err)
		return
	}
	s.showPage(v, c.Query("page"))
}

// showPage renders the page named by the page query.
func (s *Survey) showPage(v *surveyVisit, page string) {
	sess := v.sess
	n := len(sess.Form.Definition().Sections)
	index, err := strconv.Atoi(page)
	switch {
	case !sess.Editable() || (page == "done" && sess.Submitted()):
		s.showDone(v, false)
	case page == "review":
		s.showReview(v, nil, http.StatusOK)
	case err == nil && index >= 1 && index <= n:
		s.showSection(v, ResumeSection(sess.Form, sess.Answers(), index-1))
	case sess.Submitted() && !sess.Response.Pending:
		s.showDone(v, false)
	case sess.Response != nil:
		s.showSection(v, ResumeSection(sess.Form, sess.Answers(), sess.Response.Section))
	default:
		s.showSection(v, ResumeSection(sess.Form, sess.Answers(), 0))
	}
}

// showSection renders section index as saved, or the review page when the
// index is past the last section.
func (s *Survey) showSection(v *surveyVisit, index int) {
	if index >= len(v.sess.Form.Definition().Sections) {
		s.showReview(v, nil, http.StatusOK)
		return
	}
	st := SectionState{Index: index, Answers: v.sess.Answers()}
	if v.c.Query("return") == "review" {
		st.Return = "review"
	}
	s.decorate(v, &st)
	s.renderPage(v.c, http.StatusOK, s.render.Section(v.view, st))
}

// decorate adds the notices every section page may carry.
func (s *Survey) decorate(v *surveyVisit, st *SectionState) {
	sess := v.sess
	if sess.Submitted() {
		st.Notices = append(st.Notices, "editing_submitted")
	}
	if sess.Invitation != nil && sess.Invitation.OpenVisit && sess.Response == nil {
		st.PersonalLink = s.links.Survey(v.c, v.token)
	}
}

// showReview renders the review page with a fresh submission id. Problems
// are those of a submission that failed; without them, the saved answers
// are checked as a submission would be, so the stakeholder sees what is
// missing before trying.
func (s *Survey) showReview(v *surveyVisit, problems []forms.FieldError, status int) {
	answers := v.sess.Answers()
	if problems == nil {
		if _, ve := v.sess.Form.Check(answers, true); ve != nil {
			problems = ve.Fields
		}
	}
	id, err := forms.NewToken()
	if err != nil {
		s.pageError(v.c, err)
		return
	}
	page := s.render.Review(v.view, ReviewState{
		Answers: answers, Problems: problems, SubmissionID: id, Resubmit: v.sess.Submitted(),
	})
	s.renderPage(v.c, status, page)
}

// showDone renders the receipt and the answers; fresh right after a
// submission.
func (s *Survey) showDone(v *surveyVisit, fresh bool) {
	resp := v.sess.Response
	if resp == nil || resp.Receipt == nil || resp.SubmittedAt == nil {
		s.showSection(v, ResumeSection(v.sess.Form, v.sess.Answers(), 0))
		return
	}
	st := DoneState{
		Answers: v.sess.Answers(), Receipt: *resp.Receipt, SubmittedAt: *resp.SubmittedAt, Fresh: fresh,
		Editable: v.sess.Editable() && v.sess.Consultation.Anonymity != forms.AnonymityAnonymous,
		Pending:  resp.Pending,
	}
	s.renderPage(v.c, http.StatusOK, s.render.Done(v.view, st))
}

// browserLanguage picks the language of a visitor the link does not know:
// the one their browser prefers when the consultation offers it.
func (s *Survey) browserLanguage(c *gin.Context, sess *forms.Session) string {
	if l := Negotiate(c.GetHeader("Accept-Language")); sess == nil || slices.Contains(offered(sess), l) {
		return l
	}
	return sess.Language()
}

// statusPage builds the page of a status key in the language asked for,
// else the browser's.
func (s *Survey) statusPage(c *gin.Context, sess *forms.Session, key string) *StatusPage {
	v := &Visit{Lang: Negotiate(c.GetHeader("Accept-Language")), Languages: forms.Languages, Path: "/s/" + url.PathEscape(c.Param("token"))}
	if l := c.Query("lang"); slices.Contains(forms.Languages, l) {
		v.Lang = l
	}
	if sess != nil {
		// A status page holds only the pages' own words, which exist in
		// every UN language: the reader's language beats the link's.
		v.Form, v.Languages = sess.Form, offered(sess)
		if !slices.Contains(forms.Languages, v.Lang) {
			v.Lang = sess.Language()
		}
	}
	return s.render.Status(v, key)
}

// tooManyRequests answers a client over one of the survey pages' limits.
func (s *Survey) tooManyRequests(c *gin.Context, sess *forms.Session) {
	c.Header("Retry-After", "60")
	s.renderPage(c, http.StatusTooManyRequests, s.statusPage(c, sess, "rate_limited"))
}

// linkProblem answers a link that leads nowhere with a page that says why:
// 404 unknown, 410 revoked, expired or closed, 403 not yet open, 200 for a
// response submitted anonymously (there is nothing wrong: it is gone), 429
// when the caller guessed too many links.
func (s *Survey) linkProblem(c *gin.Context, sess *forms.Session, err error) {
	var (
		le     *forms.LinkError
		apiErr *httpkit.Error
	)
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusTooManyRequests:
		s.tooManyRequests(c, nil)
	case errors.As(err, &le):
		status := map[*forms.LinkError]int{
			forms.ErrLinkUnknown: http.StatusNotFound, forms.ErrLinkRevoked: http.StatusGone,
			forms.ErrLinkExpired: http.StatusGone, forms.ErrLinkClosed: http.StatusGone,
			forms.ErrLinkNotOpen: http.StatusForbidden, forms.ErrLinkAnonymous: http.StatusOK,
		}[le]
		if status == 0 {
			status = http.StatusConflict
		}
		p := s.statusPage(c, sess, "link_"+le.Reason)
		if le == forms.ErrLinkNotOpen && sess != nil && sess.Consultation.OpensAt != nil {
			p.Extra = p.M.T("link_opens_on", "date", sess.Consultation.OpensAt.UTC().Format("2006-01-02"))
		}
		s.renderPage(c, status, p)
	default:
		s.pageError(c, err)
	}
}

// pageError answers an unexpected failure with a page that shows nothing of
// it; the error is logged (httpkit.PageFailure), and a database away is a
// 503 whose page says to try again in a few minutes.
func (s *Survey) pageError(c *gin.Context, err error) {
	e, ok := httpkit.PageFailure(c, err)
	if !ok {
		return
	}
	key := "error"
	if e.Status == http.StatusRequestEntityTooLarge {
		key = "too_large"
	}
	s.renderPage(c, e.Status, s.statusPage(c, nil, key))
}
