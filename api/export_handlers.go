package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms/audit"
)

// Excel exports run as background jobs kept in the database: a request is
// answered at once with the job, the caller polls it for progress and
// downloads the file when it is done. Every role may export within its
// scope: another country's consultation is a 404, as everywhere. A job is
// visible to whoever asked for it and to admins.

// jobBody is a job as the API shows it, with the links to follow.
type jobBody struct {
	*exports.Job
	Reused  bool   `json:"reused,omitempty"`
	URL     string `json:"url"`
	FileURL string `json:"file_url,omitempty"`
}

func exportBody(j *exports.Job, reused bool) jobBody {
	b := jobBody{Job: j, Reused: reused, URL: fmt.Sprintf("/api/v1/exports/%d", j.ID)}
	if j.Status == exports.StatusDone {
		b.FileURL = b.URL + "/file"
	}
	return b
}

// createExport answers POST /exports with 202 and the job: a new one, or
// the one that already made the same workbook for the same audience with
// no new response since ("reused": true).
func (s *Server) createExport(c *gin.Context) error {
	var req exports.Request
	if err := c.ShouldBindJSON(&req); err != nil {
		return httpkit.BadRequest("the body must be a JSON export request: %v", err)
	}
	p := httpkit.Principal(c)
	job, reused, err := s.exports.Submit(c.Request.Context(), httpkit.Requester(p), req)
	var scopeErr *analysis.ScopeError
	if errors.As(err, &scopeErr) {
		return &httpkit.Error{Status: http.StatusForbidden, Code: "forbidden", Message: scopeErr.Error()}
	}
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.ExportRequest, "export", job.ID, "", map[string]any{
		"kind": job.Kind, "consultation_id": job.ConsultationID, "questionnaire": job.QuestionnaireCode,
		"countries": job.Countries, "lang": job.Language, "codes": job.CodesInsteadOfLabels, "reused": reused})
	s.wakeExports()
	c.JSON(http.StatusAccepted, exportBody(job, reused))
	return nil
}

// getExport answers GET /exports/:id with the job's status and progress.
func (s *Server) getExport(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	job, err := s.exports.Job(c.Request.Context(), httpkit.Requester(httpkit.Principal(c)), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, exportBody(job, false))
	return nil
}

// exportFile answers GET /exports/:id/file with the workbook of a finished
// job; 409 while it is not done.
func (s *Server) exportFile(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	p := httpkit.Principal(c)
	job, file, err := s.exports.File(c.Request.Context(), httpkit.Requester(p), id)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.ExportDownload, "export", job.ID, "", map[string]any{"file": job.FileName, "size": job.FileSize})
	c.Header("Content-Disposition", `attachment; filename="`+job.FileName+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, httpkit.XLSXType, file)
	return nil
}

// retryExport answers POST /exports/:id/retry: a failed job is queued
// again; any other is a 409.
func (s *Server) retryExport(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	job, err := s.exports.Retry(c.Request.Context(), httpkit.Requester(httpkit.Principal(c)), id)
	if err != nil {
		return err
	}
	s.wakeExports()
	c.JSON(http.StatusAccepted, exportBody(job, false))
	return nil
}
