"""`cli.py workshop FILE…`: an offline room from one answers file per person, with the app's numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checklists import load_all
from scoring import agreement, disagreements, parse_assessment, room_result, score

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "checklists" / "demo" / "sales_funnel_demo.yaml"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture()
def room_files(tmp_path) -> list[Path]:
    """The demo's three respondents as three answers files, each with its role."""
    doc = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    paths = []
    for n, person in enumerate(doc["respondents"]):
        path = tmp_path / f"person{n}.yaml"
        path.write_text(yaml.safe_dump({"template": doc["template"], "respondent": person["name"],
                                        "role": person["role"], "answers": person["answers"]},
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_json_names_alpha_and_divergence_and_carries_the_range(room_files):
    res = run("workshop", *map(str, room_files), "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    room = data["room"]
    alpha_keys = {k for k in room["alpha"]["overall"] if "alpha" in k}
    assert alpha_keys == {"ordinal_alpha", "nominal_alpha"}
    assert set(room["alpha"]["phases"]) == {"strategy", "process", "data", "team", "vendor"}
    assert any("divergence" in k for k in room) and room["role_divergence"]
    # the demo's sales director says "no" to exit criteria, IT and marketing "yes": that divergence is first
    first = room["role_divergence"][0]
    assert first["divergence"] == 1.0 and first["means"]["sales"] == 0.0
    assert [r["role_id"] for r in room["respondents"]] == ["it", "sales", "marketing"]
    assert data["score_range"]["low"] <= data["overall"] or data["unknowns"]
    assert set(data) >= {"score_range", "verdict_range", "decisive_unknowns", "verdict", "fingerprint"}
    # the agenda covers every type: the multi item that drops options and the tied choice are on it
    by_item = {d["item_id"]: d for d in room["agenda"]}
    assert by_item["vendor.plan.selection_status"]["tie"] == ["shortlist", "selected"]
    assert by_item["data.records.tracking_fields"]["dropped"]
    # byte-identical on a second run
    assert run("workshop", *map(str, room_files), "--json").stdout == res.stdout


def test_the_cli_and_the_app_give_identical_numbers(room_files, repo):
    from services import room_assessment

    templates, _ = load_all()
    files = [parse_assessment(yaml.safe_load(p.read_text(encoding="utf-8")), templates) for p in room_files]
    tpl = templates[files[0].template]
    aid = repo.create_assessment(tpl, "Example Co.", "CRM", "en", "Facilitator")
    for a in files:
        rid = repo.join(aid, a.respondent, a.role)
        repo.import_answers(aid, rid, a)
    by_respondent = repo.load_answers(aid)
    meta = repo.get_assessment_meta(aid)

    app_result = score(tpl, room_assessment(repo, aid, tpl))
    app_agenda = disagreements(tpl, by_respondent, meta.settings.spread_threshold)
    app_alpha = agreement(tpl, by_respondent)

    data = json.loads(run("workshop", *map(str, room_files), "--json").stdout)
    core = json.loads(app_result.to_json())
    assert {k: data[k] for k in core} == core  # same score, verdict, gaps, fingerprint: same combined answers
    assert [d["item_id"] for d in data["room"]["agenda"]] == [d.item_id for d in app_agenda]
    assert [d["spread"] for d in data["room"]["agenda"]] == [d.spread for d in app_agenda]
    assert data["room"]["alpha"]["overall"]["ordinal_alpha"] == app_alpha.overall.ordinal_alpha
    # and the core's room_result over the stored answers is the same room
    roles = {p.name: p.role for p in repo.list_respondents(aid)}
    stored = room_result(tpl, by_respondent, roles, threshold=meta.settings.spread_threshold)
    assert stored.result.fingerprint == data["fingerprint"]
    assert [d.model_dump(mode="json") for d in stored.role_divergence] == data["room"]["role_divergence"]


def test_files_exported_from_the_app_give_the_apps_numbers(room_files, tmp_path, repo):
    from services import export_document, room_answers, room_assessment

    templates, _ = load_all()
    files = [parse_assessment(yaml.safe_load(p.read_text(encoding="utf-8")), templates) for p in room_files]
    tpl = templates[files[0].template]
    aid = repo.create_assessment(tpl, "Example Co.", "CRM", "zh", "Facilitator")
    for a in files:
        repo.import_answers(aid, repo.join(aid, a.respondent, a.role), a)
    exported = []
    for n, person in enumerate(repo.list_respondents(aid)):
        path = tmp_path / f"export{n}.yaml"
        path.write_text(export_document(repo, aid, tpl, person.name), encoding="utf-8")
        exported.append(str(path))
        # the role travels with the file
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["role"] == person.role
    data = json.loads(run("workshop", *exported, "--json").stdout)
    app = score(tpl, room_assessment(repo, aid, tpl))
    assert (data["overall"], data["verdict"], data["fingerprint"]) == (app.overall, app.verdict, app.fingerprint)
    roles = {p.name: p.role for p in repo.list_respondents(aid)}
    in_app = room_result(tpl, room_answers(repo, aid, tpl), roles)
    assert data["room"]["alpha"]["overall"]["ordinal_alpha"] == in_app.agreement.overall.ordinal_alpha
    assert data["score_range"] == {"low": in_app.range.low, "high": in_app.range.high}
    assert [d["item_id"] for d in data["room"]["role_divergence"]] == [d.item_id for d in in_app.role_divergence]


def test_the_text_names_the_room_in_both_languages(room_files):
    en = run("workshop", *map(str, room_files)).stdout
    zh = run("workshop", *map(str, room_files), "--lang", "zh").stdout
    assert "Discussion agenda (" in en and "Agreement (Krippendorff's alpha)" in en and "Score range:" in en
    assert "Divergence between roles (" in en and "Sales" in en
    assert "讨论议程 (" in zh and "角色间分歧 (" in zh and "得分区间" in zh
    assert "Discussion agenda" not in zh


def test_files_of_different_templates_are_refused(room_files, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("template: crm_system\nrespondent: X\nanswers: {}\n", encoding="utf-8")
    res = run("workshop", str(room_files[0]), str(other))
    assert res.returncode == 2 and "different templates" in res.stderr and "Traceback" not in res.stderr


def test_a_bad_file_is_a_located_error(room_files, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("template: sales_funnel\nrespondent: X\nanswers:\n  strategy.kpis.defined: maybe\n",
                   encoding="utf-8")
    res = run("workshop", str(room_files[0]), str(bad))
    assert res.returncode == 2 and "bad.yaml:4" in res.stderr and "strategy.kpis.defined" in res.stderr


def test_one_name_twice_stays_two_people(room_files, tmp_path):
    twin = tmp_path / "twin.yaml"
    twin.write_text(room_files[0].read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(run("workshop", str(room_files[0]), str(twin), "--json").stdout)
    names = [r["name"] for r in data["room"]["respondents"]]
    assert len(names) == 2 and len(set(names)) == 2
