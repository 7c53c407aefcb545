"""Krippendorff's alpha against the reference implementation, and the role-group divergence list."""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklists import load_template
from scoring import Answer, agreement, krippendorff_alpha, role_divergences

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")


def reference(matrix: list[list[float | None]], level: str, domain: list) -> float:
    """The `krippendorff` package over a coders × units matrix (None = missing)."""
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=domain)


def units_of(matrix: list[list[float | None]]) -> list[list[float]]:
    return [[row[u] for row in matrix if row[u] is not None] for u in range(len(matrix[0]))]


# Krippendorff's own worked example (2011, section C): 4 coders, 12 units, missing values; nominal 0.743
KRIPP = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorffs_worked_example_by_hand_and_by_the_reference():
    ours = krippendorff_alpha(units_of(KRIPP), "nominal")
    assert ours == pytest.approx(0.743, abs=5e-4)  # the published value
    assert ours == pytest.approx(reference(KRIPP, "nominal", [1, 2, 3, 4, 5]), abs=1e-6)
    ordinal = krippendorff_alpha(units_of(KRIPP), "ordinal", order=[1, 2, 3, 4, 5])
    assert ordinal == pytest.approx(reference(KRIPP, "ordinal", [1, 2, 3, 4, 5]), abs=1e-6)


@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=6, max_size=6),
                min_size=2, max_size=5),
       st.sampled_from(["nominal", "ordinal"]))
def test_alpha_equals_the_reference_with_missing_answers(matrix, level):
    ours = krippendorff_alpha(units_of(matrix), level, order=[0, 1, 2, 3, 4])
    used = {v for u in units_of(matrix) if len(u) >= 2 for v in u}
    if ours is None:
        # undefined: fewer than two values in play, or nothing pairable
        assert len(used) < 2
        return
    ref = reference(matrix, level, [0, 1, 2, 3, 4])
    assert ours == pytest.approx(ref, abs=1e-6)


# a room on mini: status and scale ordinal (on the readiness score), the choice nominal; gaps are missing
ROOM = {
    "ana": {"strategy.goals.defined": "yes", "strategy.goals.maturity": 3, "process.stages.model": "names",
            "process.stages.exit_owner": "yes", "team.roles.sponsor": "no",
            "vendor.criteria.integration": "partial"},
    "bo": {"strategy.goals.defined": "partial", "strategy.goals.maturity": 2, "process.stages.model": "names",
           "team.roles.sponsor": "no", "vendor.criteria.integration": "na"},
    "cy": {"strategy.goals.defined": "yes", "process.stages.model": "exit_criteria",
           "process.stages.exit_owner": "partial", "team.roles.sponsor": "partial"},
    "di": {"strategy.goals.maturity": 4, "process.stages.model": "none", "team.roles.sponsor": "no",
           "vendor.criteria.integration": "yes"},
}
SCORE = {"yes": 1.0, "partial": 0.5, "no": 0.0}


def _room():
    return {who: {k: Answer(value=v) for k, v in ans.items()} for who, ans in ROOM.items()}


def _matrix(item_ids, as_value):
    return [[as_value(ROOM[who].get(i)) for i in item_ids] for who in sorted(ROOM)]


def _ord(v):
    if v is None or v == "na" or isinstance(v, str) and v not in SCORE:
        return None
    return v / 4 if isinstance(v, int) else SCORE[v]


def test_alpha_per_phase_and_overall_equals_the_reference():
    a = agreement(MINI, _room())
    domain = [0, 0.25, 0.5, 0.75, 1]
    ordinal_ids = ["strategy.goals.defined", "strategy.goals.maturity", "process.stages.exit_owner",
                   "team.roles.sponsor", "vendor.criteria.integration"]
    assert a.overall.ordinal_alpha == pytest.approx(reference(_matrix(ordinal_ids, _ord), "ordinal", domain),
                                                    abs=1e-6)
    strategy = ["strategy.goals.defined", "strategy.goals.maturity"]
    assert a.phase("strategy").ordinal_alpha == pytest.approx(
        reference(_matrix(strategy, _ord), "ordinal", domain), abs=1e-6)
    options = {"none": 0, "names": 1, "exit_criteria": 2}
    choice = _matrix(["process.stages.model"], lambda v: None if v is None else options[v])
    assert a.phase("process").nominal_alpha == pytest.approx(reference(choice, "nominal", [0, 1, 2]), abs=1e-6)
    assert a.overall.nominal_alpha == a.phase("process").nominal_alpha
    # n/a is missing: bo's integration is left out, leaving ana and di (partial, yes) as the only pair
    assert a.phase("vendor").ordinal_units == 1
    # must NOT happen: a phase without pairable answers gets a number
    assert a.phase("data").ordinal_alpha is None and a.phase("data").ordinal_units == 0
    assert a.respondents == 4


def test_perfect_agreement_is_one_and_opposite_answers_are_below_zero():
    same = {w: {"strategy.goals.defined": Answer(value="yes"), "team.roles.sponsor": Answer(value="no")}
            for w in ("a", "b", "c")}
    assert agreement(MINI, same).overall.ordinal_alpha == 1.0
    apart = {"a": {"strategy.goals.defined": Answer(value="yes"), "team.roles.sponsor": Answer(value="no")},
             "b": {"strategy.goals.defined": Answer(value="no"), "team.roles.sponsor": Answer(value="yes")}}
    assert agreement(MINI, apart).overall.ordinal_alpha < 0


# two roles answering opposite on the sponsor, close on the rest
TWO_ROLES = {
    "s1": {"team.roles.sponsor": "yes", "strategy.goals.defined": "yes", "strategy.goals.maturity": 3,
           "vendor.criteria.cost": 100},
    "s2": {"team.roles.sponsor": "yes", "strategy.goals.defined": "partial", "strategy.goals.maturity": 3,
           "vendor.criteria.cost": 120},
    "i1": {"team.roles.sponsor": "no", "strategy.goals.defined": "yes", "strategy.goals.maturity": 2,
           "vendor.criteria.cost": 50},
    "i2": {"team.roles.sponsor": "no", "strategy.goals.defined": "yes", "strategy.goals.maturity": 2},
}
ROLES = {"s1": "sales", "s2": "sales", "i1": "it", "i2": "it"}


def test_two_roles_with_opposite_answers_put_that_item_first():
    room = {who: {k: Answer(value=v) for k, v in ans.items()} for who, ans in TWO_ROLES.items()}
    out = role_divergences(MINI, room, ROLES, threshold=0.25)
    # sponsor 1.0; cost 0.5; defined (sales 0.75, IT 1.0) and maturity (0.75, 0.5) 0.25 each, at the
    # limit, so listed, in template order
    assert [(d.item_id, d.divergence) for d in out] == [
        ("team.roles.sponsor", 1.0), ("vendor.criteria.cost", 0.5), ("strategy.goals.defined", 0.25),
        ("strategy.goals.maturity", 0.25)]
    first = out[0]
    assert (first.roles, first.means, first.counts) == (
        ("it", "sales"), {"it": 0.0, "sales": 1.0}, {"it": 2, "sales": 2})
    # cost is unscored: relative to the largest answer, (110 - 50) / 120 = 0.5
    assert out[1].means == {"it": round(50 / 120, 4), "sales": round(110 / 120, 4)}
    # must NOT happen: below the limit an item is listed
    assert [d.item_id for d in role_divergences(MINI, room, ROLES, threshold=0.3)] == [
        "team.roles.sponsor", "vendor.criteria.cost"]
    # the template's setting is the default threshold (0.5): the cost item and the sponsor remain
    assert [d.item_id for d in role_divergences(MINI, room, ROLES)] == ["team.roles.sponsor",
                                                                      "vendor.criteria.cost"]
    # must NOT happen: a room of one role diverges from nobody
    assert role_divergences(MINI, room, dict.fromkeys(ROLES, "sales"), threshold=0.01) == []
