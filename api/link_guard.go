package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// linkGuard slows down link guessing: each client address may look up only
// a few unknown tokens per minute. Tokens carry 128 random bits, so guessing
// is hopeless anyway; the guard keeps it from costing us database work.
type linkGuard struct {
	mu       sync.Mutex
	failures map[string]*bucket
	swept    time.Time
}

// Unknown-token lookups allowed per client address: a burst of 10, then one
// every 6 seconds.
const (
	linkGuardBurst = 10
	linkGuardEvery = 6 * time.Second
)

func newLinkGuard() *linkGuard {
	return &linkGuard{failures: map[string]*bucket{}, swept: time.Now()}
}

// blocked reports whether addr has used up its unknown-token lookups.
func (g *linkGuard) blocked(addr string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := g.failures[addr]
	return b != nil && b.lim.Tokens() < 1
}

// failed records an unknown-token lookup by addr.
func (g *linkGuard) failed(addr string) {
	now := time.Now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Sub(g.swept) > time.Minute {
		for k, b := range g.failures {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(g.failures, k)
			}
		}
		g.swept = now
	}
	b := g.failures[addr]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Every(linkGuardEvery), linkGuardBurst)}
		g.failures[addr] = b
	}
	b.seen = now
	b.lim.Allow()
}
