"""The score as a range over every completion of the unanswered items, and the decisive unknowns."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checklists import AnswerType, load_all, load_template
from scoring import Answer, Assessment, controller_values, parse_assessment, score, score_range

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
TEMPLATES = {"mini": MINI}
ITEMS = {it.id: it for it in MINI.items()}
LEVELS = ["blocked", "unknown"] + [lv.id for lv in MINI.levels]

# strategy 90, process 83.33, data 66.67 and vendor none as in test_scoring's worked example
FULL = {
    "strategy.goals.defined": "yes", "strategy.goals.maturity": 3,
    "process.stages.model": "exit_criteria", "process.stages.exit_owner": "partial",
    "data.sources.inventory": ["spreadsheets", "legacy"], "data.quality.duplicates": 7.5,
    "team.roles.sponsor": "no", "team.roles.notes": "hi", "vendor.criteria.cost": 100,
    "vendor.criteria.integration": {"value": "na", "reason": "no systems yet"},
}


def assess(answers: dict, **extra) -> Assessment:
    return parse_assessment({"template": "mini", "answers": answers, **extra}, TEMPLATES)


def test_an_unknown_sponsor_spans_blocked_to_ready():
    a = assess({k: v for k, v in FULL.items() if k != "team.roles.sponsor"})
    r = score_range(MINI, a)
    # sponsor no: team 0, (2*90 + 83.33 + 66.67 + 0) / 5 = 66.0, blocked; yes: team 100 -> 86.0, ready
    assert (r.low, r.high, r.verdict_range, r.verdict_can_change) == (66.0, 86.0, ["blocked", "ready"], True)
    first = r.decisive_unknowns[0]
    assert (first.item, first.must, first.worst, first.best) == ("team.roles.sponsor", True, "no", "yes")
    assert (first.high_if_worst, first.low_if_best, first.swing) == (66.0, 86.0, 40.0)
    assert (first.verdict_if_worst, first.verdict_if_best, first.changes_verdict) == (["blocked"], ["ready"], True)
    # what the result says today: a score over the answered items only
    assert score(MINI, a).overall == pytest.approx(82.5)


def test_a_controller_is_enumerated_not_taken_at_its_extremes():
    # the stage model decides whether exit_owner (answered partial) counts: none -> process 0, names -> 50,
    # exit_criteria -> (2*1 + 1*0.5) / 3 = 83.33; strategy 90, data 66.67, team 0 (sponsor no)
    a = assess({k: v for k, v in FULL.items() if k != "process.stages.model"})
    r = score_range(MINI, a)
    assert (r.low, r.high) == (49.33, 66.0)  # (180 + 0 + 66.67 + 0) / 5 and (180 + 83.33 + 66.67 + 0) / 5
    # must NOT happen: exit_owner counted while the model that hides it is "none" (that would give 52.67)
    assert r.low != 52.67
    assert r.verdict_range == ["blocked"] and not r.verdict_can_change
    assert [d.item for d in r.decisive_unknowns] == ["process.stages.model"]
    assert r.decisive_unknowns[0].worst == "none" and r.decisive_unknowns[0].best == "exit_criteria"


def test_everything_answered_is_a_point():
    a = assess({**FULL, "team.roles.sponsor": "yes"})
    r, s = score_range(MINI, a), score(MINI, a)
    assert r.low == r.high == s.overall == 86.0
    assert r.verdict_range == [s.verdict] == ["ready"] and not r.verdict_can_change
    assert r.decisive_unknowns == [] and r.unknowns == 0


def test_nothing_answered_spans_everything():
    r = score_range(MINI, assess({}))
    assert (r.low, r.high, r.verdict_range) == (0.0, 100.0, ["blocked", "ready"])
    # the two must items can block whatever else is answered: they come first
    assert {d.item for d in r.decisive_unknowns[:2]} == {"strategy.goals.defined", "team.roles.sponsor"}


def test_the_cli_keys():
    r = score_range(MINI, assess({k: v for k, v in FULL.items() if k != "team.roles.sponsor"}))
    out = r.to_cli()
    assert out["score_range"] == {"low": 66.0, "high": 86.0} and out["verdict_range"] == ["blocked", "ready"]
    assert out["decisive_unknowns"][0]["item"] == "team.roles.sponsor"


# ---- properties ---------------------------------------------------------------------------------------

NUMBERS = [0, 2.5, 5, 7.5, 10, 100]


def domain(item_id: str) -> list:
    """Every answer an item can take in a completion (numbers: a grid holding both extremes)."""
    it = ITEMS[item_id]
    if it.type is AnswerType.number:
        return NUMBERS
    if it.type is AnswerType.text:
        return ["x"]
    return controller_values(it, MINI)


def value_of(item_id: str):
    return st.sampled_from(domain(item_id) + (["na"] if ITEMS[item_id].allow_na else []))


@st.composite
def partial_answers(draw, max_unknown: int | None = None):
    ids = list(ITEMS)
    unknown = draw(st.lists(st.sampled_from(ids), unique=True, max_size=max_unknown or len(ids)))
    answers = {}
    for i in ids:
        if i in unknown:
            continue
        v = draw(value_of(i))
        answers[i] = Answer(value=v, reason="n/a here" if v == "na" else None)
    return Assessment(template="mini", answers=answers), [i for i in ids if i in unknown]


def rank(verdict: str) -> int:
    return LEVELS.index(verdict)


@settings(max_examples=60)
@given(partial_answers(), st.data())
def test_any_completion_lies_in_the_range(case, data):
    a, unknown = case
    r = score_range(MINI, a)
    filled = {i: Answer(value=data.draw(st.sampled_from(domain(i)))) for i in unknown}
    real = score(MINI, a.model_copy(update={"answers": {**a.answers, **filled}}))
    if real.overall is None:
        assert r.low is None or r.high is not None
    else:
        assert r.low <= real.overall <= r.high
    assert rank(r.verdict_range[0]) <= rank(real.verdict) <= rank(r.verdict_range[-1])
    assert real.verdict != "incomplete"  # a completion answers every question


@settings(max_examples=25)
@given(partial_answers(max_unknown=3))
def test_the_range_is_exactly_the_extremes_of_every_completion(case):
    a, unknown = case
    r = score_range(MINI, a)
    seen = []
    for combo in product(*[domain(i) for i in unknown]):
        filled = {i: Answer(value=v) for i, v in zip(unknown, combo, strict=False)}
        seen.append(score(MINI, a.model_copy(update={"answers": {**a.answers, **filled}})))
    scores = [s.overall for s in seen if s.overall is not None]
    assert (r.low, r.high) == ((min(scores), max(scores)) if scores else (None, None))
    verdicts = sorted({s.verdict for s in seen}, key=rank)
    assert r.verdict_range == ([verdicts[0], verdicts[-1]] if len(verdicts) > 1 else verdicts)
    # each decisive unknown's figures are the extremes over the completions that answer it so
    combos = list(product(*[domain(i) for i in unknown]))
    for d in r.decisive_unknowns:
        k = unknown.index(d.item)
        at_worst = [s for c, s in zip(combos, seen, strict=False) if c[k] == d.worst]
        at_best = [s for c, s in zip(combos, seen, strict=False) if c[k] == d.best]
        assert d.high_if_worst == max((s.overall for s in at_worst if s.overall is not None), default=None)
        assert d.low_if_best == min((s.overall for s in at_best if s.overall is not None), default=None)
        assert d.verdict_if_worst[-1] == max((s.verdict for s in at_worst), key=rank)
        assert d.verdict_if_best[0] == min((s.verdict for s in at_best), key=rank)


@settings(max_examples=60)
@given(st.fixed_dictionaries({i: value_of(i) for i in ITEMS}))
def test_everything_answered_gives_low_equal_high_equal_the_score(values):
    a = Assessment(template="mini", answers={i: Answer(value=v, reason="x" if v == "na" else None)
                                             for i, v in values.items()})
    r, s = score_range(MINI, a), score(MINI, a)
    assert r.low == r.high == s.overall
    assert r.verdict_range == [s.verdict] and not r.verdict_can_change and r.decisive_unknowns == []


@settings(max_examples=60)
@given(partial_answers())
def test_the_first_decisive_unknown_at_its_worst_changes_the_verdict(case):
    a, _unknown = case
    r = score_range(MINI, a)
    if not r.decisive_unknowns:
        assert r.unknowns == 0
        return
    first = r.decisive_unknowns[0]
    after = score_range(MINI, a.model_copy(update={"answers": {**a.answers, first.item: Answer(value=first.worst)}}))
    assert after.verdict_range == first.verdict_if_worst
    if any(d.verdict_if_worst != r.verdict_range for d in r.decisive_unknowns):
        # when one answer at its worst can change the verdict, the first one does
        assert after.verdict_range != r.verdict_range
    if r.verdict_can_change and len(r.decisive_unknowns) == r.unknowns == 1:
        # a single unknown behind a verdict that can change: answering it at its worst changes it
        assert after.verdict_range != r.verdict_range
    for d in r.decisive_unknowns[:3]:
        # must NOT happen: an item said not to change the verdict does so
        if not d.changes_verdict:
            best = a.model_copy(update={"answers": {**a.answers, d.item: Answer(value=d.best)}})
            assert score_range(MINI, best).verdict_range == r.verdict_range


def test_shipped_templates_keep_the_range_around_the_example_answers():
    templates, _ = load_all()
    for path in sorted((Path(__file__).parent / "data" / "answers").glob("*.yaml")):
        import yaml

        a = parse_assessment(yaml.safe_load(path.read_text(encoding="utf-8")), templates)
        t = templates[a.template]
        r, s = score_range(t, a), score(t, a)
        assert r.low <= r.high and r.unknowns == len(s.unknowns)
        best = {i: Answer(value=d.best) for d in r.decisive_unknowns for i in [d.item]}
        worst = {i: Answer(value=d.worst) for d in r.decisive_unknowns for i in [d.item]}
        for filled in (best, worst):
            real = score(t, a.model_copy(update={"answers": {**a.answers, **filled}})).overall
            assert r.low <= real <= r.high


def test_an_unknown_option_state_list_spans_none_to_all_in_place():
    from checklists import best_answers

    templates, _ = load_all()
    t = templates["sales_funnel"]
    kpis = t.item("strategy.kpis.kpi_set")
    best = {k: Answer(value=v) for k, v in best_answers(t).items()}
    without = Assessment(template=t.id, answers={k: v for k, v in best.items() if k != kpis.id})
    r = score_range(t, without)
    worst_value, best_value = kpis.kind.extremes(kpis)
    assert set(worst_value.values()) == {"missing"} and set(best_value.values()) == {"in_place"}
    high = score(t, without.model_copy(update={"answers": {**without.answers, kpis.id: Answer(value=best_value)}}))
    low = score(t, without.model_copy(update={"answers": {**without.answers, kpis.id: Answer(value=worst_value)}}))
    assert (r.low, r.high) == (low.overall, high.overall) and r.low < r.high
    assert r.decisive_unknowns[0].item == kpis.id


def test_a_verdict_that_can_change_but_hangs_on_no_single_answer():
    """The flag says the verdict can change; when it takes several answers to change it, no unknown
    claims to do it alone, and the first one still settles the most of the range."""
    from checklists import best_answers

    templates, _ = load_all()
    t = templates["sales_funnel"]
    answers = {k: Answer(value=v) for k, v in best_answers(t).items()}
    for i in ["data.records.activity_capture", "process.flow.lead_assignment", "process.flow.proposal_negotiation",
              "process.stages.sql", "team.adoption.incentives", "vendor.criteria.coverage",
              "vendor.criteria.vendor_service"]:
        answers[i] = Answer(value=t.item(i).kind.worst_value(t.item(i)))
    for i in ["data.quality.enrichment", "data.quality.standardisation", "data.tech.integration_map",
              "process.control.review_cadence", "process.control.stall_alert",
              "process.flow.opportunity_qualification", "process.stages.design", "strategy.kpis.baseline",
              "team.adoption.data_culture", "team.adoption.onboarding", "team.duties.embedded", "team.roles.it_lead",
              "vendor.criteria.process_enforcement"]:
        answers.pop(i)
    a = Assessment(template=t.id, answers=answers)
    r = score_range(t, a)
    assert r.verdict_range == ["ready", "advanced"] and r.verdict_can_change
    assert not any(d.changes_verdict for d in r.decisive_unknowns)  # no single answer decides it
    first = r.decisive_unknowns[0]
    assert first.swing == max(d.swing for d in r.decisive_unknowns)
    after = score_range(t, a.model_copy(update={"answers": {**answers, first.item: Answer(value=first.worst)}}))
    assert after.high == first.high_if_worst < r.high and after.verdict_range == r.verdict_range
