"""Skip-logic simulation: what the `depends_on` rules of a template can and cannot do.

A condition shows an item only when another item's answer is in a set. Conditions along a chain
are conjunctions, so an item is reachable exactly when, for every ancestor, the intersection of all
answer sets required of that ancestor is non-empty (values of distinct items are independent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .answer_types import NA
from .model import Criticality, Item, Template


@dataclass(frozen=True)
class LintReport:
    unreachable: list[str] = field(default_factory=list)
    hideable_musts: list[str] = field(default_factory=list)
    cycles: list[str] = field(default_factory=list)
    # The phase score reached when every reachable item gets its best answer.
    max_phase_score: dict[str, float] = field(default_factory=dict)
    capped_items: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.unreachable or self.cycles)


def _requirements(item: Item, items: dict[str, Item], stack: tuple[str, ...]) -> dict[str, list[set]] | None:
    """Answer sets each ancestor must take for `item` to show; None when a cycle is found."""
    req: dict[str, list[set]] = {}
    for cond in item.depends_on:
        if cond.item in stack:
            return None
        target = items.get(cond.item)
        if target is None:
            continue
        req.setdefault(cond.item, []).append(set(cond.in_))
        upstream = _requirements(target, items, stack + (cond.item,))
        if upstream is None:
            return None
        for k, sets in upstream.items():
            req.setdefault(k, []).extend(sets)
    return req


def _satisfiable(req: dict[str, list[set]], items: dict[str, Item]) -> bool:
    for item_id, sets in req.items():
        # a multi answer holds several options at once, so each of its conditions can be met together
        if not items[item_id].kind.many_values and not set.intersection(*sets):
            return False
    return True


def best_answers(t: Template) -> dict[str, object]:
    """The highest-scoring answer of each scored item, used for the maximum reachable score."""
    best: dict[str, object] = {}
    for it in t.items():
        value = it.kind.best_value(it)
        if value is not None:
            best[it.id] = value
    return best


def is_shown(item: Item, answers: Mapping[str, object], items: dict[str, Item], _depth: int = 0) -> bool:
    """Whether an item is asked, given the (plain) answer values of the others."""
    if _depth > len(items):
        return False
    for cond in item.depends_on:
        target = items.get(cond.item)
        if target is None or not is_shown(target, answers, items, _depth + 1):
            return False
        value = answers.get(cond.item)
        if isinstance(value, list):
            if not any(v in cond.in_ for v in value):
                return False
        elif value is None or value not in cond.in_:
            return False
    return True


def lint(t: Template) -> LintReport:
    items = {it.id: it for it in t.items()}
    unreachable, hideable, cycles, capped = [], [], [], []
    for it in t.items():
        req = _requirements(it, items, (it.id,))
        if req is None:
            cycles.append(it.id)
            continue
        if not _satisfiable(req, items):
            unreachable.append(it.id)
            continue
        if it.criticality is Criticality.must and req:
            hideable.append(it.id)
        if it.scored and it.best_score() < 1:
            capped.append(it.id)

    best = best_answers(t)
    max_scores: dict[str, float] = {}
    for ph in t.phases:
        num = den = 0.0
        for it in ph.items:
            if not it.scored or it.id in unreachable or it.id in cycles or not is_shown(it, best, items):
                continue
            w = it.weight * t.multipliers.of(it.criticality)
            num += w * it.best_score()
            den += w
        max_scores[ph.id] = round(100 * num / den, 2) if den else 0.0
    return LintReport(unreachable, hideable, cycles, max_scores, capped)


__all__ = ["LintReport", "lint", "is_shown", "best_answers", "NA"]
