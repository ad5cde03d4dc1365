"""The laundromat benchmark's Python peer (benchmarks/laundromat/run.sh): spindle-laundromat's HTTP API ported to
FastAPI + uvicorn (Debian's python3-fastapi, python3-uvicorn), aiomysql (python3-aiomysql) and redis.asyncio
(python3-redis), one worker, uvloop and httptools when installed.

What is the same as the Spindle service (spindle-laundromat, dev.spindle.laundromat):
  - the routes, status codes and JSON shapes the load script uses (POST /customers 201/409, POST /token 200/401,
    GET /machines, GET /machines/{id}, POST /washes 201/409, GET /washes/{id} 404 when not yours, DELETE
    /washes/{id} 404/409, GET /washes, GET /me, GET /notifications, GET /health; errors as {"detail": ...}, 401 with
    WWW-Authenticate: Bearer, 429 with Retry-After, 422 in FastAPI's own shape);
  - the storage: the same MariaDB schema (the same migrations' SQL, recorded in schema_version under GET_LOCK) and
    the same statements per request (store/Store.java), one pool of at most 20 connections, autocommit;
  - Redis: the same rate-limit Lua script by EVALSHA (fixed window, INCR + PEXPIRE), the ready stream
    laundromat:ready (XADD MAXLEN ~ 100000) consumed by 4 consumer tasks of group "notifiers" (XREADGROUP COUNT 50
    BLOCK 2000, notification INSERT IGNORE, XACK; worker 1 XAUTOCLAIMs idle entries every 30 s);
  - washes: machines in memory, chosen and reserved with no await in between; a wash is an asyncio task that sleeps
    its duration / speed, then marks the wash DONE, frees the machine, XADDs the notification, marks it notified;
  - passwords: PBKDF2-HMAC-SHA256, 4096 rounds, 16-byte salt, 32-byte hash, in asyncio.to_thread (the Java service
    hashes in toThread); tokens: 32 random bytes, base64url without padding (43 characters), cached in memory;
  - the live feed's work per machine change (a JSON event built and handed to the subscribers, none in the load).

What is not ported: the WebSocket and SSE routes (/ws, /events), the page (/), the self-check warm-up requests.

    python3 fastapi_laundromat.py --port P --redis redis://127.0.0.1:R \\
        --mysql 'mysql://user:pw@127.0.0.1:M/laundromat' [--machines 100] [--speed 600] [--rate-limit 1000]
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import warnings
from typing import Optional
from urllib.parse import unquote, urlparse

import aiomysql
import pymysql
import redis.asyncio as aioredis
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Path, Query
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, conint, constr

ITERATIONS = 4096  # api/Passwords.java
PROGRAMS = "cotton|synthetics|wool|delicates|quick"
STREAM = "laundromat:ready"
GROUP = "notifiers"
MAX_LENGTH = 100_000
TOKEN_CACHE_SIZE = 100_000
RATE_SCRIPT = """local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""
# INSERT IGNORE of a row already there (the machines at each start, a redelivered notification) is a MariaDB note,
# which pymysql turns into a Python warning per statement; the Java client does not report notes either
warnings.filterwarnings("ignore", category=pymysql.Warning)
WASH_COLUMNS = ("id, customer_id, machine_id, program, duration_ms, remaining_ms, deadline_ms, state, notified,"
                " created_at, finished_at")


def migrations(machines):
    """store/Migrations.java's migrations, oldest first: (version, description, statements)."""
    add_machines = [f"INSERT IGNORE INTO machines (id, name) VALUES ({i}, 'Machine {i}')"
                    for i in range(1, machines + 1)]
    return [
        (1, "customers and their tokens", [
            """CREATE TABLE IF NOT EXISTS customers (
              id BIGINT AUTO_INCREMENT PRIMARY KEY,
              name VARCHAR(64) NOT NULL UNIQUE,
              password_hash VARBINARY(64) NOT NULL,
              salt VARBINARY(32) NOT NULL,
              created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
            ) ENGINE=InnoDB""",
            """CREATE TABLE IF NOT EXISTS tokens (
              token CHAR(43) PRIMARY KEY,
              customer_id BIGINT NOT NULL,
              created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              FOREIGN KEY (customer_id) REFERENCES customers (id)
            ) ENGINE=InnoDB"""]),
        (2, "the machines", ["""CREATE TABLE IF NOT EXISTS machines (
              id INT PRIMARY KEY,
              name VARCHAR(32) NOT NULL
            ) ENGINE=InnoDB"""] + add_machines),
        (3, "washes: one active wash per machine (active_machine is unique, NULL once over)", [
            """CREATE TABLE IF NOT EXISTS washes (
              id BIGINT AUTO_INCREMENT PRIMARY KEY,
              customer_id BIGINT NOT NULL,
              machine_id INT NOT NULL,
              program VARCHAR(16) NOT NULL,
              duration_ms BIGINT NOT NULL,
              remaining_ms BIGINT NOT NULL,
              deadline_ms BIGINT NOT NULL,
              state VARCHAR(12) NOT NULL,
              active_machine INT NULL UNIQUE,
              notified BOOLEAN NOT NULL DEFAULT FALSE,
              created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              finished_at DATETIME(3) NULL,
              INDEX washes_customer (customer_id, id),
              INDEX washes_state (state),
              FOREIGN KEY (customer_id) REFERENCES customers (id),
              FOREIGN KEY (machine_id) REFERENCES machines (id)
            ) ENGINE=InnoDB"""]),
        (4, "ready notifications, one per wash (written by the stream's consumers)", [
            """CREATE TABLE IF NOT EXISTS notifications (
              wash_id BIGINT PRIMARY KEY,
              customer_id BIGINT NOT NULL,
              message VARCHAR(200) NOT NULL,
              stream_id VARCHAR(40) NOT NULL,
              created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              INDEX notifications_customer (customer_id, wash_id)
            ) ENGINE=InnoDB"""]),
    ]


# ---- JSON ---------------------------------------------------------------------------------------------------------

def iso(dt):
    """A DATETIME as Jackson writes a LocalDateTime (ISO_LOCAL_DATE_TIME: the fraction without trailing zeros)."""
    if dt is None:
        return None
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        s += ("." + f"{dt.microsecond:06d}").rstrip("0")
    return s


def json_response(value, status=200, headers=None):
    return Response(json.dumps(value, separators=(",", ":")).encode(), status_code=status,
                    media_type="application/json", headers=headers)


def wash_out(w):
    """api/Models.WashOut."""
    return {"id": w["id"], "machine": w["machine_id"], "program": w["program"], "durationMs": w["duration_ms"],
            "remainingMs": w["remaining_ms"], "state": w["state"], "createdAt": iso(w["created_at"]),
            "finishedAt": iso(w["finished_at"])}


def machine_free(i):
    """washes/MachineStatus.free."""
    return {"id": i, "name": f"Machine {i}", "state": "FREE", "washId": None, "program": None, "endsAt": 0,
            "totalMs": 0}


def now_ms():
    return int(time.time() * 1000)


def java_round(x):
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


# ---- the store (store/Store.java: one statement per method) ---------------------------------------------------------

class DuplicateKey(Exception):
    pass


class Store:
    def __init__(self, pool):
        self.pool = pool

    async def execute(self, sql, args=()):
        async with self.pool.acquire() as conn, conn.cursor() as cur:
            try:
                await cur.execute(sql, args)
            except pymysql.err.IntegrityError as e:
                if e.args and e.args[0] == 1062:
                    raise DuplicateKey() from e
                raise
            return cur.lastrowid, cur.rowcount

    async def fetchone(self, sql, args=()):
        async with self.pool.acquire() as conn, conn.cursor() as cur:
            await cur.execute(sql, args)
            return await cur.fetchone()

    async def fetch(self, sql, args=()):
        async with self.pool.acquire() as conn, conn.cursor() as cur:
            await cur.execute(sql, args)
            return await cur.fetchall()

    @staticmethod
    def _wash(r):
        return None if r is None else {
            "id": r[0], "customer_id": r[1], "machine_id": r[2], "program": r[3], "duration_ms": r[4],
            "remaining_ms": r[5], "deadline_ms": r[6], "state": r[7], "notified": bool(r[8]), "created_at": r[9],
            "finished_at": r[10]}

    async def add_customer(self, name, password_hash, salt):
        try:
            lastrowid, _ = await self.execute(
                "INSERT INTO customers (name, password_hash, salt) VALUES (%s, %s, %s)", (name, password_hash, salt))
            return lastrowid
        except DuplicateKey:
            return None

    async def customer_by_name(self, name):
        return await self.fetchone("SELECT id, name, password_hash, salt FROM customers WHERE name = %s", (name,))

    async def customer_name(self, cid):
        r = await self.fetchone("SELECT name FROM customers WHERE id = %s", (cid,))
        return None if r is None else r[0]

    async def add_token(self, token, cid):
        await self.execute("INSERT INTO tokens (token, customer_id) VALUES (%s, %s)", (token, cid))

    async def customer_of_token(self, token):
        r = await self.fetchone("SELECT customer_id FROM tokens WHERE token = %s", (token,))
        return None if r is None else r[0]

    async def start_wash(self, cid, machine, program, duration_ms, deadline_ms):
        try:
            wid, _ = await self.execute(
                "INSERT INTO washes (customer_id, machine_id, program, duration_ms, remaining_ms, deadline_ms, state,"
                " active_machine) VALUES (%s, %s, %s, %s, %s, %s, 'RUNNING', %s)",
                (cid, machine, program, duration_ms, duration_ms, deadline_ms, machine))
        except DuplicateKey:
            return None
        return await self.wash(wid)

    async def wash(self, wid):
        return self._wash(await self.fetchone(f"SELECT {WASH_COLUMNS} FROM washes WHERE id = %s", (wid,)))

    async def washes_of(self, cid, limit):
        rows = await self.fetch(
            f"SELECT {WASH_COLUMNS} FROM washes WHERE customer_id = %s ORDER BY id DESC LIMIT %s", (cid, limit))
        return [self._wash(r) for r in rows]

    async def active_washes(self):
        rows = await self.fetch(f"SELECT {WASH_COLUMNS} FROM washes WHERE active_machine IS NOT NULL ORDER BY id")
        return [self._wash(r) for r in rows]

    async def unnotified(self):
        rows = await self.fetch(f"SELECT {WASH_COLUMNS} FROM washes WHERE state = 'DONE' AND NOT notified ORDER BY id")
        return [self._wash(r) for r in rows]

    async def unnotified_for(self, seconds):
        rows = await self.fetch(
            f"SELECT {WASH_COLUMNS} FROM washes WHERE state = 'DONE' AND NOT notified"
            " AND finished_at < CURRENT_TIMESTAMP(3) - INTERVAL %s SECOND ORDER BY id", (seconds,))
        return [self._wash(r) for r in rows]

    async def finish(self, wid):
        _, n = await self.execute(
            "UPDATE washes SET state = 'DONE', remaining_ms = 0, active_machine = NULL,"
            " finished_at = CURRENT_TIMESTAMP(3) WHERE id = %s AND active_machine IS NOT NULL", (wid,))
        return n == 1

    async def cancel(self, wid, remaining_ms):
        _, n = await self.execute(
            "UPDATE washes SET state = 'CANCELLED', remaining_ms = %s, active_machine = NULL,"
            " finished_at = CURRENT_TIMESTAMP(3) WHERE id = %s AND active_machine IS NOT NULL", (remaining_ms, wid))
        return n == 1

    async def pause(self, wid, remaining_ms):
        _, n = await self.execute(
            "UPDATE washes SET state = 'PAUSED', remaining_ms = %s WHERE id = %s AND state = 'RUNNING'",
            (remaining_ms, wid))
        return n == 1

    async def resume(self, wid, deadline_ms):
        await self.execute(
            "UPDATE washes SET state = 'RUNNING', deadline_ms = %s WHERE id = %s AND active_machine IS NOT NULL",
            (deadline_ms, wid))

    async def mark_notified(self, wid):
        await self.execute("UPDATE washes SET notified = TRUE WHERE id = %s", (wid,))

    async def add_notification(self, wid, cid, message, stream_id):
        _, n = await self.execute(
            "INSERT IGNORE INTO notifications (wash_id, customer_id, message, stream_id) VALUES (%s, %s, %s, %s)",
            (wid, cid, message, stream_id))
        return n == 1

    async def notifications_of(self, cid, limit):
        return await self.fetch(
            "SELECT wash_id, message, created_at FROM notifications WHERE customer_id = %s"
            " ORDER BY wash_id DESC LIMIT %s", (cid, limit))


async def apply_migrations(store, machines):
    """store/Migrations.apply: the versions not yet recorded, in order, on one connection holding the lock."""
    async with store.pool.acquire() as conn, conn.cursor() as cur:
        await cur.execute("""CREATE TABLE IF NOT EXISTS schema_version (
              version INT PRIMARY KEY,
              description VARCHAR(200) NOT NULL,
              applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
            ) ENGINE=InnoDB""")
        await cur.execute("SELECT GET_LOCK('laundromat.migrate', 60)")
        if (await cur.fetchone())[0] != 1:
            raise RuntimeError("another process holds lock laundromat.migrate for over 60 s")
        try:
            await cur.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            current = (await cur.fetchone())[0]
            applied = 0
            for version, description, statements in migrations(machines):
                if version <= current:
                    continue
                for sql in statements:
                    await cur.execute(sql)
                await cur.execute("INSERT INTO schema_version (version, description) VALUES (%s, %s)",
                                  (version, description))
                applied += 1
            for i in range(1, machines + 1):
                await cur.execute("INSERT IGNORE INTO machines (id, name) VALUES (%s, %s)", (i, f"Machine {i}"))
            return applied
        finally:
            await cur.execute("SELECT RELEASE_LOCK('laundromat.migrate')")


# ---- Redis: the rate limiter and the ready queue (notify/) ----------------------------------------------------------

class RateLimiter:
    def __init__(self, r, limit, window_ms):
        self.limit = limit
        self.window_ms = window_ms
        self.script = r.register_script(RATE_SCRIPT)  # EVALSHA, EVAL once if the script is not loaded

    async def hit(self, key):
        n, ttl = await self.script(keys=["laundromat:rate:" + key], args=[str(self.window_ms)])
        return int(n) <= self.limit, int(ttl)


class LiveFeed:
    """live/LiveFeed's publishing side: each event goes to every subscriber's queue (none during the load)."""

    def __init__(self):
        self.subscribers = set()

    def publish(self, text):
        for q in list(self.subscribers):
            if q.qsize() >= 1024:
                self.subscribers.discard(q)
            else:
                q.put_nowait(text)


class ReadyQueue:
    def __init__(self, r):
        self.r = r

    async def declare(self):
        try:
            await self.r.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except aioredis.ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    async def publish(self, w):
        return await self.r.xadd(STREAM, {"wash": str(w["id"]), "customer": str(w["customer_id"]),
                                          "machine": str(w["machine_id"]), "program": w["program"]},
                                 maxlen=MAX_LENGTH, approximate=True)


class ReadyWorkers:
    """notify/ReadyWorkers: consumer tasks worker-1..n; own pending entries first, then new ones, worker 1 claims."""

    def __init__(self, r, store, feed, n):
        self.r, self.store, self.feed = r, store, feed
        self.handled = 0
        self.tasks = [asyncio.create_task(self.run(f"worker-{i}", i == 1)) for i in range(1, n + 1)]

    async def stop(self):
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def read(self, consumer, start, block):
        try:
            got = await self.r.xreadgroup(GROUP, consumer, {STREAM: start}, count=50, block=block)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # noqa: BLE001 - logged and retried, as the Java workers do
            print(f"reading {STREAM} failed; again in 1 s: {e!r}", file=sys.stderr)
            await asyncio.sleep(1)
            return None
        for name, entries in got or []:
            if name == STREAM:
                return entries
        return []

    async def run(self, consumer, claimer):
        while True:
            mine = await self.read(consumer, "0", None)
            if mine is None:
                continue
            if not mine:
                break
            for e in mine:
                await self.handle(e)
        next_claim = time.monotonic()
        while True:
            if claimer and time.monotonic() >= next_claim:
                await self.claim_idle(consumer)
                next_claim = time.monotonic() + 30
            fresh = await self.read(consumer, ">", 2000)
            for e in fresh or []:
                await self.handle(e)

    async def claim_idle(self, consumer):
        try:
            cursor = "0-0"
            while True:
                got = await self.r.xautoclaim(STREAM, GROUP, consumer, 60_000, start_id=cursor, count=50)
                for e in got[1]:
                    await self.handle(e)
                cursor = got[0]
                if cursor == "0-0":
                    break
        except asyncio.CancelledError:
            raise
        except Exception as e:  # noqa: BLE001
            print(f"claiming idle entries failed: {e!r}", file=sys.stderr)

    async def handle(self, entry):
        eid, f = entry
        while True:
            try:
                if not f or f.get("wash") is None:
                    await self.r.xack(STREAM, GROUP, eid)
                    return
                try:
                    wash, customer, machine = int(f["wash"]), int(f["customer"]), int(f["machine"])
                except (KeyError, ValueError):
                    print(f"dropping malformed entry {eid}: {f}", file=sys.stderr)
                    await self.r.xack(STREAM, GROUP, eid)
                    return
                message = f"Your {f.get('program')} wash on machine {f.get('machine')} is ready"
                if await self.store.add_notification(wash, customer, message, eid):
                    self.feed.publish(f'{{"type":"ready","wash":{wash},"machine":{machine}}}')
                await self.r.xack(STREAM, GROUP, eid)
                self.handled += 1
                return
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001
                print(f"entry {eid} failed; again in 1 s: {e!r}", file=sys.stderr)
                await asyncio.sleep(1)


# ---- the floor (washes/Floor.java) ----------------------------------------------------------------------------------

class WashError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Running:
    __slots__ = ("wash", "deadline_ms", "task", "finishing")

    def __init__(self, wash, deadline_ms):
        self.wash, self.deadline_ms, self.task, self.finishing = wash, deadline_ms, None, False


class Floor:
    def __init__(self, store, ready, feed, machines, speed):
        self.store, self.ready, self.feed, self.speed = store, ready, feed, speed
        self.machines = [machine_free(i + 1) for i in range(machines)]
        self.running = {}
        self.closed = False
        self.finished = 0

    async def recover(self):
        now = now_ms()
        resumed = 0
        for w in await self.store.active_washes():
            m = w["machine_id"]
            if m > len(self.machines) or self.machines[m - 1]["washId"] is not None:
                print(f"wash {w['id']} is on machine {m}, which this run does not have or has taken; left as it is",
                      file=sys.stderr)
                continue
            left = (java_round(w["remaining_ms"] / self.speed) if w["state"] == "PAUSED"
                    else max(0, w["deadline_ms"] - now))
            deadline = now + left
            await self.store.resume(w["id"], deadline)
            self.launch(w, deadline, max(left, java_round(w["duration_ms"] / self.speed)))
            resumed += 1
        for w in await self.store.unnotified():
            await self.ready.publish(w)
            await self.store.mark_notified(w["id"])
        return resumed

    async def requeue_unnotified(self, seconds):
        n = 0
        for w in await self.store.unnotified_for(seconds):
            await self.ready.publish(w)
            await self.store.mark_notified(w["id"])
            n += 1
        return n

    async def start(self, cid, machine, program, minutes):
        if self.closed:
            raise WashError(503, "the laundromat is closing")
        if machine is not None:
            if machine < 1 or machine > len(self.machines) or self.machines[machine - 1]["washId"] is not None:
                raise WashError(409, f"machine {machine} is busy")
            index = machine - 1
        else:
            index = next((i for i, m in enumerate(self.machines) if m["washId"] is None), -1)
            if index < 0:
                raise WashError(409, "every machine is busy; try again when one is free")
        # reserved before the first await, so no other request takes it meanwhile
        duration_ms = minutes * 60_000
        real_ms = max(1, java_round(duration_ms / self.speed))
        deadline = now_ms() + real_ms
        self.machines[index] = {"id": index + 1, "name": self.machines[index]["name"], "state": "WASHING",
                                "washId": -1, "program": program, "endsAt": deadline, "totalMs": real_ms}
        try:
            stored = await self.store.start_wash(cid, index + 1, program, duration_ms, deadline)
        except BaseException:
            self.machines[index] = machine_free(index + 1)
            raise
        if stored is None:
            self.machines[index] = machine_free(index + 1)
            raise WashError(409, f"machine {index + 1} is busy")
        self.launch(stored, deadline, real_ms)
        return stored

    async def cancel(self, cid, wid):
        w = await self.store.wash(wid)
        if w is None or w["customer_id"] != cid:
            raise WashError(404, f"no wash {wid} of yours")
        r = self.running.get(wid)
        if r is not None and r.finishing:
            raise WashError(409, f"wash {wid} is finishing already")
        left = w["remaining_ms"] if r is None else self.remaining_wash_ms(r)
        if not await self.store.cancel(wid, left):
            again = await self.store.wash(wid)
            raise WashError(409, f"wash {wid} is {again['state'] if again else 'gone'} already")
        if r is not None:
            self.running.pop(wid, None)
            r.task.cancel()
            self.free(w["machine_id"])
        return await self.store.wash(wid)

    async def save_all(self):
        self.closed = True
        for r in list(self.running.values()):
            if r.finishing:
                await asyncio.gather(r.task, return_exceptions=True)
                continue
            r.task.cancel()
            try:
                await self.store.pause(r.wash["id"], self.remaining_wash_ms(r))
            except Exception as e:  # noqa: BLE001 - still RUNNING with its deadline: the next start resumes it
                print(f"could not save wash {r.wash['id']}: {e!r}", file=sys.stderr)
        await asyncio.gather(*(r.task for r in self.running.values()), return_exceptions=True)
        self.running.clear()

    def remaining_wash_ms(self, r):
        return max(0, java_round((r.deadline_ms - now_ms()) * self.speed))

    def launch(self, w, deadline, total_real_ms):
        index = w["machine_id"] - 1
        self.machines[index] = {"id": w["machine_id"], "name": self.machines[index]["name"], "state": "WASHING",
                                "washId": w["id"], "program": w["program"], "endsAt": deadline,
                                "totalMs": total_real_ms}
        r = Running(w, deadline)
        self.running[w["id"]] = r
        r.task = asyncio.create_task(self.wash_task(r), name=f"wash-{w['id']}")
        self.publish(self.machines[index])

    async def wash_task(self, r):
        await asyncio.sleep(max(0, r.deadline_ms - now_ms()) / 1000)
        r.finishing = True
        await self.finish(r)

    async def finish(self, r):
        w = r.wash
        try:
            done = await self.store.finish(w["id"])
        finally:
            # emptied before the notification goes out, so a customer told "ready" finds the machine free
            self.running.pop(w["id"], None)
            self.finished += 1
            self.free(w["machine_id"])
        if done:
            await self.ready.publish(w)
            await self.store.mark_notified(w["id"])

    def free(self, machine):
        self.machines[machine - 1] = machine_free(machine)
        self.publish(self.machines[machine - 1])

    def publish(self, m):
        self.feed.publish(json.dumps({"type": "machine", "machine": m}, separators=(",", ":")))


# ---- passwords (api/Passwords.java) ---------------------------------------------------------------------------------

def _pbkdf2(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS, 32)


async def password_hash(password, salt):
    return await asyncio.to_thread(_pbkdf2, password, salt)


def new_token():
    return base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


# ---- the app --------------------------------------------------------------------------------------------------------

class Credentials(BaseModel):
    name: constr(min_length=3, max_length=32, regex=r"^[A-Za-z0-9_.-]+$")
    password: constr(min_length=8, max_length=72)


class StartWash(BaseModel):
    program: constr(regex=f"^({PROGRAMS})$")
    minutes: conint(ge=1, le=240)
    machine: Optional[conint(ge=1)] = None


class Service:
    """What startup builds: the pool, the Redis client, the store, the floor, the workers."""
    options = None
    pool = None
    redis = None
    store = None
    floor = None
    feed = None
    workers = None
    limiter = None
    sweeper = None
    tokens = {}


S = Service()
app = FastAPI(title="Laundromat (FastAPI port)", version="1.0")
bearer = HTTPBearer(auto_error=False)


async def current_customer(credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> int:
    """api/CurrentCustomer: the bearer token looked up among the tokens login handed out, cached."""
    if credentials is None:
        raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    token = credentials.credentials
    cid = S.tokens.get(token)
    if cid is None:
        if len(token) != 43:
            raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
        cid = await S.store.customer_of_token(token)
        if cid is None:
            raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
        if len(S.tokens) >= TOKEN_CACHE_SIZE:
            S.tokens.clear()
        S.tokens[token] = cid
    return cid


async def rate_limited(cid: int = Depends(current_customer)) -> int:
    """api/RateLimited: one hit on the customer's window in Redis; past the limit 429 with Retry-After."""
    allowed, ttl = await S.limiter.hit(f"customer:{cid}")
    if not allowed:
        raise HTTPException(
            429, f"Too many requests: {S.limiter.limit} per {S.limiter.window_ms // 1000} s",
            headers={"Retry-After": str(max(1, (ttl + 999) // 1000))})
    return cid


@app.post("/customers", status_code=201, tags=["customers"], summary="Register a customer")
async def register(body: Credentials):
    salt = os.urandom(16)
    digest = await password_hash(body.password, salt)
    cid = await S.store.add_customer(body.name, digest, salt)
    if cid is None:
        raise HTTPException(409, f"the name {body.name} is taken")
    return json_response({"id": cid, "name": body.name}, 201)


@app.post("/token", tags=["customers"], summary="Log in: a bearer token")
async def login(body: Credentials):
    c = await S.store.customer_by_name(body.name)
    if c is None or not hmac.compare_digest(await password_hash(body.password, c[3]), c[2]):
        raise HTTPException(401, "Incorrect name or password", headers={"WWW-Authenticate": "Bearer"})
    token = new_token()
    await S.store.add_token(token, c[0])
    return json_response({"accessToken": token, "tokenType": "bearer"})


@app.get("/me", tags=["customers"], summary="Who the token belongs to")
async def me(cid: int = Depends(rate_limited)):
    return json_response({"id": cid, "name": (await S.store.customer_name(cid)) or "?"})


@app.get("/notifications", tags=["customers"], summary="My ready notifications, newest first")
async def notifications(cid: int = Depends(rate_limited), limit: int = Query(50, ge=1, le=500)):
    rows = await S.store.notifications_of(cid, limit)
    return json_response([{"wash": r[0], "message": r[1], "createdAt": iso(r[2])} for r in rows])


@app.get("/machines", tags=["machines"], summary="Every machine's state")
async def machines():
    return json_response(list(S.floor.machines))


@app.get("/machines/{machine_id}", tags=["machines"], summary="One machine's state")
async def machine(machine_id: int = Path(ge=1)):
    if machine_id > len(S.floor.machines):
        raise HTTPException(404, f"no machine {machine_id}")
    return json_response(S.floor.machines[machine_id - 1])


@app.post("/washes", status_code=201, tags=["washes"], summary="Start a wash on a free machine")
async def start(body: StartWash, cid: int = Depends(rate_limited)):
    try:
        w = await S.floor.start(cid, body.machine, body.program, body.minutes)
    except WashError as e:
        raise HTTPException(e.status, str(e)) from None
    return json_response(wash_out(w), 201)


@app.get("/washes", tags=["washes"], summary="My washes, newest first")
async def history(cid: int = Depends(rate_limited), limit: int = Query(20, ge=1, le=500)):
    return json_response([wash_out(w) for w in await S.store.washes_of(cid, limit)])


@app.get("/washes/{wash_id}", tags=["washes"], summary="One of my washes")
async def wash(wash_id: int, cid: int = Depends(rate_limited)):
    w = await S.store.wash(wash_id)
    if w is None or w["customer_id"] != cid:
        raise HTTPException(404, f"no wash {wash_id} of yours")
    return json_response(wash_out(w))


@app.delete("/washes/{wash_id}", tags=["washes"], summary="Cancel one of my washes")
async def cancel(wash_id: int, cid: int = Depends(rate_limited)):
    try:
        w = await S.floor.cancel(cid, wash_id)
    except WashError as e:
        raise HTTPException(e.status, str(e)) from None
    return json_response(wash_out(w))


@app.get("/health", tags=["service"], summary="The service's counters")
async def health():
    return json_response({"status": "ok", "running": len(S.floor.running), "finished": S.floor.finished,
                          "liveSubscribers": len(S.feed.subscribers), "notificationsHandled": S.workers.handled})


def mysql_options(url):
    u = urlparse(url)
    if u.scheme not in ("mysql", "mariadb"):
        raise SystemExit(f"--mysql must be mysql://user:password@host:port/database, was {url}")
    return {"host": u.hostname or "127.0.0.1", "port": u.port or 3306, "user": unquote(u.username or "root"),
            "password": unquote(u.password or ""), "db": (u.path or "/").lstrip("/") or "laundromat"}


@app.on_event("startup")
async def startup():
    o = S.options
    db = mysql_options(o.mysql)
    if not db["db"].replace("_", "").isalnum():
        raise SystemExit("the database name must be letters, digits and _: " + db["db"])
    conn = await aiomysql.connect(host=db["host"], port=db["port"], user=db["user"], password=db["password"])
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"CREATE DATABASE IF NOT EXISTS `{db['db']}` CHARACTER SET utf8mb4")
    finally:
        conn.close()
    S.pool = await aiomysql.create_pool(minsize=1, maxsize=20, autocommit=True, charset="utf8mb4", **db)
    S.store = Store(S.pool)
    await apply_migrations(S.store, o.machines)
    S.redis = aioredis.from_url(o.redis, decode_responses=True)
    ready = ReadyQueue(S.redis)
    await ready.declare()
    S.feed = LiveFeed()
    S.floor = Floor(S.store, ready, S.feed, o.machines, o.speed)
    resumed = await S.floor.recover()
    S.workers = ReadyWorkers(S.redis, S.store, S.feed, o.workers)
    S.limiter = RateLimiter(S.redis, o.rate_limit, 10_000)

    async def sweep():
        while True:
            await asyncio.sleep(30)
            try:
                await S.floor.requeue_unnotified(30)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001
                print(f"re-queueing notifications failed; again in 30 s: {e!r}", file=sys.stderr)

    S.sweeper = asyncio.create_task(sweep())
    print(f"Laundromat (FastAPI): {o.machines} machines, time x{o.speed}"
          + (f", {resumed} washes resumed" if resumed else ""), file=sys.stderr)


@app.on_event("shutdown")
async def shutdown():
    if S.sweeper is not None:
        S.sweeper.cancel()
    if S.floor is not None:
        await S.floor.save_all()
    if S.workers is not None:
        await S.workers.stop()
    if S.redis is not None:
        await S.redis.close()
    if S.pool is not None:
        S.pool.close()
        await S.pool.wait_closed()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--redis", required=True)
    ap.add_argument("--mysql", required=True)
    ap.add_argument("--machines", type=int, default=10)
    ap.add_argument("--speed", type=float, default=60)
    ap.add_argument("--rate-limit", type=int, default=120)
    ap.add_argument("--workers", type=int, default=4)
    S.options = ap.parse_args()
    loop = "auto"
    http = "auto"
    try:
        import uvloop  # noqa: F401
        loop = "uvloop"
    except ImportError:
        pass
    try:
        import httptools  # noqa: F401
        http = "httptools"
    except ImportError:
        pass
    print(f"fastapi laundromat on 127.0.0.1:{S.options.port}, loop={loop}, http={http}", file=sys.stderr)
    uvicorn.run(app, host="127.0.0.1", port=S.options.port, loop=loop, http=http, log_level="warning",
                access_log=False)


if __name__ == "__main__":
    main()
