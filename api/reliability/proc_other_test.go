//go:build !linux

package reliability

import (
	"errors"
	"os/exec"
)

// dieWithParent does nothing where the kernel offers no parent-death
// signal; the tests' cleanups stop the servers.
func dieWithParent(*exec.Cmd) {}

// memoryOf needs Linux's /proc: the tests that measure memory skip.
func memoryOf(int) (rss, peak int64, err error) {
	return 0, 0, errors.New("no /proc on this system")
}
