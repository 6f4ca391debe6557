package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
)

// listAudit answers GET /api/v1/audit?actor=&action=&from=&to=&before=&limit=.
// Every filter is parsed here and passed to the query as a value.
func (s *Server) listAudit(c *gin.Context) error {
	f, err := httpkit.AuditFilter(c)
	if err != nil {
		return err
	}
	events, err := s.audit.List(c.Request.Context(), f)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": events})
	return nil
}
