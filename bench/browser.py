"""An answer click in a real headless chromium, click → settled, against the running app, beside a
floor measured in the same run: a bare Streamlit page with the same number and kinds of keyed widgets
and nothing else. Also the server's CPU per click (user + system time of the `streamlit` process).

    python bench/browser.py [--clicks N] [--items 400] [--profile]

Pages: sales_funnel's largest phase, and the same phase grown to `--items` items (a synthetic
template). "Settled" is the moment the app says its script is no longer running after the click
(the same signal the browser tests wait for), or, for a run so short that the page never shows it
running, the first frame painted after the server's last message. Writes bench/results/browser.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    cpu_seconds,
    floor_script,
    median,
    pct,
    start_app,
    stop_app,
    synthetic_template,
    widget_kinds,
    write_result,
)

WAIT_MS = 240_000

# records every change of the app's script state, the moment of every click (capture phase), and each
# websocket message from the server with the first frame painted after it: a run of one fragment can
# be so short that the page never shows "running" at all, so the messages are the other signal
WATCH = """
window.__clicks = []; window.__states = []; window.__msgs = [];
document.addEventListener('click', () => window.__clicks.push(performance.now()), true);
const Socket = window.WebSocket;
window.WebSocket = class extends Socket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => {
      const entry = [performance.now(), null];
      window.__msgs.push(entry);
      requestAnimationFrame(() => setTimeout(() => { entry[1] = performance.now(); }, 0));
    });
  }
};
const watch = () => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) { setTimeout(watch, 50); return; }
  new MutationObserver(() => window.__states.push(
      [app.getAttribute('data-test-script-state'), performance.now()]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
};
watch();
"""

# settled: the script is not running, the server has said something since the click and then nothing
# for QUIET_MS; the time is the later of the last "not running" and the first frame painted after the
# last message (both measured from the click)
QUIET_MS = 400
SETTLED = """() => {
  const t0 = window.__clicks[window.__clicks.length - 1];
  const app = document.querySelector('[data-testid="stApp"]');
  const msgs = window.__msgs.filter(([t]) => t >= t0);
  if (!msgs.length || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  const [last, painted] = msgs[msgs.length - 1];
  if (painted === null || performance.now() - last < QUIET_MS) return null;
  let end = painted;
  for (const [s, t] of window.__states) if (t >= t0 && s === 'notRunning') end = Math.max(end, t);
  return end - t0;
}""".replace("QUIET_MS", str(QUIET_MS))


def _idle(page) -> None:
    from playwright.sync_api import expect

    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=WAIT_MS)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=WAIT_MS)


def measure_clicks(browser, url: str, pid: int, clicks: int, first_group: int) -> dict:
    """Click options of the page's radio groups in turn; click → settled per click, server CPU."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(WAIT_MS)
    page.add_init_script(WATCH)
    page.goto(url)
    groups = page.locator('[data-testid="stMain"] [role="radiogroup"]')
    groups.nth(first_group).wait_for()
    _idle(page)
    page.wait_for_timeout(1500)
    _idle(page)
    n_groups = groups.count()
    targets = list(range(first_group, n_groups))[:12]
    times: list[float] = []
    cpu0 = cpu_seconds(pid)
    for k in range(clicks):
        group = groups.nth(targets[k % len(targets)])
        option = group.locator("label").nth(1 + (k // len(targets)) % 3)
        option.scroll_into_view_if_needed()
        option.click()
        handle = page.wait_for_function(SETTLED, timeout=WAIT_MS, polling=5)
        times.append(handle.json_value() / 1000)
        _idle(page)
    cpu = (cpu_seconds(pid) - cpu0) / clicks
    widgets = page.locator('[data-testid="stMain"] [data-testid="stWidgetLabel"]').count()
    page.context.close()
    return {"clicks": clicks, "median_s": median(times), "p95_s": pct(times, 95), "times_s": times,
            "server_cpu_per_click_s": cpu, "radio_groups": n_groups, "widget_labels": widgets}


def run(clicks: int, items: int, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    import storage
    from checklists import load_template

    templates = folder / "templates"
    templates.mkdir()
    (templates / "synthetic.yaml").write_text(synthetic_template(items), encoding="utf-8")
    db = folder / "bench.db"
    env = {"READINESS_DB_PATH": str(db), "DATABASE_URL": "", "READINESS_TEMPLATES_DIR": str(templates)}
    repo = storage.open_repository(f"sqlite:///{db}")
    root = Path(__file__).resolve().parent.parent
    cases = []
    for tid, path in (("sales_funnel", root / "checklists" / "sales_funnel.yaml"),
                      ("synthetic", templates / "synthetic.yaml")):
        tpl = load_template(path)
        phase = max(tpl.phases, key=lambda p: len(p.items))
        aid = repo.create_assessment(tpl, "Bench Co", "bench", "en", "Fiona")
        me = repo.join_as(aid, "Fiona")
        kinds = widget_kinds(tpl, phase.id)
        floor = folder / f"floor_{tid}.py"
        floor.write_text(floor_script(kinds), encoding="utf-8")
        cases.append({"template": tid, "phase": phase.id, "items": len(phase.items), "widgets": len(kinds),
                      "url": f"/{phase.id}?lang=en&a={aid}&who=Fiona&t={me.token}", "floor": floor})
    storage.dispose_engines(f"sqlite:///{db}")

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for case in cases:
            proc, url, _ = start_app(folder, {}, script=str(case["floor"]), name=f"floor_{case['template']}")
            try:
                fl = measure_clicks(browser, url, proc.pid, clicks, first_group=1)
            finally:
                stop_app(proc)
            proc, url, _ = start_app(folder, env, name=f"app_{case['template']}")
            try:
                app = measure_clicks(browser, url + case["url"], proc.pid, clicks, first_group=0)
            finally:
                stop_app(proc)
            row = {k: v for k, v in case.items() if k not in ("url", "floor")}
            row.update(app=app, floor=fl, ratio=app["median_s"] / fl["median_s"])
            print(f"{case['template']:>13} {case['phase']} ({case['items']} items, {case['widgets']} widgets): "
                  f"app {app['median_s'] * 1000:.0f} ms (cpu {app['server_cpu_per_click_s'] * 1000:.0f} ms/click), "
                  f"floor {fl['median_s'] * 1000:.0f} ms (cpu {fl['server_cpu_per_click_s'] * 1000:.0f}) "
                  f"→ {row['ratio']:.2f}×", flush=True)
            out.append(row)
        browser.close()
    small, large = out[0], out[-1]
    return {"pages": out,
            "summary": {"sales_funnel_ratio_to_floor": small["ratio"],
                        "large_over_sales_funnel": large["app"]["median_s"] / small["app"]["median_s"],
                        "server_cpu_per_click_ms": small["app"]["server_cpu_per_click_s"] * 1000,
                        "server_cpu_per_click_large_ms": large["app"]["server_cpu_per_click_s"] * 1000}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=15)
    parser.add_argument("--items", type=int, default=400)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        result = run(args.clicks, args.items, Path(d))
    write_result("browser", {"clicks": args.clicks, "items": args.items, **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
