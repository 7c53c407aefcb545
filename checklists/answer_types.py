"""One definition per answer type: everything the product knows about an answer of a given type.

Each answer type (status, scale, choice, multi, number, text) is one object that knows the values an
item of that type allows, how a raw value from a file or a widget is normalised, the item score of an
answer, whether an answer counts as answered and as applicable, how several respondents' answers
combine into one, the answer in words and which widget asks for it. The scoring, the lint, the
workshop, the questionnaire, the reports and the command line ask the item's type object
(`item.kind`) instead of testing the type themselves; a new answer type is one new class here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from statistics import fmean, mean
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from .base import Invalid, Text

if TYPE_CHECKING:  # annotations only: the model imports this module
    from .model import Item, Template

NA = "na"
SCALE_MAX = 4
# A number answer (a KPI baseline) beyond this is a typo: it would also lose its digits as a float.
MAX_NUMBER = 1e15

STATUS_SCORES: dict[str, float] = {"yes": 1.0, "partial": 0.5, "no": 0.0}
"""The values of a status item, best first, and their item scores."""
STATUS_LABELS: dict[str, Text] = {
    "yes": Text(zh="是", en="Yes"),
    "partial": Text(zh="部分", en="Partial"),
    "no": Text(zh="否", en="No"),
}
NA_LABEL = Text(zh="不适用", en="Not applicable")

Value = str | int | float | list[str] | dict[str, str] | None
CombineMethod = Literal["mean", "min"]

_DIGITS = re.compile(r"[0-9]{1,6}")
_NA_WORDS = ("na", "n/a", "not applicable")


class AnswerType(str, Enum):  # noqa: UP042 - StrEnum changes str()/format() of members, which texts and exports use
    status = "status"
    scale = "scale"
    choice = "choice"
    multi = "multi"
    number = "number"
    text = "text"
    option_states = "option_states"


# The states of one option of an option-state list. Only "missing" is a gap; "not_relevant" leaves
# the option out of the share; "unexamined" is not known yet, so it is reported as unknown, never as a
# gap, and not written in an answer (an option without a state is not yet examined).
IN_PLACE, MISSING, NOT_RELEVANT, UNEXAMINED = "in_place", "missing", "not_relevant", "unexamined"
OPTION_STATES: dict[str, Text] = {
    IN_PLACE: Text(zh="已具备", en="In place"),
    MISSING: Text(zh="未具备", en="Not in place"),
    NOT_RELEVANT: Text(zh="不相关", en="Not relevant"),
    UNEXAMINED: Text(zh="尚未核查", en="Not yet examined"),
}
# the keys of an answer written as a mapping; an option of an option-state list cannot be named so
ANSWER_KEYS = ("value", "note", "reason", "confidence")


class NotAllowed(ValueError):
    """A value refused, with the reason in both languages (`str()` is the English form). Raised bare
    by a type object when "not allowed; expected …" is all there is to say."""

    def __init__(self, message: Text | None = None):
        self.message = message
        super().__init__(message.en if message else "not allowed")

    def text(self, lang: str) -> str:
        return self.message.get(lang) if self.message else str(self)


@dataclass(frozen=True)
class Widget:
    """What the questionnaire draws for an answer type.

    `kind`: a radio list, a multiselect, a number field or a text area; `horizontal`: a short radio
    list in one row; `na`: "option" when not applicable is one of the radio's options, "checkbox"
    when it is a checkbox beside the widget, "none" when the type has no not-applicable control."""

    kind: Literal["radio", "multiselect", "number", "text", "option_states"]
    horizontal: bool = False
    na: Literal["option", "checkbox", "none"] = "checkbox"


class AnswerKind:
    """The behaviour shared by the answer types; each type overrides what differs."""

    type: ClassVar[AnswerType]
    widget: ClassVar[Widget]
    # conditions (`depends_on`) and the facilitator's final answer pick from the allowed values
    fixed_values: ClassVar[bool] = True
    # an answer holds several values at once, so conditions asking for different values can all hold
    many_values: ClassVar[bool] = False
    # an answer is a question's answer (not a note): it counts toward progress and completion
    counts_for_progress: ClassVar[bool] = True
    # an answer is the respondent's own words (quoted, cut to a length, never scored)
    free_text: ClassVar[bool] = False
    # an answer may be written as a mapping of its own (so a mapping is the answer's fields only
    # when it has one of ANSWER_KEYS)
    mapping_value: ClassVar[bool] = False
    # how Krippendorff's alpha reads answers of this type (None: not part of the agreement figure)
    agreement_level: ClassVar[Literal["ordinal", "nominal"] | None] = None
    # an answer is a quantity that can be averaged and compared relative to a scale (numbers)
    quantity: ClassVar[bool] = False

    # -- the template side ---------------------------------------------------------------------
    def check_item(self, item: Item) -> None:
        """Raise ValueError when an item of this type lacks a field it needs or has one it cannot use."""
        t = self.type.value
        if item.options is not None:
            raise Invalid(f"只有 choice、multi 和 option_states 检查项可以有 options，{t} 不可以", f"options are only allowed on choice, multi and option_states items, not {t}")
        if item.scale_labels is not None:
            raise Invalid("只有 scale 检查项可以有 scale_labels", "scale_labels are only allowed on scale items")
        if item.number is not None:
            raise Invalid("只有 number 检查项可以有“number”块", "the 'number' block is only allowed on number items")

    def is_scored(self, item: Item) -> bool:
        return True

    def allowed_values(self, item: Item) -> list[str | int]:
        """Every value an answer may take (besides 'na' where allowed); empty means free input."""
        return []

    def allowed(self, item: Item) -> Text:
        """The values an item accepts, in words (n/a aside)."""
        raise NotImplementedError

    def best_value(self, item: Item) -> Value:
        """The highest-scoring answer (None for a type with no best answer)."""
        return None

    def best_score(self, item: Item) -> float:
        return 1.0

    # -- one answer ----------------------------------------------------------------------------
    def normalise(self, item: Item, raw: Any) -> Value:
        """The canonical form of a raw value (not None, not n/a), or NotAllowed."""
        raise NotImplementedError

    def score(self, item: Item, value: Any) -> float | None:
        """Score in [0, 1] of a normalised, applicable answer; None when it is not scored."""
        return None

    def is_answered(self, value: Any) -> bool:
        return value is not None

    def is_applicable(self, value: Any) -> bool:
        return value != NA

    def text(self, template: Template, item: Item, value: Any, lang: str) -> str:
        """A normalised, applicable answer in words."""
        return str(value)

    def unknown_parts(self, item: Item, value: Any) -> list[str]:
        """The parts of an answered item that are not known yet (an option-state list's options not
        yet examined); reported as unknown, never as a gap."""
        return []

    def worst_value(self, item: Item) -> Value:
        """The lowest-scoring answer (the first in the allowed order); None without allowed values."""
        values = self.allowed_values(item)
        return min(values, key=lambda v: self.score(item, v) or 0.0) if values else None

    def extremes(self, item: Item) -> tuple[Value, Value]:
        """The lowest- and the highest-scoring answer an unknown item can take (for an unscored type
        two arbitrary allowed answers): the two ends of its score range (scoring.score_range)."""
        return self.worst_value(item), self.best_value(item)

    # -- a room --------------------------------------------------------------------------------
    def combine(self, item: Item, values: Sequence[Any], method: CombineMethod,
                weights: Sequence[float] | None = None) -> Value:
        """One value from several respondents' applicable values: "min" the least favourable, "mean"
        the allowed value whose score is nearest the (weighted) mean score (ties to the lower score)."""
        scores = [self.score(item, v) or 0.0 for v in values]
        target = min(scores) if method == "min" else weighted_mean(scores, weights)
        cands = [(v, self.score(item, v) or 0.0) for v in self.allowed_values(item)]
        return min(cands, key=lambda vs: (abs(vs[1] - target), vs[1]))[0]

    def spread(self, item: Item, values: Sequence[Any]) -> float | None:
        """How far apart several applicable answers are beyond their scores, 0-1 (numbers: relative to
        the range or target; multi: Jaccard distance); None when the score spread says it all."""
        return None

    def tie(self, item: Item, values: Sequence[Any], weights: Sequence[float] | None = None) -> list[str]:
        """The values sharing the top count when two or more do and the type is nominal (choice): a
        tie "mean" must not resolve; [] otherwise."""
        return []

    def dropped(self, item: Item, values: Sequence[Any], combined: Any) -> list[str]:
        """The options some respondent chose (named, or said are in place) that the combined answer
        leaves out, in the template's order, so a view can say so; [] for a type without options."""
        return []


def weighted_mean(xs: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """The plain mean (exact, as the room's combination always was) unless the weights differ: then
    the weighted mean (an owning role's answers weighing more)."""
    if weights is None or len(set(weights)) <= 1:
        return mean(xs)
    return fmean(xs, weights=weights)


def jaccard_distance(a: Sequence[str], b: Sequence[str]) -> float:
    """1 - |a ∩ b| / |a ∪ b|; two empty selections agree (0)."""
    sa, sb = set(a or []), set(b or [])
    union = sa | sb
    return 1 - len(sa & sb) / len(union) if union else 0.0


def set_spread(selections: Sequence[Sequence[str]]) -> float:
    """How far apart selections are: the largest Jaccard distance between two of them (1 when two
    share nothing); 0 for fewer than two."""
    return max((jaccard_distance(a, b) for a, b in combinations(selections, 2)), default=0.0)


def number_scale(item: Item, numbers: Sequence[float]) -> float:
    """What a number spread is measured against: the item's target where it has one (its own
    yardstick), else its range (min/max) where it has both bounds, else the largest answer in size."""
    spec = item.number
    if spec is not None and spec.target:
        return abs(float(spec.target))
    lo, hi = (spec.min, spec.max) if spec is not None else (None, None)
    if lo is not None and hi is not None and hi > lo:
        return float(hi - lo)
    return max((abs(float(n)) for n in numbers), default=0.0)


def number_spread(item: Item, numbers: Sequence[float]) -> float:
    """(max - min) / `number_scale`, capped at 1: a 30 / 90 / 45-day baseline without a target or
    range spreads (90 - 30) / 90 = 0.67, a disagreement rather than a silent mean of 55."""
    if len(numbers) < 2:
        return 0.0
    scale = number_scale(item, numbers)
    if scale <= 0:
        return 0.0
    return min(1.0, (max(numbers) - min(numbers)) / scale)


def _number_text(value: float) -> str:
    """A number as people write it: whole numbers without decimals (30, not 30.0)."""
    return str(int(value)) if float(value).is_integer() else str(value)


def _options_text(item: Item, values: Sequence[str], lang: str) -> str:
    names = {o.id: o.label.get(lang) for o in item.options or []}
    return ("、" if lang == "zh" else ", ").join(names.get(v, str(v)) for v in values) or "—"


def _option_ids(item: Item) -> list[str]:
    return [o.id for o in item.options or []]


def _check_options(item: Item) -> list[str]:
    if item.scale_labels is not None:
        raise Invalid("只有 scale 检查项可以有 scale_labels", "scale_labels are only allowed on scale items")
    if item.number is not None:
        raise Invalid("只有 number 检查项可以有“number”块", "the 'number' block is only allowed on number items")
    ids = _option_ids(item)
    if len(ids) < 2:
        raise Invalid(f"{item.type.value} 检查项至少需要两个选项", f"a {item.type.value} item needs at least two options")
    if len(set(ids)) != len(ids):
        raise Invalid("选项 id 不能重复", "option ids must be unique")
    if NA in ids:
        raise Invalid("“na”保留给不适用；请给该选项改名", "'na' is reserved for not applicable; rename the option")
    return ids


def _check_scored_options(item: Item) -> None:
    _check_options(item)
    missing = [o.id for o in item.options or [] if o.score is None]
    if missing:
        raise Invalid(f"{item.type.value} 检查项的每个选项都需要 score；缺少：{', '.join(missing)}", f"every option of a {item.type.value} item needs a score; missing: {', '.join(missing)}")


class StatusType(AnswerKind):
    type = AnswerType.status
    widget = Widget("radio", horizontal=True)  # n/a is the checkbox every type has
    agreement_level = "ordinal"

    def allowed_values(self, item: Item) -> list[str | int]:
        return list(STATUS_SCORES)

    def allowed(self, item: Item) -> Text:
        return Text(zh="、".join(STATUS_SCORES), en=", ".join(STATUS_SCORES))

    def best_value(self, item: Item) -> Value:
        return next(iter(STATUS_SCORES))

    def normalise(self, item: Item, raw: Any) -> Value:
        # YAML 1.1 reads a bare yes/no as a boolean; accept it as the word the author typed
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        if isinstance(raw, str) and raw.strip().lower() in STATUS_SCORES:
            return raw.strip().lower()
        raise NotAllowed()

    def score(self, item: Item, value: Any) -> float | None:
        return STATUS_SCORES[str(value)]

    def text(self, template: Template, item: Item, value: Any, lang: str) -> str:
        label = STATUS_LABELS.get(str(value))
        return label.get(lang) if label else str(value)


class ScaleType(AnswerKind):
    type = AnswerType.scale
    widget = Widget("radio", horizontal=True)
    agreement_level = "ordinal"

    def check_item(self, item: Item) -> None:
        if item.options is not None:
            raise Invalid("只有 choice、multi 和 option_states 检查项可以有 options，scale 不可以", "options are only allowed on choice, multi and option_states items, not scale")
        if item.number is not None:
            raise Invalid("只有 number 检查项可以有“number”块", "the 'number' block is only allowed on number items")
        if item.scale_labels is not None and len(item.scale_labels) != SCALE_MAX + 1:
            raise Invalid(f"量表需要正好 {SCALE_MAX + 1} 个标签（0–{SCALE_MAX} 级）", f"a scale needs exactly {SCALE_MAX + 1} labels (levels 0-{SCALE_MAX})")

    def allowed_values(self, item: Item) -> list[str | int]:
        return list(range(SCALE_MAX + 1))

    def allowed(self, item: Item) -> Text:
        return Text(zh=f"0–{SCALE_MAX} 的整数", en=f"an integer 0-{SCALE_MAX}")

    def best_value(self, item: Item) -> Value:
        return SCALE_MAX

    def normalise(self, item: Item, raw: Any) -> Value:
        if isinstance(raw, bool):
            raise NotAllowed()
        # ASCII digits only: str.isdigit() also accepts '²', which int() refuses
        if isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
            raw = int(raw.strip())
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int) and 0 <= raw <= SCALE_MAX:
            return raw
        raise NotAllowed()

    def score(self, item: Item, value: Any) -> float | None:
        return int(value) / SCALE_MAX

    def text(self, template: Template, item: Item, value: Any, lang: str) -> str:
        labels = template.scale_labels(item)
        return f"{value} · {labels[int(value)].get(lang)}"


class ChoiceType(AnswerKind):
    type = AnswerType.choice
    widget = Widget("radio")
    agreement_level = "nominal"

    def check_item(self, item: Item) -> None:
        _check_scored_options(item)

    def allowed_values(self, item: Item) -> list[str | int]:
        return list(_option_ids(item))

    def allowed(self, item: Item) -> Text:
        ids = ", ".join(_option_ids(item))
        return Text(zh=f"{ids} 之一", en=f"one of {ids}")

    def best_value(self, item: Item) -> Value:
        return max(item.options or [], key=lambda o: o.score or 0).id

    def best_score(self, item: Item) -> float:
        return max(o.score or 0 for o in item.options or [])

    def normalise(self, item: Item, raw: Any) -> Value:
        if isinstance(raw, str) and raw in _option_ids(item):
            return raw
        raise NotAllowed()

    def score(self, item: Item, value: Any) -> float | None:
        return next(o.score or 0 for o in item.options or [] if o.id == value)

    def tie(self, item: Item, values: Sequence[Any], weights: Sequence[float] | None = None) -> list[str]:
        counts: dict[Any, float] = {}
        for v, w in zip(values, weights if weights is not None else [1.0] * len(values), strict=False):
            if v is not None and v != NA:
                counts[v] = counts.get(v, 0) + w
        if not counts:
            return []
        top = max(counts.values())
        tied = [i for i in _option_ids(item) if counts.get(i) == top]
        return tied if len(tied) >= 2 else []

    def text(self, template: Template, item: Item, value: Any, lang: str) -> str:
        return _options_text(item, [value], lang)


class MultiType(AnswerKind):
    type = AnswerType.multi
    widget = Widget("multiselect")
    many_values = True

    def check_item(self, item: Item) -> None:
        _check_scored_options(item)
        if sum(o.score or 0 for o in item.options or []) <= 0:
            raise Invalid("multi 检查项至少需要一个 score 大于 0 的选项", "a multi item needs at least one option with a score above 0")

    def allowed_values(self, item: Item) -> list[str | int]:
        return list(_option_ids(item))

    def allowed(self, item: Item) -> Text:
        ids = ", ".join(_option_ids(item))
        return Text(zh=f"由 {ids} 组成的列表", en=f"a list of {ids}")

    def best_value(self, item: Item) -> Value:
        return _option_ids(item)

    def normalise(self, item: Item, raw: Any) -> Value:
        if isinstance(raw, str):
            raw = [raw]
        ids = _option_ids(item)
        if isinstance(raw, list) and all(isinstance(v, str) and v in ids for v in raw):
            # keep the template's option order so equal selections compare (and hash) equal
            return [i for i in ids if i in raw]
        raise NotAllowed()

    def score(self, item: Item, value: Any) -> float | None:
        total = sum(o.score or 0 for o in item.options or [])
        chosen = sum(o.score or 0 for o in item.options or [] if o.id in (value or []))
        return chosen / total

    def text(self, template: Template, item: Item, value: Any, lang: str) -> str:
        return _options_text(item, value if isinstance(value, list) else [value], lang)

    def worst_value(self, item: Item) -> Value:
        return []

    def combine(self, item: Item, values: Sequence[Any], method: CombineMethod,
                weights: Sequence[float] | None = None) -> Value:
        """"min": the options every respondent chose; "mean": those at least half chose (half the
        weight, with weights)."""
        ids = _option_ids(item)
        sets = [set(v or []) for v in values]
        if not sets:
            return []
        w = list(weights) if weights is not None else [1.0] * len(sets)
        if method == "min":
            chosen = set.intersection(*sets)
        else:
            chosen = {i for i in ids if sum(x for s, x in zip(sets, w, strict=False) if i in s) * 2 >= sum(w)}
        return [i for i in ids if i in chosen]

    def spread(self, item: Item, values: Sequence[Any]) -> float | None:
        return set_spread([list(v or []) for v in values])

    def dropped(self, item: Item, values: Sequence[Any], combined: Any) -> list[str]:
        named = {i for v in values for i in (v or [])}
        kept = set(combined or [])
        return [i for i in _option_ids(item) if i in named and i not in kept]


class NumberType(AnswerKind):
    type = AnswerType.number
    widget = Widget("number")
    fixed_values = False
    quantity = True

    def check_item(self, item: Item) -> None:
        if item.options is not None:
            raise Invalid("只有 choice、multi 和 option_states 检查项可以有 options，number 不可以", "options are only allowed on choice, multi and option_states items, not number")
        if item.scale_labels is not None:
            raise Invalid("只有 scale 检查项可以有 scale_labels", "scale_labels are only allowed on scale items")
        if item.number is None:
            raise Invalid("number 检查项需要“number”块，至少写明单位", "a number item needs a 'number' block with at least its unit")

    def is_scored(self, item: Item) -> bool:
        return bool(item.number and item.number.scored)

    def allowed(self, item: Item) -> Text:
        spec = item.number
        if spec is None:
            return Text(zh="一个数", en="a number")
        lo, hi = (None if b is None else _number_text(b) for b in (spec.min, spec.max))
        zh, en = ("一个整数", "a whole number") if spec.integer else ("一个数", "a number")
        if lo is not None and hi is not None:
            zh, en = f"{zh}，范围 {lo}–{hi}", f"{en} from {lo} to {hi}"
        elif lo is not None:
            zh, en = f"{zh}，不小于 {lo}", f"{en} of at least {lo}"
        elif hi is not None:
            zh, en = f"{zh}，不大于 {hi}", f"{en} of at most {hi}"
        return Text(zh=f"{zh}（单位：{spec.unit.zh}）", en=f"{en} ({spec.unit.en})")

    def normalise(self, item: Item, raw: Any) -> Value:
        if isinstance(raw, bool):
            raise NotAllowed()
        if isinstance(raw, str):
            try:
                raw = float(raw.strip().replace(",", ""))
            except ValueError:
                raise NotAllowed() from None
        if not isinstance(raw, (int, float)):
            raise NotAllowed()
        # compared before any float(): a huge int cannot become one (OverflowError); nan fails both
        if not -MAX_NUMBER <= raw <= MAX_NUMBER:
            if isinstance(raw, int) or math.isfinite(raw):
                raise NotAllowed(Text(zh=f"超出范围；数值的绝对值最多为 {MAX_NUMBER:g}",
                                      en=f"is out of range; a number answer is at most {MAX_NUMBER:g} in size"))
            raise NotAllowed()
        value = int(raw) if float(raw).is_integer() else float(raw)
        spec = item.number
        if spec is not None and spec.integer and not isinstance(value, int):
            expected = self.allowed(item)
            raise NotAllowed(Text(zh=f"不是整数；应为{expected.zh}", en=f"is not a whole number; expected {expected.en}"))
        if spec is not None and not spec.within(value):
            expected = self.allowed(item)
            raise NotAllowed(Text(zh=f"超出范围；应为{expected.zh}", en=f"is out of range; expected {expected.en}"))
        return value

    def field(self, item: Item) -> dict[str, Any]:
        """The number field's bounds, step and display format (whole quantities show no decimals)."""
        spec = item.number
        if spec is not None and spec.integer:
            bounds: list[float | None] = [None if b is None else int(b) for b in (spec.min, spec.max)]
            return {"min_value": bounds[0], "max_value": bounds[1], "step": 1, "format": "%d"}
        bounds = [None if spec is None or b is None else float(b)
                  for b in ((spec.min, spec.max) if spec else (None, None))]
        return {"min_value": bounds[0], "max_value": bounds[1], "step": 1.0, "format": "%g"}

    def field_value(self, item: Item, value: Any) -> int | float | None:
        """A stored answer as the number field holds it (None when it holds none)."""
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        return int(value) if item.number is not None and item.number.integer else float(value)

    def score(self, item: Item, value: Any) -> float | None:
        spec = item.number
        if spec is None or not spec.scored or not spec.target:
            return None
        v, target = float(value), spec.target
        if spec.better == "higher":
            return max(0.0, min(1.0, v / target))
        # lower is better: at or under target is full marks; double the target (or more) is zero
        return 1.0 if v <= target else max(0.0, 1.0 - (v - target) / target)

    def text(self, template: Template, item: Item, value: Any, lang: str) -> str:
        shown = _number_text(value) if isinstance(value, (int, float)) else str(value)
        return f"{shown} {item.number.unit.get(lang)}" if item.number else shown

    def extremes(self, item: Item) -> tuple[Value, Value]:
        """The lowest- and highest-scoring numbers within the bounds (both the lower bound, or 0, when
        the number is not scored): 0 or the lower bound and the target when higher is better, twice
        the target (or the upper bound) and 0 (or the lower bound) when lower is better."""
        spec = item.number
        lo = spec.min if spec is not None and spec.min is not None else None
        hi = spec.max if spec is not None else None
        floor = lo if lo is not None else 0
        if spec is None or not spec.scored or not spec.target:
            return floor, floor
        if spec.better == "higher":
            return floor, (min(spec.target, hi) if hi is not None else spec.target)
        top = 2 * spec.target
        return (min(top, hi) if hi is not None else top), (lo if lo is not None and lo > 0 else 0)

    def combine(self, item: Item, values: Sequence[Any], method: CombineMethod,
                weights: Sequence[float] | None = None) -> Value:
        """"min": the least favourable number (the highest when lower is better); "mean": the
        (weighted) mean."""
        nums = [float(v) for v in values]
        if method == "min" and item.number and item.number.better == "lower":
            v = max(nums)
        elif method == "min":
            v = min(nums)
        else:
            v = round(weighted_mean(nums, weights), 4)
        return int(v) if float(v).is_integer() else v

    def spread(self, item: Item, values: Sequence[Any]) -> float | None:
        return number_spread(item, [float(v) for v in values])


class TextType(AnswerKind):
    type = AnswerType.text
    widget = Widget("text")
    fixed_values = False
    counts_for_progress = False
    free_text = True

    def check_item(self, item: Item) -> None:
        super().check_item(item)
        if item.criticality.value == "must":
            raise Invalid("text 检查项从不计分，因此不能是必备项", "a text item is never scored, so it cannot be a must")

    def is_scored(self, item: Item) -> bool:
        return False

    def allowed(self, item: Item) -> Text:
        return Text(zh="自由文本", en="free text")

    def best_score(self, item: Item) -> float:
        return 0.0

    def normalise(self, item: Item, raw: Any) -> Value:
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            return str(raw)
        raise NotAllowed()

    def extremes(self, item: Item) -> tuple[Value, Value]:
        return "", ""

    def combine(self, item: Item, values: Sequence[Any], method: CombineMethod,
                weights: Sequence[float] | None = None) -> Value:
        return "\n".join(str(v) for v in values)


class OptionStatesType(AnswerKind):
    """A list answered option by option: in place, not in place, not relevant, or not yet examined.

    The score is the share of relevant options in place: in place ÷ (in place + not in place). A
    "not relevant" option leaves the share, so ruling an option out never lowers the score; a "not
    yet examined" option is neither in nor out: it is reported as unknown. An answer holds the
    examined options only (template order); one with none examined is unanswered. A list of option
    ids (the form of a multi answer) reads as those in place and the others not in place."""

    type = AnswerType.option_states
    widget = Widget("option_states")
    fixed_values = False
    mapping_value = True

    def check_item(self, item: Item) -> None:
        ids = _check_options(item)
        scored = [o.id for o in item.options or [] if o.score is not None]
        if scored:
            raise Invalid(f"option_states 检查项的选项没有 score：每个相关选项同等计数（请删除 {', '.join(scored)} 的 score）",
                          "options of an option_states item have no score: each relevant option counts the "
                          f"same (remove the score of {', '.join(scored)})")
        reserved = [i for i in ids if i in ANSWER_KEYS]
        if reserved:
            raise Invalid(f"选项 id {', '.join(reserved)} 保留给回答的字段", f"option id(s) {', '.join(reserved)} are reserved for the fields of an answer")

    def allowed(self, item: Item) -> Text:
        ids = ", ".join(_option_ids(item))
        states = ", ".join(s for s in OPTION_STATES if s != UNEXAMINED)
        return Text(zh=f"选项（{ids}）到状态（{states}）的映射；未列出的选项为尚未核查",
                    en=f"a mapping of options ({ids}) to states ({states}); an option left out is not yet examined")

    def best_value(self, item: Item) -> Value:
        return {i: IN_PLACE for i in _option_ids(item)}

    def worst_value(self, item: Item) -> Value:
        return {i: MISSING for i in _option_ids(item)}

    def states(self, item: Item, value: Any) -> dict[str, str]:
        """Every option's state (template order), from a normalised answer or a stored multi-style list."""
        if isinstance(value, list):
            given = {i: IN_PLACE if i in value else MISSING for i in _option_ids(item)}
        else:
            given = value if isinstance(value, dict) else {}
        return {i: given.get(i, UNEXAMINED) for i in _option_ids(item)}

    def normalise(self, item: Item, raw: Any) -> Value:
        ids = _option_ids(item)
        if isinstance(raw, list) and all(isinstance(v, str) and v in ids for v in raw):
            return {i: IN_PLACE if i in raw else MISSING for i in ids}
        if not isinstance(raw, dict):
            raise NotAllowed()
        unknown = [str(k) for k in raw if k not in ids]
        if unknown:
            raise NotAllowed(Text(zh=f"含有未知选项 {', '.join(unknown)}；选项为 {', '.join(ids)}",
                                  en=f"names unknown option(s) {', '.join(unknown)}; the options are {', '.join(ids)}"))
        out: dict[str, str] = {}
        for i in ids:
            state = raw.get(i)
            state = state.strip().lower() if isinstance(state, str) else state
            if state is None or state == UNEXAMINED:
                continue
            if state not in OPTION_STATES:
                raise NotAllowed(Text(
                    zh=f"选项 {i} 的状态 {state!r} 无效；应为 {', '.join(OPTION_STATES)} 之一",
                    en=f"option {i} has the state {state!r}; expected one of {', '.join(OPTION_STATES)}"))
            out[i] = state
        return out or None

    def score(self, item: Item, value: Any) -> float | None:
        states = list(self.states(item, value).values())
        relevant = states.count(IN_PLACE) + states.count(MISSING)
        return states.count(IN_PLACE) / relevant if relevant else None

    def is_answered(self, value: Any) -> bool:
        return value is not None and value != {} and value != []

    def text(self, template: Template, item: Item, value: Any, lang: str) -> str:
        names = {o.id: o.label.get(lang) for o in item.options or []}
        by_state: dict[str, list[str]] = {}
        for i, state in self.states(item, value).items():
            by_state.setdefault(state, []).append(names[i])
        colon, sep, parts = ("：", "；", "、") if lang == "zh" else (": ", "; ", ", ")
        return sep.join(f"{OPTION_STATES[s].get(lang)}{colon}{parts.join(by_state[s])}"
                        for s in OPTION_STATES if s in by_state)

    def unknown_parts(self, item: Item, value: Any) -> list[str]:
        return [i for i, s in self.states(item, value).items() if s == UNEXAMINED]

    def combine(self, item: Item, values: Sequence[Any], method: CombineMethod,
                weights: Sequence[float] | None = None) -> Value:
        """Option by option, among the respondents who examined it: "not relevant" when most of them say
        so; otherwise "min" is not in place when anyone says so, "mean" in place only when most of those
        who find it relevant say so (a tie is not in place: a room that cannot agree is not ready).
        `weights` (one per answer, e.g. the owning role's answers counted more) weigh the majorities."""
        answers = [self.states(item, v) for v in values]
        ws = list(weights) if weights is not None else [1.0] * len(answers)
        out: dict[str, str] = {}
        for i in _option_ids(item):
            seen = [(a[i], w) for a, w in zip(answers, ws, strict=True) if a[i] != UNEXAMINED]
            if not seen:
                continue
            total = sum(w for _s, w in seen)
            if sum(w for s, w in seen if s == NOT_RELEVANT) * 2 > total:
                out[i] = NOT_RELEVANT
                continue
            yes = sum(w for s, w in seen if s == IN_PLACE)
            no = sum(w for s, w in seen if s == MISSING)
            if method == "min":
                out[i] = MISSING if no else IN_PLACE
            else:
                out[i] = IN_PLACE if yes > no else MISSING
        return out or None

    def spread(self, item: Item, values: Sequence[Any]) -> float | None:
        """The largest Jaccard distance between two respondents' examined (option, state) pairs: 1 when
        they agree on no option's state."""
        pairs = [[f"{i}={s}" for i, s in self.states(item, v).items() if s != UNEXAMINED] for v in values]
        return set_spread(pairs)

    def dropped(self, item: Item, values: Sequence[Any], combined: Any) -> list[str]:
        said = {i for v in values for i, s in self.states(item, v).items() if s == IN_PLACE}
        kept = {i for i, s in self.states(item, combined).items() if s == IN_PLACE}
        return [i for i in _option_ids(item) if i in said and i not in kept]

    def extremes(self, item: Item) -> tuple[Value, Value]:
        """Every option not in place (score 0) and every option in place (score 1)."""
        ids = _option_ids(item)
        return {i: MISSING for i in ids}, {i: IN_PLACE for i in ids}


ANSWER_TYPES: dict[AnswerType, AnswerKind] = {k.type: k for k in (
    StatusType(), ScaleType(), ChoiceType(), MultiType(), NumberType(), TextType(), OptionStatesType())}


def is_na_word(raw: Any) -> bool:
    """Whether a raw value says "not applicable" (na, n/a, not applicable; any case)."""
    return isinstance(raw, str) and raw.strip().lower() in _NA_WORDS
