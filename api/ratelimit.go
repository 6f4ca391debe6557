package api

import (
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// ipLimiter keeps one token bucket per client address. Buckets idle for a
// while are dropped so the map cannot grow without bound.
type ipLimiter struct {
	mu      sync.Mutex
	perMin  int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newIPLimiter(perMinute int) *ipLimiter {
	return &ipLimiter{perMin: perMinute, buckets: map[string]*bucket{}, swept: time.Now()}
}

// allow takes one token from addr's bucket.
func (l *ipLimiter) allow(addr string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
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
		// Bursts of a sixth of the per-minute rate let a page load its
		// assets and a client retry without being refused.
		burst := max(l.perMin/6, 10)
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(l.perMin)/60), burst)}
		l.buckets[addr] = b
	}
	b.seen = now
	return b.lim.Allow()
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
