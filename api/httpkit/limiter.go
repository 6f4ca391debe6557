package httpkit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter keeps one token bucket per client address. Buckets idle for a
// while are dropped so the map cannot grow without bound. It serves the
// general request rate, the stricter budget of unknown-link lookups and
// the open link's visits.
type Limiter struct {
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

// NewLimiter allows limit requests a second per address, in bursts of burst.
func NewLimiter(limit rate.Limit, burst int) *Limiter {
	return &Limiter{limit: limit, burst: burst, buckets: map[string]*bucket{}, swept: time.Now()}
}

// NewPerMinute allows perMinute requests a minute, in bursts of a sixth
// of that (at least 10), so a page can load its assets and a client retry
// without being refused.
func NewPerMinute(perMinute int) *Limiter {
	return NewLimiter(rate.Limit(float64(perMinute)/60), max(perMinute/6, 10))
}

// NewHourly allows perHour requests an hour per address, all of them at
// once if need be.
func NewHourly(perHour int) *Limiter {
	return NewLimiter(rate.Every(time.Hour/time.Duration(perHour)), perHour)
}

// bucketFor returns addr's bucket, sweeping idle ones now and then. The
// caller holds l.mu.
func (l *Limiter) bucketFor(addr string, now time.Time) *bucket {
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

// Allow takes one token from addr's bucket.
func (l *Limiter) Allow(addr string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucketFor(addr, now).lim.AllowN(now, 1)
}

// Exhausted reports, without taking a token, whether addr's bucket is
// empty.
func (l *Limiter) Exhausted(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[addr]
	return b != nil && b.lim.Tokens() < 1
}
