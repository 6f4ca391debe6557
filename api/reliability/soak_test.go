package reliability

import (
	"fmt"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestSoak runs 64 stakeholders against one server on PostgreSQL for
// AGORA_SOAK_SECONDS (20 by default), at most 250 questionnaires a second
// in all: no 5xx, and every acknowledged submission is stored, complete,
// once.
func TestSoak(t *testing.T) {
	requirePostgres(t)
	requireLong(t)
	duration := envSeconds("AGORA_SOAK_SECONDS", 20*time.Second)
	clients := envInt("AGORA_SOAK_CLIENTS", 64)
	fx := newFixture(t, dbtest.Fresh(t), int(duration.Seconds())*250)
	srv := startAgora(t, "agora", fx.dsn)

	stats := startLoad(fx, loadConfig{clients: clients, duration: duration, targets: []string{srv.URL()}, runID: "soak"}).wait()
	t.Logf("soak, %d clients: %s", clients, stats.summary())
	expectCleanRun(t, stats)
	st := load(t, fx.db, fx)
	st.checkAcks(t, stats.acksBefore(time.Now()))
	st.checkIntegrity(t)
	t.Logf("stored: %d responses, %d submitted", len(st.responses), st.submitted())
}

// expectCleanRun fails the test when clients saw a 5xx, an unexpected
// status, a locked database, or had to give up.
func expectCleanRun(t *testing.T, stats *loadStats, allowed5xx ...int) {
	t.Helper()
	if n := stats.status5xx(allowed5xx...); n > 0 {
		t.Errorf("%d answers with a 5xx status", n)
	}
	if p := stats.problems(); p != "" {
		t.Error(p)
	}
	if stats.lockedSeen > 0 {
		t.Errorf("%d answers told a client the database was locked", stats.lockedSeen)
	}
	if len(stats.gaveUp) > 0 {
		t.Errorf("clients gave up on %v", stats.gaveUp)
	}
	if stats.ackCount() == 0 {
		t.Error("no submission was acknowledged")
	}
}

// runID names a run's idempotency keys.
func runID(t *testing.T) string { return fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano()) }
