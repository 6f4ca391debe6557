package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms/audit"
)

// listAudit answers GET /api/v1/audit?actor=&action=&from=&to=&before=&limit=.
// Every filter is parsed here and passed to the query as a value.
func (s *Server) listAudit(c *gin.Context) error {
	f, err := auditFilter(c)
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

// auditFilter reads the audit filters of a request's query.
func auditFilter(c *gin.Context) (audit.Filter, error) {
	f := audit.Filter{Actor: c.Query("actor"), Action: c.Query("action")}
	var err error
	if f.From, err = queryTime(c, "from"); err != nil {
		return f, err
	}
	if f.To, err = queryTime(c, "to"); err != nil {
		return f, err
	}
	for name, dst := range map[string]*int{"limit": &f.Limit} {
		if v := c.Query(name); v != "" {
			if *dst, err = strconv.Atoi(v); err != nil || *dst < 0 {
				return f, badRequest("%s must be a positive number", name)
			}
		}
	}
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return f, badRequest("before must be an event id")
		}
		f.Before = uint(n)
	}
	return f, nil
}

// queryTime reads an RFC 3339 time or a date (YYYY-MM-DD, UTC).
func queryTime(c *gin.Context, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, badRequest("%s must be a date (2027-01-31) or a time (2027-01-31T12:00:00Z)", name)
}

// record appends an event to the audit log for the request's caller. A
// failure to record is logged, not shown: the action itself has happened.
func (s *Server) record(c *gin.Context, action, objectType string, objectID any, country string, details any) {
	e := audit.Event{Action: action, ObjectType: objectType, ObjectID: idString(objectID), Country: country, IP: c.ClientIP()}
	if p := principal(c); p != nil {
		id := p.UserID
		e.ActorID, e.ActorEmail = &id, p.Email
	}
	if err := s.audit.Record(c.Request.Context(), e, details); err != nil {
		logAuditFailure(c, action, err)
	}
}

func idString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	}
	return ""
}

func logAuditFailure(c *gin.Context, action string, err error) {
	slog.Error("audit log: event not recorded", "action", action, "path", c.FullPath(), "err", err)
}
