package reliability

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// ack is a submission the client was told was saved.
type ack struct {
	index   int // the stakeholder
	key     string
	receipt string
	rows    int       // answer rows the submission must have made
	at      time.Time // when the acknowledgement arrived
}

// loadStats is what the simulated stakeholders saw.
type loadStats struct {
	mu          sync.Mutex
	begin, end  time.Time
	acks        map[int]ack
	answers     map[string]int // by operation: requests that got an HTTP answer
	statuses    map[int]int
	perTarget   map[string]int
	unavailable map[string]int // 503 with the documented body, by operation
	gaveUp      map[string]int // operations abandoned after maxAttempts or hardStop
	transport   int            // connection refused or reset, timeouts
	abandoned   int            // submissions hung up on by the client
	replays     int            // repeated submissions answered with the first receipt
	// savedUnanswered counts submissions saved by an attempt whose answer
	// never reached the client: the retry was answered as a replay.
	savedUnanswered int
	submitLat       []time.Duration
	reqLat          []time.Duration
	oddities        []string // unexpected answers, the first few in full
	odd             int
	lockedSeen      int // answers mentioning a locked SQLite database
}

func newLoadStats(begin time.Time) *loadStats {
	return &loadStats{begin: begin, acks: map[int]ack{}, answers: map[string]int{}, statuses: map[int]int{},
		perTarget: map[string]int{}, unavailable: map[string]int{}, gaveUp: map[string]int{}}
}

// add changes the figures under the lock.
func (st *loadStats) add(f func(*loadStats)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	f(st)
}

func (st *loadStats) answered(op, target string, status int, d time.Duration) {
	st.add(func(st *loadStats) {
		st.answers[op]++
		st.statuses[status]++
		st.perTarget[target]++
		st.reqLat = append(st.reqLat, d)
	})
}

func (st *loadStats) acked(a ack, d time.Duration) {
	st.add(func(st *loadStats) {
		st.acks[a.index] = a
		st.submitLat = append(st.submitLat, d)
	})
}

func (st *loadStats) replayed() { st.add(func(st *loadStats) { st.replays++ }) }

// unexpected records an answer no correct server gives under load.
func (st *loadStats) unexpected(op string, status int, body []byte) {
	st.add(func(st *loadStats) {
		st.odd++
		if bytes.Contains(body, []byte("database is locked")) || bytes.Contains(body, []byte("SQLITE_BUSY")) {
			st.lockedSeen++
		}
		if len(st.oddities) < 10 {
			st.oddities = append(st.oddities, fmt.Sprintf("%s: %d %.300s", op, status, body))
		}
	})
}

// acksBefore returns the acknowledgements received before t.
func (st *loadStats) acksBefore(t time.Time) []ack {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []ack
	for _, a := range st.acks {
		if a.at.Before(t) {
			out = append(out, a)
		}
	}
	return out
}

// ackCount is the number of acknowledged submissions so far.
func (st *loadStats) ackCount() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.acks)
}

// status5xx counts answers with a 5xx status other than those in allowed.
func (st *loadStats) status5xx(allowed ...int) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for code, c := range st.statuses {
		if code >= 500 && !slices.Contains(allowed, code) {
			n += c
		}
	}
	return n
}

// summary is a line of figures for the test log and docs/RELIABILITY.md.
func (st *loadStats) summary() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	secs := st.end.Sub(st.begin).Seconds()
	total := 0
	for _, n := range st.answers {
		total += n
	}
	return fmt.Sprintf("%.1fs: %d requests (%.0f/s), %d acknowledged submissions (%.1f/s); "+
		"request p50 %s p99 %s; submission until acknowledged p50 %s p99 %s; "+
		"statuses %v; by operation %v; transport errors %d, abandoned %d, replays %d, saved but unanswered %d, 503 %v, gave up %v",
		secs, total, float64(total)/secs, len(st.acks), float64(len(st.acks))/secs,
		percentile(st.reqLat, 50), percentile(st.reqLat, 99), percentile(st.submitLat, 50), percentile(st.submitLat, 99),
		st.statuses, st.answers, st.transport, st.abandoned, st.replays, st.savedUnanswered, st.unavailable, st.gaveUp)
}

// problems lists what the clients saw that they should not have.
func (st *loadStats) problems() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.odd == 0 {
		return ""
	}
	return fmt.Sprintf("%d unexpected answer(s), such as:\n  %s", st.odd, strings.Join(st.oddities, "\n  "))
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(100 * time.Microsecond)
}
