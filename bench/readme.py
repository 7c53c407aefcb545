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
                  f"through `update_answer`, beside a prebuilt UPSERT from as many processes; each writer saves once "
                  f"before the clock starts, as a running server has (`python bench/saves.py`; "
                  f"{m['at']}, load {m['load_1min']:.1f}):", "",
                  "| database | writers | app p50 / p95 / p99 | saves (failed) | floor p50 / p95 | p95 ratio |",
                  "|---|---|---|---|---|---|"]
        for r in saves["rows"]:
            a, f = r["app"], r["floor"]
            lines.append(f"| {r['database']} | {r['writers']} | {a['p50_ms']:,.0f} / {a['p95_ms']:,.0f} / {a['p99_ms']:,.0f} ms "
                         f"| {a['saves']} ({a['failed']}) | {f['p50_ms']:,.0f} / {f['p95_ms']:,.0f} ms | {r['p95_ratio']:.2f}× |")
        lines.append("")
    for section in (_room, _startup, _audit_trail, _admin_list, _targets):
        lines += section()
    lines.append(END)
    return "\n".join(lines)


def _room() -> list[str]:
    room = _load("room")
    if not room:
        return []
    m = room["machine"]
    think = room["think_s"]
    lines = [f"A room through the running app (`python bench/room.py`; {m['at']}, load {m['load_1min']:.1f}): each "
             "respondent a websocket client speaking Streamlit's own protocol joins with the join form, opens "
             f"{room['page']} and clicks {room['clicks_each']} answers, {think[0]:g}–{think[1]:g} s apart, each "
             "after the page finished updating. Page update = click sent → script finished; CPU = the server "
             "process's user + system time over the clicks; afterwards every respondent's last answer to each "
             "item is read back. The floor is the same room on a bare page with the same keyed widgets:", "",
             "| database | respondents | page update p50 / p95 / p99 | server CPU per click | answers sent (lost) |",
             "|---|---|---|---|---|"]
    for r in room["rows"]:
        kept = f"{r['answers_sent']} ({r['answers_lost']})" if "answers_sent" in r else "—"
        lines.append(f"| {r['database']} | {r['respondents']} | {r['p50_s']:.2f} / {r['p95_s']:.2f} / {r['p99_s']:.2f} s "
                     f"| {_ms(r['cpu_per_click_s'])} | {kept} |")
    floor = [r["cpu_per_click_s"] for r in room["rows"] if r["database"] == "floor"]
    if floor:
        lines += ["", f"The bare floor page itself, all its keyed widgets rerun on each click, costs {_ms(min(floor))}–"
                  f"{_ms(max(floor))} of server CPU per click here: 30 ms per click is out of reach for any page that "
                  "reruns that many widgets on every click; only a click that reruns part of the page (a fragment) "
                  "can get there."]
    return lines + [""]


def _startup() -> list[str]:
    data = _load("startup")
    if not data:
        return []
    m, s, mem = data["machine"], data["startup"], data["memory"]
    n = mem["sessions"]
    a, f = mem["app"], mem["floor"]
    return [f"Start-up and memory (`python bench/startup.py`; {m['at']}, load {m['load_1min']:.1f}): from "
            "`streamlit run app.py` to the first page rendered (median of cold starts), and the server's RSS with "
            f"1 and {n} respondents connected to the largest page, beside a bare page:", "",
            "| measure | app | floor | ratio |", "|---|---|---|---|",
            f"| start-up to first page | {s['app']['to_first_page_s']:.2f} s | {s['floor']['to_first_page_s']:.2f} s "
            f"| {s['ratio']:.2f}× |",
            f"| RSS with 1 / {n} sessions | {a['rss_1_mb']:.0f} / {a[f'rss_{n}_mb']:.0f} MB | "
            f"{f['rss_1_mb']:.0f} / {f[f'rss_{n}_mb']:.0f} MB | |",
            f"| memory per session | {a['per_session_mb']:.2f} MB | {f['per_session_mb']:.2f} MB | |", "",
            "A session's own memory is a fraction of a megabyte, near what RSS resolves; the start-up is measured "
            "with a websocket client (no browser loading the frontend). The home, join and questionnaire pages "
            "load none of reportlab, openpyxl, python-docx, plotly (tests/test_lazy_imports.py), though "
            "Streamlit itself imports plotly when it is installed.", ""]


def _audit_trail() -> list[str]:
    data = _load("audit_trail")
    if not data:
        return []
    m = data["machine"]
    lines = [f"Opening an assessment against the length of its audit trail (`python bench/audit_trail.py`; {m['at']}, "
             f"load {m['load_1min']:.1f}): two assessments in one database, one with a short trail and one with a long "
             "one, opened in turn (tests/test_audit_open.py: opening sends no statement to the audit table):", "",
             "| database | trail rows | page open (AppTest) | storage reads of opening | one save | ratio open / reads / save |",
             "|---|---|---|---|---|---|"]
    for r in data["results"]:
        sm, lg, q = r["small"], r["large"], r["ratios"]
        lines.append(f"| {r['database']} | {r['small_rows']:,} → {r['rows']:,} | {_ms(sm['page_open_s'])} → "
                     f"{_ms(lg['page_open_s'])} | {_ms(sm['storage_reads_s'])} → {_ms(lg['storage_reads_s'])} | "
                     f"{_ms(sm['save_s'])} → {_ms(lg['save_s'])} | {q['page_open_s']:.2f} / "
                     f"{q['storage_reads_s']:.2f} / {q['save_s']:.2f} |")
    return lines + [""]


def _admin_list() -> list[str]:
    data = _load("admin_list")
    if not data:
        return []
    m = data["machine"]
    lines = [f"The admin list, a page of {data['page_size']} (`python bench/admin_list.py`; {m['at']}, "
             f"load {m['load_1min']:.1f}), at 100 and 10,000 stored assessments:", "",
             "| database | first page | search | last page | ratio 10,000 / 100 |", "|---|---|---|---|---|"]
    for label, key in (("SQLite", "sqlite"), ("PostgreSQL", "postgresql")):
        d = data.get(key)
        if not d:
            continue
        small, large = (d["seconds"][str(n)] for n in d["sizes"])
        lines.append(f"| {label} | {_ms(small['first_page_s'])} → {_ms(large['first_page_s'])} | "
                     f"{_ms(small['search_s'])} → {_ms(large['search_s'])} | {_ms(small['last_page_s'])} → "
                     f"{_ms(large['last_page_s'])} | {d['ratio']['first_page_s']:.2f} / {d['ratio']['search_s']:.2f} / "
                     f"{d['ratio']['last_page_s']:.2f} |")
    return lines + [""]




def _target_rows() -> list[tuple[str, str, bool]]:
    """(target, the figure it is judged by, reached) for each figure the JSON files hold."""
    rows: list[tuple[str, str, bool]] = []
    browser, saves, admin, room = _load("browser"), _load("saves"), _load("admin_list"), _load("room")
    if browser:
        s = browser["summary"]
        rows += [("answer click on sales_funnel ≤ 1.0× its floor", f"{s['sales_funnel_ratio_to_floor']:.2f}×",
                  s["sales_funnel_ratio_to_floor"] <= 1.0),
                 ("400-item page ≤ 1.5× sales_funnel's", f"{s['large_over_sales_funnel']:.2f}×",
                  s["large_over_sales_funnel"] <= 1.5)]
    apps = [r for r in (room or {}).get("rows", []) if r["database"] != "floor"]
    if apps:
        worst = max(r["cpu_per_click_s"] for r in apps)
        rows.append(("server CPU per answer click ≤ 30 ms (room, worst size)", _ms(worst), worst <= 0.030))
    for r in apps:
        if r["respondents"] == 50:
            rows.append((f"50 respondents' page update p95 < 1 s, {r['database']}", f"{r['p95_s']:.2f} s",
                         r["p95_s"] < 1.0))
    for r in (saves or {}).get("rows", []):
        if r["writers"] == 50:
            rows.append((f"save p95 at 50 writers ≤ 3× the UPSERT floor, {r['database']}", f"{r['p95_ratio']:.2f}×",
                         r["p95_ratio"] <= 3.0))
    for key, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        d = (admin or {}).get(key)
        if d:
            worst = max(d["ratio"].values())
            rows.append((f"admin list page at 10,000 ≤ 2× at 100, {label}", f"{worst:.2f}×", worst <= 2.0))
    return rows


def _targets() -> list[str]:
    rows = _target_rows()
    if not rows:
        return []
    return (["The targets of issue 16, judged from the figures above (each from its own run):", "",
             "| target | figure | reached |", "|---|---|---|"]
            + [f"| {t} | {f} | {'yes' if ok else 'not yet'} |" for t, f, ok in rows] + [""])

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
