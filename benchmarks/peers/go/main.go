// Command go-bench runs the side-by-side workloads on Go's runtime: goroutines, channels and time.AfterFunc.
//
//	go-bench switch|spawn|memory|timers|queue|generator|agen|lock [-count N] [-warmup K] [-seed S] [-max-delay-ms D]
//
// Set GOMAXPROCS in the environment (the runner uses 1 and the default). Prints one line "BENCH {json}" like the
// Java mains (see benchmarks/src/main/java/dev/spindle/bench/Bench.java). Warm-up rounds of a tenth of the count
// run first, for symmetry with the JVM runtimes.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

type result struct {
	Runtime  string                 `json:"runtime"`
	Workload string                 `json:"workload"`
	Count    int                    `json:"count"`
	Value    float64                `json:"value"`
	Unit     string                 `json:"unit"`
	Extra    map[string]interface{} `json:"extra"`
}

func emit(workload string, count int, value float64, unit string, extra map[string]interface{}) {
	extra["gomaxprocs"] = runtime.GOMAXPROCS(0)
	r := result{
		Runtime:  fmt.Sprintf("go-p%d", runtime.GOMAXPROCS(0)),
		Workload: workload,
		Count:    count,
		Value:    value,
		Unit:     unit,
		Extra:    extra,
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	fmt.Println("BENCH " + string(b))
}

// rssBytes reads VmRSS from /proc/self/status, or returns -1.
func rssBytes() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if strings.HasPrefix(line, "VmRSS:") {
			fields := strings.Fields(line[len("VmRSS:"):])
			kb, err := strconv.ParseInt(fields[0], 10, 64)
			if err != nil {
				return -1
			}
			return kb * 1024
		}
	}
	return -1
}

// cpuSeconds is the CPU time of the whole process so far (user + system).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func warmupCount(count int) int {
	if count/10 > 1000 {
		return count / 10
	}
	return 1000
}

// ---- switch: two goroutines handing a value back and forth over unbuffered channels ---------------------------

func pingPong(handoffs int) time.Duration {
	rounds := handoffs / 2
	toB := make(chan int)
	toA := make(chan int)
	done := make(chan int)
	go func() {
		last := 0
		for i := 0; i < rounds; i++ {
			last = <-toB
			toA <- last + 1
		}
		done <- last
	}()
	t0 := time.Now()
	got := 0
	for i := 0; i < rounds; i++ {
		toB <- i
		got = <-toA
	}
	elapsed := time.Since(t0)
	if got != rounds || <-done != rounds-1 {
		panic("lost a value")
	}
	return elapsed
}

func switchBench(count, warmup int) {
	n := count - count%2
	for w := 0; w < warmup; w++ {
		wc := warmupCount(count)
		pingPong(wc - wc%2)
	}
	d := pingPong(n)
	emit("switch", count, float64(d.Nanoseconds())/float64(n), "ns/switch", map[string]interface{}{
		"wall_s":         d.Seconds(),
		"switches_per_s": float64(n) / d.Seconds(),
	})
}

// ---- spawn: goroutines returning their index through a one-slot channel each, awaited in turn -----------------

func spawnAndAwait(n int) time.Duration {
	results := make([]chan int, n)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		c := make(chan int, 1)
		results[i] = c
		go func(v int) { c <- v }(i)
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-results[i]
	}
	elapsed := time.Since(t0)
	if sum != n*(n-1)/2 {
		panic("wrong sum")
	}
	return elapsed
}

func spawnBench(count, warmup int) {
	for w := 0; w < warmup; w++ {
		spawnAndAwait(warmupCount(count))
	}
	d := spawnAndAwait(count)
	emit("spawn", count, float64(count)/d.Seconds(), "tasks/s", map[string]interface{}{
		"wall_s":      d.Seconds(),
		"ns_per_task": float64(d.Nanoseconds()) / float64(count),
	})
}

// ---- memory: goroutines parked in time.Sleep(1 hour); the process exits under them ----------------------------

func heapAndStackInUse() (uint64, uint64) {
	var m runtime.MemStats
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse, m.Sys
}

func memoryBench(count int) {
	var parked int64
	inUse0, sys0 := heapAndStackInUse()
	rss0 := rssBytes()
	t0 := time.Now()
	for i := 0; i < count; i++ {
		go func() {
			atomic.AddInt64(&parked, 1)
			time.Sleep(time.Hour)
		}()
	}
	for atomic.LoadInt64(&parked) < int64(count) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the last ones counted themselves; let them reach their sleep
	start := time.Since(t0)
	inUse1, sys1 := heapAndStackInUse()
	rss1 := rssBytes()
	emit("memory", count, float64(rss1-rss0)/float64(count), "B/coroutine (RSS)", map[string]interface{}{
		"rss_delta_mib":              float64(rss1-rss0) / 1048576,
		"heap_stack_b_per_goroutine": float64(inUse1-inUse0) / float64(count),
		"heap_stack_delta_mib":       float64(inUse1-inUse0) / 1048576,
		"sys_delta_mib":              float64(sys1-sys0) / 1048576,
		"start_s":                    start.Seconds(),
		"cancel_s":                   "n/a (exits)",
	})
}

// ---- timers: time.AfterFunc with random delays; each fires on a goroutine of its own -------------------------

func timers(n int, maxDelay time.Duration, seed int64) (time.Duration, time.Duration) {
	rnd := rand.New(rand.NewSource(seed))
	var fired int64
	allFired := make(chan struct{})
	tick := func() {
		if atomic.AddInt64(&fired, 1) == int64(n) {
			close(allFired)
		}
	}
	t0 := time.Now()
	for i := 0; i < n; i++ {
		time.AfterFunc(time.Duration(rnd.Float64()*float64(maxDelay)), tick)
	}
	scheduled := time.Since(t0)
	<-allFired
	return time.Since(t0), scheduled
}

func timersBench(count, warmup int, seed int64, maxDelay time.Duration) {
	for w := 0; w < warmup; w++ {
		timers(warmupCount(count), maxDelay/10, seed+int64(w)+1)
	}
	cpu0 := cpuSeconds()
	total, scheduled := timers(count, maxDelay, seed)
	cpu := cpuSeconds() - cpu0
	emit("timers", count, float64(count)/total.Seconds(), "timers/s", map[string]interface{}{
		"wall_s":           total.Seconds(),
		"schedule_s":       scheduled.Seconds(),
		"max_delay_s":      maxDelay.Seconds(),
		"late_s":           total.Seconds() - maxDelay.Seconds(),
		"cpu_s":            cpu,
		"timers_per_cpu_s": float64(count) / cpu,
		"threads":          "runtime timers; each callback on its own goroutine",
	})
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go-bench switch|spawn|memory|timers|queue|generator|agen|lock [-count N] [-warmup K] [-seed S] [-max-delay-ms D]")
		os.Exit(2)
	}
	workload := os.Args[1]
	fs := flag.NewFlagSet("go-bench", flag.ExitOnError)
	count := fs.Int("count", 1000000, "how many switches, tasks, coroutines or timers")
	warmup := fs.Int("warmup", 2, "warm-up rounds of a tenth of the count")
	seed := fs.Int64("seed", 42, "seed of the timer delays")
	maxDelayMs := fs.Int("max-delay-ms", 1000, "timer delays are uniform in [0, this)")
	if err := fs.Parse(os.Args[2:]); err != nil {
		os.Exit(2)
	}
	switch workload {
	case "switch":
		switchBench(*count, *warmup)
	case "spawn":
		spawnBench(*count, *warmup)
	case "memory":
		memoryBench(*count)
	case "timers":
		timersBench(*count, *warmup, *seed, time.Duration(*maxDelayMs)*time.Millisecond)
	case "queue":
		queueBench(*count, *warmup)
	case "generator", "agen":
		generatorBench(workload, *count, *warmup)
	case "lock":
		lockBench(*count, *warmup)
	default:
		fmt.Fprintln(os.Stderr, "unknown workload", workload)
		os.Exit(2)
	}
}
