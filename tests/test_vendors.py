"""Requirements and vendor comparison: content, hand-computed scores, knock-outs, cost and ROI,
sensitivity, Monte Carlo, AHP, and the YAML / CSV / XLSX sheet formats."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checklists import template_files
from checklists.model import Text
from sheets import (
    read_sheet,
    sheet_from_bytes,
    sheet_from_csv,
    sheet_from_xlsx,
    sheet_from_yaml,
    sheet_to_bytes,
    sheet_to_csv,
    sheet_to_xlsx,
    sheet_to_yaml,
    write_sheet,
)
from vendors import (
    COST_PARTS,
    CRITERIA_FILE,
    EXAMPLE_SHEET_FILE,
    REQUIREMENTS_FILE,
    STATUSES,
    TAGS,
    CriterionScore,
    RequirementScore,
    RoiInputs,
    SheetCriterion,
    SheetRequirement,
    Vendor,
    VendorContentError,
    VendorEvaluation,
    VendorRoi,
    VendorSettings,
    VendorSheet,
    VendorSheetError,
    YearCost,
    ahp_weights,
    consolidate_status,
    evaluate_vendors,
    load_criteria,
    load_requirements,
    load_vendor_sheet,
    monte_carlo,
    new_sheet,
    pairwise_matrix,
    roi_summary,
    sensitivity,
    total_cost,
    vendor_result_text,
    weighted_score,
)

DATA = Path(__file__).parent / "data" / "vendors"
THREE = DATA / "three_vendors.yaml"
SEED_ID = re.compile(r"^\d{3}_[0-9a-f]{16}$")


# ── shipped content ──────────────────────────────────────────────────────────────────────────


def test_requirements_catalogue_holds_the_seed_features_and_integrations():
    cat = load_requirements()
    tags = {r.id: r.default_tag for r in cat.requirements}
    # seed 002's table: five must-haves and three nice-to-haves
    for rid in ("customer_360", "funnel_management", "mobile_crm", "workflow_automation", "bi_reporting"):
        assert tags[rid] == "must", rid
    for rid in ("marketing_automation", "cpq", "ai_capabilities"):
        assert tags[rid] == "nice", rid
    # integration points of seeds 002 / 003
    assert {"erp_integration", "oa_integration", "wecom_dingtalk", "call_centre", "marketing_tools"} <= set(tags)
    assert {"low_code_paas", "open_api", "data_security", "access_control", "privacy_compliance"} <= set(tags)
    for r in cat.requirements:
        assert r.name.zh != r.name.en and r.value.zh and r.value.en
        assert r.source and all(SEED_ID.match(s) for s in r.source), r.id
        assert not re.search(r"纷享|简道云|Salesforce|金蝶|用友|销帮帮", r.name.zh + r.value.zh + r.value.en), r.id


def test_criteria_catalogue_has_the_eight_criteria_and_default_settings():
    cat = load_criteria()
    assert [c.id for c in cat.criteria] == ["functional_fit", "customisation", "analytics", "openness",
                                            "mobile_usability", "vendor_service", "security_compliance", "cost"]
    assert sum(c.weight for c in cat.criteria) == 100
    assert cat.settings == VendorSettings(partly_on_must_disqualifies=False, years=3, discount_rate=None)
    assert len(cat.score_labels) == 5
    assert "离线" in cat.criterion("mobile_usability").description.zh


def test_example_sheet_is_fictitious_and_consistent_with_the_catalogues():
    sheet = load_vendor_sheet()
    reqs = {r.id for r in load_requirements().requirements}
    assert 3 <= len(sheet.vendors) <= 4
    for v in sheet.vendors:
        assert v.name.en.startswith("Example CRM") and v.name.zh.startswith("示例系统")
    assert len(sheet.evaluators()) == 2
    assert [c.id for c in sheet.criteria] == [c.id for c in load_criteria().criteria]
    own = [r for r in sheet.requirements if r.id not in reqs]
    assert own and all(r.name is not None for r in own)  # the team's own requirement carries its name
    assert {r.id for r in sheet.requirements} >= reqs
    assert set(sheet.costs) == {v.id for v in sheet.vendors}
    assert all(len(years) == sheet.settings.years for years in sheet.costs.values())
    parts_used = {p for years in sheet.costs.values() for y in years for p in COST_PARTS if getattr(y, p)}
    assert parts_used == set(COST_PARTS)


def test_vendor_content_files_are_not_taken_for_templates():
    names = {p.name for p in template_files()}
    assert not names & {"requirements.yaml", "criteria.yaml", "vendors_example.yaml"}
    # they live in the vendors package, beside the model that reads them
    assert all(p.parent.name == "vendors" and p.is_file()
               for p in (REQUIREMENTS_FILE, CRITERIA_FILE, EXAMPLE_SHEET_FILE))


def test_new_sheet_takes_defaults_from_the_catalogues():
    sheet = new_sheet(load_requirements(), load_criteria(), organisation="示例公司")
    assert {r.id: r.tag for r in sheet.requirements}["cpq"] == "nice"
    assert {c.id: c.weight for c in sheet.criteria}["functional_fit"] == 20
    assert sheet.settings.years == 3 and sheet.organisation == "示例公司"
    assert sheet_from_csv(sheet_to_csv(sheet)) == sheet


def test_catalogue_errors_are_located(tmp_path):
    text = (Path(load_requirements.__defaults__[0]).read_text(encoding="utf-8")
            .replace("group: integration", "group: integrations", 1)
            .replace("id: cpq", "id: customer_360", 1))
    path = tmp_path / "requirements.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VendorContentError) as exc:
        load_requirements(path)
    msgs = {(p.line, p.message) for p in exc.value.problems}
    lines = text.splitlines()
    dup_line = next(i + 1 for i, ln in enumerate(lines) if ln.strip() == "- id: customer_360" and i > 40)
    grp_line = next(i + 1 for i, ln in enumerate(lines) if "group: integrations" in ln)
    assert (dup_line, "duplicate requirement id 'customer_360' (first at position 1)") in msgs
    assert any(line == grp_line and "group 'integrations' is not declared" in m for line, m in msgs)


# ── the hand-computed three-vendor case ──────────────────────────────────────────────────────
#
# Weights quality 50, price 30, service 20 → shares 0.5 / 0.3 / 0.2; a mean s earns (s - 1) / 4.
#   a: quality (5+4)/2 = 4.5 → 0.875; price 3 → 0.5; service (4+2)/2 = 3 → 0.5
#      100 × (0.5×0.875 + 0.3×0.5 + 0.2×0.5) = 43.75 + 15 + 10 = 68.75
#   b: quality 4 → 0.75; price 5 → 1; service 3 → 0.5 → 37.5 + 30 + 10 = 77.5
#   c: all 5 → 100, but e1 says c does_not meet the must r_must → least favourable → knocked out
# Requirements: a's r_must2 is partly (e1) / meets (e2) → partly → a flagged risk, not a knock-out;
#   b's r_must2 is unknown from both → flagged; r_skip is not needed, so e1's does_not on it is ignored.
# Nice-to-have coverage: a r_nice1 meets 1, r_nice2 unknown 0 → 50; b partly 0.5 + meets 1 → 75; c 100.
# Rank: b (77.5), a (68.75), then c (100, disqualified: never above a qualified vendor).
# Cost over 3 years, no discounting:
#   a: 150,000 + 100,000 + 100,000 = 350,000 → 68.75 / 35 = 1.9643 points per 10k;
#      ROI (3×200,000 + 3×50,000 − 350,000) / 350,000 = 400/350 = 114.29 %;
#      payback: year 1 starts at −150,000 and earns 250,000 a year → 150/250 = 0.6 years
#   b: 130,000 + 80,000 + (year 3 missing → 0, flagged) = 210,000 → 77.5 / 21 = 3.6905;
#      ROI (750,000 − 210,000) / 210,000 = 257.14 %; payback 130/250 = 0.52
#   c: 3 × 50,000 = 150,000 → 100 / 15 = 6.6667; ROI 600/150 = 400 %; payback 50/250 = 0.2


@pytest.fixture(scope="module")
def three() -> VendorSheet:
    return load_vendor_sheet(THREE)


def test_three_vendors_scores_ranks_and_knockouts(three):
    r = evaluate_vendors(three, runs=200)
    assert [v.id for v in r.vendors] == ["b", "a", "c"]
    assert [(v.id, v.rank, v.qualified, v.score) for v in r.vendors] == [
        ("b", 1, True, 77.5), ("a", 2, True, 68.75), ("c", 3, False, 100.0)]
    assert r.leader == "b"
    a, b, c = r.vendor("a"), r.vendor("b"), r.vendor("c")
    assert [(x.id, x.mean, x.spread, x.points) for x in a.criteria] == [
        ("quality", 4.5, 1, 0.875), ("price", 3.0, 0, 0.5), ("service", 3.0, 2, 0.5)]
    assert sum(x.contribution for x in a.criteria) == pytest.approx(68.75)
    assert (a.nice_coverage, b.nice_coverage, c.nice_coverage) == (50.0, 75.0, 100.0)
    assert (a.must_met, a.must_total) == (1, 2)
    # the knock-out keeps its reason (in both languages) and the vendor keeps all its figures
    assert [(f.kind, f.ref) for f in c.knockouts] == [("must_does_not", "r_must")]
    assert "Mobile app" in c.knockouts[0].message.en and "移动端" in c.knockouts[0].message.zh
    assert {(f.kind, f.ref) for f in a.risks} >= {("must_partly", "r_must2"), ("disagreement", "r_must2"),
                                                 ("disagreement", "service")}
    assert ("must_unknown", "r_must2") in {(f.kind, f.ref) for f in b.risks}
    assert [row.id for row in a.requirements] == ["r_must", "r_must2", "r_nice1", "r_nice2"]  # r_skip not needed
    assert next(row for row in c.requirements if row.id == "r_must").notes == ["e1: 没有离线模式 / no offline mode"]


def test_three_vendors_cost_and_roi(three):
    r = evaluate_vendors(three, runs=10)
    a, b, c = r.vendor("a"), r.vendor("b"), r.vendor("c")
    assert (a.cost.total, b.cost.total, c.cost.total) == (350_000, 210_000, 150_000)
    assert a.cost.by_part == {"licence": 300_000, "implementation": 50_000, "training": 0,
                              "customisation": 0, "operations": 0}
    assert b.cost.missing_years == [3] and ("cost_missing", "") in {(f.kind, f.ref) for f in b.risks}
    assert (a.score_per_10k, b.score_per_10k, c.score_per_10k) == (1.9643, 3.6905, 6.6667)
    assert (a.roi.roi_percent, b.roi.roi_percent, c.roi.roi_percent) == (114.29, 257.14, 400.0)
    assert (a.roi.payback_years, b.roi.payback_years, c.roi.payback_years) == (0.6, 0.52, 0.2)
    assert (a.roi.gains, a.roi.savings, a.roi.investment, a.roi.net) == (600_000, 150_000, 350_000, 400_000)


def test_partly_on_must_disqualifies_when_the_setting_says_so(three):
    strict = three.model_copy(update={"settings": VendorSettings(partly_on_must_disqualifies=True)})
    r = evaluate_vendors(strict, runs=10)
    # a is now out too; among the two knocked-out vendors the better score comes first
    assert [(v.id, v.qualified) for v in r.vendors] == [("b", True), ("c", False), ("a", False)]
    assert [(f.kind, f.ref) for f in r.vendor("a").knockouts] == [("must_partly", "r_must2")]


def test_majority_consolidation(three):
    maj = three.model_copy(update={"settings": VendorSettings(requirement_consolidation="majority")})
    r = evaluate_vendors(maj, runs=10)
    # 1 against 1: the tie goes to the less favourable status, so nothing changes here
    assert r.vendor("c").qualified is False
    assert next(x for x in r.vendor("a").requirements if x.id == "r_must2").status == "partly"


@pytest.mark.parametrize("statuses, least, majority", [
    (["meets", "meets", "does_not"], "does_not", "meets"),
    (["meets", "partly"], "partly", "partly"),          # majority tie → less favourable
    (["unknown", "meets"], "meets", "meets"),           # someone knows: unknown is ignored
    (["unknown", "unknown"], "unknown", "unknown"),
    ([], "unknown", "unknown"),
    (["partly", "partly", "meets", "does_not"], "does_not", "partly"),
])
def test_consolidate_status(statuses, least, majority):
    assert consolidate_status(statuses, "least") == least
    assert consolidate_status(statuses, "majority") == majority


def test_discounted_total_cost():
    costs = [YearCost(year=1, licence=100_000, implementation=50_000), YearCost(year=2, licence=100_000),
             YearCost(year=3, licence=100_000)]
    # 150,000 + 100,000 / 1.1 + 100,000 / 1.21 = 150,000 + 90,909.09 + 82,644.63
    c = total_cost(costs, 3, 0.1)
    assert c.total == pytest.approx(323_553.72, abs=0.01)
    assert c.nominal_total == 350_000 and c.by_year == [150_000, 100_000, 100_000]
    assert sum(c.by_part.values()) == pytest.approx(c.total, abs=0.02)
    assert total_cost(costs, 2).ignored_years == [3]


def test_roi_payback_none_when_benefits_never_catch_up():
    costs = [YearCost(year=1, licence=1_000_000)]
    r = roi_summary(costs, 100_000, 0, 3)
    # (300,000 − 1,000,000) / 1,000,000 = −70 %
    assert r.roi_percent == -70.0 and r.payback_years is None
    # costs 100 then 20, benefit 80 a year: −100 → −20 (end of 1) → −40 (start of 2) → +40: 1 + 40/80
    r2 = roi_summary([YearCost(year=1, licence=100), YearCost(year=2, licence=20)], 80, 0, 3)
    assert r2.payback_years == 1.5


def test_weighted_score_normalises_weights():
    assert weighted_score({"x": 1.0, "y": 0.0}, {"x": 3, "y": 1}) == 75.0
    assert weighted_score({"x": 1.0, "y": 0.0}, {"x": 30, "y": 10}) == 75.0
    with pytest.raises(ValueError):
        weighted_score({"x": 1.0}, {"x": 0})


# ── sensitivity ──────────────────────────────────────────────────────────────────────────────
#
# Two vendors, two criteria, weights c1 60 / c2 40:
#   x: c1 5 → 1, c2 1 → 0       → 60
#   y: c1 2 → 0.25, c2 4 → 0.75 → 100 × (0.6×0.25 + 0.4×0.75) = 45; x leads.
# Moving c1's share t (c2 gets 1 - t): x = 100t, y = 100(0.25t + 0.75(1-t)) = 100(0.75 - 0.5t);
#   equal at t = 0.75 - 0.5t → t = 0.5: below 50 % y leads. Raw: w/(w+40) = 0.5 → w = 40.
# Moving c2's share u: x = 100(1-u), y = 100(0.25 + 0.5u); equal at u = 0.5: above 50 % y leads.
#   Raw: u/(1-u) × 60 = 60.


def test_sensitivity_exact_threshold_two_vendors_two_criteria():
    points = {"x": {"c1": 1.0, "c2": 0.0}, "y": {"c1": 0.25, "c2": 0.75}}
    s = sensitivity(points, {"c1": 60, "c2": 40})
    assert s.leader == "x"
    c1, c2 = s.rows
    assert (c1.share, c1.up, c1.down.share, c1.down.weight, c1.down.rival) == (0.6, None, 0.5, 40.0, "y")
    assert (c2.share, c2.down, c2.up.share, c2.up.weight, c2.up.rival) == (0.4, None, 0.5, 60.0, "y")
    # just beyond the threshold the rival leads; just before, the leader holds
    for w1, lead in ((40.001, "x"), (39.999, "y")):
        scores = {v: weighted_score(p, {"c1": w1, "c2": 40}) for v, p in points.items()}
        assert max(scores, key=scores.get) == lead


def test_sensitivity_picks_the_nearest_rival_and_ignores_draws_at_the_ends():
    # leader L = 0.5·1 + 0.5·0.5 = 0.75; R1 = 0.5·0 + 0.5·1 = 0.5; R2 = 0.5·0.5 + 0.5·0.75 = 0.625
    # moving c1's share t: L = 0.5 + 0.5t, R1 = 1 - t (level at t = 1/3), R2 = 0.75 - 0.25t (level at t = 1/3)
    # both draw level at 1/3; below it R1 (higher at t = 0) leads.
    points = {"L": {"c1": 1, "c2": 0.5}, "R1": {"c1": 0, "c2": 1}, "R2": {"c1": 0.5, "c2": 0.75}}
    s = sensitivity(points, {"c1": 1, "c2": 1}, order=["L", "R2", "R1"])
    row = s.rows[0]
    assert row.down.share == pytest.approx(1 / 3, abs=1e-6) and row.down.rival == "R1"
    # equal points on a criterion draw level only at a 100 % share: not a change of leader
    same = sensitivity({"A": {"c1": 1, "c2": 1}, "B": {"c1": 1, "c2": 0.5}}, {"c1": 1, "c2": 1})
    assert same.rows[0].up is None and same.rows[0].down is None


def test_monte_carlo_is_reproducible_and_shares_sum_to_one(three):
    r1 = evaluate_vendors(three, runs=500, seed=11)
    r2 = evaluate_vendors(three, runs=500, seed=11)
    assert r1.monte_carlo == r2.monte_carlo
    mc = r1.monte_carlo
    assert set(mc.shares) == {"b", "a"}  # only qualified vendors compete
    assert sum(mc.wins.values()) == 500 and sum(mc.shares.values()) == pytest.approx(1.0)
    assert "500" in mc.method.en and "11" in mc.method.en and "±20" in mc.method.en
    points = {"x": {"c1": 1.0, "c2": 0.0}, "y": {"c1": 0.25, "c2": 0.75}}
    wide = monte_carlo(points, {"c1": 55, "c2": 45}, runs=2000, spread=0.5, seed=3)
    assert wide == monte_carlo(points, {"c1": 55, "c2": 45}, runs=2000, spread=0.5, seed=3)
    assert 0 < wide.shares["y"] < 1 and sum(wide.shares.values()) == pytest.approx(1.0)


# ── AHP ──────────────────────────────────────────────────────────────────────────────────────


@given(st.lists(st.integers(1, 9), min_size=2, max_size=8))
@settings(max_examples=40, deadline=None)
def test_ahp_on_a_consistent_matrix_gives_exact_weights(w):
    m = [[wi / wj for wj in w] for wi in w]
    r = ahp_weights(m)
    assert r.cr == pytest.approx(0, abs=1e-9) and r.consistent and r.warning is None
    for got, want in zip(r.weights.values(), w, strict=False):
        assert got == pytest.approx(want / sum(w), rel=1e-9)


def test_ahp_known_matrix_and_inconsistency_warning():
    m = pairwise_matrix(["a", "b", "c"], {("a", "b"): 3, ("a", "c"): 5, ("b", "c"): 3})
    r = ahp_weights(m, ["a", "b", "c"])
    # the textbook example: weights ≈ 0.637 / 0.258 / 0.105, λmax ≈ 3.039, CR ≈ 0.033
    assert [round(x, 3) for x in r.weights.values()] == [0.637, 0.258, 0.105]
    assert r.lambda_max == pytest.approx(3.0385, abs=1e-3) and r.cr == pytest.approx(0.033, abs=1e-3)
    assert r.consistent
    bad = ahp_weights(pairwise_matrix(["a", "b", "c"], {("a", "b"): 9, ("b", "c"): 9, ("c", "a"): 9}))
    assert bad.cr > 0.10 and not bad.consistent and "0.10" in bad.warning.en
    with pytest.raises(ValueError, match="must be 1/"):
        ahp_weights([[1, 2], [2, 1]])
    with pytest.raises(ValueError, match="missing judgements"):
        pairwise_matrix(["a", "b", "c"], {("a", "b"): 2})


# ── invariants (hypothesis) ──────────────────────────────────────────────────────────────────


def _sheet(weights: list[int], scores: dict[str, list[list[int]]], must: dict[str, list[str]],
           partly_disqualifies: bool = False) -> VendorSheet:
    """scores[vendor][evaluator][criterion]; must[vendor][evaluator] is the status on one must-have."""
    crits = [f"c{i}" for i in range(len(weights))]
    evaluators = ["e1", "e2"]
    return VendorSheet(
        requirements=[SheetRequirement(id="m", tag="must")],
        criteria=[SheetCriterion(id=c, weight=w) for c, w in zip(crits, weights, strict=False)],
        vendors=[Vendor(id=v, name=v) for v in scores],
        evaluations={e: {v: VendorEvaluation(requirements={"m": RequirementScore(status=must[v][i])},
                                             criteria={c: CriterionScore(score=s)
                                                       for c, s in zip(crits, scores[v][i], strict=False)})
                         for v in scores} for i, e in enumerate(evaluators)},
        settings=VendorSettings(partly_on_must_disqualifies=partly_disqualifies))


@st.composite
def _cases(draw):
    n = draw(st.integers(1, 4))
    weights = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n).filter(lambda w: sum(w) > 0))
    vendors = ["v0", "v1", "v2"]
    scores = {v: [draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)) for _e in range(2)] for v in vendors}
    must = {v: draw(st.lists(st.sampled_from(STATUSES), min_size=2, max_size=2)) for v in vendors}
    return weights, scores, must, draw(st.booleans())


@given(_cases(), st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_raising_a_score_never_lowers_total_or_rank(case, data):
    weights, scores, must, strict = case
    before = evaluate_vendors(_sheet(weights, scores, must, strict), runs=1)
    v = data.draw(st.sampled_from(sorted(scores)))
    e = data.draw(st.integers(0, 1))
    k = data.draw(st.integers(0, len(weights) - 1))
    assume(scores[v][e][k] < 5)
    raised = {x: [list(row) for row in rows] for x, rows in scores.items()}
    raised[v][e][k] = data.draw(st.integers(scores[v][e][k] + 1, 5))
    after = evaluate_vendors(_sheet(weights, raised, must, strict), runs=1)
    assert after.vendor(v).score >= before.vendor(v).score
    for rival in scores:
        if rival != v and before.vendor(v).rank < before.vendor(rival).rank:
            assert after.vendor(v).rank < after.vendor(rival).rank


@given(_cases())
@settings(max_examples=60, deadline=None)
def test_a_knocked_out_vendor_never_ranks_above_a_qualified_one(case):
    weights, scores, must, strict = case
    r = evaluate_vendors(_sheet(weights, scores, must, strict), runs=1)
    for v in r.vendors:
        assert 0 <= v.score <= 100
        statuses = set(must[v.id]) - {"unknown"}
        knocked = "does_not" in statuses or (strict and "partly" in statuses)
        assert v.qualified is (not knocked)  # least favourable: one does_not is enough
        for w in r.vendors:
            if v.qualified and not w.qualified:
                assert v.rank < w.rank
    assert sorted(v.rank for v in r.vendors) == [1, 2, 3]
    assert r.leader == (r.vendors[0].id if r.vendors[0].qualified else None)


# ── sheet files: round trips ─────────────────────────────────────────────────────────────────

_CHARS = list("abcXYZ 019=+-@'\",;:#&*张伟销售评估甲乙丙丁客户系统é😀")
_text = st.text(st.sampled_from(_CHARS + ["\n"]), min_size=1, max_size=12)
_name = st.text(st.sampled_from(_CHARS), min_size=1, max_size=10).filter(lambda s: s.strip())
_who = _name.map(str.strip)
_amount = st.floats(0, 1e8, allow_nan=False, allow_infinity=False)


@st.composite
def _sheets(draw) -> VendorSheet:
    rids = [f"r{i}" for i in range(draw(st.integers(0, 3)))]
    cids = [f"c{i}" for i in range(draw(st.integers(1, 3)))]
    vids = [f"v{i}" for i in range(draw(st.integers(1, 3)))]
    opt = st.none() | _text
    texts = st.builds(Text, zh=_name, en=_name)
    evaluations = {}
    for who in draw(st.lists(_who, max_size=2, unique=True)):
        evaluations[who] = {
            v: VendorEvaluation(
                requirements={r: RequirementScore(status=draw(st.sampled_from(STATUSES)), note=draw(opt))
                              for r in draw(st.lists(st.sampled_from(rids), unique=True)) } if rids else {},
                criteria={c: CriterionScore(score=draw(st.integers(1, 5)), note=draw(opt))
                          for c in draw(st.lists(st.sampled_from(cids), unique=True))})
            for v in draw(st.lists(st.sampled_from(vids), unique=True))}
    costs = {v: [YearCost(year=y, **{p: draw(_amount) for p in draw(st.lists(st.sampled_from(COST_PARTS),
                                                                              unique=True))})
                 for y in draw(st.lists(st.integers(1, 5), unique=True))]
             for v in draw(st.lists(st.sampled_from(vids), unique=True))}
    return VendorSheet(
        title=draw(opt), organisation=draw(opt), project=draw(opt),
        currency=draw(st.sampled_from(["CNY", "USD", "元"])),
        settings=VendorSettings(partly_on_must_disqualifies=draw(st.booleans()), years=draw(st.integers(1, 5)),
                          discount_rate=draw(st.none() | st.floats(0, 0.5)),
                          requirement_consolidation=draw(st.sampled_from(["least", "majority"]))),
        requirements=[SheetRequirement(id=r, tag=draw(st.sampled_from(TAGS)), name=draw(st.none() | texts),
                                       note=draw(opt)) for r in rids],
        criteria=[SheetCriterion(id=c, weight=1 + draw(st.floats(0, 99)), name=draw(st.none() | texts),
                                 note=draw(opt)) for c in cids],
        vendors=[Vendor(id=v, name=draw(texts), note=draw(opt)) for v in vids],
        evaluations=evaluations, costs=costs,
        roi=RoiInputs(gains_per_year=draw(_amount), savings_per_year=draw(_amount),
                      vendors={v: VendorRoi(gains_per_year=draw(st.none() | _amount),
                                            savings_per_year=draw(st.none() | _amount))
                               for v in draw(st.lists(st.sampled_from(vids), unique=True))}))


@given(_sheets())
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_export_then_import_is_the_identity(sheet):
    assert sheet_from_csv(sheet_to_csv(sheet)) == sheet
    assert sheet_from_yaml(sheet_to_yaml(sheet)) == sheet
    assert sheet_from_xlsx(sheet_to_xlsx(sheet)) == sheet


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".xlsx", ".json"])
def test_file_round_trip_keeps_chinese_text(tmp_path, suffix):
    sheet = load_vendor_sheet()
    path = tmp_path / f"sheet{suffix}"
    write_sheet(sheet, path)
    back = read_sheet(path)
    assert back == sheet
    assert back.vendor("crm_a").name.zh == "示例系统甲"
    assert "二次开发" in back.evaluations["it_lead"]["crm_b"].requirements["erp_integration"].note
    # writing what was read gives the same bytes
    assert sheet_to_bytes(back, path.name) == path.read_bytes()


def test_csv_is_excel_friendly_and_formula_safe():
    sheet = load_vendor_sheet(THREE).model_copy(update={"title": "=HYPERLINK(\"x\")"})
    data = sheet_to_bytes(sheet, "s.csv")
    assert data.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    assert "'=HYPERLINK" in data.decode("utf-8-sig")
    assert sheet_from_bytes(data, "s.csv").title == "=HYPERLINK(\"x\")"


def test_xlsx_keeps_formula_like_text_as_text():
    from openpyxl import load_workbook

    sheet = load_vendor_sheet(THREE).model_copy(update={"title": "=1+1"})
    wb = load_workbook(io.BytesIO(sheet_to_xlsx(sheet)))
    cells = [c for row in wb["vendor_sheet"].iter_rows() for c in row if c.value == "'=1+1"]
    assert cells and cells[0].data_type == "s"


def hostile_sheet():
    """Text a spreadsheet could run, in every free-text column the sheet writes."""
    sheet = load_vendor_sheet(THREE)
    v0 = sheet.vendors[0]
    who = sorted(sheet.evaluations)[0]
    ev = sheet.evaluations[who]
    renamed = {("=cmd|' /C calc'!A0" if w == who else w): e for w, e in sheet.evaluations.items()}
    assert ev  # the fixture has evaluators
    return sheet.model_copy(update={
        "title": '=HYPERLINK("http://x","click")', "project": "'quoted", "organisation": "-minus",
        "vendors": [v0.model_copy(update={"note": "@SUM(A1)", "name": v0.name.model_copy(
            update={"zh": "+86 电话", "en": "\tTab"}) if v0.name else None})] + list(sheet.vendors[1:]),
        "evaluations": renamed,
    })


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_formula_like_text_round_trips_and_is_never_a_formula(suffix):
    sheet = hostile_sheet()
    data = sheet_to_bytes(sheet, "s" + suffix)
    if suffix == ".csv":
        import csv

        cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    else:
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(data))["vendor_sheet"]
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
        cells = [c.value for row in ws.iter_rows() for c in row]
    from scoring import FORMULA_START

    assert not any(isinstance(c, str) and c.startswith(FORMULA_START) for c in cells)
    assert "'=HYPERLINK(\"http://x\",\"click\")" in cells and "''quoted" in cells
    back = sheet_from_bytes(data, "s" + suffix)
    assert back == sheet  # reading removes exactly the ' the writer added


def test_xlsx_numbers_stay_numbers_and_unused_cells_stay_empty():
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(sheet_to_xlsx(load_vendor_sheet(THREE))))["vendor_sheet"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    costs = [r for r in rows if r[0] == "cost"]
    assert costs and all(isinstance(r[5], (int, float)) and not isinstance(r[5], bool) for r in costs)
    assert all(r[1] is None and r[6] is None for r in costs)  # evaluator and note unused: empty, not "'"
    assert "'" not in [c for r in rows for c in r]


# ── sheet files: errors ──────────────────────────────────────────────────────────────────────

ERRORS = [
    ("missing_column.csv", 1, "value", "missing column 'value'"),
    ("unknown_vendor.csv", 6, "vendor (column C)", "unknown vendor 'zz' (declared: a)"),
    ("unknown_criterion.csv", 6, "id (column D)", "unknown criterion 'speed' (declared: quality, price)"),
    ("unknown_requirement.csv", 6, "id (column D)", "unknown requirement 'offline' (declared: mobile)"),
    ("score_out_of_range.csv", 6, "value (column F)", "score must be a whole number from 1 to 5 (got 6)"),
    ("bad_number.csv", 6, "value (column F)", "'12k' is not a number"),
    ("bad_status.csv", 6, "value (column F)", "status must be one of meets, partly, does_not, unknown"),
    ("extra_cell.csv", 6, "", "row has 10 cells but the header has 9 columns"),
]


def _csv_to_xlsx(path: Path) -> bytes:
    import csv

    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, line, field, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_csv_errors_name_file_row_and_column(name, line, field, message):
    path = DATA / "errors" / name
    with pytest.raises(VendorSheetError) as exc:
        read_sheet(path)
    problems = exc.value.problems
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.file, p.line, p.field) == (str(path), line, field)
    assert message in p.message
    assert str(path) in str(exc.value)


@pytest.mark.parametrize("name, line, field, message", ERRORS[:6], ids=[e[0] for e in ERRORS[:6]])
def test_xlsx_errors_name_sheet_row_and_column(name, line, field, message):
    with pytest.raises(VendorSheetError) as exc:
        sheet_from_xlsx(_csv_to_xlsx(DATA / "errors" / name), "upload.xlsx")
    [p] = exc.value.problems
    assert (p.file, p.line, p.field) == ("upload.xlsx [Sheet]", line, field) and message in p.message


def test_every_problem_is_reported_at_once():
    text = (DATA / "errors" / "unknown_vendor.csv").read_text(encoding="utf-8")
    text += "criterion_score,张伟,a,quality,,9,,,\ncost,,a,licence,x,5,,,\nrequirement_score,李娜,a,mobile,,maybe,,,\n"
    with pytest.raises(VendorSheetError) as exc:
        sheet_from_csv(text, "many.csv")
    assert [p.line for p in exc.value.problems] == [6, 7, 8, 9]


def test_wrong_encoding_too_big_and_unsupported_type(tmp_path):
    gbk = (DATA / "valid_small.csv").read_text(encoding="utf-8").encode("gbk")
    with pytest.raises(VendorSheetError, match="not UTF-8.*CSV UTF-8") as exc:
        sheet_from_csv(gbk, "gbk.csv")
    assert exc.value.problems[0].line == 4  # the first Chinese text is on line 4
    with pytest.raises(VendorSheetError, match="limit is 1 kB"):
        sheet_from_csv((DATA / "three_vendors.yaml").read_bytes() * 3, "big.csv", max_bytes=1000)
    with pytest.raises(VendorSheetError, match="limit is 1 kB"):
        sheet_from_xlsx(sheet_to_xlsx(load_vendor_sheet(THREE)), "big.xlsx", max_bytes=1000)
    big = tmp_path / "big.yaml"
    big.write_text("title: x\n" + "# padding\n" * 120_000, encoding="utf-8")
    with pytest.raises(VendorSheetError, match="larger than|limit"):
        read_sheet(big)
    with pytest.raises(VendorSheetError, match=r"\.xlsx"):
        sheet_from_bytes(b"x", "old.xls")
    with pytest.raises(VendorSheetError, match="not an XLSX workbook"):
        sheet_from_bytes(b"section,vendor\n", "renamed.xlsx")


def test_yaml_sheet_errors_are_located(tmp_path):
    text = THREE.read_text(encoding="utf-8").replace("service: 2}", "service: 7}").replace(
        "    c:\n      requirements: {r_must: meets", "    zz:\n      requirements: {r_must: meets")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VendorSheetError) as exc:
        read_sheet(path)
    got = {(p.line, p.field, p.message) for p in exc.value.problems}
    lines = text.splitlines()
    assert (next(i + 1 for i, ln in enumerate(lines) if "service: 7}" in ln), "evaluations.e2.a.criteria.service.score",
            "score must be a whole number from 1 to 5 (got 7)") in got
    assert any(p.field == "evaluations.e2.zz" and "unknown vendor 'zz'" in p.message and p.line
               for p in exc.value.problems)


def test_model_built_in_code_checks_references():
    with pytest.raises(ValueError, match="unknown vendor 'nope'"):
        VendorSheet(criteria=[SheetCriterion(id="c", weight=1)], vendors=[Vendor(id="a", name="甲")],
                    costs={"nope": [YearCost(year=1, licence=1)]})
    with pytest.raises(ValueError, match="weight above 0"):
        VendorSheet(criteria=[SheetCriterion(id="c", weight=0)], vendors=[Vendor(id="a", name="甲")])


# ── text summary and purity ──────────────────────────────────────────────────────────────────


def test_vendor_result_text_in_both_languages():
    sheet = load_vendor_sheet()
    r = evaluate_vendors(sheet, load_requirements(), load_criteria(), runs=300)
    en, zh = vendor_result_text(r, "en"), vendor_result_text(r, "zh")
    assert "Example CRM A" in en and "Leader: Example CRM A" in en
    assert "示例系统甲" in zh and "淘汰" in zh and "移动 CRM" in zh
    assert "✗" in en and "Monte Carlo" in en and "Sensitivity" in en
    assert r.to_json() == evaluate_vendors(sheet, load_requirements(), load_criteria(), runs=300).to_json()
    assert r.vendor("crm_c").qualified is False and r.leader == "crm_a"


def test_vendors_package_is_pure():
    code = ("import sys, vendors; "
            "bad = [m for m in ('streamlit', 'reportlab', 'sqlalchemy', 'openpyxl', 'docx', 'plotly', 'numpy') "
            "if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# ── every edit as a typed command ─────────────────────────────────────────────────────────────

def _catalogues():
    from vendors import Catalogues
    return Catalogues(load_requirements(), load_criteria())


def test_a_command_changes_only_what_it_names():
    from vendors import KEEP, EditRequirements, RequirementEdit, apply_command
    sheet = load_vendor_sheet()
    first, second = sheet.requirements[0], sheet.requirements[1]
    new = apply_command(sheet, EditRequirements((RequirementEdit(first.id, tag="not_needed", note="später"),
                                                 RequirementEdit(second.id, note=KEEP))), _catalogues())
    assert new.requirements[0].tag == "not_needed" and new.requirements[0].note == "später"
    # must NOT happen: a field left at KEEP or a requirement not named changes
    assert new.requirements[1] == second and new.requirements[2:] == sheet.requirements[2:]
    assert new.vendors == sheet.vendors and new.evaluations == sheet.evaluations and sheet.requirements[0] == first


def test_a_refused_command_names_the_field_by_id_and_changes_nothing():
    from vendors import CommandRefused, EditRequirements, RequirementEdit, apply_command
    sheet = load_vendor_sheet()
    before = sheet.model_dump()
    rid = sheet.requirements[3].id
    with pytest.raises(CommandRefused) as exc:
        apply_command(sheet, EditRequirements((RequirementEdit(rid, tag="maybe"),)), _catalogues())
    [p] = exc.value.problems
    assert (p.field, p.line) == (f"requirements.{rid}.tag", None)
    assert p.message.startswith("tag must be one of must, nice, not_needed")
    # must NOT happen: a list position instead of the id, or the sheet changed
    assert "[" not in p.field and sheet.model_dump() == before


def test_cells_that_are_not_numbers_are_refused_each_with_its_field():
    from vendors import CommandRefused, EditCosts, EditCriteria
    with pytest.raises(CommandRefused) as exc:
        EditCriteria.from_cells({"functional_fit": {"weight": "abc"}, "cost": {"weight": None}})
    assert [(p.field, p.message) for p in exc.value.problems] == [
        ("criteria.functional_fit.weight", "'abc' is not a number"),
        ("criteria.cost.weight", "a weight is needed (0 leaves the criterion out)")]
    with pytest.raises(CommandRefused) as exc:
        EditCosts.from_cells({"crm_a:1": {"licence": "1,000", "training": "x"}})
    assert [p.field for p in exc.value.problems] == ["costs.crm_a.year 1.training"]
    # must happen: a thousands separator is a number, an empty cell is 0
    cmd = EditCosts.from_cells({"crm_a:2": {"licence": "1,000", "training": None}})
    assert dict(cmd.edits[0].amounts) == {"licence": 1000.0, "training": 0.0}


def test_score_commands_are_checked_like_a_sheet():
    from vendors import CommandRefused, ScoreCriteria, ScoreRequirements, checked_evaluation
    ok = checked_evaluation(ScoreCriteria.from_cells("Ann", "crm_a", {"cost": {"score": 4.0, "note": " ok "}}), None)
    assert ok["criteria"] == {"cost": {"score": 4, "note": "ok"}}
    with pytest.raises(CommandRefused) as exc:
        checked_evaluation(ScoreCriteria.from_cells("Ann", "crm_a", {"cost": {"score": 7}}), ok)
    [p] = exc.value.problems
    assert p.field == "evaluations.Ann.crm_a.criteria.cost.score" and "whole number from 1 to 5" in p.message
    with pytest.raises(CommandRefused, match="a note needs a score"):
        checked_evaluation(ScoreCriteria.from_cells("Ann", "crm_a", {"cost": {"score": None, "note": "?"}}), ok)
    with pytest.raises(CommandRefused, match="join the assessment"):
        ScoreRequirements.from_cells("  ", "crm_a", {})
    # clearing both status and note removes the entry; must NOT leave an empty one behind
    req = ScoreRequirements.from_cells("Ann", "crm_a", {"x": {"status": "meets"}})
    assert checked_evaluation(req, None)["requirements"] == {"x": {"status": "meets", "note": None}}
    gone = ScoreRequirements.from_cells("Ann", "crm_a", {"x": {"status": None, "note": None}})
    assert gone.merge({"requirements": {"x": {"status": "meets"}}})["requirements"] == {}


# ── the figures as the page shows them ────────────────────────────────────────────────────────

def test_monte_carlo_shares_add_up_to_exactly_100():
    from vendors import percent_shares
    # 1/3 each: rounding each alone gives 33.3 × 3 = 99.9; 0.3335/0.3335/0.333 gives 100.1
    assert percent_shares({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) == {"a": 33.4, "b": 33.3, "c": 33.3}
    assert percent_shares({"a": 667 / 2000, "b": 667 / 2000, "c": 666 / 2000}) == {"a": 33.4, "b": 33.3, "c": 33.3}
    assert percent_shares({"a": 1.0}) == {"a": 100.0} and percent_shares({}) == {}


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=8).filter(lambda w: sum(w) > 0))
def test_rounded_shares_always_sum_to_100_and_stay_within_a_tenth(wins):
    from vendors import percent_shares
    total = sum(wins)
    shares = {f"v{i}": w / total for i, w in enumerate(wins)}
    out = percent_shares(shares)
    assert round(sum(out.values()), 6) == 100.0
    # must NOT happen: a share moved by more than one rounding unit, or a vendor with no wins given some
    assert all(abs(out[k] - 100 * shares[k]) < 0.1 + 1e-9 for k in shares)
    assert all(out[k] == 0 for k in shares if shares[k] == 0)


def test_the_leader_is_shown_only_once_someone_has_scored():
    from vendors import has_scores, shown_leader
    sheet = new_sheet(load_requirements(), load_criteria())
    blank = evaluate_vendors(sheet, load_requirements(), load_criteria(), runs=50)
    assert blank.leader == "vendor_a"          # the ranking still orders vendors ...
    assert not has_scores(blank) and shown_leader(blank) is None   # ... but nobody is called the leader
    scored = evaluate_vendors(load_vendor_sheet(), load_requirements(), load_criteria(), runs=50)
    assert shown_leader(scored) == scored.leader == "crm_a"


# ── seed 004's comparison columns: target size, strengths, typical features, pricing model ───────

def test_the_example_vendors_carry_a_profile_that_survives_every_format():
    from vendors import PRICING_MODELS
    sheet = load_vendor_sheet()
    assert [v.pricing_model for v in sheet.vendors] == ["free", "per_user", "per_module", "quote"]
    assert set(PRICING_MODELS) == {"free", "per_user", "per_module", "quote"}
    assert all(v.target_size and v.strengths and v.typical_features for v in sheet.vendors)
    for name in ("v.csv", "v.xlsx", "v.yaml"):
        back = sheet_from_bytes(sheet_to_bytes(sheet, name), name)
        assert [v.model_dump() for v in back.vendors] == [v.model_dump() for v in sheet.vendors], name
    # one tidy row per profile fact, none for a field left empty
    rows = [r for r in sheet_to_csv(sheet).splitlines() if r.startswith("vendor_profile,")]
    assert len(rows) == 16 and "vendor_profile,,crm_d,pricing_model,,quote,,," in rows
    bare = sheet.model_copy(update={"vendors": [Vendor(id="x", name="X", pricing_model="per_user")]},
                            deep=True)
    assert [r for r in sheet_to_csv(new_sheet(load_requirements(), load_criteria(), vendors=bare.vendors))
            .splitlines() if r.startswith("vendor_profile,")] == ["vendor_profile,,x,pricing_model,,per_user,,,"]


def test_a_pricing_model_outside_the_closed_list_is_refused_with_its_row():
    text = sheet_to_csv(load_vendor_sheet())
    bad = text.replace("vendor_profile,,crm_b,pricing_model,,per_user,", "vendor_profile,,crm_b,pricing_model,,monthly,")
    assert bad != text
    with pytest.raises(VendorSheetError) as exc:
        sheet_from_csv(bad)
    [p] = exc.value.problems
    line = next(i + 1 for i, r in enumerate(bad.splitlines()) if ",monthly," in r)
    assert p.line == line and p.field.startswith("value")
    assert p.message == "pricing model must be one of free, per_user, per_module, quote (got 'monthly')"
    # must NOT happen: a profile of a vendor the sheet does not declare is silently dropped
    ghost = text.replace("vendor_profile,,crm_b,strengths,", "vendor_profile,,crm_zz,strengths,")
    with pytest.raises(VendorSheetError, match="unknown vendor 'crm_zz'"):
        sheet_from_csv(ghost)
    with pytest.raises(VendorSheetError, match="unknown vendor profile field 'colour'"):
        sheet_from_csv(text.replace("vendor_profile,,crm_b,strengths,", "vendor_profile,,crm_b,colour,"))


def test_editing_the_vendor_list_keeps_and_changes_profiles():
    from vendors import ReplaceVendors, apply_command
    sheet = load_vendor_sheet()
    rows = [{"id": v.id, "name_zh": v.name.zh, "name_en": v.name.en, "note": v.note,
             "target_size": v.target_size, "strengths": v.strengths, "typical_features": v.typical_features,
             "pricing_model": v.pricing_model} for v in sheet.vendors]
    rows[1]["pricing_model"] = "quote"
    rows.append({"id": None, "name_zh": None, "name_en": "New CRM", "pricing_model": "free", "target_size": "SMB"})
    new = apply_command(sheet, ReplaceVendors.from_cells(rows), _catalogues())
    assert new.vendors[1].pricing_model == "quote" and new.vendors[1].strengths == sheet.vendors[1].strengths
    assert (new.vendors[4].id, new.vendors[4].pricing_model, new.vendors[4].target_size) == ("new_crm", "free", "SMB")
    # must NOT happen: an unchanged vendor loses its profile
    assert new.vendors[0] == sheet.vendors[0]


def test_the_text_summary_names_no_leader_before_anyone_has_scored():
    blank = evaluate_vendors(new_sheet(load_requirements(), load_criteria()), load_requirements(), load_criteria(),
                             runs=50)
    text = vendor_result_text(blank, "en")
    assert "Nobody has scored yet, so nobody leads" in text
    assert "Leader:" not in text  # must NOT happen: "Leader: Vendor A" with nobody scored
    assert "还没有人评分" in vendor_result_text(blank, "zh")
