package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
)

// exportView is an export job in the page's words.
type exportView struct {
	What, Status, Size string
}

// exportPage is GET /portal/exports/:id: an export job's progress, as a
// progress bar that refreshes itself without JavaScript (a meta refresh)
// until the job ends, then the download link — or the reason it failed and
// a button to ask again.
func (s *Server) exportPage(c *gin.Context) {
	p := principal(c)
	page := s.page(c, "exports.title", "consultations")
	id, err := pathID(c, "id")
	if err == nil {
		page.Job, err = s.exports.Job(c.Request.Context(), requester(p), id)
	}
	if errors.Is(err, forms.ErrNotFound) || errors.Is(err, errNotFound) {
		page.Error = page.T("exports.not_found")
		renderStaff(c, http.StatusNotFound, "export", page)
		return
	}
	if err != nil {
		s.failPage(c, err)
		return
	}
	switch page.Job.Status {
	case exports.StatusQueued, exports.StatusRunning:
		page.Refresh = 3
		s.wakeExports()
	}
	page.Data = describeExport(page, page.Job)
	renderStaff(c, http.StatusOK, "export", page)
}

// describeExport says what a job exports and how far it is, in the page's
// language.
func describeExport(p *staffPage, j *exports.Job) exportView {
	v := exportView{What: p.T("exports.kind_other", "kind", j.Kind)}
	switch {
	case j.Kind == exports.KindConsultation && j.ConsultationID != nil:
		v.What = p.T("exports.kind_consultation", "id", fmt.Sprint(*j.ConsultationID))
	case j.Kind == exports.KindComparison:
		v.What = p.T("exports.kind_comparison", "code", j.QuestionnaireCode)
	}
	switch j.Status {
	case exports.StatusQueued:
		v.Status = p.T("exports.status_queued")
	case exports.StatusRunning:
		v.Status = p.T("exports.status_running")
	}
	v.Size = p.T("exports.size_kb", "n", newNumberFormat(p.Lang).Dec(float64(j.FileSize)/1024, 1))
	return v
}
