package reliability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// agoraProc is an agora server running as a child process on a fixed
// loopback address, so that a restart comes back where clients expect it.
type agoraProc struct {
	t    *testing.T
	name string
	addr string
	dsn  string
	env  []string
	logs string // file receiving the server's output, all runs appended

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// startAgora starts a server over dsn and waits until it answers /healthz.
// extraEnv adds settings such as AGORA_DB_MAX_CONNS=20.
func startAgora(t *testing.T, name, dsn string, extraEnv ...string) *agoraProc {
	t.Helper()
	p := &agoraProc{t: t, name: name, addr: freeAddr(t), dsn: dsn,
		logs: filepath.Join(t.TempDir(), name+".log")}
	p.env = append(os.Environ(),
		"AGORA_DEMO=false",
		"AGORA_RATE_PER_MINUTE=1000000000", // every client shares one address
		// Other packages' tests share the PostgreSQL server in CI, and its
		// 100 connections: 20 serve 64 clients on two cores well enough.
		"AGORA_DB_MAX_CONNS=20",
		"DATABASE_URL="+dsn,
	)
	p.env = append(p.env, extraEnv...)
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("last lines of %s's log:\n%s", name, tail(p.logs, 40))
		}
	})
	p.start()
	if err := p.waitHealthy(60 * time.Second); err != nil {
		t.Fatalf("%s did not become healthy: %v\n%s", name, err, tail(p.logs, 40))
	}
	return p
}

// URL is the server's base address.
func (p *agoraProc) URL() string { return "http://" + p.addr }

// pid is the process id of the running server.
func (p *agoraProc) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd.Process.Pid
}

// start runs the binary; the previous process, if any, must have ended.
func (p *agoraProc) start() {
	p.t.Helper()
	logFile, err := os.OpenFile(p.logs, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	cmd := exec.Command(agoraBinary(p.t), "serve", "--addr", p.addr)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		logFile.Close()
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(done)
	}()
	p.mu.Lock()
	p.cmd, p.done = cmd, done
	p.mu.Unlock()
}

// restart starts the server again after kill or stop and waits for it.
func (p *agoraProc) restart(timeout time.Duration) time.Duration {
	p.t.Helper()
	begin := time.Now()
	p.start()
	if err := p.waitHealthy(timeout); err != nil {
		p.t.Fatalf("%s did not come back: %v\n%s", p.name, err, tail(p.logs, 40))
	}
	return time.Since(begin)
}

// kill ends the server with SIGKILL, as a crash or an OOM killer would: no
// request in flight gets an answer, nothing is flushed.
func (p *agoraProc) kill() { p.signal(syscall.SIGKILL) }

// stop ends the server with SIGTERM, giving requests in flight their grace.
func (p *agoraProc) stop() { p.signal(syscall.SIGTERM) }

func (p *agoraProc) signal(sig syscall.Signal) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-done:
		return
	default:
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// waitHealthy polls /healthz until it answers 200.
func (p *agoraProc) waitHealthy(timeout time.Duration) error {
	return waitFor(timeout, func() error { return health(p.URL()) })
}

// health asks /healthz once.
func health(base string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", res.StatusCode)
	}
	return nil
}

// waitFor retries check every 50 ms until it passes or timeout runs out.
func waitFor(timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeAddr finds a free loopback port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runAgora runs a one-shot agora command and returns its output.
func runAgora(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, agoraBinary(t), args...)
	cmd.Env = append(os.Environ(), "AGORA_DEMO=false")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run agora %v: %v", args, err)
	}
	return out.String(), err
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
