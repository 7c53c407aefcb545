"""The report's roadmap carries the plan's projection: the same ready-on date as `score --json`, the
critical path, the phase targets and the score month by month, in the PDF, Word and Markdown files;
the XLSX gap list carries each action's expected answer."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support import need
from test_plan_files import PLAN_FILE

import cli

DATA = Path(__file__).parent / "data"


def _cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    assert code == 0, err.getvalue()
    return code, out.getvalue()


@pytest.fixture
def plan_file(tmp_path, monkeypatch) -> Path:
    custom = tmp_path / "custom"
    custom.mkdir()
    shutil.copy(DATA / "mini.yaml", custom / "mini.yaml")
    monkeypatch.setenv("READINESS_TEMPLATES_DIR", str(custom))
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_FILE, encoding="utf-8")
    return path


@pytest.mark.parametrize("today, ready_on", [("2027-01-15", "2027-05-10"), ("2027-06-01", "2027-06-01")])
def test_the_report_and_score_json_give_the_same_ready_on_date(plan_file, tmp_path, today, ready_on):
    _, out = _cli("score", str(plan_file), "--json", "--today", today)
    assert json.loads(out)["ready_on"] == ready_on
    md = tmp_path / "r.md"
    _cli("export", str(plan_file), "-o", str(md), "--format", "md", "--lang", "en", "--today", today)
    text = md.read_text(encoding="utf-8")
    roadmap = text[text.index("## Roadmap"):text.index("## Results by phase")]
    assert f"Ready on {ready_on}, if the plan holds" in roadmap
    assert "| Are the business goals defined?<br>Strategy · question 1.1 | 李娜 | Yes |" in roadmap
    assert f"Projected month by month from {today}" in roadmap
    # must NOT: another date presented as the ready-on date
    assert roadmap.count("Ready on ") == 1


def test_the_pdf_and_word_reports_carry_the_ready_on_date_in_both_languages(plan_file, tmp_path):
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "r.pdf"
    _cli("report", str(plan_file), "-o", str(pdf), "--lang", "zh", "--today", "2027-01-15")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "按计划解除阻断日期：2027-05-10" in text and "关键路径上的行动" in text
    docx = tmp_path / "r.docx"
    _cli("export", str(plan_file), "-o", str(docx), "--format", "docx", "--lang", "en", "--today", "2027-01-15")
    from docx import Document

    doc = Document(str(docx))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "Ready on 2027-05-10, if the plan holds" in paragraphs
    assert len(doc.inline_shapes) >= 2  # the charts, the projection among them


def test_a_plan_that_never_lifts_the_block_says_so(plan_file, tmp_path):
    plan_file.write_text(PLAN_FILE.replace('due: "2027-05-10", expect: "yes"', 'due: "2027-05-10", expect: partial'),
                         encoding="utf-8")
    _, out = _cli("score", str(plan_file), "--json", "--today", "2027-01-15")
    assert json.loads(out)["ready_on"] is None
    md = tmp_path / "r.md"
    _cli("export", str(plan_file), "-o", str(md), "--format", "md", "--lang", "en", "--today", "2027-01-15")
    text = md.read_text(encoding="utf-8")
    assert "With the current plan the verdict stays" in text and "Team · question 4.1" in text
    assert "Ready on " not in text


def test_the_phase_targets_are_in_the_roadmap(tmp_path):
    answers = Path(__file__).parent / "data" / "answers" / "sales_funnel.yaml"
    md = tmp_path / "r.md"
    _cli("export", str(answers), "-o", str(md), "--format", "md", "--lang", "en", "--today", "2027-01-15")
    text = md.read_text(encoding="utf-8")
    roadmap = text[text.index("## Roadmap"):]
    assert "#### Phase targets" in roadmap
    assert "| Strategy and goals | Ready (65) | 66.2 | met |" in roadmap
    assert "| Process and stage definition | Ready (65) | 57.1 | not met |" in roadmap


def test_the_xlsx_gap_list_carries_the_expected_answers(plan_file, tmp_path):
    xlsx = tmp_path / "r.xlsx"
    _cli("export", str(plan_file), "-o", str(xlsx), "--format", "xlsx", "--lang", "en", "--today", "2027-01-15")
    ws = load_workbook(xlsx).active
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    col = {h: head.index(h) for h in ("Item id", "Owner", "Due date", "Expected answer when done", "Effort")}
    got = {r[col["Item id"]]: (r[col["Owner"]], r[col["Expected answer when done"]], r[col["Effort"]])
           for r in rows[1:]}
    assert got["strategy.goals.defined"] == ("李娜", "Yes", "M")
    assert got["team.roles.sponsor"] == ("Wang Min", "Yes", None)
    assert got["process.stages.model"] == (None, None, None)  # must NOT invent a plan for an unplanned gap


def test_the_phase_bars_carry_the_targets():
    import yaml

    from checklists import load_all, load_template
    from reports import build_report
    from reports.content import ReportOptions
    from scoring import parse_assessment, score

    templates, _ = load_all()
    doc = yaml.safe_load((DATA / "answers" / "sales_funnel.yaml").read_text(encoding="utf-8"))
    a = parse_assessment(doc, templates)
    t = templates[a.template]
    data = build_report(t, a, score(t, a), ReportOptions(lang="en", targets={"vendor": "foundational"}))
    assert [p.target for p in data.charts.phases] == [65, 65, 65, 65, 40]
    # must NOT: a template without targets draws none
    mini = load_template(DATA / "mini.yaml")
    blank = parse_assessment({"template": "mini", "answers": {}}, {"mini": mini})
    assert all(p.target is None for p in build_report(mini, blank, score(mini, blank), ReportOptions()).charts.phases)
