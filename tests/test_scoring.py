"""Scoring rules on hand-computed cases, and the invariants that must hold for any answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists import AnswerType, load_template
from scoring import (
    Answer,
    AnswersError,
    Assessment,
    answer_progress,
    consolidate,
    disagreements,
    parse_assessment,
    score,
)

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
TEMPLATES = {"mini": MINI}

# Effective weights in mini (item weight × multiplier must 3 / should 2 / nice 1):
#   strategy (phase weight 2): defined must 3, maturity should 2
#   process  (1): model should 2, exit_owner nice 1 (shown only when model = exit_criteria)
#   data     (1): inventory should 2 (multi 0.5/0.5/1), duplicates nice 1 (number, target 5, lower)
#   team     (1): sponsor must 3, notes text (never scored)
#   vendor   (1): cost number (unscored), integration should 2
FULL = {
    "strategy.goals.defined": "yes", "strategy.goals.maturity": 3,
    "process.stages.model": "exit_criteria", "process.stages.exit_owner": "partial",
    "data.sources.inventory": ["spreadsheets", "legacy"], "data.quality.duplicates": 7.5,
    "team.roles.sponsor": "no", "team.roles.notes": "hi", "vendor.criteria.cost": 100,
    "vendor.criteria.integration": {"value": "na", "reason": "no systems yet"},
}


def run(answers: dict, **extra) -> object:
    return score(MINI, parse_assessment({"template": "mini", "answers": answers, **extra}, TEMPLATES))


CASES = [
    # strategy (3*1 + 2*0.75)/5 = 90; process (2*1 + 1*0.5)/3 = 83.33; data (2*0.75 + 1*0.5)/3 = 66.67
    # (7.5 vs target 5, lower is better: 1 - 2.5/5 = 0.5); team 0; vendor all n/a or unscored -> none
    # overall (2*90 + 83.33 + 66.67 + 0) / 5 = 66.0, blocked by the sponsor
    ("worked example", FULL, {}, 66.0, "blocked", {"strategy": 90.0, "process": 83.33, "data": 66.67,
                                                 "team": 0.0, "vendor": None}),
    # partial on a must is not enough (must_pass_score 1.0): strategy 3*0.5/3 = 50, overall 50 -> blocked
    ("partial must blocks", {"strategy.goals.defined": "partial"}, {}, 50.0, "blocked",
     {"strategy": 50.0, "process": None}),
    # stage model "names" hides exit_owner: process = 0.5; strategy 100 -> (2*100 + 50)/3 = 83.33
    ("hidden item leaves the score", {"strategy.goals.defined": "yes", "process.stages.model": "names",
                                      "process.stages.exit_owner": "no"}, {}, 83.33, "incomplete",
     {"strategy": 100.0, "process": 50.0}),
    # scale 2 -> 0.5: strategy (3*1 + 2*0.5)/5 = 80 -> "ready" threshold 80
    ("scale level over four", {"strategy.goals.defined": "yes", "strategy.goals.maturity": 2}, {}, 80.0,
     "incomplete", {"strategy": 80.0}),
    # number higher-is-better is not in mini; lower-is-better at target scores 1: data (2*0 + 1*1)/3 = 33.33
    ("number at target", {"data.quality.duplicates": 5, "data.sources.inventory": []}, {}, 33.33, "incomplete",
     {"data": 33.33}),
    # team out of scope: the blocker there no longer counts; overall = strategy only = 100
    ("phase out of scope", {"strategy.goals.defined": "yes", "team.roles.sponsor": "no"},
     {"out_of_scope": {"team": "handled by group HQ"}}, 100.0, "incomplete", {"strategy": 100.0, "team": None}),
    ("nothing answered", {}, {}, None, "unknown", {"strategy": None}),
]


@pytest.mark.parametrize("name,answers,extra,overall,verdict,phases", CASES, ids=[c[0] for c in CASES])
def test_hand_computed(name, answers, extra, overall, verdict, phases):
    r = run(answers, **extra)
    assert r.overall == overall
    assert r.verdict == verdict
    for pid, expected in phases.items():
        assert r.phase(pid).score == expected, pid


def test_low_completion_is_incomplete_not_a_level():
    # 2 of 8 questions answered (25 % < min_completion 50): the level is computed but not the verdict
    r = run({"strategy.goals.defined": "yes", "strategy.goals.maturity": 4})
    assert (r.overall, r.level, r.completion, r.verdict) == (100.0, "ready", 25.0, "incomplete")
    # the same answers with enough of the rest answered give the level as verdict
    more = {"strategy.goals.defined": "yes", "strategy.goals.maturity": 4, "process.stages.model": "names",
            "data.sources.inventory": ["legacy"], "team.roles.sponsor": "yes"}
    r = run(more)
    # 5 of 8 shown questions (exit_owner hidden, notes is text) = 62.5 %; overall (2*100 + 50 + 50 + 100)/5 = 80
    assert (r.completion, r.overall, r.verdict) == (62.5, 80.0, "ready")


def test_worked_example_details():
    r = run(FULL)
    assert [g.item_id for g in r.blockers] == ["team.roles.sponsor"]
    # impact = effective weight × (1 − score), highest first; ties keep template order
    assert [(g.item_id, g.impact, g.severity) for g in r.gaps] == [
        ("team.roles.sponsor", 3.0, "blocker"),
        ("strategy.goals.maturity", 0.5, "medium"),
        ("process.stages.exit_owner", 0.5, "low"),
        ("data.sources.inventory", 0.5, "medium"),
        ("data.quality.duplicates", 0.5, "low"),
    ]
    assert r.must_coverage.model_dump() == {"met": 1, "applicable": 2, "share": 50.0}
    assert r.nice_coverage.model_dump() == {"met": 0, "applicable": 2, "share": 0.0}
    assert [(n.item_id, n.reason) for n in r.not_applicable] == [("vendor.criteria.integration", "no systems yet")]
    assert r.unknowns == []
    assert r.completion == 100.0
    assert r.level == "emerging"


def test_unanswered_items_are_unknown_not_gaps():
    r = run({"strategy.goals.defined": "yes"})
    assert "team.roles.sponsor" in r.unknowns
    assert not r.blocked
    assert all(g.item_id != "team.roles.sponsor" for g in r.gaps)
    # text items never count towards completion: 8 applicable questions (exit_owner hidden), 1 answered
    assert r.completion == 12.5


def test_evidence_coverage():
    # strategy: defined (w3) backed by evidence, maturity (w2) a guess -> 60 %; only phase scored
    r = run({"strategy.goals.defined": {"value": "yes", "confidence": "evidence"},
             "strategy.goals.maturity": {"value": 4, "confidence": "guess"}})
    assert r.phase("strategy").evidence_coverage == 60.0
    assert r.evidence_coverage == 60.0


def test_partial_may_be_enough_when_the_template_says_so():
    lenient = MINI.model_copy(update={"must_pass_score": 0.5})
    a = parse_assessment({"template": "mini", "answers": {"strategy.goals.defined": "partial"}}, TEMPLATES)
    assert not score(lenient, a).blocked
    assert score(MINI, a).blocked


def test_json_is_byte_identical_and_fingerprinted():
    a = run(FULL)
    b = run(dict(reversed(list(FULL.items()))))
    assert a.to_json() == b.to_json()
    assert a.fingerprint == b.fingerprint
    assert run({**FULL, "strategy.goals.maturity": 4}).fingerprint != a.fingerprint
    json.loads(a.to_json())


@pytest.mark.parametrize("answers,words", [
    ({"strategy.goals.defined": "maybe"}, ["strategy.goals.defined", "yes, partial, no, na"]),
    ({"strategy.goals.maturity": 7}, ["strategy.goals.maturity", "0-4"]),
    ({"process.stages.model": "great"}, ["process.stages.model", "none, names, exit_criteria"]),
    ({"data.sources.inventory": ["paper"]}, ["data.sources.inventory", "spreadsheets, mailboxes, legacy"]),
    ({"data.quality.duplicates": "lots"}, ["data.quality.duplicates", "a number"]),
    ({"strategy.goals.nope": "yes"}, ["unknown item id 'strategy.goals.nope'"]),
    ({"strategy.goals.defined": {"value": "yes", "confidence": "sure"}}, ["confidence", "guess, belief, evidence"]),
])
def test_bad_values_name_the_item_and_what_is_allowed(answers, words):
    with pytest.raises(AnswersError) as exc:
        parse_assessment({"template": "mini", "answers": answers}, TEMPLATES)
    for w in words:
        assert w in str(exc.value)


def test_unknown_template():
    with pytest.raises(AnswersError, match="unknown template 'nope'; known templates: mini"):
        parse_assessment({"template": "nope", "answers": {}}, TEMPLATES)


# ---- properties ----------------------------------------------------------------------------------

ANSWERABLE = [it for it in MINI.items() if it.type is not AnswerType.text]
SCORED = [it for it in ANSWERABLE if it.scored]


def _values(item):
    if item.type is AnswerType.status:
        return st.sampled_from(["yes", "partial", "no", "na", None])
    if item.type is AnswerType.scale:
        return st.one_of(st.integers(0, 4), st.sampled_from(["na", None]))
    if item.type is AnswerType.choice:
        return st.sampled_from([o.id for o in item.options] + ["na", None])
    if item.type is AnswerType.multi:
        return st.one_of(st.lists(st.sampled_from([o.id for o in item.options]), unique=True),
                         st.sampled_from(["na", None]))
    return st.one_of(st.floats(0, 50, allow_nan=False), st.sampled_from(["na", None]))


answer_sets = st.fixed_dictionaries({it.id: _values(it) for it in ANSWERABLE})


def _better(item, value):
    """A more favourable answer than `value`, or None."""
    if value in (None, "na"):
        return None
    if item.type is AnswerType.status:
        return {"no": "partial", "partial": "yes"}.get(value)
    if item.type is AnswerType.scale:
        return value + 1 if value < 4 else None
    if item.type is AnswerType.choice:
        better = [o for o in item.options if o.score > next(x.score for x in item.options if x.id == value)]
        return better[0].id if better else None
    if item.type is AnswerType.multi:
        missing = [o.id for o in item.options if o.id not in value and o.score > 0]
        return value + missing[:1] if missing else None
    return value - 1 if value >= 1 else None  # duplicates: lower is better


def _assess(answers):
    return Assessment(template="mini", answers={k: Answer(value=v) for k, v in answers.items() if v is not None})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets, st.sampled_from(SCORED))
def test_a_better_answer_never_lowers_a_score(answers, item):
    # depends_on targets change what is shown, so a "better" answer there is a different question
    if any(c.item == item.id for it in MINI.items() for c in it.depends_on):
        return
    better = _better(item, answers[item.id])
    if better is None:
        return
    before = score(MINI, _assess(answers))
    after = score(MINI, _assess({**answers, item.id: better}))
    was, now = before.phase(item.phase_id).score, after.phase(item.phase_id).score
    assert (was is None) == (now is None)  # answering differently never shows or hides this phase
    if was is not None:
        assert now >= was
    if before.overall is not None:
        assert after.overall >= before.overall - 1e-9
    assert len(after.blockers) <= len(before.blockers)


@settings(max_examples=200, deadline=None)
@given(answer_sets)
def test_scores_stay_in_range(answers):
    r = score(MINI, _assess(answers))
    assert r.overall is None or 0 <= r.overall <= 100
    assert all(p.score is None or 0 <= p.score <= 100 for p in r.phases)
    assert 0 <= r.completion <= 100
    assert r.blocked == (r.verdict == "blocked")


def test_all_best_gives_100_and_all_worst_gives_0_blocked():
    best = {"strategy.goals.defined": "yes", "strategy.goals.maturity": 4, "process.stages.model": "exit_criteria",
            "process.stages.exit_owner": "yes", "data.sources.inventory": ["spreadsheets", "mailboxes", "legacy"],
            "data.quality.duplicates": 0, "team.roles.sponsor": "yes", "vendor.criteria.integration": "yes"}
    r = score(MINI, _assess(best))
    assert (r.overall, r.gaps, r.blocked) == (100.0, [], False)
    worst = {"strategy.goals.defined": "no", "strategy.goals.maturity": 0, "process.stages.model": "none",
             "data.sources.inventory": [], "data.quality.duplicates": 50, "team.roles.sponsor": "no",
             "vendor.criteria.integration": "no"}
    r = score(MINI, _assess(worst))
    assert r.overall == 0.0 and r.blocked
    assert {g.item_id for g in r.blockers} == {"strategy.goals.defined", "team.roles.sponsor"}


@settings(max_examples=200, deadline=None)
@given(answer_sets, st.sampled_from(SCORED))
def test_na_never_changes_the_others_relative_weights(answers, item):
    if any(c.item == item.id for it in MINI.items() for c in it.depends_on):
        return
    r = score(MINI, _assess({**answers, item.id: "na"}))
    others = [i for i in r.items if i.id != item.id and i.state == "scored"]
    # effective weights of the other items are exactly the template's, whatever is n/a
    for i in others:
        it = MINI.item(i.id)
        assert i.weight == it.weight * MINI.multipliers.of(it.criticality)
    # and the phase score equals the weighted mean over the remaining scored items
    same_phase = [i for i in others if i.phase == item.phase_id]
    if same_phase:
        expected = 100 * sum(i.weight * i.score for i in same_phase) / sum(i.weight for i in same_phase)
        assert r.phase(item.phase_id).score == pytest.approx(expected, abs=0.02)


def test_consolidation_mean_min_final_and_disagreements():
    rooms = {
        "ana": {"strategy.goals.defined": Answer(value="yes"), "strategy.goals.maturity": Answer(value=4)},
        "bo": {"strategy.goals.defined": Answer(value="no"), "strategy.goals.maturity": Answer(value=3)},
        "cy": {"strategy.goals.defined": Answer(value="yes"), "strategy.goals.maturity": Answer(value=3)},
    }
    mean = consolidate(MINI, rooms, "mean")
    # mean of 1, 0, 1 = 0.67 -> nearest status score is partial (0.5) ... and yes (1.0) is 0.33 away
    assert mean["strategy.goals.defined"].value == "partial"
    # mean of 4, 3, 3 = 3.33 levels -> 3
    assert mean["strategy.goals.maturity"].value == 3
    low = consolidate(MINI, rooms, "min")
    assert (low["strategy.goals.defined"].value, low["strategy.goals.maturity"].value) == ("no", 3)
    final = consolidate(MINI, rooms, "final", final={"strategy.goals.defined": Answer(value="yes")})
    assert final["strategy.goals.defined"].value == "yes"
    agenda = disagreements(MINI, rooms, threshold=0.5)
    assert [(d.item_id, d.spread) for d in agenda] == [("strategy.goals.defined", 1.0)]


def test_core_imports_no_adapter():
    code = ("import sys, checklists, scoring; bad = [m for m in ('streamlit', 'reportlab', 'sqlalchemy', "
            "'plotly') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stdout + out.stderr


# Progress (the questionnaire) and completion (the result) are one rule: answered ÷ applicable questions.
# mini has 10 items: the text item never counts, exit_owner counts only when model = exit_criteria.
PROGRESS_CASES = [
    # nothing answered: 8 questions (exit_owner hidden)
    ({}, {}, None, (0, 8, 0.0)),
    # 2 answered + 2 n/a: n/a leaves both numbers, 2/6 = 33.33 % (not 4/8 = 50 %)
    ({"strategy.goals.defined": "yes", "strategy.goals.maturity": 2, "data.sources.inventory": "na",
      "vendor.criteria.integration": "na"}, {}, None, (2, 6, 33.33)),
    # exit_owner shown and answered: 9 questions, 2 answered
    ({"process.stages.model": "exit_criteria", "process.stages.exit_owner": "yes"}, {}, None, (2, 9, 22.22)),
    # exit_owner hidden again: its stored answer counts nowhere, 1 of 8
    ({"process.stages.model": "names", "process.stages.exit_owner": "yes"}, {}, None, (1, 8, 12.5)),
    # the text item is answered but never counts
    ({"team.roles.notes": "hi"}, {}, None, (0, 8, 0.0)),
    # an out-of-scope phase leaves both numbers: strategy's 2 questions go, 1 of 6
    ({"strategy.goals.defined": "yes", "team.roles.sponsor": "no"}, {"strategy": "later"}, None, (1, 6, 16.67)),
    # one phase: process, exit_owner shown, 1 of 2
    ({"process.stages.model": "exit_criteria"}, {}, "process", (1, 2, 50.0)),
    # one phase out of scope: nothing applicable
    ({"strategy.goals.defined": "yes"}, {"strategy": "later"}, "strategy", (0, 0, 0.0)),
]


@pytest.mark.parametrize(("answers", "out_of_scope", "phase", "expected"), PROGRESS_CASES)
def test_progress_is_the_results_completion(answers, out_of_scope, phase, expected):
    a = parse_assessment({"template": "mini", "answers": answers, "out_of_scope": out_of_scope}, TEMPLATES)
    p = answer_progress(MINI, a.answers, phase_id=phase, out_of_scope=a.out_of_scope)
    assert (p.answered, p.applicable, p.share) == expected
    r = score(MINI, a)
    if phase is None:
        assert r.progress == p and r.completion == p.share
    else:
        ph = r.phase(phase)
        assert (ph.answered, ph.applicable, ph.completion) == expected


def test_na_on_an_item_that_forbids_it_is_unanswered_in_progress_too():
    t = next(t for t in load_all_shipped() if any(not it.allow_na for it in t.items()))
    item = next(it for it in t.items() if not it.allow_na and not it.depends_on)
    a = Assessment(template=t.id, answers={item.id: Answer(value="na")})
    r = score(t, a)
    assert item.id in r.unknowns
    assert answer_progress(t, a.answers) == r.progress
    assert r.progress.answered == 0 and r.progress.applicable == answer_progress(t, {}).applicable


def load_all_shipped():
    from checklists import load_all

    return load_all()[0].values()
