//go:build unix

package reports

import (
	"os/exec"
	"syscall"
)

// setProcessGroup starts cmd in its own process group and makes a timeout
// kill the whole group, so Chromium's helper processes cannot outlive the test.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
