package httpkit

import (
	"errors"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/unodc-csu/agora/forms"
)

// Unknown-token lookups allowed per client address: a burst of 10, then one
// every 6 seconds. Tokens carry 128 random bits, so guessing is hopeless
// anyway; the budget keeps it from costing us database work.
const (
	// LinkGuardBurst is the number of unknown tokens an address may try
	// at once.
	LinkGuardBurst = 10
	linkGuardEvery = 6 * time.Second
)

// LinkGuard resolves the personal and open links of the survey pages and
// of the responses API, counting unknown tokens against the caller's
// address: a lookup is refused while the address's budget is exhausted,
// and each unknown token spends it.
type LinkGuard struct {
	forms   *forms.Store
	unknown *Limiter
}

// NewLinkGuard resolves links in store.
func NewLinkGuard(store *forms.Store) *LinkGuard {
	return &LinkGuard{forms: store, unknown: NewLimiter(rate.Every(linkGuardEvery), LinkGuardBurst)}
}

// Session resolves the :token of the request's path.
func (g *LinkGuard) Session(c *gin.Context) (*forms.Session, error) {
	ip := c.ClientIP()
	if g.unknown.Exhausted(ip) {
		return nil, ErrRateLimited
	}
	sess, err := g.forms.ResolveLink(c.Request.Context(), c.Param("token"))
	if errors.Is(err, forms.ErrLinkUnknown) {
		g.unknown.Allow(ip)
	}
	return sess, err
}
