"""Saves under a full room: one process per writer, each saving about once a second (as a person
answering does), through the project's own storage API (`update_answer`, the questionnaire's write:
version check, audit row, answer row), beside a floor measured in the same run: a bare UPSERT of one
row on the same database with the same settings, from the same number of processes at the same pace.
Each writer saves once before the clock starts, as a server that has been running has (connection open,
statements compiled), app and floor alike.

    python bench/saves.py [--seconds 20] [--writers 15 50] [--postgres]

Writes bench/results/saves.json (p50 / p95 / p99 per writer count, app and floor, and the ratio of
the p95s). PostgreSQL with --postgres, from TEST_DATABASE_URL, in a schema of its own.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from common import median, pct, pg_schema, write_result

import storage
from checklists import STATUS_SCORES, load_all

VALUES = tuple(STATUS_SCORES)  # a status answer's values


def _writer(kind: str, url: str, aid: str, rid: int, items: list[str], start: float, seconds: float,
            seed: int, out: mp.Queue) -> None:
    rng = random.Random(seed)
    engine = storage.new_engine(url, upgrade=False)
    repo = storage.Repository(engine)
    floor_table = sa.table("bench_floor", sa.column("id"), sa.column("v"))
    insert = (sa.dialects.sqlite.insert if engine.dialect.name == "sqlite" else sa.dialects.postgresql.insert)(
        floor_table)
    floor_stmt = insert.on_conflict_do_update(index_elements=["id"], set_={"v": insert.excluded.v})

    def save(n: int, item: str) -> None:
        if kind == "app":
            repo.update_answer(aid, rid, item, {"value": VALUES[n % 3]})
        else:
            with engine.connect() as conn:
                conn.execution_options(readiness_write=True)
                with conn.begin():
                    conn.execute(floor_stmt, {"id": rid * 1000 + items.index(item), "v": VALUES[n % 3]})

    # one save before the clock starts, as a running server has made one: the connection is open and the
    # statements compiled (otherwise every writer's first save, a tenth of the samples, is its set-up)
    save(0, items[0])
    latencies: list[float] = []
    failed = 0
    time.sleep(max(0.0, start - time.time()) + rng.random())
    n = 0
    while time.time() < start + seconds:
        n += 1
        item = items[rng.randrange(len(items))]
        began = time.perf_counter()
        try:
            save(n, item)
        except (storage.StorageError, sa.exc.OperationalError):
            failed += 1
            continue
        latencies.append(time.perf_counter() - began)
        time.sleep(max(0.0, 0.5 + rng.random() - (time.perf_counter() - began)))  # about once a second
    engine.dispose()
    out.put((latencies, failed))


def run_one(kind: str, url: str, writers: int, seconds: float) -> dict:
    repo = storage.open_repository(url)
    tpl = max(load_all()[0].values(), key=lambda t: len(t.items()))
    aid = repo.create_assessment(tpl, "Bench", "saves", "en", "F")
    rids = [repo.join(aid, f"P{i}") for i in range(writers)]
    items = [it.id for it in tpl.items() if set(VALUES) <= set(it.allowed_values())][:40]
    with repo.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, v TEXT)"))
    storage.dispose_engines()
    repo.engine.dispose()
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    start = time.time() + 1.0
    procs = [ctx.Process(target=_writer, args=(kind, url, aid, rid, items, start, seconds, k, out))
             for k, rid in enumerate(rids)]
    for p in procs:
        p.start()
    latencies: list[float] = []
    failed = 0
    for _ in procs:
        got, f = out.get()
        latencies += got
        failed += f
    for p in procs:
        p.join()
    ms = [x * 1000 for x in latencies]
    return {"saves": len(ms), "failed": failed, "p50_ms": median(ms), "p95_ms": pct(ms, 95), "p99_ms": pct(ms, 99),
            "max_ms": max(ms) if ms else None}


def run(label: str, url: str, writer_counts: list[int], seconds: float) -> list[dict]:
    rows = []
    for writers in writer_counts:
        floor = run_one("floor", url, writers, seconds)
        app = run_one("app", url, writers, seconds)
        row = {"database": label, "writers": writers, "app": app, "floor": floor,
               "p95_ratio": app["p95_ms"] / floor["p95_ms"] if floor["p95_ms"] else None}
        print(f"{label:>10} {writers:>3} writers: app p50/p95/p99 {app['p50_ms']:.1f}/{app['p95_ms']:.1f}/"
              f"{app['p99_ms']:.1f} ms ({app['saves']} saves, {app['failed']} failed); floor p95 "
              f"{floor['p95_ms']:.1f} ms → {row['p95_ratio']:.2f}×", flush=True)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--writers", type=int, nargs="+", default=[15, 50])
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        rows += run("SQLite", f"sqlite:///{Path(d) / 'saves.db'}", args.writers, args.seconds)
    if args.postgres:
        with pg_schema() as url:
            rows += run("PostgreSQL", url, args.writers, args.seconds)
    write_result("saves", {"seconds": args.seconds, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
