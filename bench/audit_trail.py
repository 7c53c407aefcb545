"""Opening an assessment against the length of its audit trail: the same assessment opened with 1,000
rows in its trail, then again after the trail has grown to 1,000,000 (every row this assessment's own,
the worst case), on the same database in the same run. The ratio is the figure: 1.0 means opening does
not grow with the trail.

    python bench/audit_trail.py [--rows 1000000] [--small 1000] [--opens 7] [--postgres]

Measured per size: the questionnaire page opened from a person's link in AppTest (the whole page
script: meta, join by token, the person's answers, rounds, the page drawn), the storage reads that
opening makes, and one answer saved (the save appends to the trail). PostgreSQL with --postgres, from
TEST_DATABASE_URL, in a schema of its own. Writes bench/results/audit_trail.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from common import ROOT, median, pg_schema, write_result

import storage
from checklists import load_template
from storage.schema import audit

BATCH = 20_000  # rows written one by one before the copies


def _grow_trail(engine: sa.Engine, aid: str, who: list[str], items: list[str], have: int, stop: int) -> None:
    """Grow the assessment's trail to `stop` rows: first rows written as the repository writes them
    (spread over its people and items), then copies of its own rows, doubling, inside the database."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    first = min(stop, max(have, BATCH))
    rows = [{"assessment_id": aid, "respondent": who[i % len(who)], "item_id": items[i % len(items)],
             "old": None, "new": {"value": "yes"}, "at": at, "round": 1} for i in range(have, first)]
    cols = [c for c in audit.c if c.name != "id"]
    with engine.begin() as conn:
        if rows:
            conn.execute(audit.insert(), rows)
        count = sa.select(sa.func.count()).select_from(audit).where(audit.c.assessment_id == aid)
        while (n := conn.execute(count).scalar_one()) < stop:
            conn.execute(audit.insert().from_select(
                [c.name for c in cols],
                sa.select(*cols).where(audit.c.assessment_id == aid).order_by(audit.c.id).limit(stop - n)))


def _timed(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm: caches, the page's modules
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return median(times)


def _measure(url: str, aid: str, me: storage.Joined, phase: str, items: list[str], opens: int) -> dict:
    from streamlit.testing.v1 import AppTest

    repo = storage.open_repository(url)

    def open_page() -> None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for k, v in {"lang": "en", "a": aid, "who": me.name, "t": me.token}.items():
            at.query_params[k] = v
        at.switch_page(f"ui/phases/{phase}.py").run()
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])

    def reads() -> None:
        repo.get_assessment_meta(aid)
        repo.join_as(aid, me.name, "", me.token)
        repo.load_respondent_answers(aid, me.id)
        repo.round_state(aid)
        repo.load_answers(aid)
        repo.list_respondents(aid)

    values = iter(["yes", "partial", "no"] * (opens + 2))

    def save() -> None:
        repo.update_answer(aid, me.id, items[0], {"value": next(values)})

    return {"page_open_s": _timed(open_page, opens), "storage_reads_s": _timed(reads, opens * 3),
            "save_s": _timed(save, opens)}


def run(label: str, url: str, rows: int, small: int, opens: int) -> dict:
    os.environ["DATABASE_URL"] = url  # the app (in AppTest) opens this database
    tpl = load_template(ROOT / "checklists" / "sales_funnel.yaml")
    phase = max(tpl.phases, key=lambda p: len(p.items))
    items = [it.id for it in phase.items]
    repo = storage.open_repository(url)
    aid = repo.create_assessment(tpl, "Bench Co", "audit", "en", "Fiona")
    me = repo.join_as(aid, "Fiona")
    people = [f"Person {i}" for i in range(50)]
    for name in people[:5]:
        repo.join_as(aid, name)
    for it in items[:10]:
        repo.update_answer(aid, me.id, it, {"value": "partial"})
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        have = conn.execute(audit.select().with_only_columns(audit.c.id).where(audit.c.assessment_id == aid)).all()
    t0 = time.perf_counter()
    _grow_trail(engine, aid, people, items, len(have), small)
    print(f"{label}: trail {small:,} rows; measuring", flush=True)
    at_small = _measure(url, aid, me, phase.id, items, opens)
    _grow_trail(engine, aid, people, items, small, rows)
    grown = time.perf_counter() - t0
    print(f"{label}: trail {rows:,} rows ({grown:.0f} s to write); measuring", flush=True)
    at_large = _measure(url, aid, me, phase.id, items, opens)
    engine.dispose()
    storage.dispose_engines(url)
    ratios = {k: at_large[k] / at_small[k] for k in at_small}
    print(f"{label}: " + ", ".join(f"{k} {at_small[k] * 1000:.0f} → {at_large[k] * 1000:.0f} ms ({ratios[k]:.2f}×)"
                                   for k in at_small), flush=True)
    return {"database": label, "small_rows": small, "rows": rows, "small": at_small, "large": at_large,
            "ratios": ratios}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--opens", type=int, default=7)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    out = []
    with tempfile.TemporaryDirectory() as d:
        out.append(run("SQLite", f"sqlite:///{Path(d) / 'audit.db'}", args.rows, args.small, args.opens))
    if args.postgres:
        with pg_schema() as url:
            out.append(run("PostgreSQL", url, args.rows, args.small, args.opens))
    write_result("audit_trail", {"opens": args.opens, "results": out})
    return 0


if __name__ == "__main__":
    sys.exit(main())
