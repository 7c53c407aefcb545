"""Regenerate the README's measured figures from the JSON the benches wrote (bench/results/*.json):
the block between `<!-- bench:begin -->` and `<!-- bench:end -->` in README.md.

    python bench/readme.py [--check]

--check exits 1 when the README does not show what the JSON files say (nothing is written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def block() -> str:
    lines = [BEGIN, ""]
    browser = _load("browser")
    if browser:
        m = browser["machine"]
        lines += [f"An answer click in headless chromium, click → settled (median of {browser['clicks']}), beside a bare "
                  f"Streamlit page with the same keyed widgets (`python bench/browser.py`; {m['at']}, {m['cpus']} CPUs, "
                  f"load {m['load_1min']:.1f}):", "",
                  "| page | items | keyed widgets | app | floor | ratio | server CPU per click (app / floor) |",
                  "|---|---|---|---|---|---|---|"]
        for p in browser["pages"]:
            lines.append(f"| {p['template']} · {p['phase']} | {p['items']} | {p['widgets']} | {_ms(p['app']['median_s'])} | "
                         f"{_ms(p['floor']['median_s'])} | {p['ratio']:.2f}× | "
                         f"{_ms(p['app']['server_cpu_per_click_s'])} / {_ms(p['floor']['server_cpu_per_click_s'])} |")
        s = browser["summary"]
        lines += ["", f"Largest page over sales_funnel's: {s['large_over_sales_funnel']:.2f}×. The floor counts every "
                  "widget the page once drew (note and basis of every item); the page now draws an item's note, basis "
                  "and reason only while its box is open, and shows a phase longer than 30 items 30 at a time.", ""]
    saves = _load("saves")
    if saves:
        m = saves["machine"]
        lines += [f"Saves under a full room, one process per writer saving about once a second for {saves['seconds']:g} s "
                  f"through `update_answer`, beside a bare UPSERT from as many processes (`python bench/saves.py`; "
                  f"{m['at']}, load {m['load_1min']:.1f}):", "",
                  "| database | writers | app p50 / p95 / p99 | saves (failed) | floor p50 / p95 | p95 ratio |",
                  "|---|---|---|---|---|---|"]
        for r in saves["rows"]:
            a, f = r["app"], r["floor"]
            lines.append(f"| {r['database']} | {r['writers']} | {a['p50_ms']:,.0f} / {a['p95_ms']:,.0f} / {a['p99_ms']:,.0f} ms "
                         f"| {a['saves']} ({a['failed']}) | {f['p50_ms']:,.0f} / {f['p95_ms']:,.0f} ms | {r['p95_ratio']:.2f}× |")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        new = head + block() + rest.split(END, 1)[1]
    else:
        anchor = "\n## Layout"
        new = text.replace(anchor, "\n" + block() + "\n" + anchor, 1)
    if args.check:
        return 0 if new == text else 1
    readme.write_text(new, encoding="utf-8")
    print("README.md performance figures regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
