"""Heavy packages stay out of the pages that do not use them: a person who opens the home page, joins
and answers never makes the server load reportlab, openpyxl, python-docx, plotly or pandas; the results page
and the report files do load them. Each check runs in a fresh Python process, so nothing another test
imported can hide or fake an import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support import MINI, ROOT

HEAVY = ("reportlab", "openpyxl", "docx", "plotly", "pandas")

# Run in a fresh process. A finder refuses the heavy packages and notes who asked; Streamlit asks for
# plotly while it is imported (its chart theme) and copes without it, so the notes start after that.
SCRIPT = r"""
import importlib.abc, json, sys, traceback
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
HEAVY = set(sys.argv[2].split(","))
asked = []

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            ours = [f"{f.filename}:{f.lineno}" for f in traceback.extract_stack() if f.filename.startswith(sys.argv[1])]
            asked.append([name, ours[-4:]])
            raise ImportError(f"{name} is refused here")
        return None

refuse = Refuse()
sys.meta_path.insert(0, refuse)
import streamlit  # noqa
from support import create, field, join, new_app, ok
asked.clear()

at = new_app(lang="en")
aid = create(at)                                     # the home page: a facilitator creates
person = new_app(lang="en", a=aid)
join(person, "Bo")                                   # the join form, as the link opens it
ok(person.switch_page("ui/phases/strategy.py").run())
field(person.radio, "v::strategy.goals.defined").set_value("yes").run()
ok(person)
pages = list(asked)

asked.clear()                                        # the finder does catch one of our modules asking
try:
    import reports.pdf  # noqa
except ImportError:
    pass
caught = bool(asked)

sys.meta_path.remove(refuse)
ok(person.switch_page("ui/results.py").run())
results_page = {name: name in sys.modules for name in sys.argv[2].split(",")}

import yaml
from checklists import load_all
from reports import export_file, render_report
from scoring import parse_assessment, score
templates, _ = load_all()
answers = yaml.safe_load(open(sys.argv[1] + "/tests/data/answers/sales_funnel.yaml", encoding="utf-8"))
a = parse_assessment(answers, templates)
t = templates[a.template]
r = score(t, a)
files = {"pdf": render_report(t, a, r)[:4].decode(), "xlsx": len(export_file("xlsx", t, a, r)) > 0,
         "docx": len(export_file("docx", t, a, r)) > 0}
reports_used = {name: name in sys.modules for name in sys.argv[2].split(",")}
print("RESULT " + json.dumps({"pages": pages, "caught": caught, "results_page": results_page,
                              "files": files, "reports_used": reports_used}))
"""


def _run(tmp_path: Path) -> dict:
    custom = tmp_path / "templates"
    custom.mkdir()
    shutil.copy(MINI, custom / "mini.yaml")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(READINESS_TEMPLATES_DIR=str(custom), READINESS_DB_PATH=str(tmp_path / "app.db"))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), ",".join(HEAVY)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert done.returncode == 0 and line, done.stdout[-3000:] + done.stderr[-6000:]
    return json.loads(line.removeprefix("RESULT "))


def test_home_join_and_questionnaire_do_not_load_heavy_packages_and_reports_do(tmp_path: Path) -> None:
    seen = _run(tmp_path)
    # must NOT happen: creating, joining and answering ask for none of them (who asked is listed)
    assert seen["pages"] == []
    # the refusing finder is live: a module that needs reportlab is caught asking for it
    assert seen["caught"] is True
    # must happen: the results page draws its charts with plotly
    assert seen["results_page"]["plotly"] is True
    # must happen: the report files load their renderers when asked for
    assert seen["files"] == {"pdf": "%PDF", "xlsx": True, "docx": True}
    assert seen["reports_used"] == dict.fromkeys(HEAVY, True)
