package api

import (
	"time"

	"golang.org/x/time/rate"
)

// Unknown-token lookups allowed per client address: a burst of 10, then one
// every 6 seconds. Tokens carry 128 random bits, so guessing is hopeless
// anyway; the budget keeps it from costing us database work.
const (
	linkGuardBurst = 10
	linkGuardEvery = 6 * time.Second
)

// newLinkGuard is the limiter of unknown-link lookups: a lookup is refused
// while the address's budget is exhausted, and each unknown token spends it.
func newLinkGuard() *ipLimiter { return newLimiter(rate.Every(linkGuardEvery), linkGuardBurst) }
