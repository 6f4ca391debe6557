package reliability

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms/database"
)

// TestBackupWhileServing takes `agora backup` of the SQLite database in the
// middle of a load, then restores it: a server started on the backup must
// show every submission acknowledged before the backup began, complete.
func TestBackupWhileServing(t *testing.T) {
	requireLong(t)
	const duration = 8 * time.Second
	dir := t.TempDir()
	fx := newFixture(t, filepath.Join(dir, "agora.db"), 2000)
	srv := startAgora(t, "agora", fx.dsn)
	sim := startLoad(fx, loadConfig{clients: 8, duration: duration, targets: []string{srv.URL()}, runID: runID(t)})

	time.Sleep(duration / 2)
	sim.waitForAcks(10, duration/2)
	backupFile := filepath.Join(dir, "backup.db")
	begin := time.Now()
	out, err := runAgora(t, "backup", "--db", fx.dsn, backupFile)
	took := time.Since(begin)
	if err != nil {
		t.Fatalf("agora backup: %v\n%s", err, out)
	}
	stats := sim.wait()
	expectCleanRun(t, stats)
	acked := stats.acksBefore(begin)
	if len(acked) == 0 {
		t.Fatal("nothing was acknowledged before the backup")
	}
	t.Logf("backup took %s during load, %d submissions acknowledged before it; %s", took.Round(time.Millisecond), len(acked), stats.summary())

	restored := openBackup(t, backupFile)
	st := load(t, restored, fx)
	st.checkAcks(t, acked)
	st.checkIntegrity(t)
	t.Logf("the backup holds %d responses, %d submitted", len(st.responses), st.submitted())

	// Restoring is starting a server on the file: it must serve the answers.
	srv.stop()
	back := startAgora(t, "restored", backupFile)
	expectSubmitted(t, back.URL(), fx, acked)
}

// openBackup opens a backup read as it is and checks that SQLite finds it
// sound and that its schema is current.
func openBackup(t *testing.T, path string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	db, err := database.OpenExisting(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	var check string
	if err := db.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity_check of the backup: %q, %v", check, err)
	}
	if pending, err := database.Check(ctx, db); err != nil || pending != 0 {
		t.Fatalf("backup schema: %d pending migrations, %v", pending, err)
	}
	return db
}

// expectSubmitted reads each acknowledged response through the API of the
// server at base: submitted, with its receipt.
func expectSubmitted(t *testing.T, base string, fx *fixture, acks []ack) {
	t.Helper()
	var p problems
	for _, a := range acks {
		// A submitted response opens with its receipt code only.
		req, err := http.NewRequest(http.MethodGet, base+"/api/v1/responses/"+fx.tokens[a.index], nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Receipt", a.receipt)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Status  string `json:"status"`
			Receipt string `json:"receipt"`
		}
		if res.StatusCode != http.StatusOK || unmarshal(raw, &r) != nil ||
			r.Status != "submitted" || r.Receipt != a.receipt {
			p.add("stakeholder %d: %d %.200s, want submitted with %s", a.index, res.StatusCode, raw, a.receipt)
		}
	}
	p.report(t, "responses served from the restored backup")
}

// TestBackupRefusesPostgres: agora backup names PostgreSQL's own tools.
func TestBackupRefusesPostgres(t *testing.T) {
	out, err := runAgora(t, "backup", "--db", "postgres://nobody@127.0.0.1:1/none", filepath.Join(t.TempDir(), "x.db"))
	if err == nil || !strings.Contains(out, "pg_dump") {
		t.Errorf("agora backup on PostgreSQL: %v, %q; want a failure naming pg_dump", err, out)
	}
}
