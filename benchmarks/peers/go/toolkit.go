package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// The toolkit workloads: a bounded queue (a buffered channel), a generator (a goroutine feeding an unbuffered
// channel: Go's usual pull-one-at-a-time generator; "generator" and "agen" both map to it, since Go makes no such
// distinction), and a mutex contended by 100 goroutines that each yield while holding it.

const queueCapacity = 100
const lockWorkers = 100

func queuePairs(n int) time.Duration {
	ch := make(chan int, queueCapacity)
	start := time.Now()
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	total := 0
	for i := 0; i < n; i++ {
		total += <-ch
	}
	d := time.Since(start)
	if total != n*(n-1)/2 {
		panic("lost an item")
	}
	return d
}

func queueBench(count, warmup int) {
	for i := 0; i < warmup; i++ {
		queuePairs(warmupCount(count))
	}
	d := queuePairs(count)
	emit("queue", count, float64(count)/d.Seconds(), "pairs/s", map[string]interface{}{
		"wall_s": d.Seconds(), "ns_per_pair": float64(d.Nanoseconds()) / float64(count), "maxsize": queueCapacity,
	})
}

// numbers yields 0..n-1 one at a time: the producer runs only when the consumer takes the previous value.
func numbers(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
		close(ch)
	}()
	return ch
}

func generatorRun(n int) time.Duration {
	start := time.Now()
	total := 0
	for v := range numbers(n) {
		total += v
	}
	d := time.Since(start)
	if total != n*(n-1)/2 {
		panic("lost an item")
	}
	return d
}

func generatorBench(workload string, count, warmup int) {
	for i := 0; i < warmup; i++ {
		generatorRun(warmupCount(count))
	}
	d := generatorRun(count)
	emit(workload, count, float64(count)/d.Seconds(), "items/s", map[string]interface{}{
		"wall_s": d.Seconds(), "ns_per_item": float64(d.Nanoseconds()) / float64(count),
		"pattern": "goroutine + unbuffered channel",
	})
}

func contendedLock(n int) (time.Duration, int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	perWorker := n / lockWorkers
	counter := 0
	start := time.Now()
	for w := 0; w < lockWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				mu.Lock()
				c := counter
				runtime.Gosched()
				counter = c + 1
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	if counter != perWorker*lockWorkers {
		panic(fmt.Sprintf("lost an update: %d", counter))
	}
	return d, perWorker * lockWorkers
}

func lockBench(count, warmup int) {
	for i := 0; i < warmup; i++ {
		contendedLock(warmupCount(count))
	}
	d, ops := contendedLock(count)
	emit("lock", count, float64(ops)/d.Seconds(), "acquires/s", map[string]interface{}{
		"wall_s": d.Seconds(), "ns_per_acquire": float64(d.Nanoseconds()) / float64(ops), "workers": lockWorkers,
	})
}
