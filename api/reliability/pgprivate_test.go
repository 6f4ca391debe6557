package reliability

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pgInstance is a PostgreSQL server of the test's own, in a temporary
// directory, on a free loopback port: a test may stop it without harm to
// anyone else.
type pgInstance struct {
	bin   string // the directory of initdb, pg_ctl, postgres
	dir   string
	port  string
	runAs string // the account to run as when the test runs as root
}

// privatePostgres initializes and starts a PostgreSQL server; the test
// skips where the server binaries are not installed.
func privatePostgres(t *testing.T) *pgInstance {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		t.Skip("needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
	}
	slices.Sort(found)
	pg := &pgInstance{bin: filepath.Dir(found[len(found)-1])}
	_, port, _ := strings.Cut(freeAddr(t), ":")
	pg.port = port
	dir, err := os.MkdirTemp("", "agora-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg.dir = dir
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres account to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		pg.runAs = "postgres"
	}
	if out, err := pg.run("initdb", "-D", pg.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	pg.start(t)
	t.Cleanup(func() { _, _ = pg.run("pg_ctl", "-D", pg.data(), "-m", "immediate", "-w", "stop") })
	return pg
}

func (pg *pgInstance) data() string { return filepath.Join(pg.dir, "data") }

// dsn is the URL of the instance's postgres database.
func (pg *pgInstance) dsn() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable", pg.port)
}

// start starts the server and waits until it accepts connections.
func (pg *pgInstance) start(t *testing.T) time.Time {
	t.Helper()
	opts := fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1", pg.port, pg.dir)
	if out, err := pg.run("pg_ctl", "-D", pg.data(), "-l", filepath.Join(pg.dir, "server.log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		t.Fatalf("start PostgreSQL: %v\n%s", err, out)
	}
	return time.Now()
}

// stop shuts the server down at once: every connection is ended.
func (pg *pgInstance) stop(t *testing.T) time.Time {
	t.Helper()
	if out, err := pg.run("pg_ctl", "-D", pg.data(), "-m", "fast", "-w", "stop"); err != nil {
		t.Fatalf("stop PostgreSQL: %v\n%s", err, out)
	}
	return time.Now()
}

// run runs one of the server's programs, as runAs when set.
func (pg *pgInstance) run(program string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := filepath.Join(pg.bin, program)
	if pg.runAs != "" {
		args = append([]string{"-u", pg.runAs, "--", name}, args...)
		name = "runuser"
	}
	return exec.CommandContext(ctx, name, args...).CombinedOutput()
}
