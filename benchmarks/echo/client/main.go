// Command echo-client is the echo benchmark's load client: the same client drives every echo server, so that the
// servers, not the clients, are what differs between rows.
//
//	echo-client -runtime NAME -addr 127.0.0.1:PORT [-connections 64] [-size 1024] [-warmup 2] [-seconds 5]
//	            [-max-requests 50000000] [-server-pid PID]
//
// Each connection is a closed loop: it sends one message of -size bytes, reads the whole echo back, checks it, and
// starts again, so there is exactly one message in flight per connection. The run has two windows: a warm-up,
// whose requests are not counted, then the measured window. A request counts when its echo completes inside the
// measured window. The measured window ends after -seconds or when -max-requests requests have been counted,
// whichever comes first; both are bounded, and the only address accepted is 127.0.0.1.
//
// With -server-pid, the server's CPU time (utime and stime of /proc/PID/stat, all its threads) is read exactly at
// the start and at the end of the measured window; divided by the requests counted, it gives the server's user and
// system CPU time per request, the figure that stays comparable when the request rate jumps between levels.
//
// Prints one line "BENCH {json}" like the other benchmark mains (see benchmarks/summarize.py): runtime, workload
// "echo-<size>", count (requests measured), value (requests/s), unit "req/s", and extra. mib_per_s counts the bytes
// echoed back only (one direction). A connection that fails (connect, read, write, short or wrong echo, or a stall
// past the run's deadline) is counted in extra.errors and stops; the run goes on with the others. The exit status
// is 1 when anything failed, 2 on bad arguments.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Limits on the arguments: the client must stay a bounded load on the loopback interface.
const (
	maxSeconds     = 60
	maxConnections = 1024
	maxSize        = 16 << 20
	// markStride is the distance between the bytes that carry the request's sequence mark and are checked on the
	// echo: a few hundred bytes per 100 KiB message, cheap next to the copy itself.
	markStride = 512
)

// Phases of the run, in order; workers read the current one after each echo.
const (
	warmingUp int32 = iota
	measuring
	stopping
)

var phase atomic.Int32

func main() {
	runtimeName := flag.String("runtime", "", "name of the server's runtime, copied into the result (required)")
	addr := flag.String("addr", "", "the server, 127.0.0.1:PORT (no other host is accepted)")
	connections := flag.Int("connections", 64, "concurrent connections, one message in flight on each")
	size := flag.Int("size", 1024, "message size in bytes")
	warmup := flag.Float64("warmup", 2, "warm-up seconds before the measured window (not counted)")
	seconds := flag.Float64("seconds", 5, "length of the measured window in seconds (at most 60)")
	maxRequests := flag.Int64("max-requests", 50_000_000, "end the measured window early after this many requests")
	serverPid := flag.Int("server-pid", 0, "the server's process id, to read its CPU time from /proc (0: do not)")
	dialTimeout := flag.Duration("dial-timeout", 5*time.Second, "time allowed for each connect")
	flag.Parse()

	if err := checkArgs(*runtimeName, *addr, *connections, *size, *warmup, *seconds, *maxRequests); err != nil {
		fmt.Fprintln(os.Stderr, "echo-client:", err)
		flag.Usage()
		os.Exit(2)
	}
	clkTck := clockTicksPerSecond()

	// Every socket gets one deadline for the whole run: a server that stalls fails the connection instead of
	// hanging the client, and no per-request timer is needed.
	deadline := time.Now().Add(time.Duration((*warmup+*seconds+30)*float64(time.Second)) + *dialTimeout)
	var errs errorLog
	workers := make([]*worker, 0, *connections)
	for i := 0; i < *connections; i++ {
		c, err := net.DialTimeout("tcp4", *addr, *dialTimeout)
		if err != nil {
			errs.add(fmt.Errorf("connect %d: %w", i, err))
			continue
		}
		tc := c.(*net.TCPConn)
		_ = tc.SetNoDelay(true)
		_ = tc.SetDeadline(deadline)
		workers = append(workers, newWorker(i, tc, *size))
	}

	var wg sync.WaitGroup
	var alive atomic.Int32
	var measured atomic.Int64
	allFailed := make(chan struct{})
	reachedMax := make(chan struct{})
	var maxOnce sync.Once
	alive.Store(int32(len(workers)))
	if len(workers) == 0 {
		close(allFailed)
	}
	for _, w := range workers {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			if err := w.run(&measured, *maxRequests, func() { maxOnce.Do(func() { close(reachedMax) }) }); err != nil {
				errs.add(err)
				if alive.Add(-1) == 0 {
					close(allFailed)
				}
			}
		}(w)
	}

	select {
	case <-time.After(time.Duration(*warmup * float64(time.Second))):
	case <-allFailed:
	}

	// The measured window. Its two ends read the server's CPU time as close to the phase change as possible.
	cpu0, cpuErr0 := processCPU(*serverPid)
	rus0 := selfRusage()
	t0 := time.Now()
	phase.Store(measuring)
	stoppedBy := "time"
	select {
	case <-time.After(time.Duration(*seconds * float64(time.Second))):
	case <-reachedMax:
		stoppedBy = "max-requests"
	case <-allFailed:
		stoppedBy = "all-connections-failed"
	}
	phase.Store(stopping)
	t1 := time.Now()
	cpu1, cpuErr1 := processCPU(*serverPid)
	rus1 := selfRusage()
	threads := processThreads(*serverPid)

	// Each worker finishes the request in flight and returns; the socket deadline bounds the wait.
	wg.Wait()
	for _, w := range workers {
		_ = w.conn.Close()
	}

	elapsed := t1.Sub(t0).Seconds()
	var total uint64
	var hist histogram
	for _, w := range workers {
		total += w.requests
		hist.merge(&w.hist)
	}
	reqPerSec := float64(total) / elapsed
	extra := map[string]interface{}{
		"message_bytes":          *size,
		"mib_per_s":              reqPerSec * float64(*size) / (1 << 20),
		"mib_per_s_counts":       "bytes echoed back (one direction)",
		"connections":            *connections,
		"connections_alive_end":  int(alive.Load()),
		"seconds":                elapsed,
		"warmup_s":               *warmup,
		"stopped_by":             stoppedBy,
		"errors":                 errs.count(),
		"p50_us":                 hist.quantile(0.50) / 1e3,
		"p90_us":                 hist.quantile(0.90) / 1e3,
		"p99_us":                 hist.quantile(0.99) / 1e3,
		"max_us":                 hist.quantile(1.00) / 1e3,
		"client_cpu_util":        (rus1 - rus0) / elapsed,
		"client_gomaxprocs":      runtime.GOMAXPROCS(0),
		"clk_tck":                clkTck,
		"server_pid":             *serverPid,
		"server_threads_at_end":  threads,
		"latency_counts_request": "from before the write to the last byte of the echo read",
	}
	if samples := errs.samples(); len(samples) > 0 {
		extra["error_samples"] = samples
	}
	if *serverPid > 0 {
		if cpuErr0 != nil || cpuErr1 != nil {
			errs.add(fmt.Errorf("server CPU time: start %v, end %v", cpuErr0, cpuErr1))
			extra["errors"] = errs.count()
			extra["error_samples"] = errs.samples()
		} else {
			user := float64(cpu1.user-cpu0.user) / float64(clkTck)
			sys := float64(cpu1.sys-cpu0.sys) / float64(clkTck)
			extra["server_user_s"] = user
			extra["server_sys_s"] = sys
			extra["server_cpu_util"] = (user + sys) / elapsed
			if total > 0 {
				extra["server_user_cpu_us_per_req"] = user * 1e6 / float64(total)
				extra["server_sys_cpu_us_per_req"] = sys * 1e6 / float64(total)
			}
		}
	}
	emit(*runtimeName, fmt.Sprintf("echo-%d", *size), total, reqPerSec, extra)
	if errs.count() > 0 || total == 0 {
		for _, s := range errs.samples() {
			fmt.Fprintln(os.Stderr, "echo-client:", s)
		}
		os.Exit(1)
	}
}

func checkArgs(runtimeName, addr string, connections, size int, warmup, seconds float64, maxRequests int64) error {
	if runtimeName == "" {
		return errors.New("-runtime is required")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host != "127.0.0.1" {
		return fmt.Errorf("-addr %q: only 127.0.0.1 is accepted", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("-addr %q: bad port", addr)
	}
	switch {
	case connections < 1 || connections > maxConnections:
		return fmt.Errorf("-connections %d: must be 1..%d", connections, maxConnections)
	case size < 1 || size > maxSize:
		return fmt.Errorf("-size %d: must be 1..%d", size, maxSize)
	case !(warmup >= 0 && warmup <= maxSeconds):
		return fmt.Errorf("-warmup %g: must be 0..%d seconds", warmup, maxSeconds)
	case !(seconds > 0 && seconds <= maxSeconds):
		return fmt.Errorf("-seconds %g: must be more than 0 and at most %d", seconds, maxSeconds)
	case maxRequests < 1:
		return fmt.Errorf("-max-requests %d: must be at least 1", maxRequests)
	}
	return nil
}

// worker drives one connection. Its fields other than conn are written only by its own goroutine and read after
// it has returned.
type worker struct {
	id       int
	conn     *net.TCPConn
	out, in  []byte
	requests uint64
	hist     histogram
}

func newWorker(id int, conn *net.TCPConn, size int) *worker {
	w := &worker{id: id, conn: conn, out: make([]byte, size), in: make([]byte, size)}
	for i := range w.out {
		w.out[i] = byte(i*7 + id)
	}
	return w
}

// run sends and checks echoes until the run stops or the connection fails. Every markStride-th byte (and the last)
// carries the request's sequence number plus its position, so a stale, shifted or foreign echo is caught.
func (w *worker) run(measured *atomic.Int64, maxRequests int64, reachedMax func()) error {
	last := len(w.out) - 1
	for seq := byte(0); phase.Load() != stopping; seq++ {
		for p := 0; p < len(w.out); p += markStride {
			w.out[p] = seq + byte(p/markStride)
		}
		w.out[last] = ^seq
		start := time.Now()
		if _, err := w.conn.Write(w.out); err != nil {
			return fmt.Errorf("connection %d: write: %w", w.id, err)
		}
		if _, err := io.ReadFull(w.conn, w.in); err != nil {
			return fmt.Errorf("connection %d: read echo: %w", w.id, err)
		}
		end := time.Now()
		for p := 0; p < len(w.in); p += markStride {
			if w.in[p] != seq+byte(p/markStride) {
				return fmt.Errorf("connection %d: wrong echo at byte %d", w.id, p)
			}
		}
		if w.in[last] != ^seq {
			return fmt.Errorf("connection %d: wrong echo at byte %d", w.id, last)
		}
		if phase.Load() == measuring {
			w.requests++
			w.hist.record(uint64(end.Sub(start)))
			if measured.Add(1) == maxRequests {
				reachedMax()
			}
		}
	}
	return nil
}

// histogram counts latencies in nanoseconds with 7 significant bits (relative error under 1 %), in fixed memory.
type histogram struct {
	counts [128 + 57*64]uint64
}

func (h *histogram) record(ns uint64) {
	if ns < 128 {
		h.counts[ns]++
		return
	}
	shift := bits.Len64(ns) - 7
	h.counts[128+(shift-1)*64+int(ns>>shift)-64]++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// quantile returns the middle of the bucket holding the q-th latency in nanoseconds, or 0 when empty.
func (h *histogram) quantile(q float64) float64 {
	var total uint64
	for _, c := range h.counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total) + 0.999999)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			if i < 128 {
				return float64(i)
			}
			shift := (i-128)/64 + 1
			top := uint64((i-128)%64 + 64)
			return float64(top<<shift) + float64(uint64(1)<<shift)/2
		}
	}
	return 0
}

// errorLog counts failures from any goroutine and keeps the first few messages.
type errorLog struct {
	mu    sync.Mutex
	n     int
	first []string
}

func (l *errorLog) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if len(l.first) < 5 {
		l.first = append(l.first, err.Error())
	}
}

func (l *errorLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func (l *errorLog) samples() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.first...)
}

type cpuTicks struct{ user, sys uint64 }

// processCPU reads utime and stime (fields 14 and 15, in clock ticks, all threads) of /proc/PID/stat.
func processCPU(pid int) (cpuTicks, error) {
	if pid <= 0 {
		return cpuTicks{}, nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpuTicks{}, err
	}
	// The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return cpuTicks{}, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	user, err1 := strconv.ParseUint(fields[11], 10, 64)
	sys, err2 := strconv.ParseUint(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return cpuTicks{}, fmt.Errorf("/proc/%d/stat: utime %v, stime %v", pid, err1, err2)
	}
	return cpuTicks{user, sys}, nil
}

// processThreads reads the thread count of /proc/PID/status, or returns 0.
func processThreads(pid int) int {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "Threads:") {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "Threads:")))
			return n
		}
	}
	return 0
}

// clockTicksPerSecond asks getconf once for the unit of /proc/PID/stat's times; 100 when it cannot.
func clockTicksPerSecond() int {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(out))); err == nil && n > 0 {
			return n
		}
	}
	return 100
}

// selfRusage returns this process's user plus system CPU time in seconds.
func selfRusage() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func emit(runtimeName, workload string, count uint64, value float64, extra map[string]interface{}) {
	b, err := json.Marshal(map[string]interface{}{
		"runtime":  runtimeName,
		"workload": workload,
		"count":    count,
		"value":    value,
		"unit":     "req/s",
		"extra":    extra,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("BENCH " + string(b))
}
