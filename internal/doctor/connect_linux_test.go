//go:build linux

package doctor

import (
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"
)

// fullBacklogAddr returns a local address whose listen queue is full: Linux
// drops further SYNs, so a connect there times out exactly like one to a
// host behind a firewall that silently drops packets.
func fullBacklogAddr(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil { // never accepted: the queue fills at once
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	filler, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatalf("fill the listen queue: %v", err)
	}
	t.Cleanup(func() { filler.Close() })
	if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
		c.Close()
		t.Skip("this kernel accepted a connection beyond the backlog; cannot reproduce a connect timeout")
	}
	return addr
}

func TestConnectTimeout(t *testing.T) {
	addr := fullBacklogAddr(t)
	start := time.Now()
	rep := run(t, Config{URL: "https://" + addr + "/scim/v2", ConnectTimeout: 300 * time.Millisecond})
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("doctor took %s with a 300ms connect timeout", d)
	}
	if _, ok := find(rep, CodeConnectTimeout); !ok {
		t.Fatalf("no %s finding; got %v", CodeConnectTimeout, codes(rep))
	}
	if rep.OK {
		t.Fatal("OK without a connection")
	}
}
