#!/usr/bin/python3
"""The side-by-side workloads on CPython asyncio, with its own loop or uvloop's.

    /usr/bin/python3 asyncio_bench.py --loop asyncio|uvloop switch|spawn|memory|timers|queue|generator|agen|lock
        [--count N] [--warmup K] [--seed S] [--max-delay-ms D] [--tracemalloc]

Prints one line ``BENCH {json}`` like the Java mains (see benchmarks/src/main/java/dev/spindle/bench/Bench.java).
Warm-up rounds (a tenth of the count) run first for symmetry with the JVM runtimes; CPython has no JIT to warm.
"""

import argparse
import asyncio
import gc
import json
import random
import sys
import time


def rss_bytes():
    """VmRSS from /proc/self/status, or -1."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return -1


def emit(runtime, args, value, unit, **extra):
    print("BENCH " + json.dumps({
        "runtime": runtime,
        "workload": args.workload,
        "count": args.count,
        "value": value,
        "unit": unit,
        "extra": extra,
    }), flush=True)


# ---- switch ---------------------------------------------------------------------------------------------------

async def ping_pong(handoffs):
    """Two single-slot handoffs, one each way: the sender sets the current future's result; the receiver awaits it
    and puts a fresh future in its place before it suspends again (inlined: no helper coroutine per handoff)."""
    loop = asyncio.get_running_loop()
    new_future = loop.create_future
    rounds = handoffs // 2
    slots = {"to_a": new_future(), "to_b": new_future()}

    async def b():
        last = 0
        for _ in range(rounds):
            last = await slots["to_b"]
            slots["to_b"] = new_future()
            slots["to_a"].set_result(last + 1)
        return last

    tb = loop.create_task(b())
    t0 = time.perf_counter_ns()
    got = 0
    for i in range(rounds):
        slots["to_b"].set_result(i)
        got = await slots["to_a"]
        slots["to_a"] = new_future()
    elapsed = time.perf_counter_ns() - t0
    if got != rounds or await tb != rounds - 1:
        raise AssertionError("lost a value")
    return elapsed


async def switch_bench(args, runtime):
    n = args.count - args.count % 2
    w = max(1000, args.count // 10)
    for _ in range(args.warmup):
        await ping_pong(w - w % 2)
    nanos = await ping_pong(n)
    emit(runtime, args, nanos / n, "ns/switch", wall_s=nanos / 1e9, switches_per_s=n / (nanos / 1e9))


# ---- spawn ----------------------------------------------------------------------------------------------------

async def trivial(i):
    return i


async def spawn_and_await(n):
    loop = asyncio.get_running_loop()
    t0 = time.perf_counter_ns()
    tasks = [loop.create_task(trivial(i)) for i in range(n)]
    total = 0
    for t in tasks:
        total += await t
    elapsed = time.perf_counter_ns() - t0
    if total != n * (n - 1) // 2:
        raise AssertionError("wrong sum")
    return elapsed


async def spawn_bench(args, runtime):
    for _ in range(args.warmup):
        await spawn_and_await(max(1000, args.count // 10))
    nanos = await spawn_and_await(args.count)
    emit(runtime, args, args.count / (nanos / 1e9), "tasks/s", wall_s=nanos / 1e9, ns_per_task=nanos / args.count)


# ---- memory ---------------------------------------------------------------------------------------------------

async def memory_bench(args, runtime):
    import tracemalloc
    n = args.count
    loop = asyncio.get_running_loop()
    tasks = [None] * n  # allocated before the baseline: the handles are the caller's
    parked = 0

    async def sleeper():
        nonlocal parked
        parked += 1
        await asyncio.sleep(3600)

    if args.tracemalloc:
        tracemalloc.start()
    gc.collect()
    traced0 = tracemalloc.get_traced_memory()[0] if args.tracemalloc else 0
    rss0 = rss_bytes()
    t0 = time.perf_counter()
    for i in range(n):
        tasks[i] = loop.create_task(sleeper())
    while parked < n:
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    start_s = time.perf_counter() - t0
    gc.collect()
    traced1 = tracemalloc.get_traced_memory()[0] if args.tracemalloc else 0
    rss1 = rss_bytes()

    t1 = time.perf_counter()
    for t in tasks:
        t.cancel()
    cancelled = 0
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            cancelled += 1
    cancel_s = time.perf_counter() - t1
    if cancelled != n:
        raise AssertionError(f"only {cancelled} of {n} cancelled")
    extra = dict(rss_delta_mib=(rss1 - rss0) / 1048576, start_s=start_s, cancel_s=cancel_s)
    if args.tracemalloc:
        extra["tracemalloc_b_per_coroutine"] = (traced1 - traced0) / n
        extra["note"] = "tracemalloc on: its own bookkeeping inflates the RSS figure"
    emit(runtime, args, (rss1 - rss0) / n, "B/coroutine (RSS)", **extra)


# ---- timers ---------------------------------------------------------------------------------------------------

async def timers(n, max_delay_s, seed):
    loop = asyncio.get_running_loop()
    rnd = random.Random(seed)
    all_fired = loop.create_future()
    fired = 0

    def tick():
        nonlocal fired
        fired += 1
        if fired == n:
            all_fired.set_result(None)

    call_later = loop.call_later
    uniform = rnd.random
    t0 = time.perf_counter_ns()
    for _ in range(n):
        call_later(uniform() * max_delay_s, tick)
    scheduled = time.perf_counter_ns() - t0
    await all_fired
    total = time.perf_counter_ns() - t0
    return total, scheduled


async def timers_bench(args, runtime):
    max_delay_s = args.max_delay_ms / 1000
    for w in range(args.warmup):
        await timers(max(1000, args.count // 10), max_delay_s / 10, args.seed + w + 1)
    cpu0 = time.process_time()
    total, scheduled = await timers(args.count, max_delay_s, args.seed)
    cpu = time.process_time() - cpu0
    emit(runtime, args, args.count / (total / 1e9), "timers/s", wall_s=total / 1e9, schedule_s=scheduled / 1e9,
         max_delay_s=max_delay_s, late_s=total / 1e9 - max_delay_s, cpu_s=cpu, timers_per_cpu_s=args.count / cpu)


# ---- toolkit: queue, generators, lock -------------------------------------------------------------------------

QUEUE_MAXSIZE = 100
LOCK_WORKERS = 100


async def queue_pairs(n):
    """One producer and one consumer through a bounded queue: n put/get pairs."""
    q = asyncio.Queue(maxsize=QUEUE_MAXSIZE)

    async def producer():
        put = q.put
        for i in range(n):
            await put(i)

    t0 = time.perf_counter_ns()
    p = asyncio.get_running_loop().create_task(producer())
    get = q.get
    total = 0
    for _ in range(n):
        total += await get()
    await p
    elapsed = time.perf_counter_ns() - t0
    if total != n * (n - 1) // 2:
        raise AssertionError("lost an item")
    return elapsed


async def queue_bench(args, runtime):
    for _ in range(args.warmup):
        await queue_pairs(max(1000, args.count // 10))
    nanos = await queue_pairs(args.count)
    emit(runtime, args, args.count / (nanos / 1e9), "pairs/s", wall_s=nanos / 1e9, ns_per_pair=nanos / args.count,
         maxsize=QUEUE_MAXSIZE)


def numbers(n):
    for i in range(n):
        yield i


def sync_generator(n):
    t0 = time.perf_counter_ns()
    total = 0
    for v in numbers(n):
        total += v
    elapsed = time.perf_counter_ns() - t0
    if total != n * (n - 1) // 2:
        raise AssertionError("lost an item")
    return elapsed


async def generator_bench(args, runtime):
    for _ in range(args.warmup):
        sync_generator(max(1000, args.count // 10))
    nanos = sync_generator(args.count)
    emit(runtime, args, args.count / (nanos / 1e9), "items/s", wall_s=nanos / 1e9, ns_per_item=nanos / args.count)


async def async_numbers(n):
    for i in range(n):
        yield i


async def async_generator(n):
    t0 = time.perf_counter_ns()
    total = 0
    async for v in async_numbers(n):
        total += v
    elapsed = time.perf_counter_ns() - t0
    if total != n * (n - 1) // 2:
        raise AssertionError("lost an item")
    return elapsed


async def agen_bench(args, runtime):
    for _ in range(args.warmup):
        await async_generator(max(1000, args.count // 10))
    nanos = await async_generator(args.count)
    emit(runtime, args, args.count / (nanos / 1e9), "items/s", wall_s=nanos / 1e9, ns_per_item=nanos / args.count)


async def contended_lock(n):
    """LOCK_WORKERS coroutines share n acquire/release pairs; each holds the lock across one yield to the loop, so
    the others queue up behind it."""
    lock = asyncio.Lock()
    per_worker = n // LOCK_WORKERS
    counter = 0

    async def worker():
        nonlocal counter
        for _ in range(per_worker):
            async with lock:
                c = counter
                await asyncio.sleep(0)
                counter = c + 1

    loop = asyncio.get_running_loop()
    t0 = time.perf_counter_ns()
    await asyncio.gather(*[loop.create_task(worker()) for _ in range(LOCK_WORKERS)])
    elapsed = time.perf_counter_ns() - t0
    if counter != per_worker * LOCK_WORKERS:
        raise AssertionError(f"lost an update: {counter}")
    return elapsed, per_worker * LOCK_WORKERS


async def lock_bench(args, runtime):
    for _ in range(args.warmup):
        await contended_lock(max(1000, args.count // 10))
    nanos, ops = await contended_lock(args.count)
    emit(runtime, args, ops / (nanos / 1e9), "acquires/s", wall_s=nanos / 1e9, ns_per_acquire=nanos / ops,
         workers=LOCK_WORKERS)


WORKLOADS = {"switch": switch_bench, "spawn": spawn_bench, "memory": memory_bench, "timers": timers_bench,
             "queue": queue_bench, "generator": generator_bench, "agen": agen_bench, "lock": lock_bench}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    p.add_argument("workload", choices=sorted(WORKLOADS))
    p.add_argument("--count", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--max-delay-ms", type=int, default=1000)
    p.add_argument("--tracemalloc", action="store_true", help="memory: also report tracemalloc's count (slow)")
    args = p.parse_args()

    if args.loop == "uvloop":
        import uvloop
        factory = uvloop.new_event_loop
    else:
        factory = asyncio.new_event_loop
    runtime = args.loop + ("+tracemalloc" if args.tracemalloc else "")
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(WORKLOADS[args.workload](args, runtime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
