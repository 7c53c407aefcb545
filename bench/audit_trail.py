"""Opening an assessment against the length of its audit trail: two assessments of the same template,
people and answers in the same database, one with 1,000 rows in its trail and one with 1,000,000 (all
its own, the worst case), opened in turn in the same run. The ratio is the figure: 1.0 means opening
does not grow with the trail.

    python bench/audit_trail.py [--rows 1000000] [--small 1000] [--opens 15] [--postgres]

Measured per size: the questionnaire page opened from a person's link in AppTest (the whole page
script: meta, join by token, the person's answers, rounds, the page drawn), the storage reads that
opening makes, and one answer saved (the save appends to the trail). PostgreSQL with --postgres, from
TEST_DATABASE_URL, in a schema of its own. Writes bench/results/audit_trail.json.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from common import ROOT, median, pg_schema, write_result

import storage
from checklists import STATUS_SCORES, Template, load_template
from storage.schema import audit

BATCH = 20_000  # rows written one by one before the copies


def _grow_trail(engine: sa.Engine, aid: str, who: list[str], items: list[str], have: int, stop: int) -> None:
    """Grow the assessment's trail to `stop` rows: first rows written as the repository writes them
    (spread over its people and items), then copies of its own rows, doubling, inside the database."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    first = min(stop, max(have, BATCH))
    rows = [{"assessment_id": aid, "respondent": who[i % len(who)], "item_id": items[i % len(items)],
             "old": None, "new": {"value": next(iter(STATUS_SCORES))}, "at": at, "round": 1} for i in range(have, first)]
    cols = [c for c in audit.c if c.name != "id"]
    with engine.begin() as conn:
        if rows:
            conn.execute(audit.insert(), rows)
        count = sa.select(sa.func.count()).select_from(audit).where(audit.c.assessment_id == aid)
        while (n := conn.execute(count).scalar_one()) < stop:
            conn.execute(audit.insert().from_select(
                [c.name for c in cols],
                sa.select(*cols).where(audit.c.assessment_id == aid).order_by(audit.c.id).limit(stop - n)))


class Case:
    """One assessment with a trail of a given length, and the three things timed on it."""

    def __init__(self, url: str, tpl: Template, trail: int, engine: sa.Engine) -> None:
        self.url, self.trail = url, trail
        phase = max(tpl.phases, key=lambda p: len(p.items))
        self.phase, self.items = phase.id, [it.id for it in phase.items]
        self.repo = repo = storage.open_repository(url)
        self.aid = repo.create_assessment(tpl, "Bench Co", f"audit {trail}", "en", "Fiona")
        self.me = repo.join_as(self.aid, "Fiona")
        people = [f"Person {i}" for i in range(50)]
        for name in people[:5]:
            repo.join_as(self.aid, name)
        for it in self.items[:10]:
            repo.update_answer(self.aid, self.me.id, it, {"value": "partial"})
        _grow_trail(engine, self.aid, people, self.items, 11, trail)
        self.values = itertools.cycle(STATUS_SCORES)  # a status answer's values, each save a change

    def open_page(self) -> None:
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for k, v in {"lang": "en", "a": self.aid, "who": self.me.name, "t": self.me.token}.items():
            at.query_params[k] = v
        at.switch_page(f"ui/phases/{self.phase}.py").run()
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])

    def reads(self) -> None:
        repo, aid = self.repo, self.aid
        repo.get_assessment_meta(aid)
        repo.join_as(aid, self.me.name, "", self.me.token)
        repo.load_respondent_answers(aid, self.me.id)
        repo.round_state(aid)
        repo.load_answers(aid)
        repo.list_respondents(aid)

    def save(self) -> None:
        self.repo.update_answer(self.aid, self.me.id, self.items[0], {"value": next(self.values)})


MEASURES = {"page_open_s": (Case.open_page, 1), "storage_reads_s": (Case.reads, 3), "save_s": (Case.save, 1)}


def _alternating(small: Case, large: Case, opens: int) -> tuple[dict[str, float], dict[str, float]]:
    """Each measure on both cases in turn (small, large, small, ...), so both see the same machine."""
    times: dict[tuple[str, int], list[float]] = {}
    for name, (fn, per) in MEASURES.items():
        for case in (small, large):
            fn(case)  # warm: caches, the page's modules
        for _ in range(opens * per):
            for i, case in enumerate((small, large)):
                t0 = time.perf_counter()
                fn(case)
                times.setdefault((name, i), []).append(time.perf_counter() - t0)
    return ({n: median(times[(n, 0)]) for n in MEASURES}, {n: median(times[(n, 1)]) for n in MEASURES})


def run(label: str, url: str, rows: int, small: int, opens: int) -> dict:
    """Two assessments in the same database, one with a short trail and one with a long one."""
    os.environ["DATABASE_URL"] = url  # the app (in AppTest) opens this database
    tpl = load_template(ROOT / "checklists" / "sales_funnel.yaml")
    engine = sa.create_engine(url)
    t0 = time.perf_counter()
    short, long = Case(url, tpl, small, engine), Case(url, tpl, rows, engine)
    print(f"{label}: trails of {small:,} and {rows:,} rows ({time.perf_counter() - t0:.0f} s to write); measuring",
          flush=True)
    at_small, at_large = _alternating(short, long, opens)
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
    parser.add_argument("--opens", type=int, default=15)
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
