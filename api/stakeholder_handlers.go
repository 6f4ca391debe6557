package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// The stakeholder registry. Every call passes the caller's scope to the
// store, which applies it in SQL: a focal point sees and changes only the
// stakeholders of their countries, and one of another country is a 404.

func (s *Server) listStakeholders(c *gin.Context) error {
	f := forms.StakeholderFilter{Country: c.Query("country"), Type: c.Query("type"), Theme: c.Query("theme"), Q: c.Query("q")}
	var err error
	if f.Limit, err = httpkit.QueryInt(c, "limit"); err != nil {
		return err
	}
	if f.Offset, err = httpkit.QueryInt(c, "offset"); err != nil {
		return err
	}
	page, err := s.forms.Stakeholders(c.Request.Context(), httpkit.Principal(c).Scope(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, page)
	return nil
}

func (s *Server) getStakeholder(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	st, err := s.forms.Stakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, st)
	return nil
}

func (s *Server) createStakeholder(c *gin.Context) error {
	var in forms.StakeholderInput
	if err := httpkit.DecodeJSON(c, &in); err != nil {
		return err
	}
	p := httpkit.Principal(c)
	st, err := s.forms.CreateStakeholder(c.Request.Context(), p.Scope(), in, &p.UserID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, st)
	return nil
}

func (s *Server) updateStakeholder(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var in forms.StakeholderInput
	if err := httpkit.DecodeJSON(c, &in); err != nil {
		return err
	}
	st, err := s.forms.UpdateStakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), id, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, st)
	return nil
}

func (s *Server) deleteStakeholder(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.forms.DeleteStakeholder(c.Request.Context(), httpkit.Principal(c).Scope(), id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// importStakeholders reads the multipart field "file" as it streams in, and
// answers the import's row-by-row report.
func (s *Server) importStakeholders(c *gin.Context) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return httpkit.BadRequest("send the file as multipart/form-data, in a field named \"file\"")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return &httpkit.Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "no file was sent",
				Fields: []forms.FieldError{{Path: "/file", Message: "required: an .xlsx or .csv file"}}}
		}
		if err != nil {
			return stakeholderUploadError(err)
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return stakeholderUploadError(err)
		}
		p := httpkit.Principal(c)
		res, err := s.forms.ImportStakeholders(c.Request.Context(), p.Scope(), part.FileName(), bytes.NewReader(data), &p.UserID)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, res)
		return nil
	}
}

// stakeholderUploadError tells a body over the upload limit (413) from a broken
// multipart body (400).
func stakeholderUploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return httpkit.ErrTooLarge
	}
	return httpkit.BadRequest("the upload could not be read: %v", err)
}
