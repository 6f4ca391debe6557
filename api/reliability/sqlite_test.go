package reliability

import (
	"path/filepath"
	"testing"
	"time"
)

// TestSQLiteLoad runs 16 stakeholders against the embedded SQLite database
// (WAL, busy timeout, immediate transactions): writers must queue, never
// fail, and no "database is locked" may reach a client.
func TestSQLiteLoad(t *testing.T) {
	requireLong(t)
	duration := envSeconds("AGORA_SOAK_SECONDS", 12*time.Second)
	clients := envInt("AGORA_SQLITE_CLIENTS", 16)
	fx := newFixture(t, filepath.Join(t.TempDir(), "agora.db"), int(duration.Seconds())*150)
	srv := startAgora(t, "agora", fx.dsn)

	stats := startLoad(fx, loadConfig{clients: clients, duration: duration, targets: []string{srv.URL()}, runID: runID(t)}).wait()
	t.Logf("SQLite, %d clients: %s", clients, stats.summary())
	expectCleanRun(t, stats)
	st := load(t, fx.db, fx)
	st.checkAcks(t, stats.acksBefore(time.Now()))
	st.checkIntegrity(t)
	t.Logf("stored: %d responses, %d submitted", len(st.responses), st.submitted())
}
