package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms"
)

// exportPage is GET /portal/exports/:id: an export job's progress, as a
// progress bar that refreshes itself without JavaScript (a meta refresh)
// until the job ends, then the download link — or the reason it failed and
// a button to ask again.
func (s *Server) exportPage(c *gin.Context) {
	p := principal(c)
	page := &staffPage{Title: "Excel export", User: p, CSRF: session(c).CSRF}
	id, err := pathID(c, "id")
	if err == nil {
		page.Job, err = s.exports.Job(c.Request.Context(), requester(p), id)
	}
	if errors.Is(err, forms.ErrNotFound) || errors.Is(err, errNotFound) {
		page.Error = "There is no such export among yours."
		renderStaff(c, http.StatusNotFound, "export", page)
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	switch page.Job.Status {
	case exports.StatusQueued, exports.StatusRunning:
		page.Refresh = 3
		s.wakeExports()
	}
	renderStaff(c, http.StatusOK, "export", page)
}
