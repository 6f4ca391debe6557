//go:build !linux

package reliability

import "os/exec"

// dieWithParent does nothing where the kernel offers no parent-death
// signal; the tests' cleanups stop the servers.
func dieWithParent(*exec.Cmd) {}
