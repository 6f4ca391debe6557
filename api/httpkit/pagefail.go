package httpkit

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// errInternal is what a page or a call says of a failure of ours.
var errInternal = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "something went wrong on our side; the error was logged"}

// PageFailure decides how a page answers err, for the page families to
// render in their own layout: the error's status and message, with
// Retry-After set while the database is away and anything unknown logged
// (and shown without detail). It reports false when the client went away
// and nobody is left to answer; the request is then stopped.
func PageFailure(c *gin.Context, err error) (*Error, bool) { return resolve(c, err, "page failed") }
