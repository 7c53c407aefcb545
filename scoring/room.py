"""A workshop room's result in one call: the same numbers for the app and for `cli.py workshop`.

`room_result` takes every respondent's answers (and their free-text roles) and returns the combined
answers, their readiness result and score range, the agenda, Krippendorff's alpha, the role-group
divergence list and the owner coverage guard. The app's workshop page and the offline command call it
alike, so a room answered on laptops and the same answers as files give identical figures.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ConfigDict

from checklists import FrozenModel, Template

from .agreement import Agreement, RoleDivergence, agreement, role_divergences
from .answers import Answer, Assessment
from .readiness import ReadinessResult, score
from .score_range import ScoreRange, score_range
from .workshop import (
    DEFAULT_SPREAD_THRESHOLD,
    ConsolidationMethod,
    Disagreement,
    OwnerGap,
    consolidate,
    disagreements,
    owner_coverage,
    respondent_roles,
)


class RoomRespondent(FrozenModel):
    name: str
    role: str | None = None
    role_id: str | None = None  # the template role the free-text role names
    answered: int


class RoomResult(FrozenModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    method: ConsolidationMethod
    threshold: float
    respondents: list[RoomRespondent]
    assessment: Assessment
    result: ReadinessResult
    range: ScoreRange
    agenda: list[Disagreement]
    agreement: Agreement
    role_divergence: list[RoleDivergence]
    owner_coverage: list[OwnerGap]

    def to_json(self) -> str:
        """The machine form: the result's own keys, the range (score_range, verdict_range, …), and
        `room` with the agenda, `alpha` figures and the `role_divergence` list; byte-identical for the
        same answers."""
        data = json.loads(self.result.to_json())
        data.update(self.range.to_cli())
        data["room"] = {
            "method": self.method, "threshold": self.threshold,
            "respondents": [r.model_dump(mode="json") for r in self.respondents],
            "agenda": [{**d.model_dump(mode="json"), "on_agenda": d.on_agenda} for d in self.agenda],
            "alpha": {
                "respondents": self.agreement.respondents,
                "overall": _alpha(self.agreement.overall.model_dump(mode="json")),
                "phases": {p.phase: _alpha(p.model_dump(mode="json")) for p in self.agreement.phases},
            },
            "role_divergence": [d.model_dump(mode="json") for d in self.role_divergence],
            "owner_coverage": [g.model_dump(mode="json") for g in self.owner_coverage],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)


def _alpha(d: dict) -> dict:
    d.pop("phase", None)
    return d


def room_result(template: Template, by_respondent: Mapping[str, Mapping[str, Answer]],
                roles: Mapping[str, str | None] | None = None, *, method: ConsolidationMethod = "mean",
                threshold: float = DEFAULT_SPREAD_THRESHOLD, final: Mapping[str, Answer] | None = None,
                out_of_scope: Mapping[str, str] | None = None, meta: Mapping[str, str | None] | None = None,
                divergence: float | None = None) -> RoomResult:
    """Everything a workshop shows for these answers (see the module docstring). `roles` maps
    respondents to their free-text roles; role groups for the divergence list are the template roles
    they name, or the text itself when it names none. `meta` fills the combined assessment's
    organisation, project, assessed_on, respondent and language."""
    roles = dict(roles or {})
    answers = {who: dict(a) for who, a in by_respondent.items()}
    combined = consolidate(template, answers, method, final=dict(final or {}), roles=roles)
    filled: dict[str, Any] = {k: v for k, v in (meta or {}).items() if v is not None}
    assessment = Assessment(template=template.id, template_version=template.version, answers=combined,
                            out_of_scope=dict(out_of_scope or {}), **filled)
    mapped = respondent_roles(template, roles)
    groups = {who: mapped.get(who) or (roles.get(who) or "").strip() or None for who in answers}
    return RoomResult(
        method=method, threshold=threshold,
        respondents=[RoomRespondent(name=who, role=roles.get(who), role_id=mapped.get(who),
                                    answered=sum(a.is_answered for a in answers[who].values()))
                     for who in sorted(answers)],
        assessment=assessment, result=score(template, assessment), range=score_range(template, assessment),
        agenda=disagreements(template, answers, threshold, method, final),
        agreement=agreement(template, answers),
        role_divergence=role_divergences(template, answers, {w: g for w, g in groups.items() if g}, divergence),
        owner_coverage=owner_coverage(template, answers, roles, out_of_scope=list(out_of_scope or {})))


def unique_names(names: Sequence[str]) -> list[str]:
    """Respondent names made unique in order: a repeated name gets " (2)", " (3)" …"""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out
