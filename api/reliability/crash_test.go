package reliability

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestCrash kills the server with SIGKILL in the middle of a load of 64
// stakeholders on PostgreSQL (16 on the embedded SQLite database, where the
// database dies with the server) and starts it again; clients retry what
// failed with the same Idempotency-Key. Every submission acknowledged,
// before the kill or after, must be stored complete and once, and no
// response may be half-written. It repeats AGORA_CRASH_RUNS times (3 by
// default; the acceptance run is 10), each on a fresh database.
func TestCrash(t *testing.T) {
	requireLong(t)
	runs := envInt("AGORA_CRASH_RUNS", 3)
	for run := 1; run <= runs; run++ {
		t.Run(fmt.Sprintf("run%02d", run), crashOnce)
	}
}

func crashOnce(t *testing.T) {
	clients := 64
	if !dbtest.Postgres() {
		clients = 16
	}
	duration := envSeconds("AGORA_CRASH_SECONDS", 8*time.Second)
	fx := newFixture(t, dbtest.Fresh(t), int(duration.Seconds())*250)
	srv := startAgora(t, "agora", fx.dsn)
	sim := startLoad(fx, loadConfig{clients: clients, duration: duration, targets: []string{srv.URL()}, runID: runID(t)})

	// Kill at a random moment once submissions are flowing, so that some
	// were acknowledged before and others are in flight.
	time.Sleep(duration/4 + rand.N(duration/4))
	sim.waitForAcks(10, duration/2)
	killedAt := time.Now()
	srv.kill()
	before := sim.stats.acksBefore(killedAt)
	time.Sleep(300 * time.Millisecond) // clients meet a closed port meanwhile
	restart := srv.restart(60 * time.Second)
	stats := sim.wait()
	t.Logf("killed after %d acknowledged submissions; back in %s; %s",
		len(before), restart.Round(time.Millisecond), stats.summary())
	if stats.transport == 0 {
		t.Error("no request failed at the kill: the test did not crash anything in flight")
	}
	expectCleanRun(t, stats)

	confirmReplays(t, sim, before)
	st := load(t, fx.db, fx)
	st.checkAcks(t, stats.acksBefore(time.Now()))
	st.checkIntegrity(t)
	t.Logf("stored: %d responses, %d submitted, %d acknowledged (%d before the kill)",
		len(st.responses), st.submitted(), stats.ackCount(), len(before))
}

// confirmReplays submits again, after the restart, what was acknowledged
// before the kill: each retry must get its first receipt back, marked as
// a replay, and write nothing.
func confirmReplays(t *testing.T, sim *simulator, acks []ack) {
	t.Helper()
	sim.hardStop = time.Now().Add(time.Minute)
	v := sim.visitor(1)
	var p problems
	for i, a := range acks {
		if i >= 200 {
			break
		}
		path := "/api/v1/responses/" + sim.fx.tokens[a.index] + "/submit"
		raw, ok := v.call("confirm", http.MethodPost, path, map[string]any{"answers": answers(a.index)}, a.key, http.StatusOK)
		var r receiptBody
		if !ok || unmarshal(raw, &r) != nil || r.Receipt != a.receipt || !r.Replayed {
			p.add("stakeholder %d: retry after the restart answered %.200s, want receipt %s replayed", a.index, raw, a.receipt)
		}
	}
	p.report(t, "retries after the restart")
}
