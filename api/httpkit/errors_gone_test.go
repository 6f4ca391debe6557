package httpkit

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestFailClientGone checks that a request whose client went away is not
// answered nor logged as a failure when its error is the consequence (the
// context's own error, a transaction rolled back with it), and that any
// other error is still a 500.
func TestFailClientGone(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		canceled bool
		want     int // 0: nothing answered
	}{
		{"canceled context", context.Canceled, true, 0},
		{"transaction rolled back with the context", sql.ErrTxDone, true, 0},
		{"transaction done, client still there", sql.ErrTxDone, false, http.StatusInternalServerError},
		{"another error", errors.New("boom"), true, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			ctx, cancel := context.WithCancel(context.Background())
			if tt.canceled {
				cancel()
			} else {
				defer cancel()
			}
			c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/responses/x/submit", nil).WithContext(ctx)
			Fail(c, tt.err)
			got := 0
			if c.Writer.Written() {
				got = w.Code
			}
			if got != tt.want {
				t.Errorf("answered %d, want %d", got, tt.want)
			}
		})
	}
}
