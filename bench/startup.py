"""Start-up and memory of the running app, beside a bare Streamlit page measured in the same run.

    python bench/startup.py [--starts 3] [--sessions 15]

Start-up: from `streamlit run app.py` to the first page rendered (the home page's script finished for
a websocket client that connected as soon as the server answered), median of --starts cold starts;
the floor is the same for a one-line page (`st.write`).
Memory: the server's RSS with 1 connected session on the largest questionnaire page (joined, as a
respondent), then with --sessions; the growth over the sessions added is the memory per session. The
floor is the same on a bare page with that page's keyed widgets.
Writes bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, floor_script, median, rss_mb, start_app, stop_app, widget_kinds, write_result
from room import PAGE, join
from wsclient import Client

import storage
from checklists import load_template


async def _first_page(url: str) -> float:
    c = Client(url)
    await c.connect()
    t0 = time.perf_counter()
    run = await c.run()
    if run.exceptions:
        raise RuntimeError(run.exceptions)
    await c.close()
    return time.perf_counter() - t0


def start_once(folder: Path, env: dict[str, str], script: str, name: str) -> dict[str, float]:
    began = time.perf_counter()
    proc, url, health = start_app(folder, env, script=script, name=name)
    try:
        first = asyncio.run(_first_page(url))
        total = time.perf_counter() - began
    finally:
        stop_app(proc)
    return {"health_s": health, "first_run_s": first, "to_first_page_s": total}


def startup(folder: Path, env: dict[str, str], starts: int) -> dict[str, Any]:
    floor = folder / "floor_hello.py"
    floor.write_text('import streamlit as st\n\nst.write("Hello")\n', encoding="utf-8")
    app, bare = [], []
    for i in range(starts):  # alternate, so both see the same machine
        bare.append(start_once(folder, {}, str(floor), f"start_floor_{i}"))
        app.append(start_once(folder, env, "app.py", f"start_app_{i}"))
    pick = {k: median([r[k] for r in app]) for k in app[0]}
    pick_floor = {k: median([r[k] for r in bare]) for k in bare[0]}
    return {"app": pick, "floor": pick_floor, "ratio": pick["to_first_page_s"] / pick_floor["to_first_page_s"],
            "runs": {"app": app, "floor": bare}}


async def _sessions(url: str, pid: int, n: int, opener: Any) -> dict[str, Any]:
    first = [await opener(url, 0)]
    await asyncio.sleep(2)
    one = rss_mb(pid)
    more = [await opener(url, i) for i in range(1, n)]
    await asyncio.sleep(2)
    many = rss_mb(pid)
    for c in first + more:
        await c.close()
    return {"rss_1_mb": one, f"rss_{n}_mb": many, "per_session_mb": (many - one) / (n - 1)}


def memory(folder: Path, env: dict[str, str], url_db: str, sessions: int) -> dict[str, Any]:
    tpl = load_template(ROOT / "checklists" / "sales_funnel.yaml")
    repo = storage.open_repository(url_db)
    aid = repo.create_assessment(tpl, "Bench Co", "memory", "en", "Fiona")
    storage.dispose_engines(url_db)

    async def respondent(url: str, i: int) -> Client:
        return await join(url, aid, f"Respondent {i + 1}")

    async def bare(url: str, i: int) -> Client:
        c = Client(url)
        await c.connect()
        await c.run()
        return c

    proc, url, _ = start_app(folder, env, name="memory_app")
    try:
        app = asyncio.run(_sessions(url, proc.pid, sessions, respondent))
    finally:
        stop_app(proc)
    script = folder / "floor_memory.py"
    script.write_text(floor_script(widget_kinds(tpl, PAGE)), encoding="utf-8")
    proc, url, _ = start_app(folder, {}, script=str(script), name="memory_floor")
    try:
        floor = asyncio.run(_sessions(url, proc.pid, sessions, bare))
    finally:
        stop_app(proc)
    gc.collect()
    return {"sessions": sessions, "app": app, "floor": floor,
            "ratio": app["per_session_mb"] / floor["per_session_mb"] if floor["per_session_mb"] > 0 else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        url_db = f"sqlite:///{folder / 'startup.db'}"
        env = {"DATABASE_URL": url_db, "READINESS_DB_PATH": ""}
        start = startup(folder, env, args.starts)
        print(f"start-up to first page: app {start['app']['to_first_page_s']:.2f} s, floor "
              f"{start['floor']['to_first_page_s']:.2f} s → {start['ratio']:.2f}×", flush=True)
        mem = memory(folder, env, url_db, args.sessions)
        print(f"memory per session: app {mem['app']['per_session_mb']:.2f} MB (RSS {mem['app']['rss_1_mb']:.0f} → "
              f"{mem['app'][f'rss_{args.sessions}_mb']:.0f} MB), floor {mem['floor']['per_session_mb']:.2f} MB",
              flush=True)
    write_result("startup", {"startup": start, "memory": mem})
    return 0


if __name__ == "__main__":
    sys.exit(main())
