# aiomysql (Debian python3-aiomysql) on the same workloads as MySqlBench.java; run by run.sh:
#   python3 aiomysql_bench.py <workload> <concurrency> <seconds> <port> <user> <password>
# prints: RESULT aiomysql <workload> <concurrency> <ops per s> <process CPU µs per op>
import asyncio
import random
import sys
import time

import aiomysql

POINT = "SELECT c FROM sbtest1 WHERE id = %s"
INSERT = "INSERT INTO bench_insert (k, c) VALUES (%s, %s)"
SCAN = "SELECT id, k, c, pad FROM sbtest1 WHERE id BETWEEN %s AND %s"
TABLE_SIZE = 100_000
SCAN_ROWS = 10_000


async def main(workload, conc, seconds, port, user, password):
    pool = await aiomysql.create_pool(host="127.0.0.1", port=port, user=user, password=password, db="bench",
                                      minsize=conc, maxsize=conc, autocommit=True)
    ops = 0
    stop = False

    async def worker():
        nonlocal ops
        while not stop:
            async with pool.acquire() as conn, conn.cursor() as cur:
                if workload == "point":
                    await cur.execute(POINT, (random.randint(1, TABLE_SIZE),))
                    await cur.fetchone()
                elif workload == "insert":
                    await cur.execute(INSERT, (random.randint(1, TABLE_SIZE), "aiomysql"))
                else:
                    s = random.randint(1, TABLE_SIZE - SCAN_ROWS)
                    await cur.execute(SCAN, (s, s + SCAN_ROWS - 1))
                    rows = await cur.fetchall()
                    assert len(rows) == SCAN_ROWS
            ops += 1

    tasks = [asyncio.create_task(worker()) for _ in range(conc)]
    await asyncio.sleep(seconds / 3)
    o0, c0 = ops, time.process_time()
    await asyncio.sleep(seconds * 2 / 3)
    o1, c1 = ops, time.process_time()
    stop = True
    await asyncio.gather(*tasks)
    pool.close()
    await pool.wait_closed()
    n = o1 - o0
    print(f"RESULT aiomysql {workload} {conc} {n / (seconds * 2 / 3):.0f} {(c1 - c0) * 1e6 / max(n, 1):.1f}")


if __name__ == "__main__":
    w, c, s, p, u, pw = sys.argv[1:7]
    asyncio.run(main(w, int(c), float(s), int(p), u, pw))
