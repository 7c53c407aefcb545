"""Vendor comparison: evaluators consolidated, knock-outs, weighted score, cost, ROI, sensitivity, AHP.

Rules (each in one place, here):

* Several evaluators. A criterion's score is the mean of the evaluators who scored it; its spread
  (max - min) is shown, and a spread of 2 points or more is flagged for discussion. A requirement's
  status ignores "unknown" answers when anyone knows; then, by the sheet's setting, either the least
  favourable status wins (default: a single "does not" from someone who checked is a risk the team
  must clear, not outvote) or the majority wins, ties going to the less favourable status. Only when
  nobody knows is the status unknown. An evaluator who left an entry out said "unknown".
* Knock-outs. "does_not" on a must-have disqualifies the vendor, with the reason; "partly" on a
  must-have is a flagged risk and disqualifies only when `partly_on_must_disqualifies` is set;
  "unknown" on a must-have is flagged. A disqualified vendor keeps all its figures and is never
  dropped; it only ranks below every qualified vendor.
* Weighted score, 0-100: a mean score s earns (s - 1) / 4 of its criterion's weight; weights are
  normalised to sum to 1. A criterion nobody scored earns nothing and is flagged.
* Nice-to-have coverage, 0-100, is its own figure: meets 1, partly 1/2, does not / unknown 0.
* Cost: total cost of ownership over N years (five parts); with a discount rate r, year y's costs and
  benefits are multiplied by 1 / (1 + r)^(y - 1) (year 1 is paid now). Score per cost is the weighted
  score per 10,000 of that total.
* ROI = (gains + savings - investment) / investment over the same N years, investment = the total
  cost above. Payback counts each year's costs as paid at its start and benefits as earned evenly
  through it; none when the benefits never catch up within N years.
* Rank: qualified before disqualified, then higher score, higher nice-to-have coverage, lower total
  cost, and finally the sheet's vendor order (so the result is deterministic).

Everything is pure and deterministic; results are frozen, JSON-serialisable models.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal

from checklists import FrozenModel, Text

from .model import (
    COST_PARTS,
    PROFILE_FIELDS,
    SCORE_MAX,
    SCORE_MIN,
    Consolidation,
    CriteriaCatalogue,
    RequirementCatalogue,
    SheetRequirement,
    Status,
    Tag,
    Vendor,
    VendorEvaluation,
    VendorSettings,
    VendorSheet,
    YearCost,
)

VENDOR_SCORING_VERSION = "1.0"
MC_RUNS = 2000
MC_SPREAD = 0.2
MC_SEED = 20250601
# The Monte Carlo share of wins at or above which a lead is called robust / fairly robust (else fragile).
ROBUST_SHARE = 0.9
FAIR_SHARE = 0.6
DISAGREEMENT_SPREAD = 2
COST_UNIT = 10_000
CR_LIMIT = 0.10
# Saaty's random consistency index by matrix size (n = 11-15 from Saaty's extended table).
SAATY_RI: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
                              9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
STATUS_POINTS: dict[str, float] = {"meets": 1.0, "partly": 0.5, "does_not": 0.0, "unknown": 0.0}
_FAVOUR = {"does_not": 0, "partly": 1, "meets": 2}

FlagKind = Literal["must_does_not", "must_partly", "must_unknown", "disagreement", "criterion_unscored",
                   "cost_missing"]


class Flag(FrozenModel):
    """A reason a vendor is knocked out, or a risk the team should clear before deciding."""

    kind: FlagKind
    ref: str = ""
    message: Text


class RequirementRow(FrozenModel):
    id: str
    name: Text
    tag: Tag
    status: Status
    by_evaluator: dict[str, Status]
    agreed: bool
    notes: list[str]


class CriterionRow(FrozenModel):
    id: str
    name: Text
    weight: float           # the sheet's raw weight
    share: float            # normalised weight, 0-1
    mean: float | None      # mean 1-5 score of those who scored
    spread: int | None      # max - min of the evaluators' scores
    by_evaluator: dict[str, int]
    points: float           # (mean - 1) / 4, 0-1; 0 when unscored
    contribution: float     # points × share × 100: its part of the weighted score
    notes: list[str]


class CostSummary(FrozenModel):
    years: int
    discount_rate: float | None
    by_year: list[float]            # nominal cost of each year 1..N
    by_part: dict[str, float]       # (discounted) total per TCO part; sums to `total`
    total: float                    # total cost of ownership over N years (discounted when a rate is set)
    nominal_total: float
    missing_years: list[int]        # years 1..N with no cost line (counted as 0)
    ignored_years: list[int]        # cost lines beyond N years


class RoiSummary(FrozenModel):
    gains: float
    savings: float
    investment: float
    net: float
    roi_percent: float | None
    payback_years: float | None


class VendorScore(FrozenModel):
    id: str
    name: Text
    rank: int
    qualified: bool
    score: float                    # weighted criteria score, 0-100
    nice_coverage: float | None     # 0-100; none when no nice-to-have is tagged
    must_met: int
    must_total: int
    knockouts: list[Flag]
    risks: list[Flag]
    requirements: list[RequirementRow]
    criteria: list[CriterionRow]
    cost: CostSummary | None
    score_per_10k: float | None
    roi: RoiSummary | None
    # the vendor's profile from the sheet (seed 004's columns), carried for the views and the report
    target_size: str | None = None
    strengths: str | None = None
    typical_features: str | None = None
    pricing_model: str | None = None


class TippingPoint(FrozenModel):
    """Where the ranking tips as one criterion's weight moves: the weight at which a rival draws level
    with the leader."""

    share: float            # the criterion's weight share (0-1) at which `rival` draws level with the leader
    weight: float | None    # the same as a raw weight, other weights unchanged (none: share 1 needs infinity)
    rival: str


class SensitivityRow(FrozenModel):
    criterion: str
    name: Text
    weight: float
    share: float
    up: TippingPoint | None    # nearest change when the weight rises; none: the leader stays ahead up to 100 %
    down: TippingPoint | None  # nearest change when the weight falls; none: the leader stays ahead down to 0 %


class Sensitivity(FrozenModel):
    leader: str | None
    rows: list[SensitivityRow]
    method: Text


class MonteCarlo(FrozenModel):
    runs: int
    spread: float
    seed: int
    wins: dict[str, int]
    shares: dict[str, float]
    method: Text


class VendorResult(FrozenModel):
    version: str
    currency: str
    settings: VendorSettings
    evaluators: list[str]
    weights: dict[str, float]       # normalised criterion weights
    vendors: list[VendorScore]      # in rank order
    leader: str | None              # the best qualified vendor
    sensitivity: Sensitivity
    monte_carlo: MonteCarlo
    method: Text

    def vendor(self, vendor_id: str) -> VendorScore:
        for v in self.vendors:
            if v.id == vendor_id:
                return v
        raise KeyError(vendor_id)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2)


class AhpResult(FrozenModel):
    ids: list[str]
    weights: dict[str, float]   # principal eigenvector, summing to 1
    lambda_max: float
    ci: float                   # consistency index (lambda_max - n) / (n - 1)
    ri: float                   # Saaty's random index for n
    cr: float                   # consistency ratio CI / RI
    consistent: bool            # CR <= 0.10
    iterations: int
    warning: Text | None
    method: Text


# ── building blocks ──────────────────────────────────────────────────────────────────────────


def consolidate_status(statuses: Sequence[Status], method: Consolidation = "least") -> Status:
    """One status from several evaluators' (see the module docstring for the rule)."""
    known = [s for s in statuses if s != "unknown"]
    if not known:
        return "unknown"
    if method == "least":
        return min(known, key=_FAVOUR.__getitem__)
    counts = Counter(known)
    top = max(counts.values())
    return min((s for s in counts if counts[s] == top), key=_FAVOUR.__getitem__)


def criterion_points(scores: Sequence[int]) -> Fraction:
    """Exact share of a criterion's weight earned by the mean of `scores` (1 → 0, 5 → 1)."""
    if not scores:
        return Fraction(0)
    return (Fraction(sum(scores), len(scores)) - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


def weighted_score(points: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """0-100: Σ weight × points / Σ weight (missing points count 0)."""
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("at least one weight must be above 0")
    return 100 * sum(w * float(points.get(k, 0)) for k, w in weights.items()) / total


def discount_factors(years: int, rate: float | None) -> list[float]:
    """Factor of each year 1..N: 1 / (1 + rate)^(y - 1); all 1 without a rate."""
    r = rate or 0.0
    return [1 / (1 + r) ** (y - 1) for y in range(1, years + 1)]


def _money(x: float) -> float:
    return round(x, 2)


def total_cost(costs: Sequence[YearCost], years: int, rate: float | None = None) -> CostSummary:
    """Total cost of ownership over `years`, in the five parts, discounted when `rate` is given."""
    f = discount_factors(years, rate)
    by_year_line = {c.year: c for c in costs}
    by_part = {p: 0.0 for p in COST_PARTS}
    by_year = []
    for y in range(1, years + 1):
        line = by_year_line.get(y)
        by_year.append(_money(line.total()) if line else 0.0)
        if line:
            for p in COST_PARTS:
                by_part[p] += getattr(line, p) * f[y - 1]
    return CostSummary(
        years=years, discount_rate=rate, by_year=by_year,
        by_part={p: _money(v) for p, v in by_part.items()},
        total=_money(sum(by_part.values())), nominal_total=_money(sum(by_year)),
        missing_years=[y for y in range(1, years + 1) if y not in by_year_line],
        ignored_years=sorted(y for y in by_year_line if y > years),
    )


def roi_summary(costs: Sequence[YearCost], gains_per_year: float, savings_per_year: float, years: int,
                rate: float | None = None) -> RoiSummary:
    """ROI = (gains + savings - investment) / investment over N years, and the payback period."""
    f = discount_factors(years, rate)
    lines = {c.year: c.total() for c in costs}
    cost = [lines.get(y, 0.0) * f[y - 1] for y in range(1, years + 1)]
    investment = sum(cost)
    gains = gains_per_year * sum(f)
    savings = savings_per_year * sum(f)
    net = gains + savings - investment
    roi = 100 * net / investment if investment > 0 else None
    # costs are paid at the start of each year, benefits earned evenly through it
    payback: float | None = 0.0
    cum = 0.0
    for y in range(1, years + 1):
        cum -= cost[y - 1]
        if cum >= 0:
            cum += (gains_per_year + savings_per_year) * f[y - 1]
            continue
        inflow = (gains_per_year + savings_per_year) * f[y - 1]
        if cum + inflow >= 0 and inflow > 0:
            payback = (y - 1) + (-cum) / inflow
            break
        cum += inflow
        payback = None
    return RoiSummary(gains=_money(gains), savings=_money(savings), investment=_money(investment),
                      net=_money(net), roi_percent=None if roi is None else round(roi, 2),
                      payback_years=None if payback is None else round(payback, 4))


# ── sensitivity ──────────────────────────────────────────────────────────────────────────────

SENSITIVITY_METHOD = Text(
    zh="对每个评估标准，改变它在总权重中的占比 t，其余标准按原比例缩放（等同于只改动它自己的原始权重）。"
       "各供应商得分是 t 的线性函数：s(t) = t·a + (1−t)·b，其中 a 为该标准得分，b 为其余标准按原比例合计的得分。"
       "领先者与对手得分相等的占比可精确解出：t* = Δb / (Δb − Δa)。“上调”与“下调”给出离当前占比最近的 t*；"
       "为空表示在整个区间内领先者都不变。只比较未被淘汰的供应商。",
    en="For each criterion, its share t of the total weight is moved while the other weights keep their "
       "proportions (the same as changing only its own raw weight). Each vendor's score is linear in t: "
       "s(t) = t·a + (1−t)·b, where a is its points on the criterion and b its points on the others combined. "
       "The share at which a rival draws level with the leader is solved exactly: t* = Δb / (Δb − Δa). "
       "'Up' and 'down' give the nearest such share above and below the current one; none means the "
       "leader stays ahead over the whole range. Only qualified vendors take part.",
)


def sensitivity(points: Mapping[str, Mapping[str, float | Fraction]], weights: Mapping[str, float],
                order: Sequence[str] | None = None, names: Mapping[str, Text] | None = None) -> Sensitivity:
    """Exact weight shares at which the leader (the first of `order`) would lose the lead.

    `points[vendor][criterion]` is 0-1; `order` lists the competing vendors, best first (default:
    by weighted score, then as given)."""
    vendors = list(order) if order is not None else sorted(
        points, key=lambda v: -weighted_score({k: float(p) for k, p in points[v].items()}, weights))
    if not vendors:
        return Sensitivity(leader=None, rows=[], method=SENSITIVITY_METHOD)
    total = Fraction(sum(Fraction(w) for w in weights.values()))
    if total <= 0:
        raise ValueError("at least one weight must be above 0")
    share = {k: Fraction(w) / total for k, w in weights.items()}
    P = {v: {k: Fraction(points[v].get(k, 0)) for k in weights} for v in vendors}
    leader = vendors[0]
    rows = []
    for k, w in weights.items():
        wk = share[k]
        up, down = _lead_changes(k, share, P, list(weights), vendors)

        def threshold(x: tuple[Fraction, str] | None, w: float = w) -> TippingPoint | None:
            if x is None:
                return None
            t, r = x
            raw = None if t == 1 else float(t * (total - Fraction(w)) / (1 - t))
            return TippingPoint(share=round(float(t), 6), weight=None if raw is None else round(raw, 6), rival=r)

        name = (names or {}).get(k) or Text(zh=k, en=k)
        rows.append(SensitivityRow(criterion=k, name=name, weight=float(w), share=round(float(wk), 6),
                                   up=threshold(up), down=threshold(down)))
    return Sensitivity(leader=leader, rows=rows, method=SENSITIVITY_METHOD)


def _lead_changes(k: str, share: dict[str, Fraction], P: dict[str, dict[str, Fraction]], weights: list[str],
                  vendors: list[str]) -> tuple[tuple[Fraction, str] | None, tuple[Fraction, str] | None]:
    """The nearest shares of criterion `k`, above and below its current one, at which a rival takes the
    lead from the leader (the first of `vendors`), each with that rival; None where none does."""
    wk = share[k]
    leader, rivals = vendors[0], vendors[1:]
    up: tuple[Fraction, str] | None = None
    down: tuple[Fraction, str] | None = None
    if wk < 1 and rivals:
        up_c: list[tuple[Fraction, str]] = []
        down_c: list[tuple[Fraction, str]] = []
        rest = 1 - wk

        def others(v: str) -> Fraction:
            return sum((share[j] * P[v][j] for j in weights if j != k), Fraction(0)) / rest

        bl = others(leader)
        for r in rivals:
            a = P[leader][k] - P[r][k]
            b = bl - others(r)
            slope = a - b  # d(t) = b + t·(a - b): the leader's lead at share t
            if slope == 0:
                continue
            now = b + wk * slope
            if now == 0:
                # level now (the tie-break favours the leader): any move one way hands over the lead
                if slope > 0 and wk > 0:
                    down_c.append((wk, r))
                elif slope < 0:
                    up_c.append((wk, r))
                continue
            t = -b / slope
            # strictly inside (0, 1): drawing level at 0 % or 100 % never puts the rival ahead
            if wk < t < 1:
                up_c.append((t, r))
            elif 0 < t < wk:
                down_c.append((t, r))
        if up_c:
            t_up = min(t for t, _ in up_c)
            # of rivals drawing level at the same share, the one ahead beyond it (at share 1) leads
            r_up = max((r for t, r in up_c if t == t_up), key=lambda r: (P[r][k], -vendors.index(r)))
            up = (t_up, r_up)
        if down_c:
            t_dn = max(t for t, _ in down_c)
            r_dn = max((r for t, r in down_c if t == t_dn), key=lambda r: (others(r), -vendors.index(r)))
            down = (t_dn, r_dn)
    return up, down


def monte_carlo(points: Mapping[str, Mapping[str, float | Fraction]], weights: Mapping[str, float],
                order: Sequence[str] | None = None, runs: int = MC_RUNS, spread: float = MC_SPREAD,
                seed: int = MC_SEED) -> MonteCarlo:
    """Share of runs each vendor wins when every weight is multiplied by uniform(1 - spread, 1 + spread)."""
    if not 1 <= runs <= 1_000_000:
        raise ValueError("runs must be between 1 and 1,000,000")
    if not 0 <= spread < 1:
        raise ValueError("spread must be at least 0 and below 1")
    vendors = list(order) if order is not None else list(points)
    crits = list(weights)
    wins = {v: 0 for v in vendors}
    pct = f"{spread * 100:g}"
    method = Text(
        zh=f"蒙特卡洛：每次把每个权重乘以 [{1 - spread:g}, {1 + spread:g}] 上的独立均匀随机数（±{pct}%），"
           f"共 {runs} 次，随机种子 {seed}；占比 = 该供应商在未淘汰供应商中得分最高的次数 / 总次数"
           "（平分时按当前排名）。同一种子得到同一结果。",
        en=f"Monte Carlo: in each of {runs} runs every weight was multiplied by an independent uniform "
           f"factor in [{1 - spread:g}, {1 + spread:g}] (±{pct} %), seed {seed}; a vendor's share is the "
           "fraction of runs in which it had the highest weighted score among qualified vendors (ties go "
           "to the better current rank). The same seed gives the same shares.",
    )
    if not vendors:
        return MonteCarlo(runs=runs, spread=spread, seed=seed, wins={}, shares={}, method=method)
    rng = random.Random(seed)
    base = [float(weights[k]) for k in crits]
    pts = [[float(points[v].get(k, 0)) for k in crits] for v in vendors]
    for _ in range(runs):
        ws = [w * rng.uniform(1 - spread, 1 + spread) for w in base]
        best, best_s = 0, -math.inf
        for i, row in enumerate(pts):
            s = sum(w * p for w, p in zip(ws, row, strict=False))
            if s > best_s:  # strict: a tie keeps the better-ranked vendor
                best, best_s = i, s
        wins[vendors[best]] += 1
    return MonteCarlo(runs=runs, spread=spread, seed=seed, wins=wins,
                      shares={v: n / runs for v, n in wins.items()}, method=method)


# ── AHP ──────────────────────────────────────────────────────────────────────────────────────

AHP_METHOD = Text(
    zh="层次分析法（AHP）：权重为两两比较矩阵的主特征向量（幂迭代求得，归一化为和 1）；"
       "一致性指标 CI = (λmax − n)/(n − 1)，一致性比率 CR = CI / RI（Saaty 随机一致性指标），CR > 0.10 时应复核比较。",
    en="AHP: the weights are the principal eigenvector of the pairwise comparison matrix (by power "
       "iteration, normalised to sum to 1); consistency index CI = (λmax − n)/(n − 1), consistency ratio "
       "CR = CI / RI (Saaty's random index); above 0.10 the comparisons should be revisited.",
)


def _check_matrix(matrix: Sequence[Sequence[float]]) -> list[str]:
    n = len(matrix)
    problems = []
    if not 1 <= n <= max(SAATY_RI):
        return [f"the matrix needs 1 to {max(SAATY_RI)} rows (got {n})"]
    for i, row in enumerate(matrix):
        if len(row) != n:
            problems.append(f"row {i + 1} has {len(row)} values; a {n}×{n} matrix needs {n}")
            continue
        for j, x in enumerate(row):
            if isinstance(x, bool) or not isinstance(x, (int, float, Fraction)) or not math.isfinite(x) or x <= 0:
                problems.append(f"[{i + 1}][{j + 1}] = {x!r}: comparisons must be positive numbers")
            elif not (1 / 9 - 1e-9 <= x <= 9 + 1e-9):
                problems.append(f"[{i + 1}][{j + 1}] = {x!r}: Saaty's scale runs from 1/9 to 9")
    if problems:
        return problems
    for i in range(n):
        if abs(matrix[i][i] - 1) > 1e-9:
            problems.append(f"[{i + 1}][{i + 1}] must be 1 (an item compared with itself)")
        for j in range(i + 1, n):
            if abs(matrix[i][j] * matrix[j][i] - 1) > 1e-6:
                problems.append(f"[{j + 1}][{i + 1}] must be 1/[{i + 1}][{j + 1}] = {1 / matrix[i][j]:.4g} "
                                f"(got {matrix[j][i]!r})")
    return problems


def ahp_weights(matrix: Sequence[Sequence[float]], ids: Sequence[str] | None = None, *,
                tol: float = 1e-12, max_iter: int = 1000) -> AhpResult:
    """Weights from a reciprocal pairwise comparison matrix, with Saaty's consistency ratio."""
    problems = _check_matrix(matrix)
    n = len(matrix)
    names = list(ids) if ids is not None else [f"c{i + 1}" for i in range(n)]
    if ids is not None and (len(names) != n or len(set(names)) != n):
        problems.append(f"ids must be {n} distinct names, one per row")
    if problems:
        raise ValueError("; ".join(problems))
    a = [[float(x) for x in row] for row in matrix]
    v = [1.0 / n] * n
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is reported as the iteration count
        w = [sum(a[i][j] * v[j] for j in range(n)) for i in range(n)]
        s = sum(w)
        w = [x / s for x in w]
        done = max(abs(w[i] - v[i]) for i in range(n)) < tol
        v = w
        if done:
            break
    av = [sum(a[i][j] * v[j] for j in range(n)) for i in range(n)]
    lam = sum(av[i] / v[i] for i in range(n)) / n
    ci = max(0.0, (lam - n) / (n - 1)) if n > 2 else 0.0
    ri = SAATY_RI[n]
    cr = ci / ri if ri > 0 else 0.0
    warning = None
    if cr > CR_LIMIT:
        warning = Text(zh=f"一致性比率 CR = {cr:.3f}，高于 0.10：两两比较相互矛盾，请复核后再使用这些权重。",
                       en=f"Consistency ratio CR = {cr:.3f} is above 0.10: the comparisons contradict each "
                          "other; revisit them before using these weights.")
    return AhpResult(ids=names, weights=dict(zip(names, v, strict=False)), lambda_max=lam, ci=ci, ri=ri, cr=cr,
                     consistent=cr <= CR_LIMIT, iterations=it, warning=warning, method=AHP_METHOD)


def pairwise_matrix(ids: Sequence[str], judgements: Mapping[tuple[str, str], float]) -> list[list[float]]:
    """A full reciprocal matrix from judgements (a, b) → how many times more a matters than b."""
    idx = {x: i for i, x in enumerate(ids)}
    n = len(ids)
    m: list[list[float | None]] = [[1.0 if i == j else None for j in range(n)] for i in range(n)]
    problems = []
    for (a, b), x in judgements.items():
        if a not in idx or b not in idx:
            problems.append(f"unknown id in ({a}, {b})")
            continue
        i, j = idx[a], idx[b]
        if i == j:
            continue
        if m[i][j] is not None and abs(float(m[i][j]) - x) > 1e-9:  # type: ignore[arg-type]
            problems.append(f"({a}, {b}) is judged twice, inconsistently")
            continue
        m[i][j], m[j][i] = float(x), 1 / float(x)
    missing = [f"({ids[i]}, {ids[j]})" for i in range(n) for j in range(i + 1, n) if m[i][j] is None]
    if missing:
        problems.append("missing judgements: " + ", ".join(missing))
    if problems:
        raise ValueError("; ".join(problems))
    return [[float(x) for x in row] for row in m]  # type: ignore[arg-type]


# ── the comparison ───────────────────────────────────────────────────────────────────────────

METHOD = Text(
    zh="需求状态：有人知道时忽略“未知”，再按设置取最不利者（默认）或多数（平票取较不利者）。"
       "必备需求“不满足”即淘汰并写明原因；“部分满足”标为风险，仅在设置要求时淘汰；“未知”标为待确认。"
       "加权得分 0-100：平均分 s 得到其权重的 (s−1)/4，权重归一化；无人评分的标准不得分并标出。"
       "加分项覆盖率单独计算（满足 1、部分 0.5）。总体拥有成本按 N 年五项合计，设定折现率时第 y 年乘以 1/(1+r)^(y−1)。"
       "ROI = (收益 + 节约 − 投资) / 投资，投资即总体拥有成本；回收期假设每年成本年初支付、收益全年均匀获得。"
       "排名：未淘汰者在前，再按得分、加分项覆盖率、较低成本、表内顺序。",
    en="Requirement status: 'unknown' answers are ignored when someone knows; then the least favourable "
       "status wins (default) or the majority (ties to the less favourable), as set. 'Does not' on a "
       "must-have disqualifies, with the reason; 'partly' on a must-have is a flagged risk that disqualifies "
       "only when the setting says so; 'unknown' on a must-have is flagged. Weighted score 0-100: a mean "
       "score s earns (s−1)/4 of its weight, weights normalised; a criterion nobody scored earns nothing "
       "and is flagged. Nice-to-have coverage is a separate figure (meets 1, partly 0.5). Total cost of "
       "ownership sums the five parts over N years; with a discount rate, year y counts 1/(1+r)^(y−1). "
       "ROI = (gains + savings − investment) / investment, investment being that total cost; payback takes "
       "each year's costs as paid at its start and benefits as earned evenly through it. Rank: qualified "
       "first, then score, nice-to-have coverage, lower cost, sheet order.",
)


def _names(sheet: VendorSheet, requirements: RequirementCatalogue | None,
           criteria: CriteriaCatalogue | None) -> tuple[dict[str, Text], dict[str, Text]]:
    req_names = {r.id: r.name for r in requirements.requirements} if requirements else {}
    crit_names = {c.id: c.name for c in criteria.criteria} if criteria else {}
    rn = {r.id: r.name or req_names.get(r.id) or Text(zh=r.id, en=r.id) for r in sheet.requirements}
    cn = {c.id: c.name or crit_names.get(c.id) or Text(zh=c.id, en=c.id) for c in sheet.criteria}
    return rn, cn


def _quote(name: Text) -> Text:
    return Text(zh=f"「{name.zh}」", en=f'"{name.en}"')


def _flag(kind: FlagKind, ref: str, zh: str, en: str) -> Flag:
    return Flag(kind=kind, ref=ref, message=Text(zh=zh, en=en))


def evaluate_vendors(sheet: VendorSheet, requirements: RequirementCatalogue | None = None,
                     criteria: CriteriaCatalogue | None = None, *, runs: int = MC_RUNS,
                     spread: float = MC_SPREAD, seed: int = MC_SEED) -> VendorResult:
    """Compare the sheet's vendors. The catalogues only supply names the sheet leaves out."""
    st = sheet.settings
    rnames, cnames = _names(sheet, requirements, criteria)
    evaluators = sheet.evaluators()
    weights = {c.id: c.weight for c in sheet.criteria}
    wsum = sum(weights.values())
    shares = {k: w / wsum for k, w in weights.items()}
    tagged = [r for r in sheet.requirements if r.tag != "not_needed"]

    scored: list[tuple[VendorScore, float, dict[str, Fraction]]] = []
    for vendor in sheet.vendors:
        scored.append(_score_vendor(sheet, vendor, evaluators, tagged, rnames, cnames, weights, shares))

    order = {v.id: i for i, v in enumerate(sheet.vendors)}

    def key(item: tuple[VendorScore, float, dict[str, Fraction]]) -> tuple:
        vs, score, _ = item
        tco = vs.cost.total if vs.cost is not None else math.inf
        return (not vs.qualified, -score, -(vs.nice_coverage if vs.nice_coverage is not None else -1), tco,
                order[vs.id])

    scored.sort(key=key)
    ranked = [vs.model_copy(update={"rank": i + 1}) for i, (vs, _, _) in enumerate(scored)]
    qualified = [vs.id for vs in ranked if vs.qualified]
    exact_points = {vs.id: ex for vs, _, ex in scored}
    sens = sensitivity({v: exact_points[v] for v in qualified}, weights, order=qualified, names=cnames)
    mc = monte_carlo({v: exact_points[v] for v in qualified}, weights, order=qualified, runs=runs,
                     spread=spread, seed=seed)
    return VendorResult(
        version=VENDOR_SCORING_VERSION, currency=sheet.currency, settings=st, evaluators=evaluators,
        weights={k: round(v, 6) for k, v in shares.items()}, vendors=ranked,
        leader=qualified[0] if qualified else None, sensitivity=sens, monte_carlo=mc, method=METHOD)


def _score_vendor(sheet: VendorSheet, vendor: Vendor, evaluators: list[str], tagged: list[SheetRequirement],
                  rnames: dict[str, Text], cnames: dict[str, Text], weights: dict[str, float],
                  shares: dict[str, float]) -> tuple[VendorScore, float, dict[str, Fraction]]:
    """One vendor's requirement rows, criterion rows, score, cost and ROI, before ranking."""
    st = sheet.settings
    evs = {who: sheet.evaluations[who][vendor.id] for who in evaluators if vendor.id in sheet.evaluations[who]}
    knockouts: list[Flag] = []
    risks: list[Flag] = []

    rows = _requirement_rows(tagged, evs, rnames, st, knockouts, risks)
    musts = [row for row in rows if row.tag == "must"]
    nices = [row for row in rows if row.tag == "nice"]
    nice_cov = (round(100 * sum(STATUS_POINTS[x.status] for x in nices) / len(nices), 2) if nices else None)

    crows, exact = _criterion_rows(sheet, evs, cnames, shares, risks)
    score = weighted_score({k: float(p) for k, p in exact.items()}, weights)

    cost = None
    if vendor.id in sheet.costs:
        cost = total_cost(sheet.costs[vendor.id], st.years, st.discount_rate)
        if cost.missing_years:
            ys = ", ".join(map(str, cost.missing_years))
            risks.append(_flag("cost_missing", "", f"第 {ys} 年没有成本数据，按 0 计",
                               f"no costs for year(s) {ys}; counted as 0"))
    else:
        risks.append(_flag("cost_missing", "", "未填写成本", "no costs entered"))
    roi = None
    per_cost = None
    if cost is not None and cost.total > 0:
        gains, savings = sheet.roi.for_vendor(vendor.id)
        roi = roi_summary(sheet.costs[vendor.id], gains, savings, st.years, st.discount_rate)
        per_cost = round(score / (cost.total / COST_UNIT), 4)

    vs = VendorScore(
        id=vendor.id, name=vendor.name, rank=0, qualified=not knockouts, score=round(score, 4),
        nice_coverage=nice_cov, must_met=sum(x.status == "meets" for x in musts), must_total=len(musts),
        knockouts=knockouts, risks=risks, requirements=rows, criteria=crows, cost=cost,
        score_per_10k=per_cost, roi=roi, **{k: getattr(vendor, k) for k in PROFILE_FIELDS})
    return vs, score, exact


def _requirement_rows(tagged: list[SheetRequirement], evs: dict[str, VendorEvaluation], rnames: dict[str, Text],
                      st: VendorSettings, knockouts: list[Flag], risks: list[Flag]) -> list[RequirementRow]:
    """Each tagged requirement consolidated over the evaluators; knock-outs and risks are appended."""
    rows: list[RequirementRow] = []
    for r in tagged:
        by: dict[str, Status] = {}
        notes = []
        for who, ev in evs.items():
            ans = ev.requirements.get(r.id)
            if ans is not None:
                by[who] = ans.status
                if ans.note:
                    notes.append(f"{who}: {ans.note}")
        status = consolidate_status(list(by.values()), st.requirement_consolidation)
        agreed = len({s for s in by.values() if s != "unknown"}) <= 1
        rows.append(RequirementRow(id=r.id, name=rnames[r.id], tag=r.tag, status=status, by_evaluator=by,
                                   agreed=agreed, notes=notes))
        q = _quote(rnames[r.id])
        if r.tag == "must" and status == "does_not":
            knockouts.append(_flag("must_does_not", r.id, f"不满足必备需求{q.zh}", f"does not meet the must-have {q.en}"))
        elif r.tag == "must" and status == "partly":
            f = _flag("must_partly", r.id, f"只部分满足必备需求{q.zh}", f"only partly meets the must-have {q.en}")
            (knockouts if st.partly_on_must_disqualifies else risks).append(f)
        elif r.tag == "must" and status == "unknown":
            risks.append(_flag("must_unknown", r.id, f"必备需求{q.zh}尚无结论，请向供应商确认",
                               f"no answer yet on the must-have {q.en}; ask the vendor"))
        if not agreed:
            said = ", ".join(f"{w}: {s}" for w, s in by.items())
            risks.append(_flag("disagreement", r.id, f"评估人对{q.zh}意见不一（{said}）",
                               f"evaluators disagree on {q.en} ({said})"))
    return rows


def _criterion_rows(sheet: VendorSheet, evs: dict[str, VendorEvaluation], cnames: dict[str, Text],
                    shares: dict[str, float], risks: list[Flag]) -> tuple[list[CriterionRow], dict[str, Fraction]]:
    """Each criterion's scores over the evaluators and its exact points; risks are appended."""
    crows: list[CriterionRow] = []
    exact: dict[str, Fraction] = {}
    for c in sheet.criteria:
        by_s = {who: ev.criteria[c.id].score for who, ev in evs.items() if c.id in ev.criteria}
        notes = [f"{who}: {ev.criteria[c.id].note}" for who, ev in evs.items()
                 if c.id in ev.criteria and ev.criteria[c.id].note]
        vals = list(by_s.values())
        pts = criterion_points(vals)
        exact[c.id] = pts
        spread_c = (max(vals) - min(vals)) if vals else None
        q = _quote(cnames[c.id])
        if not vals:
            risks.append(_flag("criterion_unscored", c.id, f"{q.zh}无人评分，按 1 分（不得分）计",
                               f"nobody scored {q.en}; it counts as 1 (no points)"))
        elif spread_c is not None and spread_c >= DISAGREEMENT_SPREAD:
            said = ", ".join(f"{w}: {s}" for w, s in by_s.items())
            risks.append(_flag("disagreement", c.id, f"评估人对{q.zh}的评分相差 {spread_c} 分（{said}）",
                               f"evaluators' scores on {q.en} differ by {spread_c} points ({said})"))
        crows.append(CriterionRow(
            id=c.id, name=cnames[c.id], weight=c.weight, share=round(shares[c.id], 6),
            mean=None if not vals else round(sum(vals) / len(vals), 4), spread=spread_c, by_evaluator=by_s,
            points=round(float(pts), 6), contribution=round(100 * shares[c.id] * float(pts), 4), notes=notes))
    return crows, exact


# ── plain text ───────────────────────────────────────────────────────────────────────────────

_TERMS: dict[str, Text] = {
    "title": Text(zh="供应商对比", en="Vendor comparison"),
    "rank": Text(zh="排名", en="Rank"),
    "vendor": Text(zh="供应商", en="Vendor"),
    "score": Text(zh="加权得分", en="Score"),
    "musts": Text(zh="必备", en="Musts"),
    "nice": Text(zh="加分覆盖", en="Nice"),
    "tco": Text(zh="总成本", en="TCO"),
    "per_cost": Text(zh="得分/万元", en="Score/10k"),
    "roi": Text(zh="ROI", en="ROI"),
    "payback": Text(zh="回收期", en="Payback"),
    "years": Text(zh="年", en="y"),
    "disqualified": Text(zh="淘汰", en="disqualified"),
    "risk": Text(zh="风险", en="risk"),
    "leader": Text(zh="推荐（领先者）", en="Leader"),
    "none_qualified": Text(zh="没有供应商满足全部必备需求", en="No vendor meets every must-have"),
    "no_scores": Text(zh="还没有人评分，暂无领先者", en="Nobody has scored yet, so nobody leads"),
    "criteria": Text(zh="评估标准（均分 ± 分歧）", en="Criteria (mean, spread)"),
    "sensitivity": Text(zh="敏感性（领先者改变时的权重占比）", en="Sensitivity (weight share at which the leader changes)"),
    "stable": Text(zh="全区间不变", en="leader holds over the whole range"),
    "up": Text(zh="上调至", en="up to"),
    "down": Text(zh="下调至", en="down to"),
    "now": Text(zh="当前", en="now"),
    "mc": Text(zh="蒙特卡洛获胜占比", en="Monte Carlo share of wins"),
    "discount": Text(zh="折现率", en="discount rate"),
    "evaluators": Text(zh="评估人", en="Evaluators"),
    "weight": Text(zh="权重", en="weight"),
}


def _t(key: str, lang: str) -> str:
    return _TERMS[key].get(lang)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}%"


def _width(s: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _ljust(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _rjust(s: str, width: int) -> str:
    return " " * max(0, width - _width(s)) + s


def vendor_robustness(result: VendorResult) -> str | None:
    """How firm the lead is: "robust", "fair" or "fragile" by its Monte Carlo share; None without a
    qualified rival (or without a leader)."""
    qualified = [v for v in result.vendors if v.qualified]
    if result.leader is None or len(qualified) < 2:
        return None
    share = result.monte_carlo.shares.get(result.leader, 0.0)
    return "robust" if share >= ROBUST_SHARE else "fair" if share >= FAIR_SHARE else "fragile"


def vendor_result_text(result: VendorResult, lang: str = "en") -> str:
    """A plain-text summary of a comparison (for the CLI); the same numbers as the JSON."""
    st = result.settings
    head = f"{_t('title', lang)} · {st.years} {_t('years', lang)}"
    if st.discount_rate:
        head += f" · {_t('discount', lang)} {st.discount_rate * 100:g}%"
    out = [head, f"{_t('evaluators', lang)}: {', '.join(result.evaluators) or '—'}", ""]
    name_w = max([_width(v.name.get(lang)) for v in result.vendors] + [8]) + 4
    heads = [("#", 3, False), (_t("vendor", lang), name_w, False), (_t("score", lang), 9, True),
             (_t("musts", lang), 7, True), (_t("nice", lang), 9, True),
             (f"{_t('tco', lang)} ({result.currency})", 16, True), (_t("per_cost", lang), 11, True),
             (_t("roi", lang), 9, True), (_t("payback", lang), 9, True)]

    def line(cells: list[str]) -> str:
        return " ".join(_rjust(c, w) if right else _ljust(c, w) for c, (_h, w, right) in zip(cells, heads, strict=False)).rstrip()

    out.append(line([h for h, _w, _r in heads]))
    for v in result.vendors:
        pb = (f"{v.roi.payback_years:.1f} {_t('years', lang)}"
              if v.roi and v.roi.payback_years is not None else "—")
        out.append(line([
            str(v.rank), v.name.get(lang) + ("" if v.qualified else " ✗"), f"{v.score:.2f}",
            f"{v.must_met}/{v.must_total}", _pct(v.nice_coverage),
            f"{v.cost.total:,.0f}" if v.cost else "—",
            f"{v.score_per_10k:.2f}" if v.score_per_10k is not None else "—",
            _pct(v.roi.roi_percent) if v.roi else "—", pb]))
    out.append("")
    lead = result.leader
    if not result.evaluators:  # a ranking of empty evaluations leads nobody
        out.append(_t("no_scores", lang))
    elif lead:
        out.append(f"{_t('leader', lang)}: {result.vendor(lead).name.get(lang)}")
    else:
        out.append(_t("none_qualified", lang))
    for v in result.vendors:
        for f in v.knockouts:
            out.append(f"  ✗ {v.name.get(lang)} — {_t('disqualified', lang)}: {f.message.get(lang)}")
    for v in result.vendors:
        for f in v.risks:
            out.append(f"  ! {v.name.get(lang)} — {_t('risk', lang)}: {f.message.get(lang)}")
    out += _criteria_and_sensitivity_text(result, lang)
    mc = result.monte_carlo
    if mc.shares:
        out.append("")
        names = {v.id: v.name.get(lang) for v in result.vendors}
        out.append(f"{_t('mc', lang)} (±{mc.spread * 100:g}%, {mc.runs}, seed {mc.seed}): "
                   + ", ".join(f"{names[v]} {s * 100:.1f}%" for v, s in mc.shares.items()))
    out.append("")
    out.append(result.method.get(lang))
    return "\n".join(out)


def _criteria_and_sensitivity_text(result: VendorResult, lang: str) -> list[str]:
    """The criteria table (weights, each vendor's mean ± spread) and the weight sensitivity lines."""
    out: list[str] = []
    crits = result.vendors[0].criteria if result.vendors else []
    crit_w = max([_width(c.name.get(lang)) for c in crits] + [8]) + 2
    if crits:
        out.append("")
        out.append(f"{_t('criteria', lang)}:")
        out.append("  " + _ljust("", crit_w) + _rjust(_t("weight", lang), 7) + "  "
                   + "  ".join(_rjust(f"#{v.rank}", 7) for v in result.vendors))
        for i, c in enumerate(crits):
            cells = ["—" if v.criteria[i].mean is None else f"{v.criteria[i].mean:.1f}±{v.criteria[i].spread}"
                     for v in result.vendors]
            out.append("  " + _ljust(c.name.get(lang), crit_w) + _rjust(f"{c.share * 100:.1f}%", 7) + "  "
                       + "  ".join(_rjust(x, 7) for x in cells))
    if result.sensitivity.leader and len([v for v in result.vendors if v.qualified]) > 1:
        out.append("")
        out.append(f"{_t('sensitivity', lang)}:")
        names = {v.id: v.name.get(lang) for v in result.vendors}
        for row in result.sensitivity.rows:
            parts = []
            if row.up:
                parts.append(f"{_t('up', lang)} {row.up.share * 100:.1f}% → {names[row.up.rival]}")
            if row.down:
                parts.append(f"{_t('down', lang)} {row.down.share * 100:.1f}% → {names[row.down.rival]}")
            out.append("  " + _ljust(row.name.get(lang), crit_w) + f"{_t('now', lang)} {row.share * 100:.1f}%: "
                       + ("; ".join(parts) if parts else _t("stable", lang)))
    return out
