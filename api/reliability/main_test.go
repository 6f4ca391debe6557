package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// binDir holds the agora binary built for this test run.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "agora-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// agoraBinary builds the agora command once, on first use, so that a run
// whose tests all skip does not pay for the build.
func agoraBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		binPath = filepath.Join(binDir, "agora")
		cmd := exec.Command(goTool, "build", "-o", binPath, "github.com/unodc-csu/agora")
		if out, err := cmd.CombinedOutput(); err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// requirePostgres skips a test that needs PostgreSQL when none is named.
func requirePostgres(t *testing.T) {
	t.Helper()
	if !dbtest.Postgres() {
		t.Skipf("this test runs against PostgreSQL: set %s (CI does in its second pass)", dbtest.EnvURL)
	}
}

// requireLong skips a load test in -short runs.
func requireLong(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("a load test: skipped with -short")
	}
}

// envInt reads a positive integer setting, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// envSeconds reads a duration in whole seconds, or def.
func envSeconds(name string, def time.Duration) time.Duration {
	if n := envInt(name, 0); n > 0 {
		return time.Duration(n) * time.Second
	}
	return def
}
