#!/usr/bin/env python3
"""Workers on NATS JetStream and PostgreSQL against one process on SQLite.

    tests/workers/workers_test.py --khabar build/khabar --scenario three-workers|kill-one

Needs a PostgreSQL server (KHABAR_TEST_POSTGRES, as scripts/postgres start prints it) and
Debian's nats-server; starts its own nats-server with JetStream on a free loopback port and
works in a schema of its own.

three-workers: the story corpus (data/stories) is published and stored by three workers at once;
  their stories must match a single-process SQLite ingest of the same file (B-cubed F1 of one
  against the other of at least 0.99, and F1 against the gold labels within 1 point), and every
  article and every exact copy must be stored exactly once.
kill-one: 2,000 generated articles are published; one worker is killed with SIGKILL midway, and
  two more are started; nothing may be lost and nothing doubled, and the stream must be empty.
Exit status 77 (CTest's skip) when KHABAR_TEST_POSTGRES is unset.
"""

import argparse
import json
import os
import shutil
import signal
import sqlite3
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval"))
from score_clusters import score  # noqa: E402

SKIP = 77


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"nats-server did not listen on {port}")


def run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n"
                         f"{result.stdout}\n{result.stderr}")
    return result.stdout


def with_schema(server, schema):
    run(["psql", "-q", server, "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE",
         "-c", f"CREATE SCHEMA {schema}"])
    return f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"


def assignments(khabar, db):
    """external_id -> story label, and the list of (id, external_id, sighting) stored."""
    out = run([khabar, "--db", db, "stories", "--assignments"])
    labels, rows = {}, []
    for number, line in enumerate(out.splitlines(), 1):
        row = json.loads(line)
        rows.append((row["id"], row.get("external_id", ""), row.get("sighting", False)))
        story = row["story"]
        key = row.get("external_id") or row["id"]
        labels[key] = f"alone:{number}" if story is None else str(story)
    return labels, rows


class Nats:
    def __init__(self, workdir):
        binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
        if not Path(binary).exists():
            raise SystemExit("nats-server not found: install Debian's nats-server package")
        self.port = free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [binary, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(workdir / "js")],
            stdout=subprocess.DEVNULL, stderr=open(workdir / "nats.log", "w"))
        wait_for_port(self.port)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def start_worker(args, db, nats, stream, name, batch, log, extra=()):
    return subprocess.Popen(
        [args.khabar, "--db", db, "worker", "--nats", nats.url, "--stream", stream,
         "--subject", f"{stream.lower()}.articles", "--name", name, "--batch", str(batch),
         "--ack-wait", "3", "--exit-when-idle", "4", *extra],
        stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)


def wait_all(workers, seconds=600):
    deadline = time.time() + seconds
    for w in workers:
        w.wait(timeout=max(1, deadline - time.time()))
        if w.returncode != 0:
            raise SystemExit(f"a worker exited with {w.returncode}")


def publish(args, nats, stream, path):
    out = run([args.khabar, "publish", "--nats", nats.url, "--stream", stream,
               "--subject", f"{stream.lower()}.articles", str(path)])
    print(out.strip())


def status(args, db, nats, stream):
    return json.loads(run([args.khabar, "--db", db, "status", "--json", "--nats", nats.url,
                           "--stream", stream]))


def check_same_articles(reference_rows, rows):
    """Every article and every exact copy stored once, as by one process."""
    ids = [r[0] for r in rows if not r[2]]
    if len(ids) != len(set(ids)):
        raise SystemExit("an article was stored twice")
    if sorted(rows) != sorted(reference_rows):
        missing = set(reference_rows) - set(rows)
        extra = set(rows) - set(reference_rows)
        raise SystemExit(f"stored differs from one process: {len(missing)} missing "
                         f"({sorted(missing)[:3]}), {len(extra)} extra ({sorted(extra)[:3]})")


def three_workers(args, work, server, nats):
    corpus = ROOT / "data/stories/corpus.jsonl"
    reference_db = str(work / "reference.db")
    run([args.khabar, "--db", reference_db, "ingest", "--quiet", str(corpus)])
    reference, reference_rows = assignments(args.khabar, reference_db)

    db = with_schema(server, "workers_three")
    publish(args, nats, "THREE", corpus)
    workers = [start_worker(args, db, nats, "THREE", f"w{i}", 10, work / f"w{i}.log")
               for i in range(3)]
    wait_all(workers)
    labels, rows = assignments(args.khabar, db)

    gold = {}
    for line in open(ROOT / "data/stories/gold.jsonl", encoding="utf-8"):
        row = json.loads(line)
        gold[row["id"]] = row["story"]
    agreement = score(reference, labels)["bcubed_f1"]
    one = score(gold, reference)["bcubed_f1"]
    three = score(gold, labels)["bcubed_f1"]
    # Workers store entity mentions after each commit (Store::defer_entity_mentions): every
    # article one process gave mentions must have them, none left aside. Not their exact number:
    # a person renamed by one worker keeps its short name in the others' memory (README), which
    # can link a mention to another entity than one process would.
    mentioned = ("SELECT DISTINCT a.id FROM entity_mentions m "
                 "JOIN articles a ON a.sequence = m.article_sequence")
    with sqlite3.connect(reference_db) as reference_store:
        expected = {r[0] for r in reference_store.execute(mentioned)}
    with_mentions = set(run(["psql", "-tA", db, "-c", mentioned]).split())
    left = int(run(["psql", "-tA", db, "-c", "SELECT count(*) FROM deferred_mentions"]).strip())
    s = status(args, db, nats, "THREE")
    done = [w.stdout.read().strip() for w in workers]
    print(f"three workers: {len(rows)} arrivals; B-cubed F1 against one process {agreement:.4f}; "
          f"against gold: one process {one:.4f}, three workers {three:.4f}")
    print(f"  articles with entity mentions: {len(with_mentions)} (one process: {len(expected)}), "
          f"{left} left aside")
    for line in done:
        print(f"  {line}")

    check_same_articles(reference_rows, rows)
    if agreement < 0.99:
        raise SystemExit(f"three workers' stories differ from one process's: F1 {agreement:.4f}")
    if abs(one - three) > 0.01:
        raise SystemExit(f"F1 against gold moved by more than a point: {one:.4f} → {three:.4f}")
    # A worker that started late may have found nothing left: the ones that reported took every
    # message once.
    published = sum(1 for _ in open(corpus, encoding="utf-8"))
    if s["stream"]["messages"] != 0 or sum(w["articles"] for w in s["workers"]) != published:
        raise SystemExit(f"after the run ({published} published): {s}")
    if left != 0 or with_mentions != expected:
        raise SystemExit(f"entity mentions: {len(expected - with_mentions)} articles without "
                         f"theirs, {len(with_mentions - expected)} with mentions one process did "
                         f"not give them, {left} left aside")


def kill_one(args, work, server, nats):
    corpus = work / "bench.jsonl"
    run([args.khabar, "bench", "--articles", "2000", "--seed", "11", "--write-corpus", str(corpus)])
    reference_db = str(work / "reference.db")
    run([args.khabar, "--db", reference_db, "ingest", "--quiet", "--no-entities", str(corpus)])
    _, reference_rows = assignments(args.khabar, reference_db)

    db = with_schema(server, "workers_kill")
    publish(args, nats, "KILL", corpus)
    # Entities are not what this tests; a dead worker's batch comes back after the 3 s ack
    # wait, so the others wait 2 s at most for it before storing theirs out of order.
    fast = ["--no-entities", "--order-wait", "2"]
    victim = start_worker(args, db, nats, "KILL", "victim", 20, work / "victim.log", fast)
    # Killed once it has committed a few batches, with most of the stream still to do.
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and victim.poll() is None:
        # Until the worker has opened the store, its tables do not exist: count 0.
        counted = subprocess.run(["psql", "-tA", db, "-c", "SELECT count(*) FROM articles"],
                                 capture_output=True, text=True)
        stored = int(counted.stdout.strip() or 0) if counted.returncode == 0 else 0
        if stored >= 200:
            break
        time.sleep(0.05)
    if victim.poll() is not None or stored < 200:
        raise SystemExit(f"the worker finished or stalled before it could be killed ({stored})")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    print(f"killed the worker with {stored} articles committed")
    workers = [start_worker(args, db, nats, "KILL", f"after{i}", 20, work / f"after{i}.log", fast)
               for i in range(2)]
    wait_all(workers)
    for w in workers:
        print(f"  {w.stdout.read().strip()}")
    _, rows = assignments(args.khabar, db)
    check_same_articles(reference_rows, rows)
    s = status(args, db, nats, "KILL")
    if s["stream"]["messages"] != 0 or s["stream"]["ack_pending"] != 0:
        raise SystemExit(f"messages left in the stream: {s['stream']}")
    print(f"kill-one: {len(rows)} arrivals stored once each, the same as one process; "
          "stream empty")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--khabar", required=True)
    parser.add_argument("--scenario", choices=["three-workers", "kill-one"], required=True)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    server = os.environ.get("KHABAR_TEST_POSTGRES", "")
    if not server:
        print("KHABAR_TEST_POSTGRES is not set: skipped (scripts/test --postgres runs this)")
        return SKIP
    work = Path(tempfile.mkdtemp(prefix="khabar-workers-"))
    nats = Nats(work)
    try:
        {"three-workers": three_workers, "kill-one": kill_one}[args.scenario](
            args, work, server, nats)
    finally:
        nats.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
