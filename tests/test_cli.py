"""The command line as a user runs it, and the README kept true."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import cli
from checklists import load_all
from scoring import parse_assessment, score, score_range

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ANSWERS = ROOT / "tests" / "data" / "answers"


def run(*args: str) -> subprocess.CompletedProcess:
    """The CLI in this process (a subprocess per call would cost seconds of imports each)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_as_a_real_process_errors_are_messages_not_tracebacks(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("template: nope\n", encoding="utf-8")
    res = subprocess.run([sys.executable, str(ROOT / "cli.py"), "score", str(path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2 and res.stderr.startswith("error: ") and "Traceback" not in res.stderr
    res = subprocess.run([sys.executable, str(ROOT / "cli.py"), "templates"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 0 and "sales_funnel" in res.stdout


def test_templates_lists_ids_titles_and_counts():
    out = run("templates").stdout
    for tid in ("sales_funnel", "crm_system", "customer_followup"):
        assert re.search(rf"^{tid}\s+v\S+\s+.+\[\d+ items: strategy=\d+ process=\d+ data=\d+ team=\d+ vendor=\d+\]",
                         out, re.M), out
    assert "销售漏斗" in run("templates", "--lang", "zh").stdout


def test_validate_shipped_ok_and_broken_file_exits_1(tmp_path):
    ok = run("validate")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "maximum reachable score per phase" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8").replace(
        "    weight: 2\n", "    weight: 0\n"), encoding="utf-8")
    res = run("validate", str(bad))
    assert res.returncode == 1
    assert f"{bad}:15 [phases[0].weight]: must be greater than 0" in res.stdout


def test_validate_speaks_the_chosen_language(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8").replace(
        "    weight: 2\n", "    weight: 0\n"), encoding="utf-8")
    res = run("validate", "--lang", "zh", str(bad))
    assert res.returncode == 1
    assert res.stdout.startswith(f"{bad}:15 [phases[0].weight]：") and "must be" not in res.stdout
    ok = run("validate", "--lang", "zh")
    assert ok.returncode == 0 and "各阶段可达到的最高分" in ok.stdout
    # must NOT happen: English sentences in the Chinese output
    assert not re.search(r"maximum reachable|items\b|warning:", ok.stdout)
    missing = run("compare", "--lang", "zh", str(tmp_path / "none.yaml"), str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and missing.stderr.startswith("错误：") and "error:" not in missing.stderr


def test_skeleton_round_trips_through_score(tmp_path):
    out = tmp_path / "a.yaml"
    assert run("skeleton", "crm_system", "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    templates, _ = load_all()
    t = templates["crm_system"]
    for it in t.items():
        assert f"  {it.id}:" in text
    assert "# allowed: yes, partial, no, na" in text
    a = parse_assessment(yaml.safe_load(text), templates)
    assert a.answers == {}
    res = run("score", str(out), "--json")
    data = json.loads(res.stdout)
    assert data["verdict"] == "unknown" and len(data["unknowns"]) > 40


@pytest.mark.parametrize("path", sorted(ANSWERS.glob("*.yaml")), ids=lambda p: p.stem)
def test_score_json_equals_the_core(path):
    res = run("score", str(path), "--json")
    assert res.returncode == 0, res.stderr
    templates, _ = load_all()
    a = parse_assessment(yaml.safe_load(path.read_text(encoding="utf-8")), templates)
    data = json.loads(res.stdout)
    rng = score_range(templates[a.template], a).to_cli()
    core = json.loads(score(templates[a.template], a).to_json())
    plan_keys = {"projection", "ready_on", "projection_from", "critical_path", "unplanned_blockers", "slipped",
                 "targets"}
    assert {k: v for k, v in data.items() if k not in rng and k not in plan_keys} == core
    assert set(data) - set(core) - set(rng) == plan_keys
    assert {k: data[k] for k in rng} == json.loads(json.dumps(rng))
    assert set(rng) == {"score_range", "verdict_range", "verdict_can_change", "decisive_unknowns"}
    assert data["score_range"]["low"] <= data["overall"] <= data["score_range"]["high"] or data["unknowns"]
    assert set(data) >= {"overall", "level", "verdict", "blocked", "blockers", "phases", "gaps", "unknowns",
                         "must_coverage", "nice_coverage", "completion", "fingerprint"}


def test_score_summary_in_both_languages():
    path = ANSWERS / "sales_funnel.yaml"
    en, zh = run("score", str(path)).stdout, run("score", str(path), "--lang", "zh").stdout
    assert "Overall score:" in en and "Verdict:" in en
    assert "总体得分:" in zh and "结论:" in zh


@pytest.mark.parametrize("content,words", [
    ("template: nope\nanswers: {}\n", ["unknown template 'nope'", "crm_system"]),
    ("template: sales_funnel\nanswers:\n  strategy.goals.nothing: yes\n", ["unknown item id 'strategy.goals.nothing'"]),
    ("template: sales_funnel\nanswers:\n  strategy.goals.problem_defined: maybe\n",
     ["strategy.goals.problem_defined", "expected yes, partial, no"]),
    ("template: sales_funnel\nanswers: [unclosed\n", ["invalid YAML", "answers.yaml:3:"]),
    ("- just\n- a list\n", ["must be a mapping"]),
])
def test_bad_answers_exit_2_with_a_message(tmp_path, content, words):
    path = tmp_path / "answers.yaml"
    path.write_text(content, encoding="utf-8")
    res = run("score", str(path))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    for w in words:
        assert w in res.stderr


def test_missing_file_and_bad_logo_exit_2(tmp_path):
    res = run("score", str(tmp_path / "missing.yaml"))
    assert res.returncode == 2 and "cannot read the file" in res.stderr
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"not a picture")
    res = run("report", str(ANSWERS / "crm_system.yaml"), "-o", str(tmp_path / "r.pdf"), "--logo", str(logo))
    assert res.returncode == 2 and "Traceback" not in res.stderr and "logo" in res.stderr.lower()
    assert not (tmp_path / "r.pdf").exists()


def test_report_writes_a_pdf(tmp_path):
    out = tmp_path / "r.pdf"
    res = run("report", str(ANSWERS / "customer_followup.yaml"), "-o", str(out), "--lang", "en")
    assert res.returncode == 0, res.stderr
    assert out.read_bytes().startswith(b"%PDF") and "pages, font" in res.stdout


def test_compare_with_itself_is_all_zero():
    path = str(ANSWERS / "sales_funnel.yaml")
    data = json.loads(run("compare", path, path, "--json").stdout)
    assert data["overall_delta"] == 0 and data["changed"] == []
    res = run("compare", path, str(ANSWERS / "crm_system.yaml"))
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_every_command_is_documented_in_the_readme():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"python cli.py {name}" in README, name


def test_readme_answers_example_scores():
    block = re.search(r"## The answers format\n\nYAML or JSON:\n\n```yaml\n(.*?)```", README, re.S).group(1)
    templates, _ = load_all()
    a = parse_assessment(yaml.safe_load(block), templates)
    r = score(templates[a.template], a)
    assert r.out_of_scope == {"vendor": "system already chosen by group IT"}
    assert a.answers["data.quality.inventory"].note == "客户数据分散在 Excel 和个人邮箱"


def test_ci_runs_the_readme_test_command():
    m = re.search(r"Set up and run the whole test suite:\n\n```bash\n(.*?)\n```", README)
    install, test_cmd = m.group(1).split(" && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    requirements = install.split(" -r ")[1]
    assert requirements == "requirements-dev.txt" and f"-r {requirements}" in ci
    assert "-r requirements.txt" in (ROOT / requirements).read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == test_cmd


def test_lint_is_clean():
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stdout


def test_export_all_then_import_all_moves_everything(tmp_path, monkeypatch):
    from storage import dispose_engines, open_repository

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("READINESS_DB_PATH", str(tmp_path / "a.db"))
    templates, _ = load_all()
    repo = open_repository()
    aid = repo.create_assessment(templates["crm_system"], "示例公司", "CRM", "zh", "Ann")
    rid = repo.join(aid, "Ann", "IT")
    a = parse_assessment(yaml.safe_load((ANSWERS / "crm_system.yaml").read_text(encoding="utf-8")), templates)
    repo.import_answers(aid, rid, a)
    assert run("export-all", str(tmp_path / "backup")).returncode == 0
    assert run("import-all", str(tmp_path / "backup")).returncode == 2  # the same ids are already there
    monkeypatch.setenv("READINESS_DB_PATH", str(tmp_path / "b.db"))
    res = run("import-all", str(tmp_path / "backup"))
    assert res.returncode == 0, res.stderr
    restored = open_repository()
    assert restored.load_answers(aid) == repo.load_answers(aid)
    assert len(restored.audit_trail(aid)) == len(repo.audit_trail(aid))
    assert run("import-all", str(tmp_path / "nothing-here")).returncode == 2
    dispose_engines()


def test_validate_reports_a_list_as_level_id_with_its_field_and_exits_1(tmp_path, monkeypatch):
    # this file once raised TypeError in the loader: a traceback here, "Something went wrong" in the app
    bad = tmp_path / "custom" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text((ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8").replace(
        "{id: not_ready,", "{id: [not_ready],", 1), encoding="utf-8")
    res = run("validate", str(bad))
    assert res.returncode == 1 and "Traceback" not in res.stdout + res.stderr
    assert f"{bad}:7 [levels[0].id]:" in res.stdout and "internal error" not in res.stdout
    # with no paths: the shipped templates are still validated beside the bad custom one
    monkeypatch.setenv("READINESS_TEMPLATES_DIR", str(bad.parent))
    res = run("validate")
    assert res.returncode == 1 and f"{bad}:7 [levels[0].id]:" in res.stdout
    assert "ok - sales_funnel" in res.stdout and "ok - crm_system" in res.stdout
    assert "sales_funnel" in run("templates").stdout  # and they stay usable


@pytest.mark.parametrize("value,words", [
    ("1" + "0" * 400, "out of range"),      # once an OverflowError: too large for a float
    ("1e400", "is not allowed"),             # YAML reads it as inf
    (".nan", "is not allowed"),
])
def test_score_refuses_absurd_numbers_with_the_line_and_exits_2(tmp_path, value, words):
    path = tmp_path / "answers.yaml"
    path.write_text(f"template: sales_funnel\nanswers:\n  strategy.kpis.cycle_days: {value}\n", encoding="utf-8")
    res = run("score", str(path))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"{path}:3 [answers.strategy.kpis.cycle_days]:" in res.stderr and words in res.stderr, res.stderr


def test_vendors_refuses_a_list_as_cost_year_with_its_field_and_exits_2(tmp_path):
    doc = yaml.safe_load((ROOT / "vendors" / "vendors_example.yaml").read_text(encoding="utf-8"))
    vid = next(iter(doc["costs"]))
    doc["costs"][vid][0]["year"] = [1]
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    res = run("vendors", str(path))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"[costs.{vid}[0].year]" in res.stderr and "internal error" not in res.stderr


def test_report_and_export_carry_the_same_sections(tmp_path):
    from docx import Document
    from pypdf import PdfReader

    path = str(ANSWERS / "sales_funnel.yaml")
    extra = ("--baseline", path, "--lang", "en")  # a baseline adds the "Progress since" section to each
    assert run("report", path, "-o", str(tmp_path / "r.pdf"), *extra).returncode == 0
    assert run("export", path, "-o", str(tmp_path / "r.md"), *extra).returncode == 0
    assert run("export", path, "-o", str(tmp_path / "r.docx"), *extra).returncode == 0
    pdf = [e.title for e in PdfReader(tmp_path / "r.pdf").outline if not isinstance(e, list)][1:]  # after the cover
    md = [ln[3:].replace("\\", "") for ln in (tmp_path / "r.md").read_text(encoding="utf-8").splitlines()
          if ln.startswith("## ")]
    docx = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs if p.style.name == "Heading 1"]
    assert pdf == md == docx
    assert any(t.startswith("Progress since") for t in pdf)


def test_a_workshop_file_reports_as_its_consolidated_room(tmp_path):
    """The shipped demo (three respondents) reports from the CLI like the app: the room's combined answers,
    its participants and its disagreement agenda; a one-respondent file has no such section."""
    import json

    import yaml
    from pypdf import PdfReader

    demo = ROOT / "checklists" / "demo" / "sales_funnel_demo.yaml"
    doc = yaml.safe_load(demo.read_text(encoding="utf-8"))
    res = run("report", str(demo), "-o", str(tmp_path / "room.pdf"), "--lang", "en")
    assert res.returncode == 0, res.stderr
    reader = PdfReader(str(tmp_path / "room.pdf"))
    top = [e.title for e in reader.outline if not isinstance(e, list)]
    assert "Disagreements" in top and "Scope, approach and participants" in top
    text = "".join(p.extract_text() for p in reader.pages)
    for person in doc["respondents"]:
        assert person["name"] in text
    scored = json.loads(run("score", str(demo), "--json").stdout)
    assert f"{round(scored['overall'], 1):g} / 100" in text
    md = run("export", str(demo), "-o", str(tmp_path / "room.md"), "--lang", "en")
    assert md.returncode == 0 and "## Disagreements" in (tmp_path / "room.md").read_text(encoding="utf-8")
    # must NOT happen: one respondent's answers file grows a disagreement section
    assert run("report", str(ANSWERS / "crm_system.yaml"), "-o", str(tmp_path / "one.pdf")).returncode == 0
    one = [e.title for e in PdfReader(str(tmp_path / "one.pdf")).outline if not isinstance(e, list)]
    assert "Disagreements" not in one
    # a respondent's bad answer is named with the respondent, never a traceback
    bad = dict(doc, respondents=[{"name": "Ann", "answers": {"strategy.goals.problem_defined": "maybe"}}])
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    res = run("report", str(tmp_path / "bad.yaml"), "-o", str(tmp_path / "bad.pdf"))
    assert res.returncode == 2 and "Ann" in res.stderr and "Traceback" not in res.stderr
