"""What the shipped checklists mean when scored: rules the seed documents set for the content
(../shared/CONTENT.md), checked on every shipped template so a content edit cannot quietly break them."""

from __future__ import annotations

import contextlib
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from support import create, need, new_app, ok

import cli
from checklists import best_answers, load_template, template_files
from checklists.loader import SHIPPED_DIR
from reports import ReportOptions, build_report
from scoring import AnswersError, Assessment, parse_assessment, score

ROOT = Path(__file__).resolve().parent.parent
VENDOR_CONTENT = ROOT / "vendors"
MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
SHIPPED = sorted(p for p in template_files() if p.parent == SHIPPED_DIR)
T = {p.stem: load_template(p) for p in SHIPPED}
TEMPLATES = {**T, "mini": MINI}


def best(template_id: str, **overrides: object) -> dict[str, object]:
    """Every scored item at its best answer, with some answers replaced."""
    answers = {k: v for k, v in best_answers(T[template_id]).items()}
    answers.update({k.replace("__", "."): v for k, v in overrides.items()})
    return answers


def parse(template_id: str, answers: dict[str, object]) -> Assessment:
    return parse_assessment({"template": template_id, "answers": answers}, TEMPLATES)


def problems(template_id: str, answers: dict[str, object]) -> list[str]:
    with pytest.raises(AnswersError) as exc:
        parse(template_id, answers)
    return exc.value.problems


# ---- 1. "not applicable" never erases a prerequisite ---------------------------------------------

# The prerequisites the seeds treat as universal: no company is exempt, so none may be answered n/a.
UNIVERSAL = {
    "sales_funnel": ["strategy.goals.problem_defined", "strategy.kpis.defined", "process.flow.mapped",
                     "data.quality.inventory", "data.quality.cleansing", "team.roles.sponsor",
                     "team.roles.project_manager"],
    "crm_system": ["strategy.goals.core_goals", "strategy.kpis.smart_kpis", "strategy.sponsorship.executive_sponsor",
                   "strategy.sponsorship.project_lead", "process.mapping.current_map", "data.migration.scope",
                   "data.migration.cleansing", "data.security.permissions", "vendor.tco.tco_basis",
                   "team.change.plan", "team.training.plan"],
    "customer_followup": ["strategy.goals.alignment", "strategy.kpis.framework", "process.lifecycle.map",
                          "data.inventory.sources", "data.quality.cleansing", "data.compliance.pipl_consent",
                          "data.compliance.least_privilege", "team.roles.sponsor", "team.roles.project_manager",
                          "team.change.plan"],
}


@pytest.mark.parametrize("template_id", sorted(UNIVERSAL))
def test_universal_prerequisites_cannot_be_not_applicable(template_id):
    t = T[template_id]
    allowing = [i for i in UNIVERSAL[template_id] if t.item(i).allow_na]
    assert allowing == []


@pytest.mark.parametrize(("template_id", "na_items"), [
    # the two ways the audit reached 100 / advanced with the sponsor (and consent) simply switched off
    ("crm_system", ["strategy.sponsorship.executive_sponsor"]),
    ("customer_followup", ["data.compliance.pipl_consent", "team.roles.sponsor"]),
])
def test_switching_off_a_prerequisite_is_refused(template_id, na_items):
    for reason in (None, "not relevant for us"):
        value = "na" if reason is None else {"value": "na", "reason": reason}
        got = problems(template_id, best(template_id) | {i: value for i in na_items})
        assert got == [f"'{i}' cannot be marked not applicable; expected yes, partial, no" for i in na_items]


def test_a_stored_na_on_a_prerequisite_stays_unanswered():
    # an answer kept from before the template forbade n/a: not excluded, listed as unanswered instead
    answers = best("customer_followup") | {"team.roles.sponsor": "na"}
    a = Assessment(template="customer_followup", answers={k: {"value": v} for k, v in answers.items()})
    r = score(T["customer_followup"], a)
    assert r.not_applicable == [] and r.excluded_musts == []
    assert "team.roles.sponsor" in r.unknowns
    assert r.must_coverage.met < r.must_coverage.applicable


def test_a_bare_na_on_a_must_is_refused_with_the_item_named():
    got = problems("mini", {"team.roles.sponsor": "na"})
    assert got == ["'team.roles.sponsor': a must item marked not applicable needs a reason"]
    got = problems("mini", {"team.roles.sponsor": {"value": "na", "reason": "   "}})
    assert got == ["'team.roles.sponsor': a must item marked not applicable needs a reason"]
    # a should item may still be n/a without a word
    parse("mini", {"vendor.criteria.integration": "na"})


@pytest.mark.parametrize("template_id", sorted(T))
def test_every_must_that_allows_na_asks_for_a_reason(template_id):
    for it in T[template_id].items():
        if it.criticality.value == "must" and it.allow_na:
            with pytest.raises(AnswersError, match="needs a reason"):
                parse(template_id, {it.id: "na"})


def _cli(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(list(args)) == 0
    return out.getvalue()


def test_an_excluded_must_is_listed_beside_the_verdict(tmp_path):
    reason = "field service runs from the office; no mobile use"
    answers = best("crm_system") | {"vendor.features.mobile_crm": {"value": "na", "reason": reason}}
    a = parse("crm_system", answers)
    r = score(T["crm_system"], a)
    # the verdict may stand, but not silently: the excluded must is named with its reason
    assert [(n.item_id, n.reason, n.must) for n in r.excluded_musts] == [("vendor.features.mobile_crm", reason, True)]
    assert (r.overall, r.verdict) == (100.0, "advanced")
    # a should item marked n/a is not such an exclusion
    r2 = score(T["crm_system"], parse("crm_system", best("crm_system") | {"vendor.tco.customisation": "na"}))
    assert r2.excluded_musts == [] and [n.item_id for n in r2.not_applicable] == ["vendor.tco.customisation"]

    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump({"template": "crm_system", "answers": answers}, allow_unicode=True),
                    encoding="utf-8")
    text = _cli("score", str(path), "--lang", "en")
    assert "Must items excluded as not applicable (1):" in text
    assert f"vendor.features.mobile_crm: {reason}" in text
    doc = json.loads(_cli("score", str(path), "--json"))
    assert doc["not_applicable"] == [{"item_id": "vendor.features.mobile_crm", "reason": reason, "must": True}]

    for lang, words in (("en", "1 must-have item(s) were marked not applicable"), ("zh", "另有 1 个必备项被标为不适用")):
        verdict = build_report(T["crm_system"], a, r, ReportOptions(lang=lang)).summary.narrative[0]
        assert words in verdict and reason in verdict


def test_the_results_page_shows_an_excluded_must_beside_the_verdict(app_env):
    at = new_app(lang="en")
    create(at)
    ok(at.switch_page("ui/transfer.py").run())
    doc = ("template: mini\nanswers:\n  strategy.goals.defined: 'yes'\n  strategy.goals.maturity: 4\n"
           "  team.roles.sponsor: {value: na, reason: 'owner-run firm: *the owner* decides'}\n")
    at.file_uploader(key="import_file").upload("a.yaml", doc.encode(), "application/x-yaml")
    ok(at.run())
    at.button(key="import_button").click().run()
    ok(at.switch_page("ui/results.py").run())
    warning = next(w.value for w in at.warning if "Must items excluded as not applicable (1)" in w.value)
    assert "Is there an executive sponsor?" in warning
    assert r"owner-run firm: \*the owner\* decides" in warning  # the reason as typed, not as markup
    assert not at.error  # must NOT happen: the sponsor is excluded, not a blocker


# ---- 2. steps the seeds place after the vendor choice wait for it --------------------------------

@pytest.mark.parametrize("stage", ["not_started", "longlist", "shortlist"])
def test_an_assessment_before_the_vendor_choice_is_not_blocked(stage):
    # seed 000 writes the implementation roadmap with the vendor after the final choice
    # no roadmap yet, said honestly or left blank: neither blocks nor counts as missing
    for roadmap in ("no", None):
        answers = best("sales_funnel", vendor__plan__selection_status=stage, vendor__plan__roadmap=roadmap)
        r = score(T["sales_funnel"], parse("sales_funnel", answers))
        assert r.blocked is False and r.blockers == []
        assert "vendor.plan.roadmap" not in r.unknowns + [g.item_id for g in r.gaps]
        assert next(i for i in r.items if i.id == "vendor.plan.roadmap").state == "hidden"


def test_the_roadmap_is_asked_once_a_system_is_chosen():
    answers = best("sales_funnel", vendor__plan__roadmap="no")
    r = score(T["sales_funnel"], parse("sales_funnel", answers))
    gap = next(g for g in r.gaps if g.item_id == "vendor.plan.roadmap")
    assert gap.severity == "high" and r.verdict != "blocked"
    assert "vendor.plan.roadmap" in parse("sales_funnel", {"vendor.plan.selection_status": "selected",
                                                          "vendor.plan.roadmap": "yes"}).answers


# ---- 3. example goals in the seeds are guidance, never a pass mark for today ---------------------

@pytest.mark.parametrize("template_id", sorted(T))
def test_no_current_state_number_is_scored(template_id):
    # every number item records where the company stands today (a baseline); the seeds' numbers
    # ("90 → 70 days", "within 2 hours") are examples, so a long cycle today is not a gap
    scored = [it.id for it in T[template_id].items() if it.type.value == "number" and it.scored]
    assert scored == []


def test_a_long_current_cycle_alone_is_no_gap():
    r = score(T["customer_followup"], parse("customer_followup", {"strategy.kpis.baseline_cycle_days": 140,
                                                                "strategy.kpis.baseline_response_hours": 30}))
    assert r.gaps == [] and r.overall is None
    states = {i.id: i.state for i in r.items if i.id.startswith("strategy.kpis.baseline_")}
    assert states == {"strategy.kpis.baseline_response_hours": "answered", "strategy.kpis.baseline_cycle_days": "answered"}


# ---- 4. the people side, and the same point weighed the same everywhere --------------------------

def test_crm_system_plans_the_change_and_the_people():
    t = T["crm_system"]
    musts = {it.id: it for it in t.items() if it.phase_id == "team" and it.criticality.value == "must"}
    assert set(musts) == {"team.change.plan", "team.training.plan"}
    assert all(not it.allow_na and it.evidence is not None for it in musts.values())


def test_the_same_point_has_the_same_criticality_in_every_template():
    def crit(template_id: str, item_id: str) -> str:
        return T[template_id].item(item_id).criticality.value

    # a test migration needs the chosen system: it cannot block a verdict given before the selection
    assert crit("crm_system", "data.migration.test_migration") == crit("customer_followup", "data.migration.test_run")
    # the audit log weighs as much as the other protections of personal data beside it
    assert {crit("customer_followup", f"data.compliance.{i}")
            for i in ("audit_log", "encryption", "least_privilege", "pipl_consent")} == {"must"}


def test_requirements_kept_nice_say_why():
    lines = (VENDOR_CONTENT / "requirements.yaml").read_text(encoding="utf-8").splitlines()
    for rid in ("contract_to_cash", "loss_review", "stalled_deal_alerts"):
        start = lines.index(f"  - id: {rid}")
        block = lines[start + 1:next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id:"))]
        tag = next(line for line in block if line.strip().startswith("default_tag:"))
        if tag.split(":")[1].strip() != "must":
            assert any(line.strip().startswith("# nice, not must:") for line in block), rid


# ---- 5. the seeds are paraphrased, never copied ---------------------------------------------------

SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 20  # Chinese characters in a row shared with a seed count as a copied sentence
SHIPPED_YAML = sorted([*(p for p in SHIPPED_DIR.rglob("*.yaml") if "custom" not in p.relative_to(SHIPPED_DIR).parts),
                       *VENDOR_CONTENT.glob("*.yaml")])


def _normalise(text: str) -> str:
    """Lowercase, without whitespace, punctuation or symbols: a copy stays a copy when re-punctuated."""
    return "".join(c for c in text.lower() if unicodedata.category(c)[0] not in "PSZC")


def _is_chinese(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def _chinese_strings(node: object, where: str = ""):
    """Every string holding Chinese, with where it sits: the item id, then any option id below it."""
    if isinstance(node, dict):
        nid = node.get("id")
        here = f"{where} > {nid}" if isinstance(nid, str) and where else nid if isinstance(nid, str) else where
        for k, v in node.items():
            yield from _chinese_strings(v, here or str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _chinese_strings(v, where)
    elif isinstance(node, str) and any(map(_is_chinese, node)):
        yield where, node


def copied_runs(text: str, seeds: dict[str, str]) -> list[tuple[str, str]]:
    """(seed, run) for each longest run of `text` that shares RUN Chinese characters in a row with a seed."""
    n, out, i = _normalise(text), [], 0
    while i <= len(n) - RUN:
        window = n[i:i + RUN]
        seed = next((name for name, body in seeds.items() if window in body), None) if all(
            map(_is_chinese, window)) else None
        if seed is None:
            i += 1
            continue
        j = i + RUN
        while j < len(n) and n[i:j + 1] in seeds[seed]:
            j += 1
        out.append((seed, n[i:j]))
        i = j
    return out


def test_copied_runs_finds_a_re_punctuated_copy():
    seeds = {"s.txt": _normalise("一个再完美的系统，如果员工不愿用、不会用，其价值也无法体现。")}
    assert copied_runs("再完美的系统如果员工 不愿用 不会用其价值也无法体现", seeds) == [
        ("s.txt", "再完美的系统如果员工不愿用不会用其价值也无法体现")]
    assert copied_runs("再好的系统，员工不愿用、不会用，也毫无价值。", seeds) == []


def test_no_shipped_yaml_copies_a_seed_sentence():
    need(SEEDS.is_dir() and any(SEEDS.glob("*.txt")), f"the seed documents are not here ({SEEDS})")
    seeds = {p.name: _normalise(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))}
    copies = []
    for path in SHIPPED_YAML:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in _chinese_strings(data):
            copies += [f"{path.relative_to(ROOT)} [{where}]: {run} (from {seed})"
                       for seed, run in copied_runs(text, seeds)]
    assert copies == []


# ---- 6. house style -------------------------------------------------------------------------------
# One label for the readiness criterion ("就绪：" / "Ready: "); a space between Chinese and Latin
# letters or digits ("CRM 系统", "2 小时", "15% 的"); an en dash for ranges ("1–3 个月", "1–3 months").

CJK = "\u3400-\u9fff"
STYLE = [
    ("readiness label", re.compile(r"就绪[^：，。、\s“”]{1,6}："), "write the criterion as 就绪：…"),
    ("readiness label", re.compile(r"Ready means|Ready when"), "write the criterion as Ready: …"),
    ("spacing", re.compile(f"[{CJK}][A-Za-z0-9]|[A-Za-z0-9%][{CJK}]"), "a space between Chinese and Latin or digits"),
    ("range dash", re.compile(r"(?<![\d-])\d+ ?[-—~～] ?\d+(?![\d-])"), "an en dash for ranges: 1–3"),
    ("English slip", re.compile(r"in measure|by personality"), "plain English"),
]


def _all_strings(node: object, where: str = ""):
    if isinstance(node, dict):
        nid = node.get("id")
        here = f"{where} > {nid}" if isinstance(nid, str) and where else nid if isinstance(nid, str) else where
        for k, v in node.items():
            yield from _all_strings(v, here or str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _all_strings(v, where)
    elif isinstance(node, str):
        yield where, node


def style_problems(text: str) -> list[str]:
    return [f"{name}: {m.group(0)!r} ({fix})" for name, rx, fix in STYLE for m in rx.finditer(text)]


def test_style_rules_catch_the_old_habits():
    assert style_problems("就绪的表现是：名单已定") and style_problems("就绪的标志：日志覆盖")
    assert style_problems("Ready means the roster is set") and style_problems("在2小时内") \
        and style_problems("CRM系统") and style_problems("1—3 条") and style_problems("1-2 年")
    assert style_problems("就绪：名单已定，在 2 小时内用 CRM 系统处理 1–3 条。Ready: the roster is set.") == []


def test_shipped_yaml_follows_the_house_style():
    bad = []
    for path in SHIPPED_YAML:
        for where, text in _all_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            bad += [f"{path.relative_to(ROOT)} [{where}]: {p}" for p in style_problems(text)]
    assert bad == []


def test_one_question_asks_one_thing():
    t = T["crm_system"]
    assert "行动量" not in t.item("process.standards.sop").question.zh
    assert "activity volumes" in t.item("process.standards.activity_volumes").question.en
