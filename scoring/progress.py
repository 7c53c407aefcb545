"""Progress over time: what changed between a baseline and a re-assessment, and a trend over many.

Both sides are scored here with `score`, so a comparison never disagrees with the results it compares.
Items are matched by their stable id. A newer template version may add or remove items; a renamed id
shows up as one removed item and one added item, because the model says renaming an id is a breaking change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from checklists import PHASE_IDS, Criticality, FrozenModel, Item, Template, Text

from .answers import Assessment, Confidence, Value
from .readiness import Gap, ItemResult, ItemState, ReadinessResult, score
from .vocabulary import term, value_label, verdict_label
from .workshop import ActionItem, ActionStatus

# "absent": that side's template version has no such item (it was added or removed in between)
SideState = ItemState | Literal["absent"]
VerdictChange = Literal["up", "down", "same"]
TrendLabel = str | date | datetime

_ACTION_RANK = {ActionStatus.open: 0, ActionStatus.in_progress: 1, ActionStatus.done: 2}


class ComparisonError(Exception):
    """Two assessments (or trend points) that cannot be compared; `message` says why in both languages
    (`str()` is the English one), so a page or terminal shows its user's language."""

    def __init__(self, zh: str, en: str):
        self.message = Text(zh=zh, en=en)
        super().__init__(en)

    def text(self, lang: str) -> str:
        return self.message.get(lang)


class Snapshot(FrozenModel):
    """One side of a comparison: when, on which template version, and its headline numbers."""

    assessed_on: str | None
    organisation: str | None
    project: str | None
    template_version: str
    overall: float | None
    level: str | None
    verdict: str
    blockers: int
    gaps: int
    completion: float
    fingerprint: str


class PhaseDelta(FrozenModel):
    id: str
    title: Text
    old_in_scope: bool
    new_in_scope: bool
    old_score: float | None
    new_score: float | None
    # None when either side has no score (out of scope, or nothing scored)
    delta: float | None
    old_level: str | None
    new_level: str | None
    old_blockers: int
    new_blockers: int
    old_completion: float
    new_completion: float
    completion_delta: float


class ItemChange(FrozenModel):
    """An item both versions have whose answer, state, score or confidence changed."""

    item_id: str
    phase: str
    question: Text
    old_value: Value
    new_value: Value
    old_state: ItemState
    new_state: ItemState
    old_score: float | None
    new_score: float | None
    delta: float | None
    old_confidence: Confidence | None
    new_confidence: Confidence | None


class ItemRef(FrozenModel):
    """An item only one template version has, with its answer on that side."""

    item_id: str
    phase: str
    criticality: Criticality
    question: Text
    state: ItemState
    value: Value
    score: float | None


class GapChange(FrozenModel):
    """A gap or blocker that appeared, went away, or moved; the states say how."""

    item_id: str
    phase: str
    criticality: Criticality
    question: Text
    recommendation: Text
    old_state: SideState
    new_state: SideState
    old_score: float | None
    new_score: float | None
    delta: float | None
    # None on a side where the item is not a gap
    old_impact: float | None
    new_impact: float | None


class ActionProgress(FrozenModel):
    """An action-plan item that is done: newly marked done, or done and its gap closed."""

    item_id: str
    owner: str
    due: str | None
    note: str
    old_status: ActionStatus | None
    status: ActionStatus
    newly_done: bool
    gap_closed: bool


class Comparison(FrozenModel):
    template: str
    old: Snapshot
    new: Snapshot
    version_changed: bool
    overall_delta: float | None
    completion_delta: float
    # ranked blocked < the template's levels in order; None when either verdict is unknown
    verdict_change: VerdictChange | None
    phases: list[PhaseDelta]
    changed: list[ItemChange]
    unchanged: int
    added: list[ItemRef]
    removed: list[ItemRef]
    blockers_resolved: list[GapChange]
    blockers_new: list[GapChange]
    gaps_closed: list[GapChange]
    gaps_opened: list[GapChange]
    # the baseline's blockers and gaps the re-assessment has not answered yet (unanswered, or hidden
    # behind an unanswered question): unknown, so neither resolved nor closed nor still open
    blockers_not_reassessed: list[GapChange]
    gaps_not_reassessed: list[GapChange]
    gaps_improved: list[GapChange]
    gaps_worsened: list[GapChange]
    actions_done: list[ActionProgress]

    @property
    def blocker_delta(self) -> int:
        """The change in blockers that is known: new ones minus resolved ones (not re-assessed: no change)."""
        return len(self.blockers_new) - len(self.blockers_resolved)

    @property
    def gap_delta(self) -> int:
        return len(self.gaps_opened) - len(self.gaps_closed)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.version_changed
                    or any(p.old_in_scope != p.new_in_scope for p in self.phases))

    def to_json(self) -> str:
        """Byte-identical for the same inputs."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2)


class Trend(FrozenModel):
    """Columns for a line chart: one entry per point, ordered by date."""

    template: str | None
    labels: list[str]
    overall: list[float | None]
    # phase id → its score at each point (None where unscored or out of scope)
    phases: dict[str, list[float | None]]
    blockers: list[int]
    completion: list[float]
    verdicts: list[str]

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2)


def _delta(old: float | None, new: float | None, ndigits: int = 2) -> float | None:
    # + 0.0 turns -0.0 into 0.0, so a comparison with itself prints and serialises as zeros
    return None if old is None or new is None else round(new - old, ndigits) + 0.0


def _version_key(version: str) -> tuple[int, ...] | None:
    m = re.fullmatch(r"v?(\d+(?:\.\d+)*)", version.strip())
    if not m:
        return None
    parts = [int(x) for x in m.group(1).split(".")]
    while len(parts) > 1 and parts[-1] == 0:  # "2" and "2.0" are the same version
        parts.pop()
    return tuple(parts)


def _check(old_template: Template, old_assessment: Assessment, new_template: Template,
           new_assessment: Assessment) -> None:
    for side, side_zh, t, a in (("baseline", "基线", old_template, old_assessment),
                                ("re-assessment", "复评", new_template, new_assessment)):
        if a.template != t.id:
            raise ComparisonError(f"{side_zh}的答案属于模板“{a.template}”，但给出的模板是“{t.id}”",
                                  f"the {side} answers are for template '{a.template}' but template "
                                  f"'{t.id}' was given")
    if old_template.id != new_template.id:
        raise ComparisonError(
            f"无法比较不同模板的评估：“{old_template.id}”（基线）与“{new_template.id}”（复评）；"
            "只能与同一模板或其较新版本的评估比较",
            f"cannot compare assessments of different templates: '{old_template.id}' (baseline) and "
            f"'{new_template.id}' (re-assessment); compare an assessment only with one of the same "
            "template or of a newer version of it")
    old_v, new_v = _version_key(old_template.version), _version_key(new_template.version)
    if old_v is not None and new_v is not None and new_v < old_v:
        raise ComparisonError(
            f"复评使用的是“{new_template.id}”的版本 {new_template.version}，早于基线的 {old_template.version}；"
            "请把较早的评估放在前面",
            f"the re-assessment uses version {new_template.version} of '{new_template.id}', older than the "
            f"baseline's {old_template.version}; pass the older assessment first")


def _snapshot(a: Assessment, t: Template, r: ReadinessResult) -> Snapshot:
    return Snapshot(assessed_on=a.assessed_on, organisation=a.organisation, project=a.project,
                    template_version=t.version, overall=r.overall, level=r.level, verdict=r.verdict,
                    blockers=len(r.blockers), gaps=len(r.gaps), completion=r.completion,
                    fingerprint=r.fingerprint)


def _verdict_change(template: Template, old: str, new: str) -> VerdictChange | None:
    rank = {"blocked": -1, **{lv.id: n for n, lv in enumerate(template.levels)}}
    if old not in rank or new not in rank:
        return None
    return "same" if rank[new] == rank[old] else ("up" if rank[new] > rank[old] else "down")


def _phase_delta(new_t: Template, old_r: ReadinessResult, new_r: ReadinessResult,
                 phase_id: str) -> PhaseDelta:
    o, n = old_r.phase(phase_id), new_r.phase(phase_id)
    return PhaseDelta(
        id=phase_id, title=new_t.phase(phase_id).title, old_in_scope=o.in_scope, new_in_scope=n.in_scope,
        old_score=o.score, new_score=n.score, delta=_delta(o.score, n.score), old_level=o.level,
        new_level=n.level, old_blockers=o.blockers, new_blockers=n.blockers, old_completion=o.completion,
        new_completion=n.completion, completion_delta=_delta(o.completion, n.completion) or 0.0)


@dataclass(frozen=True)
class _Pair:
    """A baseline and its re-assessment, both scored, with what the steps of `compare` look up on each
    side: the item results and gaps by item id, and `rank`, the order every list of the comparison
    follows (the new version's items first, then those only the old version has, in its own order)."""

    old_template: Template
    new_template: Template
    old: ReadinessResult
    new: ReadinessResult
    old_items: dict[str, ItemResult]
    new_items: dict[str, ItemResult]
    old_gaps: dict[str, Gap]
    new_gaps: dict[str, Gap]
    rank: dict[str, int]

    @classmethod
    def scored(cls, old_template: Template, old_assessment: Assessment, new_template: Template,
               new_assessment: Assessment) -> _Pair:
        old_r, new_r = score(old_template, old_assessment), score(new_template, new_assessment)
        new_items = {i.id: i for i in new_r.items}
        order = [i.id for i in new_template.items()] + [i.id for i in old_template.items() if i.id not in new_items]
        return cls(old_template=old_template, new_template=new_template, old=old_r, new=new_r,
                   old_items={i.id: i for i in old_r.items}, new_items=new_items,
                   old_gaps={g.item_id: g for g in old_r.gaps}, new_gaps={g.item_id: g for g in new_r.gaps},
                   rank={item_id: n for n, item_id in enumerate(order)})

    def content(self, item_id: str) -> Item:
        """The item's wording as the newest version that has it words it."""
        return self.new_template.item(item_id) if item_id in self.new_items else self.old_template.item(item_id)


def _answer_changes(pair: _Pair) -> tuple[list[ItemChange], int, list[ItemRef], list[ItemRef]]:
    """The items whose answer, state, score or confidence changed; how many stayed the same; the items
    only the new version has (added) and only the old one has (removed). A changed note alone is
    commentary, not readiness, so it is no change."""
    changed: list[ItemChange] = []
    added: list[ItemRef] = []
    removed: list[ItemRef] = []
    unchanged = 0
    for item_id in pair.rank:
        o, n = pair.old_items.get(item_id), pair.new_items.get(item_id)
        if o is None or n is None:
            side = n or o
            if side is None:
                raise ValueError(f"item '{item_id}' is in neither result")
            ref = ItemRef(item_id=item_id, phase=side.phase, criticality=side.criticality,
                          question=pair.content(item_id).question, state=side.state, value=side.value,
                          score=side.score)
            (added if o is None else removed).append(ref)
        elif (o.value, o.state, o.score, o.confidence) == (n.value, n.state, n.score, n.confidence):
            unchanged += 1
        else:
            changed.append(ItemChange(
                item_id=item_id, phase=n.phase, question=pair.content(item_id).question, old_value=o.value,
                new_value=n.value, old_state=o.state, new_state=n.state, old_score=o.score, new_score=n.score,
                delta=_delta(o.score, n.score, 4), old_confidence=o.confidence, new_confidence=n.confidence))
    return changed, unchanged, added, removed


def _gap_change(pair: _Pair, item_id: str) -> GapChange:
    """One item's gap on both sides: state, score and impact before and after."""
    o, n = pair.old_items.get(item_id), pair.new_items.get(item_id)
    it = pair.content(item_id)
    og, ng = pair.old_gaps.get(item_id), pair.new_gaps.get(item_id)
    return GapChange(
        item_id=item_id, phase=it.phase_id, criticality=it.criticality, question=it.question,
        recommendation=it.recommendation, old_state=o.state if o else "absent",
        new_state=n.state if n else "absent", old_score=o.score if o else None,
        new_score=n.score if n else None, delta=_delta(o.score if o else None, n.score if n else None, 4),
        old_impact=og.impact if og else None, new_impact=ng.impact if ng else None)


def _gap_changes(pair: _Pair, ids: set[str]) -> list[GapChange]:
    return [_gap_change(pair, i) for i in sorted(ids, key=pair.rank.__getitem__)]


def _waiting(pair: _Pair, item_id: str, depth: int = 0) -> bool:
    """Not answered in the re-assessment: unknown, or hidden only because a question it depends on is
    itself waiting for an answer (a blank re-assessment hides every follow-up question)."""
    n = pair.new_items.get(item_id)
    if n is None or depth > len(pair.new_items):
        return False
    if n.state == "unknown":
        return True
    return n.state == "hidden" and any(_waiting(pair, c.item, depth + 1)
                                       for c in pair.new_template.item(item_id).depends_on)


def compare(old_template: Template, old_assessment: Assessment, new_template: Template,
            new_assessment: Assessment, old_actions: Sequence[ActionItem] | None = None,
            new_actions: Sequence[ActionItem] | None = None) -> Comparison:
    """What changed from a baseline (old) to a re-assessment (new) of the same template.

    A gap or blocker of the baseline whose item the re-assessment has not answered yet is "not
    re-assessed", never "closed" or "resolved". `new_actions` is the action plan as it stands now;
    without it the baseline's plan is taken as the current one, so only actions already done whose gap
    has now closed are reported.
    """
    _check(old_template, old_assessment, new_template, new_assessment)
    pair = _Pair.scored(old_template, old_assessment, new_template, new_assessment)
    old_r, new_r, old_gaps, new_gaps = pair.old, pair.new, pair.old_gaps, pair.new_gaps
    changed, unchanged, added, removed = _answer_changes(pair)
    old_b = {g.item_id for g in old_r.blockers}
    new_b = {g.item_id for g in new_r.blockers}
    both = set(old_gaps) & set(new_gaps)
    unknown_now = {i for i in old_gaps if i not in new_gaps and _waiting(pair, i)}
    gaps_closed = _gap_changes(pair, set(old_gaps) - set(new_gaps) - unknown_now)
    return Comparison(
        template=new_template.id, old=_snapshot(old_assessment, old_template, old_r),
        new=_snapshot(new_assessment, new_template, new_r),
        version_changed=old_template.version != new_template.version,
        overall_delta=_delta(old_r.overall, new_r.overall),
        completion_delta=_delta(old_r.completion, new_r.completion) or 0.0,
        verdict_change=_verdict_change(new_template, old_r.verdict, new_r.verdict),
        phases=[_phase_delta(new_template, old_r, new_r, p) for p in PHASE_IDS],
        changed=changed, unchanged=unchanged, added=added, removed=removed,
        blockers_resolved=_gap_changes(pair, old_b - new_b - unknown_now),
        blockers_new=_gap_changes(pair, new_b - old_b),
        gaps_closed=gaps_closed, gaps_opened=_gap_changes(pair, set(new_gaps) - set(old_gaps)),
        blockers_not_reassessed=_gap_changes(pair, old_b & unknown_now),
        gaps_not_reassessed=_gap_changes(pair, unknown_now),
        gaps_improved=_gap_changes(pair, {i for i in both if new_gaps[i].score > old_gaps[i].score}),
        gaps_worsened=_gap_changes(pair, {i for i in both if new_gaps[i].score < old_gaps[i].score}),
        actions_done=_actions_done(old_actions, new_actions, gaps_closed, pair.rank))


def _actions_done(old_actions: Sequence[ActionItem] | None, new_actions: Sequence[ActionItem] | None,
                  gaps_closed: list[GapChange], rank: dict[str, int]) -> list[ActionProgress]:
    current = list(new_actions if new_actions is not None else old_actions or [])
    before: dict[str, ActionStatus] = {}
    for a in old_actions or []:
        # several actions on one item: the item counts as done before if any of them was
        if a.item_id not in before or _ACTION_RANK[a.status] > _ACTION_RANK[before[a.item_id]]:
            before[a.item_id] = a.status
    # an action is credited with closing its gap only when the re-assessment scores the item: a gap that
    # vanished because the item is now unanswered, hidden or out of scope proves nothing
    closed = {g.item_id for g in gaps_closed if g.new_state == "scored"}
    out = []
    for a in current:
        if a.status is not ActionStatus.done:
            continue
        old_status = before.get(a.item_id)
        newly_done = old_status is not ActionStatus.done
        gap_closed = a.item_id in closed
        if newly_done or gap_closed:
            out.append(ActionProgress(item_id=a.item_id, owner=a.owner, due=a.due, note=a.note,
                                      old_status=old_status, status=a.status, newly_done=newly_done,
                                      gap_closed=gap_closed))
    # stable sort: the template's order, actions on unknown items last in the plan's order
    return sorted(out, key=lambda p: rank.get(p.item_id, len(rank)))


def _label_time(label: TrendLabel) -> datetime | None:
    if isinstance(label, datetime):
        dt = label
    elif isinstance(label, date):
        dt = datetime(label.year, label.month, label.day)
    else:
        try:
            dt = datetime.fromisoformat(label.strip())
        except ValueError:
            return None
    # aware and naive times cannot be compared; put every aware time in UTC and drop the zone
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


def trend(points: Sequence[tuple[TrendLabel, ReadinessResult]]) -> Trend:
    """Overall and per-phase scores, blockers and completion over time, for a line chart.

    Points are ordered by date when every label is a date (a `date`, `datetime` or ISO string); otherwise
    they keep the order given, so labels such as "baseline", "Q2" are the caller's to order.
    """
    templates = sorted({r.template for _l, r in points})
    if len(templates) > 1:
        raise ComparisonError(f"趋势只能基于一个模板；这些数据点用了 {'、'.join(templates)}",
                              f"a trend needs one template; these points use {', '.join(templates)}")
    times = [_label_time(label) for label, _r in points]
    indexed = list(range(len(points)))
    known = [t for t in times if t is not None]
    if len(known) == len(times):
        indexed.sort(key=lambda n: known[n])
    ordered = [points[n] for n in indexed]
    phase_ids = [p for p in PHASE_IDS if any(any(ph.id == p for ph in r.phases) for _l, r in ordered)]

    def phase_score(r: ReadinessResult, pid: str) -> float | None:
        return next((ph.score for ph in r.phases if ph.id == pid), None)

    return Trend(
        template=templates[0] if templates else None,
        labels=[label.isoformat() if isinstance(label, date) else str(label) for label, _r in ordered],
        overall=[r.overall for _l, r in ordered],
        phases={pid: [phase_score(r, pid) for _l, r in ordered] for pid in phase_ids},
        blockers=[len(r.blockers) for _l, r in ordered], completion=[r.completion for _l, r in ordered],
        verdicts=[r.verdict for _l, r in ordered])


# ---- plain text for the CLI ----------------------------------------------------------------------

_T = Text
_L: dict[str, Text] = {
    "progress": _T(zh="进展对比", en="Progress"),
    "baseline": _T(zh="基线", en="Baseline"),
    "reassessment": _T(zh="复评", en="Re-assessment"),
    "version": _T(zh="版本", en="version"),
    "blockers_resolved": _T(zh="已解除的阻断项", en="Blockers resolved"),
    "blockers_new": _T(zh="新增阻断项", en="New blockers"),
    "gaps_closed": _T(zh="已弥补的差距", en="Gaps closed"),
    "gaps_opened": _T(zh="新出现的差距", en="Gaps opened"),
    "gaps_improved": _T(zh="仍存在但已改善的差距", en="Gaps still open, improved"),
    "gaps_worsened": _T(zh="仍存在且变差的差距", en="Gaps still open, worsened"),
    "gaps_not_reassessed": _T(zh="尚未复评的差距（复评中未回答，结果未知）",
                              en="Gaps not yet re-assessed (unanswered in the re-assessment: unknown)"),
    "actions_done": _T(zh="已完成的行动项", en="Actions done"),
    "newly_done": _T(zh="新标记为完成", en="newly marked done"),
    "gap_closed": _T(zh="差距已弥补", en="gap closed"),
    "changed": _T(zh="变化的回答", en="Changed answers"),
    "unchanged": _T(zh="未变化", en="unchanged"),
    "added": _T(zh="新版本新增的检查项", en="Items added in the new version"),
    "removed": _T(zh="新版本删除的检查项", en="Items removed in the new version"),
    "no_changes": _T(zh="两次评估的回答没有变化。", en="No answer changed between the two assessments."),
    "hidden": _T(zh="已隐藏", en="hidden"),
    "absent_old": _T(zh="新检查项", en="new item"),
    "absent_new": _T(zh="检查项已删除", en="item removed"),
}
_ARROW = {"up": "↑", "down": "↓", "same": "="}


def _l(key: str, lang: str) -> str:
    return _L[key].get(lang)


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def _signed(d: float | None) -> str:
    if d is None:
        return "—"
    return "±0" if d == 0 else f"{d:+g}"


def _state(state: str, lang: str, side: str) -> str:
    """A word for an item state that is not a plain answer, or ''."""
    if state in ("scored", "answered", "unscored"):
        return ""
    if state == "absent":
        return _l("absent_old" if side == "old" else "absent_new", lang)
    if state == "unknown":
        return term("unknowns", lang)
    if state == "hidden":
        return _l("hidden", lang)
    return term(state, lang)  # na, out_of_scope


def _value(template: Template, item_id: str, value: object, lang: str) -> str:
    try:
        item = template.item(item_id)
    except KeyError:
        return "—" if value is None else str(value)
    try:
        return value_label(template, item, value, lang)
    except (TypeError, ValueError, IndexError):  # the old answer of an item whose type changed
        return str(value)


def _shown(template: Template, item_id: str, value: object, state: str, lang: str, side: str) -> str:
    """An answer in words, with its state when that is not a plain answer."""
    if state == "na":
        return term("na", lang)
    word = _state(state, lang, side)
    text = _value(template, item_id, value, lang)
    return f"{text} ({word})" if word else text


def _phase_side(in_scope: bool, s: float | None, lang: str) -> str:
    return term("out_of_scope", lang) if not in_scope else ("—" if s is None else f"{s:6.2f}")


def comparison_text(cmp: Comparison, template: Template, lang: str) -> str:
    """A readable summary of a comparison; the same numbers as its JSON. `template` is the newer one."""
    o, n = cmp.old, cmp.new
    out = [f"{template.title.get(lang)} · {_l('progress', lang)}", ""]
    out.append(f"{_l('baseline', lang)} {o.assessed_on or '—'} ({_l('version', lang)} {o.template_version})"
               f"  →  {_l('reassessment', lang)} {n.assessed_on or '—'} ({_l('version', lang)} {n.template_version})")
    out.append(f"{term('overall', lang)}: {_num(o.overall)} → {_num(n.overall)} ({_signed(cmp.overall_delta)})")
    arrow = f" {_ARROW[cmp.verdict_change]}" if cmp.verdict_change else ""
    out.append(f"{term('verdict', lang)}: {verdict_label(template, o.verdict, lang)} → "
               f"{verdict_label(template, n.verdict, lang)}{arrow}")
    out.append(f"{term('completion', lang)}: {o.completion:g}% → {n.completion:g}% ({_signed(cmp.completion_delta)})"
               f"   {term('blockers', lang)}: {o.blockers} → {n.blockers}   {term('gaps', lang)}: {o.gaps} → {n.gaps}")
    out.append("")
    for p in cmp.phases:
        out.append(f"  {p.title.get(lang):<14} {_phase_side(p.old_in_scope, p.old_score, lang):>8} → "
                   f"{_phase_side(p.new_in_scope, p.new_score, lang):>8}  ({_signed(p.delta)})")

    def gap_lines(key: str, mark: str, items: list[GapChange]) -> None:
        if not items:
            return
        out.append("")
        out.append(f"{_l(key, lang)} ({len(items)}):")
        for g in items:
            # item scores in [0, 1]; a side without a score says why (n/a, hidden, new item…)
            was = _state(g.old_state, lang, "old") or _num(g.old_score)
            now = _state(g.new_state, lang, "new") or _num(g.new_score)
            out.append(f"  {mark} {g.item_id} ({was} → {now}): {g.question.get(lang)}")

    gap_lines("blockers_resolved", "✓", cmp.blockers_resolved)
    gap_lines("blockers_new", "✗", cmp.blockers_new)
    gap_lines("gaps_closed", "✓", cmp.gaps_closed)
    gap_lines("gaps_opened", "✗", cmp.gaps_opened)
    gap_lines("gaps_improved", "↑", cmp.gaps_improved)
    gap_lines("gaps_worsened", "↓", cmp.gaps_worsened)
    gap_lines("gaps_not_reassessed", "?", cmp.gaps_not_reassessed)

    if cmp.actions_done:
        out.append("")
        out.append(f"{_l('actions_done', lang)} ({len(cmp.actions_done)}):")
        for a in cmp.actions_done:
            why = [_l(k, lang) for k, on in (("newly_done", a.newly_done), ("gap_closed", a.gap_closed)) if on]
            owner = f" · {a.owner}" if a.owner else ""
            out.append(f"  ✓ {a.item_id}{owner} ({', '.join(why)})")

    out += _changed_lines(cmp, template, lang)
    for key, refs in (("added", cmp.added), ("removed", cmp.removed)):
        if refs:
            out.append("")
            out.append(f"{_l(key, lang)} ({len(refs)}):")
            for r in refs:
                out.append(f"  {r.item_id}: {r.question.get(lang)}")
    out.append("")
    out.append(f"fingerprint {o.fingerprint[:16]} → {n.fingerprint[:16]}")
    return "\n".join(out)


def _changed_lines(cmp: Comparison, template: Template, lang: str) -> list[str]:
    """The changed answers, old → new, with the score delta and any change of confidence."""
    out: list[str] = []
    out.append("")
    if not cmp.changed:
        out.append(_l("no_changes", lang) + f" ({_l('unchanged', lang)}: {cmp.unchanged})")
    else:
        out.append(f"{_l('changed', lang)} ({len(cmp.changed)}; {_l('unchanged', lang)}: {cmp.unchanged}):")
        for c in cmp.changed:
            conf = ""
            if c.old_confidence != c.new_confidence:
                conf = (f"  [{term(c.old_confidence.value, lang) if c.old_confidence else '—'} → "
                        f"{term(c.new_confidence.value, lang) if c.new_confidence else '—'}]")
            delta = f"  ({_signed(c.delta)})" if c.delta is not None else ""
            out.append(f"  {c.item_id}: {_shown(template, c.item_id, c.old_value, c.old_state, lang, 'old')} → "
                       f"{_shown(template, c.item_id, c.new_value, c.new_state, lang, 'new')}{delta}{conf}")
    return out
