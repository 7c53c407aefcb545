"""What the benches share: a running app (`streamlit run app.py`) on its own database and templates
folder, a synthetic large template, the bare floor page, server CPU, percentiles, and the JSON file
each bench writes into `bench/results/` (README's Performance section is made from those files)."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_1min": os.getloadavg()[0], "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}", flush=True)
    return path


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(folder: Path, env: dict[str, str], script: str = "app.py", name: str = "app",
              cwd: Path = ROOT) -> tuple[subprocess.Popen, str, float]:
    """`streamlit run SCRIPT` on a free loopback port; returns the process, its URL and the seconds
    until its health check answered."""
    port = free_port()
    log = folder / f"{name}.log"
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
        cwd=cwd, env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return proc, url, time.perf_counter() - began
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")) from None
            time.sleep(0.1)
    stop_app(proc)
    raise RuntimeError(f"{url} did not start:\n{log.read_text(errors='replace')}")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A URL to a new, empty PostgreSQL schema on TEST_DATABASE_URL (dropped afterwards); every
    connection of that URL, the app's included, sees only that schema."""
    import sqlalchemy as sa

    import storage

    base = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base:
        raise SystemExit("PostgreSQL needs TEST_DATABASE_URL")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
               .render_as_string(hide_password=False))
    finally:
        storage.dispose_engines()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# -- a large template ---------------------------------------------------------------------------

def synthetic_template(items: int, base: str = "sales_funnel", template_id: str = "synthetic") -> str:
    """A template like `base` whose largest phase is grown to `items` items by copying its items
    (same types, options, sections and depends_on within each copy): a consultant's long checklist."""
    data = yaml.safe_load((ROOT / "checklists" / f"{base}.yaml").read_text(encoding="utf-8"))
    data["id"] = template_id
    data["title"] = {"zh": f"合成清单（{items} 项）", "en": f"Synthetic checklist ({items} items)"}
    phase = max(data["phases"], key=lambda p: len(p["items"]))
    originals = phase["items"]
    ids = {it["id"] for it in originals}
    grown = []
    copy = 0
    while len(grown) < items:
        for it in originals:
            if len(grown) >= items:
                break
            new = json.loads(json.dumps(it))
            if copy:
                new["id"] = f"{it['id']}_{copy}"
                dep = new.get("depends_on")
                if dep and dep["item"] in ids:
                    dep["item"] = f"{dep['item']}_{copy}"
                for lang in ("zh", "en"):
                    new["question"][lang] = f"{new['question'][lang]} ({copy + 1})"
            grown.append(new)
        copy += 1
    phase["items"] = grown
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# -- the floor page -----------------------------------------------------------------------------

def widget_kinds(template: Any, phase_id: str) -> list[str]:
    """The keyed widgets the questionnaire draws for one phase (all items shown), in page order:
    the language switch, the "only unanswered" toggle, then per item its answer widget, its n/a
    box, its note and its confidence."""
    streamlit_widget = {"multiselect": "multiselect", "number": "number_input", "text": "text_area"}
    kinds = ["radio", "toggle"]
    for it in template.phase(phase_id).items:
        widget = it.kind.widget
        kinds.append(streamlit_widget.get(widget.kind, "radio"))
        if it.allow_na and widget.na == "checkbox":
            kinds.append("checkbox")
        kinds += ["text_input", "selectbox"]
    return kinds


FLOOR_WIDGET = {
    "radio": 'st.radio("Question {i}", ["Unanswered", "Yes", "Partial", "No"], key="radio{i}", horizontal=True)',
    "multiselect": 'st.multiselect("Question {i}", ["a", "b", "c", "d"], key="multi{i}")',
    "number_input": 'st.number_input("Question {i}", value=None, key="num{i}")',
    "text_area": 'st.text_area("Question {i}", key="area{i}")',
    "text_input": 'st.text_input("Note {i}", key="text{i}")',
    "selectbox": 'st.selectbox("Basis {i}", ["-", "a", "b", "c"], key="select{i}")',
    "checkbox": 'st.checkbox("n/a {i}", key="check{i}")',
    "toggle": 'st.toggle("Only {i}", key="toggle{i}")',
}


def floor_script(kinds: list[str]) -> str:
    """A bare Streamlit page with exactly these keyed widgets and nothing else."""
    lines = ["import streamlit as st", ""]
    lines += [FLOOR_WIDGET[k].format(i=i) for i, k in enumerate(kinds)]
    return "\n".join(lines) + "\n"
