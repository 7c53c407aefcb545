"""Workshop mode: several respondents' answers consolidated into one, disagreements, action plan.

A consolidated answer is always a real answer of the item (a value the item allows), so the same
scoring applies to one respondent and to a room. "mean" picks the allowed value whose score is
nearest the respondents' mean score (ties go to the lower score: a room that cannot agree is not yet
ready); "min" takes the least favourable answer; "final" uses the facilitator's answer where one is
set and the mean elsewhere.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from checklists import NA, CombineMethod, Item, Template

from .answers import Answer, Confidence
from .readiness import item_score

Method = Literal["mean", "min", "final"]
DEFAULT_SPREAD_THRESHOLD = 0.5


class ActionStatus(str, Enum):
    open = "open"
    in_progress = "in_progress"
    done = "done"


class ActionItem(BaseModel):
    """What the organisation will do about one gap."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item_id: str
    owner: str = ""
    due: str | None = None  # ISO date
    status: ActionStatus = ActionStatus.open
    note: str = ""


class Disagreement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    item_id: str
    spread: float = Field(ge=0, le=1)
    scores: dict[str, float]
    values: dict[str, object]


def _combine(item: Item, answers: list[Answer], method: CombineMethod) -> Answer | None:
    given = [a for a in answers if a.is_answered]
    if not given:
        return None
    notes = [a.note for a in answers if a.note]
    note = "\n".join(notes) or None
    na = [a for a in given if a.is_na]
    # n/a wins only when most of those who answered say so
    if len(na) * 2 > len(given):
        reasons = "; ".join(a.reason for a in na if a.reason) or None
        return Answer(value=NA, reason=reasons, note=note)
    real = [a for a in given if not a.is_na]
    order = list(Confidence)
    confidence = min((a.confidence for a in real if a.confidence), key=order.index, default=None)
    value = item.kind.combine(item, [a.value for a in real], method)
    if not item.kind.counts_for_progress:  # a note-like answer: the room's texts, nobody's confidence
        return Answer(value=value, note=note)
    return Answer(value=value, note=note, confidence=confidence)


def consolidate(template: Template, by_respondent: dict[str, dict[str, Answer]], method: Method = "mean",
                final: dict[str, Answer] | None = None) -> dict[str, Answer]:
    """One answer per item from several respondents' answers."""
    final = final or {}
    out: dict[str, Answer] = {}
    for item in template.items():
        if method == "final" and item.id in final and final[item.id].is_answered:
            out[item.id] = final[item.id]
            continue
        answers = [ans[item.id] for _r, ans in sorted(by_respondent.items()) if item.id in ans]
        combined = _combine(item, answers, "min" if method == "min" else "mean")
        if combined is not None:
            out[item.id] = combined
    return out


def disagreements(template: Template, by_respondent: dict[str, dict[str, Answer]],
                  threshold: float = DEFAULT_SPREAD_THRESHOLD) -> list[Disagreement]:
    """Items whose respondents' scores spread by at least `threshold`: the discussion agenda."""
    out = []
    for item in template.items():
        scores: dict[str, float] = {}
        values: dict[str, object] = {}
        for who, answers in sorted(by_respondent.items()):
            a = answers.get(item.id)
            if a is None or not a.is_answered:
                continue
            values[who] = a.value
            s = item_score(item, a.value)
            if s is not None:
                scores[who] = s
        has_na_split = any(v == NA for v in values.values()) and any(v != NA for v in values.values())
        if len(scores) >= 2 or has_na_split:
            spread = (max(scores.values()) - min(scores.values())) if len(scores) >= 2 else 0.0
            # "applicable or not" is itself a disagreement, whatever the scores
            if spread >= threshold or has_na_split:
                out.append(Disagreement(item_id=item.id, spread=round(spread, 4), scores=scores, values=values))
    out.sort(key=lambda d: -d.spread)
    return out
