"""A full room through the running app: N respondents, each a websocket client speaking Streamlit's
own protocol (bench/wsclient.py), join one workshop assessment the way its join link does (the home
page's join form), open the largest questionnaire page (sales_funnel · process) and answer at a
person's pace: a pause, a click, wait until the page has finished updating, a pause, the next click.

    python bench/room.py [--respondents 10 25 50] [--clicks 10] [--think 2 8] [--postgres] [--no-floor]

Per room size: page update (the click sent → the app's script finished) p50 / p95 / p99, the server
process's CPU seconds per click (user + system, /proc), and afterwards every respondent's stored answers
checked against the last value each one sent for each item (an answer lost or changed is counted).
The app runs on a fresh SQLite file, and with --postgres on a fresh schema of TEST_DATABASE_URL.
Floor, measured in the same run (unless --no-floor): the same room clicking a bare Streamlit page with
the same number and kinds of keyed widgets (bench/common.py floor_script) and nothing else.
Writes bench/results/room.json.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    ROOT,
    cpu_seconds,
    floor_script,
    median,
    pct,
    pg_schema,
    start_app,
    stop_app,
    widget_kinds,
    write_result,
)
from wsclient import Client, Run, find, radio_state, text_state, trigger_state

import storage
from checklists import Template, load_template

PAGE = "process"  # sales_funnel's largest phase (28 items)


async def join(url: str, aid: str, name: str) -> Client:
    """Open the join link (home page with the assessment), type a name, press Join, go to the page."""
    c = Client(url, f"lang=en&a={aid}")
    await c.connect()
    home = await c.run()
    box = find(home, "text_input", "join_name")
    button = next(w for w in home.widgets if w.kind == "button" and w.form_id == "join_form")
    joined = await c.run([text_state(box.id, name), trigger_state(button.id)])
    if "who=" not in c.query:
        raise RuntimeError(f"{name} did not join: {joined.texts[-3:]} {joined.exceptions}")
    page = await c.run(page=PAGE)
    if page.exceptions:
        raise RuntimeError(f"{name}: {page.exceptions}")
    return c


Choice = tuple[Any, str, int, Any]  # the widget, what it answers, the option's index, the value stored


def app_choice(tpl: Template) -> Any:
    """A click on one of the page's single-choice answers, to a value other than the one last sent."""
    def choose(page: Run, sent: dict[str, Any], rng: random.Random) -> Choice:
        radios = []
        for w in page.widgets:
            parts = w.key.split("::")
            if w.kind == "radio" and len(parts) == 4 and parts[0] == "v" and not w.proto.disabled:
                radios.append((w, parts[1]))
        widget, item_id = rng.choice(radios)
        values = tpl.item(item_id).allowed_values()  # the radio's options: unanswered, then these
        index = rng.choice([i for i in range(1, len(values) + 1) if values[i - 1] != sent.get(item_id)])
        return widget, item_id, index, values[index - 1]

    return choose


def floor_choice(page: Run, sent: dict[str, Any], rng: random.Random) -> Choice:
    widget = rng.choice([w for w in page.widgets if w.kind == "radio" and w.key.startswith("radio")])
    index = rng.choice([i for i in range(1, len(widget.options)) if widget.options[i] != sent.get(widget.key)])
    return widget, widget.key, index, widget.options[index]


async def answer(c: Client, choose: Any, clicks: int, think: tuple[float, float], start: asyncio.Event,
                 rng: random.Random) -> dict[str, Any]:
    """Click answers at a person's pace; each click waits for the page before the next pause."""
    sent: dict[str, Any] = {}
    times: list[float] = []
    page = Run(0.0, 0, list(c.widgets.values()))
    await start.wait()
    await asyncio.sleep(rng.uniform(0, think[1]))  # people do not start in step
    for _ in range(clicks):
        widget, what, index, value = choose(page, sent, rng)
        sent[what] = value
        page = await c.run([radio_state(widget, index)], fragment_id=widget.fragment_id)
        if page.exceptions:
            raise RuntimeError(page.exceptions)
        times.append(page.seconds)
        await asyncio.sleep(rng.uniform(*think))
    return {"sent": sent, "times": times}


async def bare(url: str) -> Client:
    c = Client(url)
    await c.connect()
    await c.run()
    return c


async def room(url: str, aid: str | None, choose: Any, n: int, clicks: int, think: tuple[float, float],
               pid: int) -> dict[str, Any]:
    """N people join (the floor page: open it) and answer; the server's CPU while they answer."""
    began = time.perf_counter()
    people = [f"Respondent {i + 1}" for i in range(n)]
    clients = await asyncio.gather(*(join(url, aid, name) if aid else bare(url) for name in people))
    joined_s = time.perf_counter() - began
    start = asyncio.Event()
    rng = random.Random(16)
    tasks = [asyncio.create_task(answer(c, choose, clicks, think, start, random.Random(rng.random()))) for c in clients]
    cpu0, t0 = cpu_seconds(pid), time.perf_counter()
    start.set()
    done = await asyncio.gather(*tasks)
    cpu, wall = cpu_seconds(pid) - cpu0, time.perf_counter() - t0
    for c in clients:
        await c.close()
    return {"people": people, "done": done, "cpu_s": cpu, "wall_s": wall, "joined_s": joined_s}


def _figures(out: dict[str, Any]) -> dict[str, Any]:
    times = [t for d in out["done"] for t in d["times"]]
    return {"clicks": len(times), "p50_s": median(times), "p95_s": pct(times, 95), "p99_s": pct(times, 99),
            "max_s": max(times), "cpu_per_click_s": out["cpu_s"] / len(times), "wall_s": out["wall_s"],
            "join_s": out["joined_s"]}


def floor_one(folder: Path, n: int, clicks: int, think: tuple[float, float]) -> dict[str, Any]:
    """The same room on a bare page with the same keyed widgets as the app's page and nothing else."""
    tpl = load_template(ROOT / "checklists" / "sales_funnel.yaml")
    script = folder / "floor_room.py"
    script.write_text(floor_script(widget_kinds(tpl, PAGE)), encoding="utf-8")
    proc, app_url, _ = start_app(folder, {}, script=str(script), name=f"room_floor_{n}")
    try:
        out = asyncio.run(room(app_url, None, floor_choice, n, clicks, think, proc.pid))
    finally:
        stop_app(proc)
    row = {"database": "floor", "respondents": n, **_figures(out)}
    print(f"floor {n:>3} respondents: page update p50 {row['p50_s']:.2f} s, p95 {row['p95_s']:.2f} s; "
          f"CPU {row['cpu_per_click_s'] * 1000:.0f} ms/click", flush=True)
    return row


def lost_answers(url: str, aid: str, people: list[str], done: list[dict]) -> tuple[int, int]:
    """(answers sent, answers not stored as last sent): each respondent's last value per item."""
    repo = storage.open_repository(url)
    ids = {r.name: r.id for r in repo.list_respondents(aid)}
    sent = lost = 0
    for name, d in zip(people, done, strict=True):
        stored = repo.load_respondent_answers(aid, ids[name]) if name in ids else {}
        for item_id, value in d["sent"].items():
            sent += 1
            got = stored.get(item_id)
            lost += got is None or got.answer.value != value
    storage.dispose_engines(url)
    return sent, lost


def run_one(label: str, url: str, env: dict[str, str], folder: Path, n: int, clicks: int,
            think: tuple[float, float]) -> dict[str, Any]:
    tpl = load_template(ROOT / "checklists" / "sales_funnel.yaml")
    repo = storage.open_repository(url)
    aid = repo.create_assessment(tpl, "Bench Co", f"room of {n}", "en", "Fiona")
    storage.dispose_engines(url)
    proc, app_url, _ = start_app(folder, env, name=f"room_{label}_{n}")
    try:
        out = asyncio.run(room(app_url, aid, app_choice(tpl), n, clicks, think, proc.pid))
    finally:
        stop_app(proc)
    sent, lost = lost_answers(url, aid, out["people"], out["done"])
    row = {"database": label, "respondents": n, **_figures(out), "answers_sent": sent, "answers_lost": lost}
    print(f"{label} {n:>3} respondents: page update p50 {row['p50_s']:.2f} s, p95 {row['p95_s']:.2f} s, "
          f"p99 {row['p99_s']:.2f} s; CPU {row['cpu_per_click_s'] * 1000:.0f} ms/click; "
          f"{sent} answers sent, {lost} lost", flush=True)
    return row


def run(label: str, sizes: list[int], clicks: int, think: tuple[float, float], folder: Path,
        postgres: bool) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        ctx: AbstractContextManager[str] = pg_schema() if postgres else nullcontext(f"sqlite:///{folder / f'room{n}.db'}")
        with ctx as url:
            env = {"DATABASE_URL": url, "READINESS_DB_PATH": ""}
            rows.append(run_one(label, url, env, folder, n, clicks, think))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--clicks", type=int, default=10)
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 8.0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    args = parser.parse_args(argv)
    think = (args.think[0], args.think[1])
    rows = []
    with tempfile.TemporaryDirectory() as d:
        if args.floor:
            rows += [floor_one(Path(d), n, args.clicks, think) for n in args.respondents]
        rows += run("SQLite", args.respondents, args.clicks, think, Path(d), postgres=False)
        if args.postgres:
            rows += run("PostgreSQL", args.respondents, args.clicks, think, Path(d), postgres=True)
    write_result("room", {"page": f"sales_funnel · {PAGE}", "clicks_each": args.clicks, "think_s": list(think),
                          "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
