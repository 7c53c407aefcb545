"""The administrator's list at scale: the work behind one page (Repository.admin_page, then each of the
page's rows scored for its completion and verdict, as ui/home.py does) at 100 stored assessments and at
10,000, on the same database kind in the same run. The figure is the ratio (target: at most 2x): the
100-assessment page is the floor.

    python bench/admin_list.py [--sizes 100 10000] [--repeat 15] [--postgres]

Three pages are timed at each size: the first page (newest 50), a search by organisation that every
assessment matches (so the page is full and the filter reads every row), and the last page (the
deepest OFFSET). The app keeps each row's completion and verdict while the assessment is unchanged;
the bench scores every row every time (the uncached cost). Writes bench/results/admin_list.json. PostgreSQL with --postgres, from
TEST_DATABASE_URL, in a schema of its own.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from common import median, write_result

import storage
from checklists import load_all
from scoring import score
from services import room_assessment
from storage.repository import new_assessment_id
from storage.schema import assessments

PASSWORD = "bench admin password"


def _fill(repo: storage.Repository, n: int, template_ids: list[str]) -> None:
    """n assessments in one bulk insert, a minute apart, each tenth a re-assessment of the one before."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows, ids = [], []
    for i in range(n):
        aid = new_assessment_id()
        at = start + timedelta(minutes=i)
        rows.append({"id": aid, "template_id": template_ids[i % len(template_ids)], "template_version": "1",
                     "organisation": f"Org {i:05d}", "project": f"Project {i % 7}", "language": "en",
                     "facilitator": "F", "created_at": at, "updated_at": at, "settings": {},
                     "out_of_scope": {}, "baseline_id": ids[-1] if ids and i % 10 == 0 else None,
                     "facilitator_hash": None})
        ids.append(aid)
    with repo.engine.begin() as conn:
        for chunk in range(0, n, 1000):
            conn.execute(assessments.insert(), rows[chunk:chunk + 1000])


def _page(repo: storage.Repository, tpls: dict, **query: object) -> int:
    page = repo.admin_page(PASSWORD, **query)
    for row in page.rows:  # what the page shows: completion and verdict of its own rows only
        tpl = tpls[row.meta.template_id]
        result = score(tpl, room_assessment(repo, row.meta.id, tpl))
        _ = (result.completion, result.verdict)
    return len(page.rows)


def _time(fn, repeat: int) -> float:
    fn()  # warm: connection, statement cache, template objects
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return median(samples)


def _measure(url: str, n: int, repeat: int, tpls: dict) -> dict[str, float]:
    repo = storage.Repository(storage.new_engine(url), admin_password=PASSWORD)
    try:
        _fill(repo, n, sorted(tpls))
        last = (n - 1) // storage.ADMIN_PAGE_SIZE
        return {
            "first_page_s": _time(lambda: _page(repo, tpls), repeat),
            "search_s": _time(lambda: _page(repo, tpls, search="org "), repeat),
            "last_page_s": _time(lambda: _page(repo, tpls, page=last), repeat),
        }
    finally:
        repo.engine.dispose()


def _pg_url(base: str) -> tuple[str, sa.Engine, str]:
    schema = f"bench_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), admin, schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 10_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    tpls, _ = load_all()
    out: dict[str, object] = {}
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    for kind in kinds:
        figures = {}
        for n in args.sizes:
            if kind == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    figures[n] = _measure(f"sqlite:///{Path(tmp) / 'bench.db'}", n, args.repeat, tpls)
            else:
                url, admin, schema = _pg_url(os.environ["TEST_DATABASE_URL"])
                try:
                    figures[n] = _measure(url, n, args.repeat, tpls)
                finally:
                    storage.dispose_engines(url)
                    with admin.begin() as conn:
                        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                    admin.dispose()
        small, large = args.sizes
        out[kind] = {
            "sizes": args.sizes,
            "seconds": {str(n): f for n, f in figures.items()},
            "ratio": {k: round(figures[large][k] / figures[small][k], 2) for k in figures[small]},
            "target_ratio": 2.0,
        }
        print(kind, out[kind]["ratio"], flush=True)
    write_result("admin_list", {"page_size": storage.ADMIN_PAGE_SIZE, "repeat": args.repeat, **out})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
