"""Targets and the projection of an action plan: when does the verdict stop being blocked?

One rule for what a planned action does: once it is done, each item it improves takes the answer it
expects, but only where that raises the item's score over its answer today and hides none of today's
questions (an action cannot plan a question away). A question that a planned answer brings into view
counts as unknown (its old answer was given while it was hidden). So an action never lowers a
projected score, and only answered, scored items move: a projection never invents an answer.

Dates: a done action counts from `today`; an open one from its due date, or from `today` when it is
overdue (it slipped: it can be done today at the earliest, never in the past); an open action without
a due date is not scheduled and stays out of the projection.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

from checklists import FrozenModel, Item, Template, is_shown

from .answers import Answer, Assessment
from .plan import ActionItem, ActionStatus
from .readiness import ReadinessResult, item_score, score

# The projection reaches every scheduled action, but never further than this many months.
MAX_MONTHS = 120
MIN_MONTHS = 6


# -- targets ------------------------------------------------------------------------------------------


class PhaseTarget(FrozenModel):
    phase: str
    level: str | None  # the target level id; None: no target
    min_score: float | None  # the score the target level starts at
    score: float | None  # the phase score today
    met: bool | None  # None when there is no target or no score


def phase_targets(template: Template, overrides: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """Phase id → target level id: the assessment's own where set, else the template's default.
    An override naming a level the template does not have is ignored (the template's default holds)."""
    levels = {lv.id for lv in template.levels}
    out: dict[str, str | None] = {}
    for ph in template.phases:
        own = (overrides or {}).get(ph.id)
        out[ph.id] = own if own in levels else template.targets.get(ph.id)
    return out


def target_status(template: Template, result: ReadinessResult,
                  overrides: Mapping[str, str | None] | None = None) -> list[PhaseTarget]:
    """Each phase's target, the score it starts at, and whether today's score reaches it."""
    minimum = {lv.id: lv.min_score for lv in template.levels}
    out = []
    for ph_id, level in phase_targets(template, overrides).items():
        ph = result.phase(ph_id)
        low = minimum.get(level) if level else None
        met = None if low is None or ph.score is None or not ph.in_scope else ph.score >= low
        out.append(PhaseTarget(phase=ph_id, level=level, min_score=low, score=ph.score, met=met))
    return out


# -- the projection -----------------------------------------------------------------------------------


class ProjectionPoint(FrozenModel):
    date: str
    score: float | None
    level: str | None
    verdict: str


class PlannedAction(FrozenModel):
    """An action as the projection reads it: when it counts, and whether it slipped."""

    item_id: str
    items: list[str]
    owner: str
    due: str | None
    status: ActionStatus
    effective: str  # the date from which it counts
    days_overdue: int  # 0 unless open past its due date
    resolves: list[str]  # today's blockers its expected answer meets


class Projection(FrozenModel):
    today: str
    points: list[ProjectionPoint]
    # the first date the verdict is no longer "blocked" if the plan holds; None: the plan never gets there
    ready_on: str | None
    # the open actions the ready-on date waits for, in date order
    critical_path: list[PlannedAction]
    # today's blockers with no action that has an owner and a due date
    unplanned_blockers: list[str]
    # today's blockers no scheduled action brings to a pass (why ready_on may be None)
    unresolved_blockers: list[str]
    slipped: list[PlannedAction]

    def to_json_points(self) -> list[dict]:
        return [p.model_dump(mode="json") for p in self.points]


def add_months(d: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def due_date(action: ActionItem) -> date | None:
    """The action's due date; None when it has none or it is not a date (YYYY-MM-DD): not scheduled."""
    try:
        return date.fromisoformat(action.due) if action.due and len(action.due) == 10 else None
    except ValueError:
        return None


def effective_on(action: ActionItem, today: date) -> date | None:
    """The date from which an action counts in the projection; None when it is not scheduled."""
    if action.status is ActionStatus.done:
        return today
    due = due_date(action)
    return None if due is None else max(due, today)


def _shown(template: Template, values: Mapping[str, object], items: dict[str, Item]) -> set[str]:
    return {it.id for it in template.items() if is_shown(it, dict(values), items)}


# item id → (action index, item score, expected value) of each action whose expected answer counts
Candidates = dict[str, list[tuple[int, float, object]]]


def _candidates(template: Template, result: ReadinessResult, assessment: Assessment,
                actions: Sequence[ActionItem]) -> Candidates:
    """Item id → (action index, score, expected value) of every action whose expected answer would
    count: the item is scored today, the answer raises its score and hides none of today's questions."""
    items = {it.id: it for it in template.items()}
    today_score = {r.id: item_score(items[r.id], r.value) for r in result.items if r.state == "scored"}
    values = {k: a.value for k, a in assessment.answers.items()}
    shown = _shown(template, values, items)
    out: Candidates = {}
    for n, action in enumerate(actions):
        if action.expect is None:
            continue
        for item_id in action.improves:
            item = items.get(item_id)
            before = today_score.get(item_id)
            if item is None or before is None:
                continue
            try:
                s = item_score(item, action.expect)
            except (KeyError, ValueError, TypeError, StopIteration, ZeroDivisionError):
                s = None  # a value this item does not allow has no effect
            if s is None or s <= before:
                continue
            if not shown <= _shown(template, {**values, item_id: action.expect}, items):
                continue
            out.setdefault(item_id, []).append((n, s, action.expect))
    return out


def _applied(template: Template, assessment: Assessment, chosen: Mapping[str, object]) -> Assessment:
    """The assessment with the chosen expected answers; questions they bring into view are unknown."""
    if not chosen:
        return assessment
    items = {it.id: it for it in template.items()}
    before = {k: a.value for k, a in assessment.answers.items()}
    answers = dict(assessment.answers)
    for item_id, value in chosen.items():
        old = answers.get(item_id, Answer())
        answers[item_id] = Answer(value=value, note=old.note, confidence=old.confidence)  # type: ignore[arg-type]
    after = {k: a.value for k, a in answers.items()}
    revealed = _shown(template, after, items) - _shown(template, before, items)
    for item_id in revealed:
        answers.pop(item_id, None)
    return assessment.model_copy(update={"answers": {k: answers[k] for k in sorted(answers)}})


def _choose(cands: Candidates, counted: set[int]) -> dict[str, object]:
    """Per item, the best expected answer among the counted actions (the earliest on a tie)."""
    out: dict[str, object] = {}
    for item_id, options in cands.items():
        live = [o for o in options if o[0] in counted]
        if live:
            best = max(live, key=lambda o: (o[1], -o[0]))
            out[item_id] = best[2]
    return out


def apply_plan(template: Template, assessment: Assessment, actions: Sequence[ActionItem], *,
               today: date, on: date | None = None) -> Assessment:
    """The answers if the actions counting by `on` are done (every scheduled action when `on` is None)."""
    result = score(template, assessment)
    cands = _candidates(template, result, assessment, actions)
    counted = {n for n, a in enumerate(actions)
               if (e := effective_on(a, today)) is not None and (on is None or e <= on)}
    return _applied(template, assessment, _choose(cands, counted))


def _months_shown(today: date, scheduled: Sequence[date]) -> int:
    """How many months the projection shows: at least MIN_MONTHS, enough to reach the last scheduled
    action, never more than MAX_MONTHS."""
    last = max(scheduled, default=today)
    months = MIN_MONTHS
    while add_months(today, months) < last and months < MAX_MONTHS:
        months += 1
    return months


class _PlanScores:
    """The result if the actions counting on a date are done. Dates with the same counted actions share
    one result, so each distinct step of the plan is scored once."""

    def __init__(self, template: Template, assessment: Assessment, cands: Candidates,
                 effective: Sequence[date | None]):
        self.template, self.assessment, self.cands, self.effective = template, assessment, cands, effective
        self.cache: dict[frozenset[int], ReadinessResult] = {}

    def on(self, day: date) -> ReadinessResult:
        counted = frozenset(n for n, e in enumerate(self.effective) if e is not None and e <= day)
        if counted not in self.cache:
            chosen = _choose(self.cands, set(counted))
            self.cache[counted] = score(self.template, _applied(self.template, self.assessment, chosen))
        return self.cache[counted]


def _first_unblocked(scores: _PlanScores, today: date, scheduled: Sequence[date]) -> date | None:
    """The first date (today or a scheduled action's) from which the verdict is not blocked."""
    return next((d for d in sorted({today, *scheduled}) if not scores.on(d).blocked), None)


def _blocker_fixes(template: Template, blockers: Sequence[str], cands: Candidates,
                   effective: Sequence[date | None]) -> tuple[dict[int, list[str]], dict[str, int]]:
    """Which of today's blockers each action's expected answer brings to a pass (action index →
    blockers), and per blocker the scheduled action that does so first (the lower index on a tie)."""
    items = {it.id: it for it in template.items()}
    resolves: dict[int, list[str]] = {}
    first_fix: dict[str, int] = {}
    for b in blockers:
        passing = [n for n, s, _v in cands.get(b, []) if s >= template.pass_score(items[b])]
        for n in passing:
            resolves.setdefault(n, []).append(b)
        dated = [n for n in passing if effective[n] is not None]
        if dated:
            first_fix[b] = min(dated, key=lambda n: (effective[n], n))
    return resolves, first_fix


def _planned(action: ActionItem, effective: date | None, today: date, resolves: list[str]) -> PlannedAction:
    """An action as the projection reads it; an open one past its due date counts its days overdue."""
    overdue = 0
    if action.status is not ActionStatus.done and (due := due_date(action)) is not None:
        overdue = max(0, (today - due).days)
    return PlannedAction(item_id=action.item_id, items=action.improves, owner=action.owner, due=action.due,
                         status=action.status, effective=(effective or today).isoformat(), days_overdue=overdue,
                         resolves=resolves)


def _unplanned(blockers: Sequence[str], actions: Sequence[ActionItem]) -> list[str]:
    """Today's blockers no action covers that is done or has an owner and a (valid) due date."""
    def covers(a: ActionItem, b: str) -> bool:
        return b in a.improves and (bool(a.owner.strip()) and due_date(a) is not None
                                    or a.status is ActionStatus.done)
    return [b for b in blockers if not any(covers(a, b) for a in actions)]


def project(template: Template, assessment: Assessment, actions: Sequence[ActionItem], *, today: date,
            months: int | None = None) -> Projection:
    """Month by month from `today`: score, level and verdict if the actions due by then are done; the
    first date the verdict is no longer blocked; the open actions it waits for; what slipped."""
    result = score(template, assessment)
    cands = _candidates(template, result, assessment, actions)
    eff = [effective_on(a, today) for a in actions]
    scheduled = [e for e in eff if e is not None]
    scores = _PlanScores(template, assessment, cands, eff)
    points = []
    for k in range((_months_shown(today, scheduled) if months is None else months) + 1):
        r = scores.on(d := add_months(today, k))
        points.append(ProjectionPoint(date=d.isoformat(), score=r.overall, level=r.level, verdict=r.verdict))
    ready_on = _first_unblocked(scores, today, scheduled)
    blockers = [g.item_id for g in result.blockers]
    resolves, first_fix = _blocker_fixes(template, blockers, cands, eff)

    def planned(n: int) -> PlannedAction:
        return _planned(actions[n], eff[n], today, resolves.get(n, []))

    order = {it.id: k for k, it in enumerate(template.items())}
    critical = sorted({n for n in first_fix.values() if actions[n].status is not ActionStatus.done},
                      key=lambda n: (eff[n], order.get(actions[n].item_id, len(order)), n))
    slipped = [n for n, a in enumerate(actions)
               if a.status is not ActionStatus.done and (due := due_date(a)) is not None and due < today]
    return Projection(
        today=today.isoformat(), points=points, ready_on=ready_on.isoformat() if ready_on else None,
        critical_path=[planned(n) for n in critical],
        unplanned_blockers=_unplanned(blockers, actions),
        unresolved_blockers=[b for b in blockers if b not in first_fix],
        slipped=[planned(n) for n in sorted(slipped, key=lambda n: (eff[n], n))])


# -- planned vs actual -------------------------------------------------------------------------------

Outcome = Literal["reached", "not_reached", "unanswered", "no_expectation"]


class ActionOutcome(FrozenModel):
    item_id: str  # the action's own item
    improved: str  # the item this row is about
    expect: object = None
    actual: object = None
    outcome: Outcome


def plan_outcomes(template: Template, actions: Sequence[ActionItem], later: Assessment) -> list[ActionOutcome]:
    """For each action of a baseline's plan and each item it improves: was the expected answer reached
    in the re-assessment? Reached means the new answer scores at least as well as the expected one."""
    items = {it.id: it for it in template.items()}
    result = score(template, later)
    state = {r.id: r for r in result.items}
    out = []
    for a in actions:
        for item_id in a.improves:
            item = items.get(item_id)
            if item is None:
                continue
            actual = later.answers.get(item_id, Answer()).value
            if a.expect is None:
                outcome: Outcome = "no_expectation"
            elif state[item_id].state != "scored":
                outcome = "unanswered"
            else:
                try:
                    want = item_score(item, a.expect)
                except (KeyError, ValueError, TypeError, StopIteration, ZeroDivisionError):
                    want = None
                got = state[item_id].score
                outcome = "reached" if want is not None and got is not None and got >= want - 1e-9 else "not_reached"
            out.append(ActionOutcome(item_id=a.item_id, improved=item_id, expect=a.expect, actual=actual,
                                     outcome=outcome))
    return out


# -- the roadmap ---------------------------------------------------------------------------------------

Horizon = Literal["now", "30", "90", "later", "unscheduled", "done"]
HORIZONS: tuple[str, ...] = ("now", "30", "90", "later", "unscheduled", "done")


def horizon(action: ActionItem, today: date) -> Horizon:
    """Where an action sits on the roadmap: now (overdue, due today or in progress), within 30 days,
    within 90 days, later, not scheduled (no due date), or done."""
    if action.status is ActionStatus.done:
        return "done"
    due = due_date(action)
    if due is None:
        return "now" if action.status is ActionStatus.in_progress else "unscheduled"
    days = (due - today).days
    if days <= 0 or action.status is ActionStatus.in_progress:
        return "now"
    if days <= 30:
        return "30"
    if days <= 90:
        return "90"
    return "later"


def roadmap(actions: Sequence[ActionItem], today: date) -> dict[str, list[ActionItem]]:
    """The plan by horizon (every horizon present, possibly empty), each in due-date order."""
    out: dict[str, list[ActionItem]] = {h: [] for h in HORIZONS}
    for a in sorted(actions, key=lambda a: (due_date(a) or date.max, a.item_id)):
        out[horizon(a, today)].append(a)
    return out
