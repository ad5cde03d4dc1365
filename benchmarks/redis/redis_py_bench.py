"""One cell of the Redis benchmark for redis-py's asyncio client (Debian python3-redis).

python3 redis_py_bench.py <get|set> <concurrency> <depth> <ops> <port>  ->  one JSON line, as RedisBench.java
"""
import asyncio
import json
import sys
import time

import redis.asyncio as redis

VALUE = "x" * 100
KEYS = 1000


async def measure(op, c, depth, ops, port):
    r = redis.Redis(host="127.0.0.1", port=port, max_connections=c)
    requests = ops // depth
    counter = iter(range(requests))
    lat = []

    async def worker():
        for n in counter:
            s = time.perf_counter_ns()
            if depth == 1:
                k = f"key:{n % KEYS}"
                if op == "get":
                    await r.get(k)
                else:
                    await r.set(k, VALUE)
            else:
                async with r.pipeline(transaction=False) as p:
                    for i in range(depth):
                        k = f"key:{(n * depth + i) % KEYS}"
                        if op == "get":
                            p.get(k)
                        else:
                            p.set(k, VALUE)
                    await p.execute()
            lat.append(time.perf_counter_ns() - s)

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(c)))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    await (r.aclose() if hasattr(r, "aclose") else r.close())
    lat.sort()
    done = len(lat) * depth
    return done / elapsed, lat[len(lat) // 2], lat[int(len(lat) * 0.99)], cpu / done


async def main():
    op, c, depth, ops, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    await measure(op, c, depth, max(ops // 5, 1000), port)
    ops_s, p50, p99, cpu = await measure(op, c, depth, ops, port)
    print(json.dumps({"client": "redis-py", "op": op, "c": c, "P": depth, "ops_s": round(ops_s),
                      "p50_us": round(p50 / 1e3, 1), "p99_us": round(p99 / 1e3, 1),
                      "cpu_us_per_op": round(cpu * 1e6, 2)}))


asyncio.run(main())
