package api

import (
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// ipLimiter keeps one token bucket per client address. Buckets idle for a
// while are dropped so the map cannot grow without bound. It serves both
// the general request rate and the stricter budget of unknown-link lookups.
type ipLimiter struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(limit rate.Limit, burst int) *ipLimiter {
	return &ipLimiter{limit: limit, burst: burst, buckets: map[string]*bucket{}, swept: time.Now()}
}

// newIPLimiter allows perMinute requests a minute, in bursts of a sixth of
// that (at least 10), so a page can load its assets and a client retry
// without being refused.
func newIPLimiter(perMinute int) *ipLimiter {
	return newLimiter(rate.Limit(float64(perMinute)/60), max(perMinute/6, 10))
}

// bucketFor returns addr's bucket, sweeping idle ones now and then. The
// caller holds l.mu.
func (l *ipLimiter) bucketFor(addr string, now time.Time) *bucket {
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[addr]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[addr] = b
	}
	b.seen = now
	return b
}

// allow takes one token from addr's bucket.
func (l *ipLimiter) allow(addr string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucketFor(addr, now).lim.AllowN(now, 1)
}

// exhausted reports, without taking a token, whether addr's bucket is
// empty.
func (l *ipLimiter) exhausted(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[addr]
	return b != nil && b.lim.Tokens() < 1
}

// limitRate refuses clients that exceed the configured rate with 429.
func (s *Server) limitRate() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.URL.Path != "/healthz" && !s.limiter.allow(c.ClientIP()) {
			c.Header("Retry-After", "10")
			fail(c, errRateLimited)
			return
		}
		c.Next()
	}
}
