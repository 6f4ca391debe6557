package api

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/web"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database"
)

// surveyVisit is one request to a stakeholder's link: the session it leads
// to and how to show it.
type surveyVisit struct {
	c     *gin.Context
	sess  *forms.Session
	token string
	view  *web.Visit
}

// newVisit prepares the pages of a session in lang.
func (s *Server) newVisit(c *gin.Context, sess *forms.Session, lang string) *surveyVisit {
	token := c.Param("token")
	return &surveyVisit{c: c, sess: sess, token: token, view: &web.Visit{
		Form: sess.Form, Lang: lang, Languages: offered(sess),
		Path: "/s/" + url.PathEscape(token), CSRF: s.survey.csrfToken(token),
	}}
}

// offered lists the languages a consultation offers.
func offered(sess *forms.Session) []string {
	if langs := sess.Consultation.LanguageList(); len(langs) > 0 {
		return langs
	}
	return sess.Form.Definition().Languages
}

// surveyPage answers GET /s/{token}: the page where the stakeholder left
// off, or the one asked for with ?page=N|review|done.
func (s *Server) surveyPage(c *gin.Context) {
	sess, err := s.linkSession(c)
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
		s.renderPage(c, http.StatusOK, s.survey.web.Open(v.view, "", false))
		return
	}
	if err := s.forms.MarkOpened(ctx, sess); err != nil {
		s.pageError(c, err)
		return
	}
	s.showPage(v, c.Query("page"))
}

// showPage renders the page named by the page query.
func (s *Server) showPage(v *surveyVisit, page string) {
	sess := v.sess
	n := len(sess.Form.Definition().Sections)
	index, err := strconv.Atoi(page)
	switch {
	case !sess.Editable() || (page == "done" && sess.Submitted()):
		s.showDone(v, false)
	case page == "review":
		s.showReview(v, nil, http.StatusOK)
	case err == nil && index >= 1 && index <= n:
		s.showSection(v, web.ResumeSection(sess.Form, sess.Answers(), index-1))
	case sess.Submitted() && !sess.Response.Pending:
		s.showDone(v, false)
	case sess.Response != nil:
		s.showSection(v, web.ResumeSection(sess.Form, sess.Answers(), sess.Response.Section))
	default:
		s.showSection(v, web.ResumeSection(sess.Form, sess.Answers(), 0))
	}
}

// showSection renders section index as saved, or the review page when the
// index is past the last section.
func (s *Server) showSection(v *surveyVisit, index int) {
	if index >= len(v.sess.Form.Definition().Sections) {
		s.showReview(v, nil, http.StatusOK)
		return
	}
	st := web.SectionState{Index: index, Answers: v.sess.Answers()}
	if v.c.Query("return") == "review" {
		st.Return = "review"
	}
	s.decorate(v, &st)
	s.renderPage(v.c, http.StatusOK, s.survey.web.Section(v.view, st))
}

// decorate adds the notices every section page may carry.
func (s *Server) decorate(v *surveyVisit, st *web.SectionState) {
	sess := v.sess
	if sess.Submitted() {
		st.Notices = append(st.Notices, "editing_submitted")
	}
	if sess.Invitation != nil && sess.Invitation.OpenVisit && sess.Response == nil {
		st.PersonalLink = s.personalLink(v.c, v.token)
	}
}

// showReview renders the review page with a fresh submission id. Problems
// are those of a submission that failed; without them, the saved answers
// are checked as a submission would be, so the stakeholder sees what is
// missing before trying.
func (s *Server) showReview(v *surveyVisit, problems []forms.FieldError, status int) {
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
	page := s.survey.web.Review(v.view, web.ReviewState{
		Answers: answers, Problems: problems, SubmissionID: id, Resubmit: v.sess.Submitted(),
	})
	s.renderPage(v.c, status, page)
}

// showDone renders the receipt and the answers; fresh right after a
// submission.
func (s *Server) showDone(v *surveyVisit, fresh bool) {
	resp := v.sess.Response
	if resp == nil || resp.Receipt == nil || resp.SubmittedAt == nil {
		s.showSection(v, web.ResumeSection(v.sess.Form, v.sess.Answers(), 0))
		return
	}
	st := web.DoneState{
		Answers: v.sess.Answers(), Receipt: *resp.Receipt, SubmittedAt: *resp.SubmittedAt, Fresh: fresh,
		Editable: v.sess.Editable() && v.sess.Consultation.Anonymity != forms.AnonymityAnonymous,
		Pending:  resp.Pending,
	}
	s.renderPage(v.c, http.StatusOK, s.survey.web.Done(v.view, st))
}

// browserLanguage picks the language of a visitor the link does not know:
// the one their browser prefers when the consultation offers it.
func (s *Server) browserLanguage(c *gin.Context, sess *forms.Session) string {
	if l := web.Negotiate(c.GetHeader("Accept-Language")); sess == nil || slices.Contains(offered(sess), l) {
		return l
	}
	return sess.Language()
}

// statusPage builds the page of a status key in the language asked for,
// else the browser's.
func (s *Server) statusPage(c *gin.Context, sess *forms.Session, key string) *web.StatusPage {
	v := &web.Visit{Lang: web.Negotiate(c.GetHeader("Accept-Language")), Languages: forms.Languages, Path: "/s/" + url.PathEscape(c.Param("token"))}
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
	return s.survey.web.Status(v, key)
}

// tooManyRequests answers a client over one of the survey pages' limits.
func (s *Server) tooManyRequests(c *gin.Context, sess *forms.Session) {
	c.Header("Retry-After", "60")
	s.renderPage(c, http.StatusTooManyRequests, s.statusPage(c, sess, "rate_limited"))
}

// linkProblem answers a link that leads nowhere with a page that says why:
// 404 unknown, 410 revoked, expired or closed, 403 not yet open, 200 for a
// response submitted anonymously (there is nothing wrong: it is gone), 429
// when the caller guessed too many links.
func (s *Server) linkProblem(c *gin.Context, sess *forms.Session, err error) {
	var (
		le     *forms.LinkError
		apiErr *Error
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
// it; the error is logged.
func (s *Server) pageError(c *gin.Context, err error) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.renderPage(c, http.StatusRequestEntityTooLarge, s.statusPage(c, nil, "too_large"))
		return
	case c.Request.Context().Err() != nil && errors.Is(err, c.Request.Context().Err()):
		c.Abort()
		return
	case database.IsUnavailable(err):
		// The database is down or overloaded: nothing is broken, and the
		// page says to try again in a few minutes.
		slog.Warn("survey page: database unavailable", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		c.Header("Retry-After", retryAfterSeconds)
		s.renderPage(c, http.StatusServiceUnavailable, s.statusPage(c, nil, "error"))
		return
	}
	slog.Error("survey page failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
	s.renderPage(c, http.StatusInternalServerError, s.statusPage(c, nil, "error"))
}
