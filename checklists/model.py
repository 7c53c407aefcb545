"""The content model: what a readiness checklist is, independent of any answers.

Templates are authored as YAML and validated into these frozen pydantic models. Every rule that
the scoring needs (weights, multipliers, thresholds, the pass score of a must item) lives here, read
from the template, so no view keeps a second copy.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .answer_types import ANSWER_TYPES, SCALE_MAX, AnswerKind, AnswerType
from .base import MAX_WEIGHT, Invalid, StrictModel, Text

PHASE_IDS: tuple[str, ...] = ("strategy", "process", "data", "team", "vendor")

_ID = r"^[a-z][a-z0-9_]*$"
_ITEM_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+){1,3}$"


class Criticality(str, Enum):  # noqa: UP042 - StrEnum changes str()/format() of members, which texts and exports use
    must = "must"
    should = "should"
    nice = "nice"


class Role(StrictModel):
    """A role in the room (sales, marketing, IT, finance, leadership…) that can own items. A respondent's
    free-text role ("销售总监 Sales director") is matched to it by its id, its labels and its aliases
    (`Template.role_of`)."""

    id: str = Field(pattern=_ID)
    label: Text
    aliases: list[str] = Field(default_factory=list)

    def keys(self) -> list[str]:
        return [self.id.replace("_", " "), self.label.zh, self.label.en, *self.aliases]


def _role_matches(key: str, text: str) -> bool:
    """A Latin key matches as whole words (so "IT" is not found in "editor"), any other as a substring."""
    key = key.strip().lower()
    if not key:
        return False
    if key.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", text) is not None
    return key in text


class Level(StrictModel):
    """A named readiness level reached at `min_score` (0-100) and above."""

    id: str = Field(pattern=_ID)
    min_score: float = Field(ge=0, le=100)
    label: Text
    description: Text | None = None


class Multipliers(StrictModel):
    """How much more a must item weighs than a should or nice item."""

    must: float = Field(gt=0, le=MAX_WEIGHT)
    should: float = Field(gt=0, le=MAX_WEIGHT)
    nice: float = Field(gt=0, le=MAX_WEIGHT)

    def of(self, criticality: Criticality) -> float:
        return getattr(self, criticality.value)


class Option(StrictModel):
    """An answer option of a choice or multi item, with its own score in [0, 1]; an option of an
    option-state list has none (each relevant option counts the same)."""

    id: str = Field(pattern=_ID)
    label: Text
    score: float | None = Field(default=None, ge=0, le=1)


class NumberSpec(StrictModel):
    """A KPI baseline: its unit, the range a real value can take, and whether it is a whole quantity.
    Scored only when `scored` is true and a target exists."""

    unit: Text
    # the smallest and largest value a real answer can take (a percentage 0-100, days at least 0)
    min: float | None = None
    max: float | None = None
    # a whole quantity (days, people): answers are whole numbers and the field steps by one
    integer: bool = False
    target: float | None = None
    better: Literal["higher", "lower"] = "higher"
    scored: bool = False

    @model_validator(mode="after")
    def _target_when_scored(self) -> NumberSpec:
        if self.scored and self.target is None:
            raise Invalid("计分的数值项需要 target", "a scored number needs a target")
        if self.scored and self.target is not None and self.target <= 0:
            raise Invalid("计分的数值项需要大于 0 的 target", "a scored number needs a target above 0")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise Invalid(f"min {self.min:g} 大于 max {self.max:g}", f"min {self.min:g} is above max {self.max:g}")
        if self.integer and any(b is not None and not float(b).is_integer() for b in (self.min, self.max)):
            raise Invalid("整数项的上下限必须是整数", "the bounds of a whole-number item must be whole numbers")
        if self.target is not None and not self.within(self.target):
            raise Invalid(f"target {self.target:g} 超出 min/max 范围", f"the target {self.target:g} is outside min/max")
        return self

    def within(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Condition(StrictModel):
    """Show an item only when another item's answer is one of `in`."""

    item: str = Field(pattern=_ITEM_ID)
    in_: list[str | int] = Field(alias="in", min_length=1)

    model_config = ConfigDict(populate_by_name=True)  # merged with the strict base


class Item(StrictModel):
    id: str = Field(pattern=_ITEM_ID)
    question: Text
    guidance: Text
    type: AnswerType
    weight: float = Field(default=1.0, gt=0, le=MAX_WEIGHT)
    criticality: Criticality = Criticality.should
    recommendation: Text
    evidence: Text | None = None
    depends_on: list[Condition] = Field(default_factory=list)
    allow_na: bool = True
    # The minimum item score at which a must item counts as met; defaults to the template's.
    pass_score: float | None = Field(default=None, gt=0, le=1)
    options: list[Option] | None = None
    scale_labels: list[Text] | None = None
    number: NumberSpec | None = None
    # the roles that own the item; unset = its section's roles, else its phase's (Template.owner_roles)
    roles: list[str] | None = None
    source: list[str] = Field(default_factory=list)

    @field_validator("depends_on", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, dict) else v

    @model_validator(mode="after")
    def _type_fields(self) -> Item:
        self.kind.check_item(self)
        return self

    @property
    def kind(self) -> AnswerKind:
        """The behaviour of this item's answer type (values, score, words, widget)."""
        return ANSWER_TYPES[self.type]

    @property
    def phase_id(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def section_id(self) -> str | None:
        parts = self.id.split(".")
        return parts[1] if len(parts) > 2 else None

    @property
    def scored(self) -> bool:
        return self.kind.is_scored(self)

    def allowed_values(self) -> list[str | int]:
        """Every value an answer may take (besides 'na' where allowed); empty means free input."""
        return self.kind.allowed_values(self)

    def best_score(self) -> float:
        return self.kind.best_score(self)


class Section(StrictModel):
    """A named group of items inside a phase (the middle part of an item id)."""

    id: str = Field(pattern=_ID)
    title: Text
    # the roles owning this section's items unless an item names its own
    roles: list[str] = Field(default_factory=list)


class Phase(StrictModel):
    id: Literal["strategy", "process", "data", "team", "vendor"]
    title: Text
    description: Text | None = None
    weight: float = Field(gt=0, le=MAX_WEIGHT)
    # the roles owning this phase's items unless a section or an item names its own
    roles: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    items: list[Item] = Field(min_length=1)


class WorkshopRules(StrictModel):
    """How a workshop room's answers are read: when two role groups diverge enough to list the item
    (`divergence`, 0-1 on the item score), and how much more an owning role's answer weighs in the
    combined answer (`owner_weight`; 1 = everyone alike)."""

    divergence: float = Field(default=0.5, gt=0, le=1)
    owner_weight: float = Field(default=1.0, ge=1, le=MAX_WEIGHT)


class Template(StrictModel):
    """A readiness checklist: five phases in canonical order, levels and scoring rules."""

    id: str = Field(pattern=_ID)
    version: str = Field(min_length=1)
    title: Text
    description: Text
    levels: list[Level] = Field(min_length=1)
    multipliers: Multipliers
    # A must item scoring below this is a blocker: 1.0 means partial is not enough, 0.5 means it is.
    must_pass_score: float = Field(default=1.0, gt=0, le=1)
    # Below this completion (%) the verdict is "incomplete": a score over a few answers is not a level.
    min_completion: float = Field(default=50.0, ge=0, le=100)
    default_scale_labels: list[Text] | None = None
    workshop: WorkshopRules = Field(default_factory=WorkshopRules)
    # the roles items can be tagged with (phase, section or item `roles:`)
    roles: list[Role] = Field(default_factory=list)
    phases: list[Phase]
    sources: list[str] = Field(default_factory=list)
    # The level each phase aims at (phase id -> level id); an assessment may set its own.
    targets: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _targets_known(self) -> Template:
        phases, levels = {ph.id for ph in self.phases}, [lv.id for lv in self.levels]
        for phase_id, level_id in self.targets.items():
            if phase_id not in phases:
                raise ValueError(f"targets: '{phase_id}' is not a phase of this template")
            if level_id not in levels:
                raise ValueError(f"targets: '{level_id}' is not a level ({', '.join(levels)})")
        return self

    def owner_roles(self, item: Item) -> list[str]:
        """The roles owning an item: its own `roles`, else its section's, else its phase's ([] = none)."""
        if item.roles is not None:
            return list(item.roles)
        ph = self.phase(item.phase_id)
        section = next((sec for sec in ph.sections if sec.id == item.section_id), None)
        if section is not None and section.roles:
            return list(section.roles)
        return list(ph.roles)

    def role_of(self, text: str | None) -> str | None:
        """The template role a respondent's free-text role names (first declared match), or None."""
        low = (text or "").strip().lower()
        if not low:
            return None
        for role in self.roles:
            if any(_role_matches(k, low) for k in role.keys()):  # noqa: SIM118 - Role.keys() is a method of the role, not a dict
                return role.id
        return None

    def items(self) -> list[Item]:
        return [it for ph in self.phases for it in ph.items]

    def item(self, item_id: str) -> Item:
        for it in self.items():
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def question_number(self, item_id: str) -> str:
        """"2.14": phase position and item position in the template, so a room can say "question 2.14"
        and find it on the page, in the report and in the exports; stable while the template is."""
        for p, ph in enumerate(self.phases, start=1):
            for i, it in enumerate(ph.items, start=1):
                if it.id == item_id:
                    return f"{p}.{i}"
        raise KeyError(item_id)

    def phase(self, phase_id: str) -> Phase:
        for ph in self.phases:
            if ph.id == phase_id:
                return ph
        raise KeyError(phase_id)

    def pass_score(self, item: Item) -> float:
        return item.pass_score if item.pass_score is not None else self.must_pass_score

    def scale_labels(self, item: Item) -> list[Text]:
        return item.scale_labels or self.default_scale_labels or [
            Text(zh=str(i), en=str(i)) for i in range(SCALE_MAX + 1)
        ]

    def level_for(self, score: float) -> Level:
        reached = [lv for lv in self.levels if lv.min_score <= score]
        return reached[-1] if reached else self.levels[0]

