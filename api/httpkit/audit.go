package httpkit

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms/audit"
)

// Recorder appends the requests' events to the audit log.
type Recorder struct {
	log *audit.Log
}

// NewRecorder records into log.
func NewRecorder(log *audit.Log) *Recorder { return &Recorder{log: log} }

// Log is the audit log itself, for events without a signed-in caller.
func (r *Recorder) Log() *audit.Log { return r.log }

// Record appends an event to the audit log for the request's caller. A
// failure to record is logged, not shown: the action itself has happened.
func (r *Recorder) Record(c *gin.Context, action, objectType string, objectID any, country string, details any) {
	e := audit.Event{Action: action, ObjectType: objectType, ObjectID: idString(objectID), Country: country, IP: c.ClientIP()}
	if p := Principal(c); p != nil {
		id := p.UserID
		e.ActorID, e.ActorEmail = &id, p.Email
	}
	if err := r.log.Record(c.Request.Context(), e, details); err != nil {
		LogAuditFailure(c, action, err)
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

// LogAuditFailure logs an event the audit log could not take.
func LogAuditFailure(c *gin.Context, action string, err error) {
	slog.Error("audit log: event not recorded", "action", action, "path", c.FullPath(), "err", err)
}

// AuditFilter reads the audit filters of a request's query.
func AuditFilter(c *gin.Context) (audit.Filter, error) {
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
				return f, BadRequest("%s must be a positive number", name)
			}
		}
	}
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return f, BadRequest("before must be an event id")
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
	return time.Time{}, BadRequest("%s must be a date (2027-01-31) or a time (2027-01-31T12:00:00Z)", name)
}
