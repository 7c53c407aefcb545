"""Measured performance, each figure beside a floor measured in the same run on the same machine, so
the ratio says what our code costs and the machine says the rest. Not a test: it prints a table.

    python bench/bench_all.py [--quick] [--only reader|scoring|questionnaire|report|storage]

reader         the YAML reader on the largest file allowed (~1 MB) and the largest shipped template, vs a
               bare libyaml load of the same text (the reader adds duplicate-key, alias and depth checks)
scoring        assessments scored per second (largest template, full answers) vs summing as many floats
questionnaire  one AppTest rerun of the largest phase page vs a script with the same bare widgets
report         the PDF of the largest template vs the same text laid out plainly (bench/bench_report.py)
storage        save latency p50/p95 with 1, 10 and 50 respondents saving at once, and saves per second,
               on SQLite, and on PostgreSQL when TEST_DATABASE_URL (else DATABASE_URL) is set; floor:
               one bare INSERT + COMMIT through SQLAlchemy on the same database
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_report  # noqa: E402 - the report bench, reused rather than copied
import sqlalchemy as sa  # noqa: E402
import yaml  # noqa: E402

import storage  # noqa: E402
from checklists import MAX_BYTES, AnswerType, Template, load_template, parse_yaml_text  # noqa: E402
from scoring import Answer, Assessment, score  # noqa: E402

ROWS: list[tuple[str, str, str, str]] = []  # (area, measure, value, floor / ratio)


def row(area: str, measure: str, value: str, floor: str = "") -> None:
    ROWS.append((area, measure, value, floor))
    print(f"  {area:<14} {measure:<44} {value:>16}  {floor}", flush=True)


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of fn over about `seconds` (after one warm-up call)."""
    fn()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    return n / elapsed


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- reader ---------------------------------------------------------------------------------


def bench_reader(template: Template, repeat: int) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    big = "".join("- 1\n" for _ in range((MAX_BYTES - 100) // 4))
    read = median_time(lambda: parse_yaml_text(big, "big.yaml"), repeat)
    bare = median_time(lambda: yaml.load(big, Loader=loader), repeat)
    row("reader", f"largest file allowed ({len(big) // 1000} kB, {len(big) // 4} entries)", f"{read * 1000:.0f} ms",
        f"bare libyaml load {bare * 1000:.0f} ms → {read / bare:.1f}")
    path = ROOT / "checklists" / f"{template.id}.yaml"
    text = path.read_text(encoding="utf-8")
    read = median_time(lambda: load_template(path), repeat)
    bare = median_time(lambda: yaml.load(text, Loader=loader), repeat)
    row("reader", f"largest template, validated ({len(text) // 1000} kB)", f"{read * 1000:.0f} ms",
        f"bare libyaml load {bare * 1000:.0f} ms → {read / bare:.1f}")


# -- scoring --------------------------------------------------------------------------------


def bench_scoring(template: Template, answers: Assessment, seconds: float) -> None:
    n = len(template.items())
    floats = [float(i) for i in range(n)]

    def floor() -> float:
        total = 0.0
        for x in floats:
            total += x
        return total

    scored = rate(lambda: score(template, answers), seconds)
    summed = rate(floor, seconds)
    row("scoring", f"assessments/s ({template.id}, {n} items)", f"{scored:,.0f}/s",
        f"floor: {summed:,.0f} sums of {n} floats/s → ratio {summed / scored:,.0f}")


# -- questionnaire --------------------------------------------------------------------------

WIDGETS = ("radio", "multiselect", "number_input", "text_area", "text_input", "selectbox", "checkbox", "toggle")
FLOOR_WIDGET = {
    "radio": 'st.radio("q{i}", ["a", "b", "c", "d", "e"], key="radio{i}")',
    "multiselect": 'st.multiselect("q{i}", ["a", "b", "c", "d"], key="multi{i}")',
    "number_input": 'st.number_input("q{i}", value=None, key="num{i}")',
    "text_area": 'st.text_area("q{i}", key="area{i}")',
    "text_input": 'st.text_input("q{i}", key="text{i}")',
    "selectbox": 'st.selectbox("q{i}", ["a", "b", "c", "d"], key="select{i}")',
    "checkbox": 'st.checkbox("q{i}", key="check{i}")',
    "toggle": 'st.toggle("q{i}", key="toggle{i}")',
}


def bench_questionnaire(template: Template, repeat: int, folder: Path) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["READINESS_DB_PATH"] = str(folder / "questionnaire.db")
    os.environ.pop("DATABASE_URL", None)
    os.chdir(ROOT)
    repo = storage.open_repository()
    aid = repo.create_assessment(template, "Bench Co", "bench", "en", "Fiona")
    rid = repo.join(aid, "Fiona")
    phase = max(template.phases, key=lambda p: len(p.items))
    for it in phase.items[::2]:  # half answered, as in a workshop under way
        value = {AnswerType.status: "partial", AnswerType.scale: 2, AnswerType.number: 10,
                 AnswerType.text: "已讨论"}.get(it.type)
        if it.type in (AnswerType.choice, AnswerType.multi):
            value = it.options[0].id if it.type is AnswerType.choice else [it.options[0].id]
        repo.save_answer(aid, rid, it.id, Answer(value=value))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"lang": "en", "a": aid, "who": "Fiona"})
    at.switch_page(f"ui/phases/{phase.id}.py").run()
    if at.exception:
        raise SystemExit(f"the phase page failed: {[e.value for e in at.exception]}")
    counts = {w: len(getattr(at, w)) for w in WIDGETS}
    page = median_time(at.run, repeat)

    lines = ["import streamlit as st", ""]
    for kind, n in counts.items():
        lines += [FLOOR_WIDGET[kind].format(i=i) for i in range(n)]
    script = folder / "floor_page.py"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    floor = AppTest.from_file(str(script), default_timeout=120)
    floor.run()
    bare = median_time(floor.run, repeat)
    shown = sum(counts.values())
    row("questionnaire", f"one rerun of '{phase.id}' ({len(phase.items)} items, {shown} widgets)",
        f"{page * 1000:,.0f} ms", f"floor: same widgets bare {bare * 1000:,.0f} ms → ratio {page / bare:.1f}")


# -- report ---------------------------------------------------------------------------------


def bench_pdf(repeat: int) -> None:
    from reports import ReportOptions, build_report, render_pdf_info, report_font

    t, a, r = bench_report.largest_case()
    font = report_font()
    for lang in ("zh", "en"):
        data = build_report(t, a, r, ReportOptions(lang=lang, created=bench_report.CREATED))
        pages = render_pdf_info(data, font).pages
        bench_report.floor_pdf(data, font.name)
        full = bench_report.median_seconds(lambda d=data: render_pdf_info(d, font), repeat)
        floor = bench_report.median_seconds(lambda d=data: bench_report.floor_pdf(d, font.name), repeat)
        row("report", f"PDF {t.id} {lang} ({pages} pages)", f"{full * 1000:,.0f} ms",
            f"floor: plain layout {floor * 1000:,.0f} ms → ratio {full / floor:.1f}")


# -- storage --------------------------------------------------------------------------------


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_saves(label: str, url: str, template: Template, seconds: float) -> None:
    repo = storage.open_repository(url)
    items = [it.id for it in template.items() if it.type is AnswerType.status]

    # floor: the least a committed write costs here, one row, one transaction, no logic
    engine = storage.new_engine(url, upgrade=False)
    scratch = sa.Table(f"bench_floor_{uuid.uuid4().hex[:8]}", sa.MetaData(),
                       sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.Text))
    scratch.create(engine)
    try:
        def bare() -> None:
            with engine.connect() as conn:
                conn.execution_options(readiness_write=True)
                with conn.begin():
                    conn.execute(scratch.insert().values(v="x"))
        floor = median_time(bare, 50)
    finally:
        scratch.drop(engine)
        engine.dispose()

    for people in (1, 10, 50):
        aid = repo.create_assessment(template, "Bench", "bench", "en", "F")
        ids = [repo.join(aid, f"P{i}") for i in range(people)]
        latencies: list[float] = []
        lock = threading.Lock()
        barrier = threading.Barrier(people)
        stop = [0.0]

        def respondent(rid: int, k: int, aid: str = aid, barrier: threading.Barrier = barrier,
                       stop: list[float] = stop, lock: threading.Lock = lock, latencies: list[float] = latencies) -> None:
            mine: list[float] = []
            barrier.wait()
            if k == 0:
                stop[0] = time.perf_counter() + seconds
            while stop[0] == 0.0:
                time.sleep(0.001)
            n = 0
            while time.perf_counter() < stop[0]:
                n += 1
                answer = Answer(value=("yes", "partial", "no")[n % 3])  # every save changes something
                start = time.perf_counter()
                try:
                    repo.save_answer(aid, rid, items[(n + k) % len(items)], answer)
                except storage.StorageUnavailable:
                    continue
                mine.append(time.perf_counter() - start)
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=respondent, args=(rid, k)) for k, rid in enumerate(ids)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        p50, p95 = _pct(latencies, 50) * 1000, _pct(latencies, 95) * 1000
        note = f"floor: bare INSERT+COMMIT {floor * 1000:.1f} ms → p50 ratio {p50 / (floor * 1000):.1f}" \
            if people == 1 else ""
        row("storage", f"{label}: {people:>2} saving at once, p50 / p95",
            f"{p50:,.1f} / {p95:,.1f} ms", note)
        row("storage", f"{label}: {people:>2} saving at once, throughput", f"{len(latencies) / elapsed:,.0f} saves/s")


def _postgres_url() -> tuple[str, str, str] | None:
    """(label, url in a fresh schema, admin url) when a PostgreSQL URL is set."""
    for env in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(env, "").strip()
        if url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    url = "postgresql+psycopg://" + url[len(prefix):]
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            scoped = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
            return f"PostgreSQL ({env})", scoped.render_as_string(hide_password=False), url
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (rougher figures)")
    parser.add_argument("--only", choices=["reader", "scoring", "questionnaire", "report", "storage"],
                        help="measure one part")
    args = parser.parse_args(argv)

    def part(name: str) -> bool:
        return args.only in (None, name)

    seconds, repeat = (0.5, 3) if args.quick else (2.0, 5)

    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.platform()}, SQLAlchemy {sa.__version__}")
    template, answers, _ = bench_report.largest_case()
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        if part("reader"):
            bench_reader(template, repeat)
        if part("scoring"):
            bench_scoring(template, answers, seconds)
        if part("questionnaire"):
            bench_questionnaire(template, repeat, folder)
        if part("report"):
            bench_pdf(repeat)
        if part("storage"):
            bench_saves("SQLite (WAL, synchronous=FULL)", f"sqlite:///{folder / 'saves.db'}", template, seconds)
        pg = _postgres_url() if part("storage") else None
        if not part("storage"):
            pass  # PostgreSQL is a storage measure
        elif pg is None:
            row("storage", "PostgreSQL", "skipped", "set TEST_DATABASE_URL or DATABASE_URL to measure it")
        else:
            label, url, admin = pg
            schema = sa.make_url(url).query["options"].split("=", 1)[1]
            engine = sa.create_engine(admin)
            with engine.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            try:
                bench_saves(label, url, template, seconds)
            finally:
                storage.dispose_engines()
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                engine.dispose()
        storage.dispose_engines()
    print()
    print("| area | measure | value | floor, ratio |")
    print("|---|---|---|---|")
    for r in ROWS:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
