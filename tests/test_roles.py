"""Roles: items owned by roles (phase default, section and item overrides), respondents' roles matched,
the owning role's answers weighed, the coverage guard, the shipped templates tagged, `role:` in files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from checklists import TemplateError, load_all, load_template
from scoring import (
    Answer,
    assessment_to_document,
    consolidate,
    owner_coverage,
    owner_weights,
    parse_assessment,
    respondent_roles,
)

DATA = Path(__file__).parent / "data"
SEED_ROLES = {"leadership", "project_manager", "sales", "marketing", "it", "data", "finance", "service"}

ROLES_BLOCK = """
workshop: {divergence: 0.5, owner_weight: 3}
roles:
  - {id: leadership, label: {zh: "管理层", en: "Leadership"}, aliases: [CEO, sponsor, 总经理]}
  - {id: sales, label: {zh: "销售", en: "Sales"}}
  - {id: it, label: {zh: "IT", en: "IT"}, aliases: [技术]}
"""


@pytest.fixture()
def mini_roles(tmp_path):
    """mini with roles: team owned by leadership (phase default), strategy.goals by sales (section),
    team.roles.notes by IT (item), everything else untagged."""
    data = yaml.safe_load((DATA / "mini.yaml").read_text(encoding="utf-8"))
    data.update(yaml.safe_load(ROLES_BLOCK))
    team = next(ph for ph in data["phases"] if ph["id"] == "team")
    team["roles"] = ["leadership"]
    strategy = next(ph for ph in data["phases"] if ph["id"] == "strategy")
    strategy["sections"] = [{"id": "goals", "title": {"zh": "目标", "en": "Goals"}, "roles": ["sales"]}]
    next(it for it in team["items"] if it["id"] == "team.roles.notes")["roles"] = ["it"]
    path = tmp_path / "mini_roles.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_template(path)


def test_item_over_section_over_phase(mini_roles):
    t = mini_roles
    assert t.owner_roles(t.item("team.roles.sponsor")) == ["leadership"]  # phase default
    assert t.owner_roles(t.item("team.roles.notes")) == ["it"]  # item override
    assert t.owner_roles(t.item("strategy.goals.defined")) == ["sales"]  # section
    assert t.owner_roles(t.item("process.stages.model")) == []  # untagged: nobody in particular


def test_respondents_roles_are_matched_in_both_languages(mini_roles):
    t = mini_roles
    assert respondent_roles(t, {"a": "CEO 总经理", "b": "销售总监 Sales director", "c": "IT lead", "d": "技术支持",
                                "e": "Editor", "f": None}) == {
        "a": "leadership", "b": "sales", "c": "it", "d": "it", "e": None, "f": None}


def test_an_unknown_role_is_a_located_error(tmp_path):
    text = (DATA / "mini.yaml").read_text(encoding="utf-8") + ROLES_BLOCK
    text = text.replace("    weight: 2\n", "    weight: 2\n    roles: [finance]\n", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        load_template(path)
    msg = "\n".join(map(str, e.value.problems))
    line = text.split("\n").index("    roles: [finance]") + 1
    assert f"bad.yaml:{line} [phases[0].roles]: unknown role(s) finance; roles: leadership, sales, it" in msg
    # a role declared twice is named where it is
    twice = text.replace("    roles: [finance]\n", "").replace(
        "  - {id: it, label:", "  - {id: sales, label: {zh: \"销售\", en: \"Sales\"}}\n  - {id: it, label:")
    path.write_text(twice, encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        load_template(path)
    assert "[roles[2].id]: role 'sales' is declared twice" in "\n".join(map(str, e.value.problems))


def test_the_owning_roles_answers_weigh_more(mini_roles):
    t = mini_roles
    room = {"ceo": {"team.roles.sponsor": Answer(value="yes")},
            **{f"rep{n}": {"team.roles.sponsor": Answer(value="no")} for n in range(3)}}
    roles = {"ceo": "CEO", "rep0": "Sales", "rep1": "Sales", "rep2": "IT"}
    # everyone alike: mean 0.25, halfway between no and partial -> the lower, no
    assert consolidate(t, room)["team.roles.sponsor"].value == "no"
    # the owner (leadership) weighs 3: (3*1 + 0 + 0 + 0) / 6 = 0.5 -> partial
    assert consolidate(t, room, roles=roles)["team.roles.sponsor"].value == "partial"
    assert owner_weights(t, t.item("team.roles.sponsor"), sorted(room), roles) == [3.0, 1.0, 1.0, 1.0]
    # must NOT happen: a weight of 1 or no owner changes anything
    assert consolidate(t, room, roles=roles, owner_weight=1)["team.roles.sponsor"].value == "no"
    assert owner_weights(t, t.item("process.stages.model"), sorted(room), roles) is None
    # "min" ignores weights: the least favourable answer
    assert consolidate(t, room, "min", roles=roles)["team.roles.sponsor"].value == "no"


def test_the_coverage_guard_lists_items_no_owner_answered(mini_roles):
    t = mini_roles
    roles = {"ann": "Sales", "bo": "IT"}
    room = {"ann": {"strategy.goals.defined": Answer(value="yes"), "team.roles.sponsor": Answer(value="no")},
            "bo": {"team.roles.sponsor": Answer(value="yes")}}
    gaps = {g.item_id: g for g in owner_coverage(t, room, roles)}
    # the sponsor is answered, but by sales and IT, not by leadership
    assert gaps["team.roles.sponsor"].owners == ["leadership"]
    assert gaps["team.roles.sponsor"].answered_by == ["it", "sales"]
    # sales answered its own section: not listed; maturity (also sales) unanswered: listed
    assert "strategy.goals.defined" not in gaps and "strategy.goals.maturity" in gaps
    # untagged items and free text are never listed
    assert "process.stages.model" not in gaps and "team.roles.notes" not in gaps
    # once the CEO answers (n/a counts), the sponsor leaves the list
    room["ceo"] = {"team.roles.sponsor": Answer(value="yes")}
    assert "team.roles.sponsor" not in {g.item_id for g in owner_coverage(t, room, {**roles, "ceo": "CEO"})}
    # an out-of-scope phase is not asked
    assert "team.roles.sponsor" not in {g.item_id for g in owner_coverage(t, room, roles, out_of_scope=["team"])}


def test_shipped_templates_tag_every_question_with_seed_roles():
    templates, problems = load_all()
    assert problems == []
    for t in templates.values():
        assert {r.id for r in t.roles} <= SEED_ROLES, t.id
        for r in t.roles:
            assert r.label.zh and r.label.en
            assert not re.search(r"[\u4e00-\u9fff]", r.label.en), r.id
        for it in t.items():
            owners = t.owner_roles(it)
            assert owners, f"{t.id}: {it.id} has no owning role"
            assert len(set(owners)) == len(owners)
        used = {r for it in t.items() for r in t.owner_roles(it)}
        # the room's usual people all own something
        assert {"leadership", "sales", "marketing", "it"} <= used, t.id
        # tags stay small: most items inherit from their phase or section
        assert sum(it.roles is not None for it in t.items()) < len(t.items()) / 4, t.id


def test_the_demo_respondents_roles_are_recognised():
    doc = yaml.safe_load((Path(__file__).parent.parent / "checklists" / "demo" / "sales_funnel_demo.yaml")
                         .read_text(encoding="utf-8"))
    templates, _ = load_all()
    t = templates[doc["template"]]
    assert respondent_roles(t, {p["name"]: p["role"] for p in doc["respondents"]}) == {
        "王敏 Wang Min": "sales", "李强 Li Qiang": "it", "陈静 Chen Jing": "marketing"}


def test_the_answers_file_carries_the_role():
    templates, _ = load_all()
    a = parse_assessment({"template": "sales_funnel", "respondent": "Li Qiang", "role": "IT 负责人 IT lead",
                          "answers": {}}, templates)
    assert a.role == "IT 负责人 IT lead"
    doc = assessment_to_document(a)
    assert list(doc)[:3] == ["template", "respondent", "role"]
    assert parse_assessment(doc, templates) == a
    with pytest.raises(Exception, match="'role' must be text"):
        parse_assessment({"template": "sales_funnel", "role": ["it"], "answers": {}}, templates)
