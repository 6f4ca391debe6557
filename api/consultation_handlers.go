package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// consultationJSON is a consultation as the API shows it.
type consultationJSON struct {
	*forms.Consultation
	Languages []string `json:"languages"`
	State     string   `json:"state"`
	OpenLink  bool     `json:"open_link"`
}

func renderConsultation(c *forms.Consultation) consultationJSON {
	return consultationJSON{Consultation: c, Languages: c.LanguageList(), State: c.State(time.Now()), OpenLink: c.HasOpenLink()}
}

func (s *Server) createConsultation(c *gin.Context) error {
	var in forms.ConsultationInput
	if err := httpkit.DecodeJSON(c, &in); err != nil {
		return err
	}
	p := httpkit.Principal(c)
	cons, err := s.forms.CreateConsultation(c.Request.Context(), p.Scope(), in, &p.UserID)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.ConsultationCreate, "consultation", cons.ID, cons.CountryISO3, map[string]any{"questionnaire_id": cons.QuestionnaireID})
	c.JSON(http.StatusCreated, renderConsultation(cons))
	return nil
}

func (s *Server) listConsultations(c *gin.Context) error {
	f := forms.ConsultationFilter{Country: c.Query("country")}
	if q := c.Query("questionnaire_id"); q != "" {
		n, err := strconv.ParseUint(q, 10, 32)
		if err != nil {
			return httpkit.BadRequest("questionnaire_id must be a number")
		}
		f.QuestionnaireID = uint(n)
	}
	list, err := s.forms.Consultations(c.Request.Context(), httpkit.Principal(c).Scope(), f)
	if err != nil {
		return err
	}
	items := make([]consultationJSON, len(list))
	for i := range list {
		items[i] = renderConsultation(&list[i])
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (s *Server) getConsultation(c *gin.Context) error {
	return s.withConsultation(c, func(id uint) (*forms.Consultation, error) {
		return s.forms.Consultation(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	})
}

func (s *Server) closeConsultation(c *gin.Context) error {
	return s.withConsultation(c, func(id uint) (*forms.Consultation, error) {
		cons, err := s.forms.CloseConsultation(c.Request.Context(), httpkit.Principal(c).Scope(), id)
		if err == nil {
			s.recorder.Record(c, audit.ConsultationClose, "consultation", cons.ID, cons.CountryISO3, nil)
		}
		return cons, err
	})
}

func (s *Server) reopenConsultation(c *gin.Context) error {
	var body struct {
		ClosesAt *time.Time `json:"closes_at"`
	}
	if c.Request.ContentLength != 0 {
		if err := httpkit.DecodeJSON(c, &body); err != nil {
			return err
		}
	}
	return s.withConsultation(c, func(id uint) (*forms.Consultation, error) {
		cons, err := s.forms.ReopenConsultation(c.Request.Context(), httpkit.Principal(c).Scope(), id, body.ClosesAt)
		if err == nil {
			s.recorder.Record(c, audit.ConsultationReopen, "consultation", cons.ID, cons.CountryISO3, map[string]any{"closes_at": body.ClosesAt})
		}
		return cons, err
	})
}

// withConsultation reads the id, runs fn and renders the consultation.
func (s *Server) withConsultation(c *gin.Context, fn func(id uint) (*forms.Consultation, error)) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	cons, err := fn(id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, renderConsultation(cons))
	return nil
}

// setOpenLink issues (or replaces) the consultation's open link.
func (s *Server) setOpenLink(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	token, err := s.forms.SetOpenLink(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, gin.H{"token": token, "url": s.links.Survey(c, token)})
	return nil
}

func (s *Server) disableOpenLink(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.forms.DisableOpenLink(c.Request.Context(), httpkit.Principal(c).Scope(), id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
