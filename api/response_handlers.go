package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// answerableSession is a session that takes answers through the API: an
// open link is for browsers, where the visitor first declares who they are.
func (s *Server) answerableSession(c *gin.Context) (*forms.Session, error) {
	sess, err := s.guard.Session(c)
	if err != nil {
		return nil, err
	}
	if sess.OpenLink {
		return nil, &httpkit.Error{Status: http.StatusConflict, Code: "open_link",
			Message: "this is an open link: open it in a browser to get a personal link, then use that one"}
	}
	return sess, nil
}

// responseJSON is what a program sees of its response.
type responseJSON struct {
	Consultation  consultationBrief  `json:"consultation"`
	Questionnaire questionnaireBrief `json:"questionnaire"`
	Status        string             `json:"status"`
	Section       int                `json:"section"`
	Language      string             `json:"language"`
	Editable      bool               `json:"editable"`
	Answers       forms.Answers      `json:"answers"`
	Receipt       *string            `json:"receipt,omitempty"`
	SubmittedAt   *time.Time         `json:"submitted_at,omitempty"`
}

type consultationBrief struct {
	ID        uint       `json:"id"`
	Title     string     `json:"title"`
	Country   string     `json:"country"`
	Languages []string   `json:"languages"`
	Anonymity string     `json:"anonymity"`
	ClosesAt  *time.Time `json:"closes_at,omitempty"`
}

type questionnaireBrief struct {
	ID         uint              `json:"id"`
	Definition *forms.Definition `json:"definition"`
}

func renderResponse(sess *forms.Session) responseJSON {
	c := sess.Consultation
	out := responseJSON{
		Consultation:  consultationBrief{c.ID, c.Title, c.CountryISO3, c.LanguageList(), c.Anonymity, c.ClosesAt},
		Questionnaire: questionnaireBrief{c.QuestionnaireID, sess.Form.Definition()},
		Status:        "new", Language: sess.Language(), Editable: sess.Editable(), Answers: sess.Answers(),
	}
	if r := sess.Response; r != nil {
		out.Status, out.Section, out.Receipt, out.SubmittedAt = r.Status, r.Section, r.Receipt, r.SubmittedAt
	}
	return out
}

func (s *Server) getResponse(c *gin.Context) error {
	sess, err := s.answerableSession(c)
	if err != nil {
		return err
	}
	if err := s.forms.MarkOpened(c.Request.Context(), sess); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, renderResponse(sess))
	return nil
}

// draftBody is the body of PUT /api/v1/responses/{token}.
type draftBody struct {
	Answers  forms.Answers `json:"answers"`
	Section  int           `json:"section"`
	Language string        `json:"language"`
}

func (s *Server) putResponse(c *gin.Context) error {
	sess, err := s.answerableSession(c)
	if err != nil {
		return err
	}
	var body draftBody
	if err := httpkit.DecodeJSON(c, &body); err != nil {
		return err
	}
	ctx := c.Request.Context()
	if body.Language != "" {
		if err := s.forms.SetLanguage(ctx, sess, body.Language); err != nil {
			return err
		}
	}
	if body.Answers == nil {
		body.Answers = forms.Answers{}
	}
	if _, err := s.forms.SaveDraft(ctx, sess, body.Answers, body.Section); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, renderResponse(sess))
	return nil
}

// submitBody is the body of POST /api/v1/responses/{token}/submit. Without
// answers, the saved draft is submitted.
type submitBody struct {
	SubmissionID string        `json:"submission_id"`
	Answers      forms.Answers `json:"answers"`
}

func (s *Server) submitResponse(c *gin.Context) error {
	sess, err := s.answerableSession(c)
	if err != nil {
		return err
	}
	var body submitBody
	if c.Request.ContentLength != 0 {
		if err := httpkit.DecodeJSON(c, &body); err != nil {
			return err
		}
	}
	id := c.GetHeader("Idempotency-Key")
	if id == "" {
		id = body.SubmissionID
	}
	receipt, err := s.forms.Submit(c.Request.Context(), sess, id, body.Answers)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if receipt.Replayed {
		status = http.StatusOK
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(status, receipt)
	return nil
}
