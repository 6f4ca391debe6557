package staff

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// exportView is an export job in the page's words.
type exportView struct {
	What, Status, Size string
}

// ExportPage is GET /portal/exports/:id: an export job's progress, as a
// progress bar that refreshes itself without JavaScript (a meta refresh)
// until the job ends, then the download link — or the reason it failed and
// a button to ask again.
func (s *Pages) ExportPage(c *gin.Context) {
	p := httpkit.Principal(c)
	page := s.page(c, "exports.title", "consultations")
	id, err := httpkit.PathID(c, "id")
	if err == nil {
		page.Job, err = s.exports.Job(c.Request.Context(), httpkit.Requester(p), id)
	}
	if errors.Is(err, forms.ErrNotFound) || errors.Is(err, httpkit.ErrNotFound) {
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
		s.wake()
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

// PortalExport requests the Excel workbook of a consultation from the
// Portal, as POST /api/v1/exports does, and shows the job's progress (its
// JSON, which links the file when it is ready).
func (s *Pages) PortalExport(c *gin.Context) {
	p := httpkit.Principal(c)
	req := exports.Request{Kind: exports.KindComparison, Questionnaire: strings.TrimSpace(c.PostForm("questionnaire")), Countries: c.PostFormArray("country")}
	id, err := strconv.ParseUint(c.PostForm("consultation_id"), 10, 32)
	switch {
	case req.Questionnaire != "":
		id = 0
	case err != nil || id == 0:
		s.failPage(c, httpkit.ErrNotFound)
		return
	default:
		req = exports.Request{Kind: "consultation", ConsultationID: uint(id)}
	}
	job, reused, err := s.exports.Submit(c.Request.Context(), httpkit.Requester(p), req)
	var scopeErr *analysis.ScopeError
	if errors.As(err, &scopeErr) {
		s.failPage(c, httpkit.ErrNotFound)
		return
	}
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.recorder.Record(c, audit.ExportRequest, "export", job.ID, "", map[string]any{"kind": job.Kind, "consultation_id": id, "questionnaire": req.Questionnaire, "reused": reused, "via": "portal"})
	s.wake()
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/portal/exports/%d", job.ID))
}
