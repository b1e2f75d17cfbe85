package kube_test

import (
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/asmlink/asmlink/cloud/kube"
)

// freezer is a TCP proxy to the API server that can stop passing bytes,
// as a network cut or a frozen server does, without closing anything.
type freezer struct {
	mu     sync.Mutex
	frozen bool
	thaw   *sync.Cond
}

func startFreezer(t *testing.T, upstream string) (*freezer, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{}
	f.thaw = sync.NewCond(&f.mu)
	var conns []net.Conn
	var cmu sync.Mutex
	t.Cleanup(func() {
		f.set(false)
		ln.Close()
		cmu.Lock()
		defer cmu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", upstream)
			if err != nil {
				in.Close()
				continue
			}
			cmu.Lock()
			conns = append(conns, in, out)
			cmu.Unlock()
			go f.pipe(out, in)
			go f.pipe(in, out)
		}
	}()
	return f, ln.Addr().String()
}

func (f *freezer) set(frozen bool) {
	f.mu.Lock()
	f.frozen = frozen
	f.mu.Unlock()
	f.thaw.Broadcast()
}

// pipe copies src to dst, holding each chunk while the proxy is frozen.
func (f *freezer) pipe(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		f.mu.Lock()
		for f.frozen {
			f.thaw.Wait()
		}
		f.mu.Unlock()
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// TestWatchReportsAStalledServerAndResumes freezes the connection to the
// API server while a watch is open: the watch must report it within
// seconds (a TimeoutError update, which status --watch prints; at most
// 15s with the default 30s request timeout), not wait for ever, and deliver the state again once the server answers.
func TestWatchReportsAStalledServerAndResumes(t *testing.T) {
	srv.Reset(t)
	u, err := url.Parse(srv.Config.Host)
	if err != nil {
		t.Fatal(err)
	}
	fr, addr := startFreezer(t, u.Host)
	cfg := rest.CopyConfig(srv.Config)
	cfg.Host = "https://" + addr
	c, err := kube.NewForConfig(ctx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := clusterID(1)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	ch := c.Watch(ctx(t), kube.WatchOptions{MaxBackoff: time.Second})
	next(t, ch, 10*time.Second, "cluster A", func(u kube.Update) bool { return u.Config != nil && u.Err == nil })

	fr.set(true)
	start := time.Now()
	down := next(t, ch, 20*time.Second, "an error while the server is frozen", func(u kube.Update) bool { return u.Err != nil })
	var te *kube.TimeoutError
	if !errors.As(down.Err, &te) {
		t.Errorf("the outage is reported as %v, want a *kube.TimeoutError", down.Err)
	}
	t.Logf("a frozen server was reported after %s: %v", time.Since(start).Round(time.Second), down.Err)
	fr.set(false)
	next(t, ch, 40*time.Second, "the state again after the server answers", func(u kube.Update) bool { return u.Err == nil && u.Config != nil })
}
