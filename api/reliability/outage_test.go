package reliability

import (
	"net/http"
	"os"
	"sync"
	"testing"
	"time"
)

// TestDatabaseOutage stops PostgreSQL in the middle of a load and starts it
// again. Meanwhile /healthz must answer 503, every request 503 with the
// "unavailable" error and Retry-After (never a 500), and the same server
// process must recover by itself once the database is back; every
// acknowledged submission must be stored.
//
// The PostgreSQL it stops is a private instance made for the test, so that
// no other test, nor anyone else's work, loses its database. The test runs
// only when AGORA_OUTAGE_TEST=1, which .ci/run sets in a step of its own.
func TestDatabaseOutage(t *testing.T) {
	if os.Getenv("AGORA_OUTAGE_TEST") != "1" {
		t.Skip("starts and stops a PostgreSQL server of its own: set AGORA_OUTAGE_TEST=1 (.ci/run does, in a step of its own)")
	}
	pg := privatePostgres(t)
	const outage = 6 * time.Second
	fx := newFixture(t, pg.dsn(), 6000)
	srv := startAgora(t, "agora", fx.dsn)
	watch := watchHealth(srv.URL())
	sim := startLoad(fx, loadConfig{clients: 32, duration: 20 * time.Second, targets: []string{srv.URL()},
		allowUnavailable: true, runID: runID(t)})

	time.Sleep(4 * time.Second)
	sim.waitForAcks(10, 8*time.Second)
	stoppedAt := pg.stop(t)
	time.Sleep(outage)
	// PostgreSQL accepts connections a little before pg_ctl says so: the
	// outage is certain only until the restart begins.
	restartAt := time.Now()
	startedAt := pg.start(t)
	healthyAt := watch.firstOK(startedAt, 60*time.Second)
	stats := sim.wait()
	watch.close()

	t.Logf("PostgreSQL down for %s from +%s; /healthz back %s after PostgreSQL accepted connections; %s",
		startedAt.Sub(stoppedAt).Round(time.Millisecond), stoppedAt.Sub(stats.begin).Round(time.Millisecond),
		healthyAt.Sub(startedAt).Round(time.Millisecond), stats.summary())
	if healthyAt.IsZero() {
		t.Fatal("/healthz did not recover within a minute")
	}
	if n := watch.count(stoppedAt.Add(time.Second), restartAt, http.StatusServiceUnavailable); n == 0 {
		t.Error("/healthz never answered 503 while the database was down")
	}
	if n := watch.count(stoppedAt.Add(time.Second), restartAt, http.StatusOK); n > 0 {
		t.Errorf("/healthz answered 200 %d times while the database was down", n)
	}
	if stats.unavailable["save"]+stats.unavailable["submit"] == 0 {
		t.Error("no write was answered 503 unavailable during the outage")
	}
	if stats.ackCount() == len(stats.acksBefore(startedAt)) {
		t.Error("no submission was acknowledged after the database came back")
	}
	expectCleanRun(t, stats, http.StatusServiceUnavailable)
	st := load(t, fx.db, fx)
	st.checkAcks(t, stats.acksBefore(time.Now()))
	st.checkIntegrity(t)
}

// healthWatch polls /healthz every 100 ms and keeps what it saw.
type healthWatch struct {
	mu      sync.Mutex
	samples []healthSample
	stop    chan struct{}
	done    chan struct{}
}

type healthSample struct {
	at     time.Time
	status int // 0 when the request itself failed
}

func watchHealth(base string) *healthWatch {
	w := &healthWatch{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			status := 0
			if res, err := http.Get(base + "/healthz"); err == nil {
				status = res.StatusCode
				res.Body.Close()
			}
			w.mu.Lock()
			w.samples = append(w.samples, healthSample{time.Now(), status})
			w.mu.Unlock()
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

func (w *healthWatch) close() { close(w.stop); <-w.done }

// firstOK waits up to timeout for a 200 seen after since, and returns when
// it was seen; zero if never.
func (w *healthWatch) firstOK(since time.Time, timeout time.Duration) time.Time {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		for _, s := range w.samples {
			if s.status == http.StatusOK && !s.at.Before(since) {
				w.mu.Unlock()
				return s.at
			}
		}
		w.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	return time.Time{}
}

// count is the number of answers with status seen between from and to.
func (w *healthWatch) count(from, to time.Time, status int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, s := range w.samples {
		if s.status == status && s.at.After(from) && s.at.Before(to) {
			n++
		}
	}
	return n
}
