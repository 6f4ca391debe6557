package reliability

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestPostgresDumpRestore follows docs/RELIABILITY.md on PostgreSQL: a
// pg_dump -Fc taken in the middle of a load, the schema dropped, pg_restore,
// and a server started on the restored database must show every submission
// acknowledged before the dump began.
func TestPostgresDumpRestore(t *testing.T) {
	requirePostgres(t)
	requireLong(t)
	pgDump, errDump := exec.LookPath("pg_dump")
	pgRestore, errRestore := exec.LookPath("pg_restore")
	if errDump != nil || errRestore != nil {
		t.Skip("pg_dump and pg_restore are not installed")
	}
	const duration = 8 * time.Second
	dsn := dbtest.Fresh(t)
	base, schema := os.Getenv(dbtest.EnvURL), searchPath(t, dsn)
	fx := newFixture(t, dsn, 2000)
	srv := startAgora(t, "agora", dsn)
	sim := startLoad(fx, loadConfig{clients: 16, duration: duration, targets: []string{srv.URL()}, runID: runID(t)})

	time.Sleep(duration / 2)
	sim.waitForAcks(10, duration/2)
	dump := filepath.Join(t.TempDir(), "agora.dump")
	begin := time.Now()
	runTool(t, pgDump, "--format=custom", "--schema="+schema, "--file="+dump, "--dbname="+base)
	took := time.Since(begin)
	stats := sim.wait()
	expectCleanRun(t, stats)
	acked := stats.acksBefore(begin)
	if len(acked) == 0 {
		t.Fatal("nothing was acknowledged before the dump")
	}
	t.Logf("pg_dump took %s during load, %d submissions acknowledged before it", took.Round(time.Millisecond), len(acked))

	srv.stop()
	if err := fx.db.Exec(`DROP SCHEMA "` + schema + `" CASCADE`).Error; err != nil {
		t.Fatal(err)
	}
	runTool(t, pgRestore, "--exit-on-error", "--dbname="+base, dump)

	restored, err := database.Open(context.Background(), dsn) // new connections: the tables are new
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(restored) })
	st := load(t, restored, fx)
	st.checkAcks(t, acked)
	st.checkIntegrity(t)
	back := startAgora(t, "restored", dsn)
	expectSubmitted(t, back.URL(), fx, acked)
	t.Logf("restored: %d responses, %d submitted", len(st.responses), st.submitted())
}

// searchPath is the schema a dbtest DSN works in.
func searchPath(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || u.Query().Get("search_path") == "" {
		t.Fatalf("no search_path in the test database URL")
	}
	return u.Query().Get("search_path")
}

// runTool runs a command, failing the test with its output if it fails.
func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(name), err, out)
	}
}
