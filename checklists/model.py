"""The content model: what a readiness checklist is, independent of any answers.

Templates are authored as YAML and validated into these frozen pydantic models. Every rule that
the scoring needs (weights, multipliers, thresholds, the pass score of a must item) lives here, read
from the template, so no view keeps a second copy.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import MAX_WEIGHT, StrictModel

PHASE_IDS: tuple[str, ...] = ("strategy", "process", "data", "team", "vendor")
STATUS_VALUES: tuple[str, ...] = ("yes", "partial", "no", "na")
NA = "na"
SCALE_MAX = 4

_ID = r"^[a-z][a-z0-9_]*$"
_ITEM_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+){1,3}$"


class Text(StrictModel):
    """A user-facing string in both product languages; neither may be blank."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("translation is blank")
        return v

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class AnswerType(str, Enum):
    status = "status"
    scale = "scale"
    choice = "choice"
    multi = "multi"
    number = "number"
    text = "text"


class Criticality(str, Enum):
    must = "must"
    should = "should"
    nice = "nice"


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
    """An answer option of a choice or multi item, with its own score in [0, 1]."""

    id: str = Field(pattern=_ID)
    label: Text
    score: float = Field(ge=0, le=1)


class NumberSpec(StrictModel):
    """A KPI baseline. Scored only when `scored` is true and a target exists."""

    unit: Text
    target: float | None = None
    better: Literal["higher", "lower"] = "higher"
    scored: bool = False

    @model_validator(mode="after")
    def _target_when_scored(self) -> NumberSpec:
        if self.scored and self.target is None:
            raise ValueError("a scored number needs a target")
        if self.scored and self.target is not None and self.target <= 0:
            raise ValueError("a scored number needs a target above 0")
        return self


class Condition(StrictModel):
    """Show an item only when another item's answer is one of `in`."""

    item: str = Field(pattern=_ITEM_ID)
    in_: list[Union[str, int]] = Field(alias="in", min_length=1)

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
    source: list[str] = Field(default_factory=list)

    @field_validator("depends_on", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, dict) else v

    @model_validator(mode="after")
    def _type_fields(self) -> Item:
        t = self.type
        if t in (AnswerType.choice, AnswerType.multi):
            if not self.options or len(self.options) < 2:
                raise ValueError(f"a {t.value} item needs at least two options")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError("option ids must be unique")
            if NA in ids:
                raise ValueError("'na' is reserved for not applicable; rename the option")
            if t is AnswerType.multi and sum(o.score for o in self.options) <= 0:
                raise ValueError("a multi item needs at least one option with a score above 0")
        elif self.options is not None:
            raise ValueError(f"options are only allowed on choice and multi items, not {t.value}")
        if self.scale_labels is not None:
            if t is not AnswerType.scale:
                raise ValueError("scale_labels are only allowed on scale items")
            if len(self.scale_labels) != SCALE_MAX + 1:
                raise ValueError(f"a scale needs exactly {SCALE_MAX + 1} labels (levels 0-{SCALE_MAX})")
        if t is AnswerType.number and self.number is None:
            raise ValueError("a number item needs a 'number' block with at least its unit")
        if t is not AnswerType.number and self.number is not None:
            raise ValueError("the 'number' block is only allowed on number items")
        if t is AnswerType.text and self.criticality is Criticality.must:
            raise ValueError("a text item is never scored, so it cannot be a must")
        return self

    @property
    def phase_id(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def section_id(self) -> str | None:
        parts = self.id.split(".")
        return parts[1] if len(parts) > 2 else None

    @property
    def scored(self) -> bool:
        if self.type is AnswerType.text:
            return False
        if self.type is AnswerType.number:
            return bool(self.number and self.number.scored)
        return True

    def allowed_values(self) -> list[Union[str, int]]:
        """Every value an answer may take (besides 'na' where allowed); empty means free input."""
        if self.type is AnswerType.status:
            return ["yes", "partial", "no"]
        if self.type is AnswerType.scale:
            return list(range(SCALE_MAX + 1))
        if self.type in (AnswerType.choice, AnswerType.multi):
            return [o.id for o in self.options or []]
        return []

    def best_score(self) -> float:
        if self.type in (AnswerType.status, AnswerType.scale, AnswerType.number, AnswerType.multi):
            return 1.0
        if self.type is AnswerType.choice:
            return max(o.score for o in self.options or [])
        return 0.0


class Section(StrictModel):
    """A named group of items inside a phase (the middle part of an item id)."""

    id: str = Field(pattern=_ID)
    title: Text


class Phase(StrictModel):
    id: Literal["strategy", "process", "data", "team", "vendor"]
    title: Text
    description: Text | None = None
    weight: float = Field(gt=0, le=MAX_WEIGHT)
    sections: list[Section] = Field(default_factory=list)
    items: list[Item] = Field(min_length=1)


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
    phases: list[Phase]
    sources: list[str] = Field(default_factory=list)

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


ItemId = Annotated[str, Field(pattern=_ITEM_ID)]
