"""How far a workshop room agrees: Krippendorff's alpha per phase and overall, and where role groups diverge.

Alpha treats respondents as coders and items as units. Status and scale items are ordinal: their
values are placed on the readiness score (no 0 < partial 0.5 < yes 1; scale levels 0, 0.25 … 1, so
"partial" and level 2 are the same point); choice items are nominal (their option ids). A missing
answer (unanswered, n/a, never asked) is simply absent: a unit counts only with two or more values.
alpha = 1 - (n - 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck over the coincidence matrix o (Krippendorff 2011,
"Computing Krippendorff's alpha-reliability"); 1 is perfect agreement, 0 is chance, below 0 is
systematic disagreement, None when it is undefined (fewer than two values in play).

The role-group divergence list compares, per item, the mean answer of each role group (e.g. Sales
versus IT) and keeps the items where two groups differ by at least the template's
`workshop.divergence` (0-1, on the item's score; numbers relative to `number_scale`), largest first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from itertools import combinations
from typing import Literal

from checklists import NA, FrozenModel, Item, Template, number_scale

from .answers import Answer
from .readiness import item_score

# how Krippendorff's alpha compares two values: ranked (ordinal) or only equal or not (nominal)
MeasurementLevel = Literal["ordinal", "nominal"]


class PhaseAgreement(FrozenModel):
    """Alpha of one phase (or of the whole template when `phase` is None): ordinal over its status and
    scale items, nominal over its choice items; `units_*` counts the items with two or more answers."""

    phase: str | None
    ordinal_alpha: float | None
    nominal_alpha: float | None
    ordinal_units: int
    nominal_units: int


class Agreement(FrozenModel):
    respondents: int
    overall: PhaseAgreement
    phases: list[PhaseAgreement]

    def phase(self, phase_id: str) -> PhaseAgreement:
        return next(p for p in self.phases if p.phase == phase_id)


class RoleDivergence(FrozenModel):
    """One item whose role groups answer apart: the two groups furthest apart and every group's mean."""

    item_id: str
    phase: str
    roles: tuple[str, str]
    divergence: float
    means: dict[str, float]
    counts: dict[str, int]


def krippendorff_alpha(units: Sequence[Sequence[Hashable]], level: MeasurementLevel = "nominal",
                       order: Sequence[Hashable] | None = None) -> float | None:
    """Krippendorff's alpha of `units`, each the values its coders gave (missing ones left out).

    `level` "nominal" (δ² = 0 for equal values, else 1) or "ordinal" (δ²_ck = (Σ_{g=c..k} n_g
    − (n_c + n_k)/2)², values ranked by `order`, default their sorted order). None when fewer than two
    values are pairable or only one value occurs (expected disagreement 0)."""
    pairable = [list(u) for u in units if len(u) >= 2]
    coincid: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for u in pairable:
        m = len(u)
        for i, c in enumerate(u):
            for j, k in enumerate(u):
                if i != j:
                    coincid[(c, k)] += 1 / (m - 1)
    n_c: dict[Hashable, float] = defaultdict(float)
    for (c, _k), v in coincid.items():
        n_c[c] += v
    n = sum(n_c.values())
    values = list(order) if order is not None else sorted(n_c)  # type: ignore[type-var]
    values = [v for v in values if v in n_c] + [v for v in n_c if v not in set(values)]
    if n <= 1 or len(values) < 2:
        return None
    rank = {v: i for i, v in enumerate(values)}

    def delta2(c: Hashable, k: Hashable) -> float:
        if c == k:
            return 0.0
        if level == "nominal":
            return 1.0
        lo, hi = sorted((rank[c], rank[k]))
        between = sum(n_c[values[g]] for g in range(lo, hi + 1))
        return (between - (n_c[c] + n_c[k]) / 2) ** 2

    observed = sum(v * delta2(c, k) for (c, k), v in coincid.items())
    expected = sum(n_c[c] * n_c[k] * delta2(c, k) for c in values for k in values)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def _ordinal_value(item: Item, value: object) -> float | None:
    """A status or scale answer on the readiness score (no/0 … yes/4 = 1); None when missing or n/a."""
    if value is None or value == NA or item.kind.agreement_level != "ordinal":
        return None
    return item_score(item, value) if item.scored else None


def _units(items: Sequence[Item], by_respondent: Mapping[str, Mapping[str, Answer]],
           level: MeasurementLevel) -> list[list[Hashable]]:
    out = []
    for it in items:
        vals: list[Hashable] = []
        for who in sorted(by_respondent):
            a = by_respondent[who].get(it.id)
            if a is None or not a.is_answered or a.is_na:
                continue
            v = _ordinal_value(it, a.value) if level == "ordinal" else a.value
            if v is not None:
                vals.append(v)  # type: ignore[arg-type]
        out.append(vals)
    return out


def _phase_agreement(phase: str | None, items: Sequence[Item],
                     by_respondent: Mapping[str, Mapping[str, Answer]]) -> PhaseAgreement:
    ordinal = _units([it for it in items if it.kind.agreement_level == "ordinal"], by_respondent, "ordinal")
    nominal = _units([it for it in items if it.kind.agreement_level == "nominal"], by_respondent, "nominal")

    def rounded(x: float | None) -> float | None:
        return None if x is None else round(x, 6)

    return PhaseAgreement(phase=phase, ordinal_alpha=rounded(krippendorff_alpha(ordinal, "ordinal")),
                          nominal_alpha=rounded(krippendorff_alpha(nominal, "nominal")),
                          ordinal_units=sum(len(u) >= 2 for u in ordinal),
                          nominal_units=sum(len(u) >= 2 for u in nominal))


def agreement(template: Template, by_respondent: Mapping[str, Mapping[str, Answer]]) -> Agreement:
    """Krippendorff's alpha of the room per phase and overall (see the module docstring)."""
    return Agreement(respondents=len(by_respondent),
                     overall=_phase_agreement(None, template.items(), by_respondent),
                     phases=[_phase_agreement(ph.id, ph.items, by_respondent) for ph in template.phases])


def comparable_value(item: Item, value: object, scale: float | None = None) -> float | None:
    """An answer as a number in [0, 1] that role groups can average: the item score where the item is
    scored, else a number divided by `scale` (its `number_scale`); None when it cannot be compared."""
    if value is None or value == NA:
        return None
    s = item_score(item, value)
    if s is not None:
        return s
    if item.kind.quantity and scale:
        return float(value) / scale  # type: ignore[arg-type]
    return None


def role_divergences(template: Template, by_respondent: Mapping[str, Mapping[str, Answer]],
                     roles: Mapping[str, str], threshold: float | None = None) -> list[RoleDivergence]:
    """Items where the mean answers of two role groups differ by at least `threshold` (default: the
    template's `workshop.divergence`), largest first, then in template order. `roles` maps a respondent
    to a role group; respondents without one are left out; each group needs at least one answer."""
    limit = template.workshop.divergence if threshold is None else threshold
    out = []
    for order, it in enumerate(template.items()):
        answered = {who: a.value for who, ans in by_respondent.items()
                    if (a := ans.get(it.id)) is not None and a.is_answered and not a.is_na and roles.get(who)}
        numbers = [float(v) for v in answered.values()] if it.kind.quantity else []  # type: ignore[arg-type]
        scale = number_scale(it, numbers) if numbers else None
        groups: dict[str, list[float]] = defaultdict(list)
        for who, v in answered.items():
            x = comparable_value(it, v, scale)
            if x is not None:
                groups[roles[who]].append(x)
        means = {g: sum(xs) / len(xs) for g, xs in sorted(groups.items())}
        best: tuple[float, tuple[str, str]] | None = None
        for g1, g2 in combinations(sorted(means), 2):
            d = abs(means[g1] - means[g2])
            if best is None or d > best[0]:
                best = (d, (g1, g2))
        if best is not None and best[0] >= limit - 1e-9:
            out.append((order, RoleDivergence(
                item_id=it.id, phase=it.phase_id, roles=best[1], divergence=round(best[0], 4),
                means={g: round(m, 4) for g, m in means.items()},
                counts={g: len(xs) for g, xs in sorted(groups.items())})))
    out.sort(key=lambda od: (-od[1].divergence, od[0]))
    return [d for _o, d in out]
