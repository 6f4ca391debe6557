package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// questionnaireJSON is a stored version as the API shows it.
type questionnaireJSON struct {
	*forms.Questionnaire
	Languages  []string          `json:"languages"`
	Definition *forms.Definition `json:"definition,omitempty"`
}

func renderQuestionnaire(q *forms.Questionnaire, withDefinition bool) (questionnaireJSON, error) {
	out := questionnaireJSON{Questionnaire: q, Languages: q.LanguageList()}
	if withDefinition {
		def, err := q.Decode()
		if err != nil {
			return out, err
		}
		out.Definition = def
	}
	return out, nil
}

func (s *Server) listQuestionnaires(c *gin.Context) error {
	qs, err := s.forms.Questionnaires(c.Request.Context(), forms.QuestionnaireFilter{
		Code: c.Query("code"), Status: c.Query("status"),
	})
	if err != nil {
		return err
	}
	items := make([]questionnaireJSON, 0, len(qs))
	for i := range qs {
		item, _ := renderQuestionnaire(&qs[i], false)
		items = append(items, item)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (s *Server) getQuestionnaire(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.forms.Questionnaire(c.Request.Context(), id)
	if err != nil {
		return err
	}
	return respondQuestionnaire(c, http.StatusOK, q)
}

func (s *Server) createQuestionnaire(c *gin.Context) error {
	var def forms.Definition
	if err := httpkit.DecodeJSON(c, &def); err != nil {
		return err
	}
	q, err := s.forms.CreateQuestionnaire(c.Request.Context(), &def, &httpkit.Principal(c).UserID)
	if err != nil {
		return err
	}
	return respondQuestionnaire(c, http.StatusCreated, q)
}

func (s *Server) updateQuestionnaire(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var def forms.Definition
	if err := httpkit.DecodeJSON(c, &def); err != nil {
		return err
	}
	q, err := s.forms.UpdateQuestionnaire(c.Request.Context(), id, &def)
	if err != nil {
		return err
	}
	return respondQuestionnaire(c, http.StatusOK, q)
}

func (s *Server) publishQuestionnaire(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.forms.PublishQuestionnaire(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.QuestionnairePublish, "questionnaire", q.ID, "", map[string]any{"code": q.Code, "version": q.Version})
	return respondQuestionnaire(c, http.StatusOK, q)
}

func respondQuestionnaire(c *gin.Context, status int, q *forms.Questionnaire) error {
	out, err := renderQuestionnaire(q, true)
	if err != nil {
		return err
	}
	c.JSON(status, out)
	return nil
}
