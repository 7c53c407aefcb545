"""Vendor-selection content (requirements and criteria catalogues) and the team's vendor sheet.

Content and answers stay apart, as for templates: `requirements.yaml` and `criteria.yaml` are the
shipped catalogues (bilingual names, default tags and weights); a `VendorSheet` is what a team fills
in (its tags and weights, the shortlisted vendors, each evaluator's scores, costs, ROI inputs), keyed
by the catalogues' stable ids. A sheet is self-contained for scoring, so `vendors.evaluation` needs
nothing else; the catalogues only seed a new sheet and supply names the sheet leaves out.

Every model is strict (`extra="forbid"`) and frozen. Cross-reference rules (unique ids, scores that
name a declared vendor / requirement / criterion) are listed by `reference_problems()` so a file
loader can locate each one; a model built in code runs the same rules in its validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, Self, TypeVar

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from checklists import (
    MAX_WEIGHT,
    LocatedError,
    Problem,
    StrictModel,
    TemplateError,
    Text,
    YamlDocument,
    YamlProblems,
    clip,
    format_path,
    last_resort,
    plain_words,
    read_yaml_file,
)

SHIPPED_DIR = Path(__file__).resolve().parent
REQUIREMENTS_FILE = SHIPPED_DIR / "requirements.yaml"
CRITERIA_FILE = SHIPPED_DIR / "criteria.yaml"
EXAMPLE_SHEET_FILE = SHIPPED_DIR / "vendors_example.yaml"

TAGS: tuple[str, ...] = ("must", "nice", "not_needed")
STATUSES: tuple[str, ...] = ("meets", "partly", "does_not", "unknown")
COST_PARTS: tuple[str, ...] = ("licence", "implementation", "training", "customisation", "operations")
# the yearly figures of a return on investment, common to all vendors or one vendor's own
ROI_FIELDS: tuple[str, ...] = ("gains_per_year", "savings_per_year")
# How a vendor charges (seed 004's comparison columns): free, per user, per module, or by quote.
PRICING_MODELS: tuple[str, ...] = ("free", "per_user", "per_module", "quote")
# A vendor's profile beside its scores: who it is for, what it is good at, what it typically does, how it charges.
PROFILE_FIELDS: tuple[str, ...] = ("target_size", "strengths", "typical_features", "pricing_model")
SCORE_MIN, SCORE_MAX = 1, 5
MAX_YEARS = 15
MAX_NOTE = 2000
MAX_NAME = 200
MAX_AMOUNT = 1e12   # per year and part; far above any CRM budget, and exact in every file format
MAX_CURRENCY = 12   # characters of a currency name
MAX_DISCOUNT_RATE = 1.0   # a yearly discount rate of at most 100 %

Tag = Literal["must", "nice", "not_needed"]
DefaultTag = Literal["must", "nice"]
Status = Literal["meets", "partly", "does_not", "unknown"]
Consolidation = Literal["least", "majority"]
PricingModel = Literal["free", "per_user", "per_module", "quote"]

_ID = r"^[a-z][a-z0-9_]*$"
# Passed as validation context by file loaders, which locate reference problems themselves.
DEFER_REFERENCES = "defer_references"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

RefProblem = tuple[tuple[Any, ...], Text]


def _clean_text(v: object) -> object:
    """Free text: Windows line ends become \\n; other control characters are refused (they break
    XLSX cells and terminals)."""
    if v == "":
        return None  # an empty cell and a missing note are the same thing in every format
    if isinstance(v, str):
        v = v.replace("\r\n", "\n").replace("\r", "\n")
        if _CONTROL.search(v):
            raise ValueError("contains a control character; use plain text")
    return v


def _cents(v: float) -> float:
    """Money is kept to the cent: exact in YAML, CSV and XLSX (which stores 15-16 digits)."""
    return round(v, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _one_or_both(v: object) -> object:
    """A sheet name may be one plain string, used for both languages (teams type one name)."""
    if isinstance(v, str):
        return {"zh": v, "en": v}
    return v


def _deferred(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(DEFER_REFERENCES))


def _raise_if(problems: list[RefProblem]) -> None:
    if problems:
        raise ValueError("; ".join(f"{format_path(p) or 'sheet'}: {m.en}" for p, m in problems))


# what each kind of declared thing is called in a problem
_KIND_ZH = {"group": "分组", "requirement": "需求", "criterion": "标准", "vendor": "供应商"}


def _duplicates(ids: list[str], path: tuple[Any, ...], what: str) -> list[RefProblem]:
    out: list[RefProblem] = []
    seen: dict[str, int] = {}
    for i, x in enumerate(ids):
        if x in seen:
            out.append((path + (i, "id"), Text(
                zh=f"重复的{_KIND_ZH[what]} id“{x}”（第一次出现在第 {seen[x] + 1} 项）",
                en=f"duplicate {what} id '{x}' (first at position {seen[x] + 1})")))
        else:
            seen[x] = i
    return out


class _CrossChecked(StrictModel):
    """A model whose cross-references (each id declared once, every reference to a declared id) are
    checked once its fields are; a loader defers them (`DEFER_REFERENCES`) to list them together
    with the shape problems, each located."""

    def reference_problems(self) -> list[RefProblem]:
        """Every cross-reference problem, each with the path of the offending field."""
        return []

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Self:
        if not _deferred(info):
            _raise_if(self.reference_problems())
        return self


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Entry = TypeVar("_Entry", bound=_HasId)


def _by_id(entries: list[_Entry], wanted: str) -> _Entry:
    """The entry with id `wanted` (KeyError when there is none)."""
    for entry in entries:
        if entry.id == wanted:
            return entry
    raise KeyError(wanted)


# ── the catalogues (shipped content) ─────────────────────────────────────────────────────────


class RequirementGroup(StrictModel):
    id: str = Field(pattern=_ID)
    title: Text


class Requirement(StrictModel):
    """One capability a CRM may offer, with the business value that justifies asking for it."""

    id: str = Field(pattern=_ID)
    group: str = Field(pattern=_ID)
    name: Text
    value: Text
    default_tag: DefaultTag
    source: list[str] = Field(default_factory=list)


class RequirementCatalogue(_CrossChecked):
    id: str = Field(pattern=_ID)
    version: str = Field(min_length=1)
    title: Text
    description: Text
    groups: list[RequirementGroup] = Field(min_length=1)
    requirements: list[Requirement] = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)

    def reference_problems(self) -> list[RefProblem]:
        out = _duplicates([g.id for g in self.groups], ("groups",), "group")
        out += _duplicates([r.id for r in self.requirements], ("requirements",), "requirement")
        groups = {g.id for g in self.groups}
        for i, r in enumerate(self.requirements):
            if r.group not in groups:
                declared = ", ".join(sorted(groups))
                out.append((("requirements", i, "group"), Text(
                    zh=f"分组“{r.group}”未声明（已声明：{declared}）",
                    en=f"group '{r.group}' is not declared (declared: {declared})")))
        return out

    def requirement(self, req_id: str) -> Requirement:
        return _by_id(self.requirements, req_id)


class Criterion(StrictModel):
    """A selection criterion scored 1-5 per vendor; `weight` is its default relative weight."""

    id: str = Field(pattern=_ID)
    name: Text
    description: Text
    weight: float = Field(gt=0, le=MAX_WEIGHT)
    source: list[str] = Field(default_factory=list)


class VendorSettings(StrictModel):
    """Rules of a comparison that a team may change."""

    # A must-have that is only partly met is always flagged; it knocks the vendor out only when set.
    partly_on_must_disqualifies: bool = False
    years: int = Field(default=3, ge=1, le=MAX_YEARS)
    # Yearly rate to discount later years' costs and gains; none means plain sums.
    discount_rate: float | None = Field(default=None, ge=0, le=MAX_DISCOUNT_RATE)

    @field_validator("discount_rate", mode="after")
    @classmethod
    def _six_places(cls, v: float | None) -> float | None:
        return None if v is None else round(v, 6)

    # How several evaluators' requirement statuses become one: least favourable, or majority.
    requirement_consolidation: Consolidation = "least"


class CriteriaCatalogue(_CrossChecked):
    id: str = Field(pattern=_ID)
    version: str = Field(min_length=1)
    title: Text
    description: Text
    score_labels: list[Text] = Field(min_length=SCORE_MAX, max_length=SCORE_MAX)
    criteria: list[Criterion] = Field(min_length=1)
    settings: VendorSettings = VendorSettings()
    sources: list[str] = Field(default_factory=list)

    def reference_problems(self) -> list[RefProblem]:
        return _duplicates([c.id for c in self.criteria], ("criteria",), "criterion")

    def criterion(self, crit_id: str) -> Criterion:
        return _by_id(self.criteria, crit_id)


# ── the vendor sheet (a team's answers) ──────────────────────────────────────────────────────


class SheetRequirement(StrictModel):
    """A requirement as the team tags it; `name` is needed only for the team's own requirements."""

    id: str = Field(pattern=_ID)
    tag: Tag
    name: Text | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    _names = field_validator("name", mode="before")(_one_or_both)
    _texts = field_validator("note", mode="before")(_clean_text)


class SheetCriterion(StrictModel):
    """A criterion with the team's weight (relative; weights are normalised when scoring)."""

    id: str = Field(pattern=_ID)
    weight: float = Field(ge=0, le=MAX_WEIGHT)
    name: Text | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    _names = field_validator("name", mode="before")(_one_or_both)
    _texts = field_validator("note", mode="before")(_clean_text)

    @field_validator("weight", mode="after")
    @classmethod
    def _six_places(cls, v: float) -> float:
        return round(v, 6)


class Vendor(StrictModel):
    """A shortlisted vendor and its profile (seed 004's comparison columns); only the name is needed."""

    id: str = Field(pattern=_ID)
    name: Text
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    target_size: str | None = Field(default=None, max_length=MAX_NAME)        # e.g. small and growing firms
    strengths: str | None = Field(default=None, max_length=MAX_NOTE)
    typical_features: str | None = Field(default=None, max_length=MAX_NOTE)
    pricing_model: PricingModel | None = None

    _names = field_validator("name", mode="before")(_one_or_both)

    @field_validator("pricing_model", mode="before")
    @classmethod
    def _no_pricing(cls, v: object) -> object:
        return None if v == "" else v

    _texts = field_validator("note", "target_size", "strengths", "typical_features", mode="before")(_clean_text)


class RequirementScore(StrictModel):
    """One evaluator's view of whether a vendor meets a requirement; a bare status is accepted."""

    status: Status
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @model_validator(mode="before")
    @classmethod
    def _short(cls, v: object) -> object:
        return {"status": v} if isinstance(v, str) else v

    _texts = field_validator("note", mode="before")(_clean_text)


class CriterionScore(StrictModel):
    """One evaluator's 1-5 score of a vendor on a criterion; a bare number is accepted."""

    score: int = Field(ge=SCORE_MIN, le=SCORE_MAX)
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @model_validator(mode="before")
    @classmethod
    def _short(cls, v: object) -> object:
        if isinstance(v, bool):
            raise ValueError(f"a score must be a whole number from {SCORE_MIN} to {SCORE_MAX}")
        return {"score": v} if isinstance(v, (int, float, str)) else v

    _texts = field_validator("note", mode="before")(_clean_text)


class VendorEvaluation(StrictModel):
    """What one evaluator said about one vendor; anything left out counts as unknown / unscored."""

    requirements: dict[str, RequirementScore] = Field(default_factory=dict)
    criteria: dict[str, CriterionScore] = Field(default_factory=dict)


class YearCost(StrictModel):
    """A vendor's cost in one year of use, in the five parts of total cost of ownership."""

    year: int = Field(ge=1, le=MAX_YEARS)
    licence: float = Field(default=0, ge=0, le=MAX_AMOUNT)          # licence / subscription
    implementation: float = Field(default=0, ge=0, le=MAX_AMOUNT)   # consulting, configuration, data migration
    training: float = Field(default=0, ge=0, le=MAX_AMOUNT)
    customisation: float = Field(default=0, ge=0, le=MAX_AMOUNT)    # custom development and integration
    operations: float = Field(default=0, ge=0, le=MAX_AMOUNT)       # operations, upgrades and support

    @field_validator(*COST_PARTS, mode="after")
    @classmethod
    def _cents(cls, v: float) -> float:
        return _cents(v)

    def total(self) -> float:
        return sum(getattr(self, p) for p in COST_PARTS)


class VendorRoi(StrictModel):
    """A vendor-specific override of the expected yearly gains or savings."""

    gains_per_year: float | None = Field(default=None, ge=0, le=MAX_AMOUNT)
    savings_per_year: float | None = Field(default=None, ge=0, le=MAX_AMOUNT)

    @field_validator("gains_per_year", "savings_per_year", mode="after")
    @classmethod
    def _cents(cls, v: float | None) -> float | None:
        return None if v is None else _cents(v)


class RoiInputs(StrictModel):
    """Expected yearly benefits: extra revenue (gains) and cost savings, the same for every vendor
    unless a vendor has its own figures."""

    gains_per_year: float = Field(default=0, ge=0, le=MAX_AMOUNT)
    savings_per_year: float = Field(default=0, ge=0, le=MAX_AMOUNT)
    vendors: dict[str, VendorRoi] = Field(default_factory=dict)

    @field_validator("gains_per_year", "savings_per_year", mode="after")
    @classmethod
    def _cents(cls, v: float) -> float:
        return _cents(v)

    @field_validator("vendors", mode="after")
    @classmethod
    def _drop_empty(cls, v: dict[str, VendorRoi]) -> dict[str, VendorRoi]:
        return {vid: o for vid, o in v.items() if o.gains_per_year is not None or o.savings_per_year is not None}

    def for_vendor(self, vendor_id: str) -> tuple[float, float]:
        o = self.vendors.get(vendor_id)
        gains = o.gains_per_year if o and o.gains_per_year is not None else self.gains_per_year
        savings = o.savings_per_year if o and o.savings_per_year is not None else self.savings_per_year
        return gains, savings


class VendorSheet(_CrossChecked):
    """A team's requirements and vendor comparison: tags, weights, vendors, scores, costs, ROI."""

    title: str | None = Field(default=None, max_length=MAX_NAME)
    organisation: str | None = Field(default=None, max_length=MAX_NAME)
    project: str | None = Field(default=None, max_length=MAX_NAME)
    currency: str = Field(default="CNY", min_length=1, max_length=MAX_CURRENCY)
    settings: VendorSettings = VendorSettings()
    requirements: list[SheetRequirement] = Field(default_factory=list)
    criteria: list[SheetCriterion] = Field(min_length=1)
    vendors: list[Vendor] = Field(min_length=1)
    # evaluator name → vendor id → evaluation
    evaluations: dict[str, dict[str, VendorEvaluation]] = Field(default_factory=dict)
    # vendor id → costs per year of use
    costs: dict[str, list[YearCost]] = Field(default_factory=dict)
    roi: RoiInputs = RoiInputs()

    @field_validator("evaluations", mode="after")
    @classmethod
    def _drop_empty(cls, v: dict[str, dict[str, VendorEvaluation]]) -> dict[str, dict[str, VendorEvaluation]]:
        # an evaluator exists through the scores they gave; an empty entry says nothing (and a table
        # cannot hold one), so it is dropped to keep every format equivalent
        out = {}
        for who, by_vendor in v.items():
            kept = {vid: ev for vid, ev in by_vendor.items() if ev.requirements or ev.criteria}
            if kept:
                out[who] = kept
        return out

    @field_validator("costs", mode="after")
    @classmethod
    def _years_in_order(cls, v: dict[str, list[YearCost]]) -> dict[str, list[YearCost]]:
        # one canonical order, so every file format writes (and reads back) the same sheet
        return {vid: sorted(years, key=lambda c: c.year) for vid, years in v.items() if years}

    _texts = field_validator("title", "organisation", "project", mode="before")(_clean_text)

    def reference_problems(self) -> list[RefProblem]:
        """Every cross-reference problem, each with the path of the offending field."""
        return sheet_reference_problems(self.model_dump())

    def evaluators(self) -> list[str]:
        return sorted(self.evaluations)

    def vendor(self, vendor_id: str) -> Vendor:
        return _by_id(self.vendors, vendor_id)


def sheet_reference_problems(data: Any) -> list[RefProblem]:
    """The sheet's cross-reference rules on plain data. Defensive about shapes, so a loader can list
    these problems together with shape errors, all in one go."""
    if not isinstance(data, dict):
        return []

    def seq(key: str) -> list[dict[str, Any]]:
        v = data.get(key)
        return [x if isinstance(x, dict) else {} for x in v] if isinstance(v, list) else []

    def mapping(v: Any) -> dict[Any, Any]:
        return v if isinstance(v, dict) else {}

    def ids(key: str) -> list[str]:
        return [i for x in seq(key) if isinstance(i := x.get("id"), str)]

    out = _duplicates([str(x.get("id")) for x in seq("requirements")], ("requirements",), "requirement")
    out += _duplicates([str(x.get("id")) for x in seq("criteria")], ("criteria",), "criterion")
    out += _duplicates([str(x.get("id")) for x in seq("vendors")], ("vendors",), "vendor")
    weights = [x.get("weight") for x in seq("criteria")]
    numbers = [w for w in weights if isinstance(w, (int, float)) and not isinstance(w, bool)]
    if weights and len(numbers) == len(weights) and sum(numbers) <= 0:
        out.append((("criteria",), Text(zh="至少一个标准的权重须大于 0",
                                        en="at least one criterion needs a weight above 0")))
    vendors, reqs, crits = ids("vendors"), ids("requirements"), ids("criteria")

    out += _evaluation_problems(mapping(data.get("evaluations")), vendors, reqs, crits)
    out += _cost_problems(mapping(data.get("costs")), vendors)
    for vid in mapping(mapping(data.get("roi")).get("vendors")):
        if vid not in vendors:
            out.append((("roi", "vendors", vid), _unknown("vendor", vid, vendors)))
    return out


def _mapping(v: Any) -> dict[Any, Any]:
    return v if isinstance(v, dict) else {}


def _unknown(what: str, x: Any, known: list[str]) -> Text:
    return Text(zh=f"未知的{_KIND_ZH[what]}“{x}”（已声明：{'、'.join(known) or '无'}）",
                en=f"unknown {what} '{x}' (declared: {', '.join(known) or 'none'})")


def _evaluation_problems(evaluations: dict[Any, Any], vendors: list[str], reqs: list[str],
                         crits: list[str]) -> list[RefProblem]:
    """Evaluator names and the vendors, requirements and criteria their scores refer to."""
    out: list[RefProblem] = []
    for who, by_vendor in evaluations.items():
        if not isinstance(who, str) or not who.strip() or who != who.strip() or _CONTROL.search(who):
            out.append((("evaluations", who), Text(zh=f"评估人姓名 {who!r} 必须是非空文本，且首尾不能有空格",
                                                   en=f"evaluator name {who!r} must be non-blank text "
                                                   "without leading or trailing spaces")))
        for vid, ev in _mapping(by_vendor).items():
            if vid not in vendors:
                out.append((("evaluations", who, vid), _unknown("vendor", vid, vendors)))
                continue
            for rid in _mapping(_mapping(ev).get("requirements")):
                if rid not in reqs:
                    out.append((("evaluations", who, vid, "requirements", rid), _unknown("requirement", rid, reqs)))
            for cid in _mapping(_mapping(ev).get("criteria")):
                if cid not in crits:
                    out.append((("evaluations", who, vid, "criteria", cid), _unknown("criterion", cid, crits)))
    return out


def _cost_problems(costs: dict[Any, Any], vendors: list[str]) -> list[RefProblem]:
    """Costs name declared vendors and give each year once."""
    out: list[RefProblem] = []
    for vid, years in costs.items():
        if vid not in vendors:
            out.append((("costs", vid), _unknown("vendor", vid, vendors)))
            continue
        seen: set[Any] = set()
        for i, yc in enumerate(years if isinstance(years, list) else []):
            year = yc.get("year") if isinstance(yc, dict) else None
            if year is None or isinstance(year, (list, dict)):  # unhashable: the field check reports it
                continue
            if year in seen:
                out.append((("costs", vid, i, "year"), Text(zh=f"“{vid}”的第 {year} 年出现了两次",
                                                            en=f"year {year} is given twice for '{vid}'")))
            seen.add(year)
    return out


# ── errors and located loading ───────────────────────────────────────────────────────────────


class VendorContentError(TemplateError):
    """A requirements or criteria catalogue that cannot be used; every problem, located."""


class VendorSheetError(LocatedError):
    """A vendor sheet (YAML, CSV or XLSX) that cannot be used; `problems` (the same as `located`) are
    every problem, located."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = self.located


def vendor_words(err: dict[str, Any]) -> Text:
    """A pydantic error about a vendor model in words a team member understands, in both languages:
    the vendor cases here, the rest from the one translation (`checklists.plain_words`)."""
    generic = plain_words(err)
    loc = err["loc"]
    last = loc[-1] if loc else ""
    got = err.get("input")
    listish = isinstance(got, (dict, list))
    shown = _Shown(zh="" if listish else f"（实际为 {clip(repr(got))}）", en="" if listish else f" (got {clip(repr(got))})")
    return _field_words(err, str(last), shown) or _kind_words(err, str(last), shown, generic) or generic


@dataclass(frozen=True)
class _Shown:
    """The refused value as quoted after a message, in each language ("" for a list or mapping)."""

    zh: str
    en: str


def _field_words(err: dict[str, Any], last: str, shown: _Shown) -> Text | None:
    """The vendor fields whose every wrong value has one wording: scores, statuses, tags, choices."""
    kind = err["type"]
    if kind in ("extra_forbidden", "missing"):
        return None
    if last == "score" or (kind.startswith("int") and "criteria" in err["loc"] and last != "year"):
        return Text(zh=f"评分必须是 {SCORE_MIN} 到 {SCORE_MAX} 的整数{shown.zh}",
                    en=f"score must be a whole number from {SCORE_MIN} to {SCORE_MAX}{shown.en}")
    choices = {"status": ("状态", "status", STATUSES), "tag": ("标签", "tag", TAGS),
               "default_tag": ("默认标签", "default tag", ("must", "nice")),
               "pricing_model": ("定价模式", "pricing model", PRICING_MODELS),
               "requirement_consolidation": ("", "", ("least", "majority"))}
    if last not in choices:
        return None
    zh, en, allowed = choices[last]
    if len(allowed) == 2:
        return Text(zh=f"{zh}必须是 {allowed[0]} 或 {allowed[1]}{shown.zh}",
                    en=f"{en + ' ' if en else ''}must be {allowed[0]} or {allowed[1]}{shown.en}")
    return Text(zh=f"{zh}必须是 {'、'.join(allowed)} 之一{shown.zh}",
                en=f"{en} must be one of {', '.join(allowed)}{shown.en}")


_NUMBER_KINDS = ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number")
_BOUNDS = {"greater_than_equal": "at least", "greater_than": "above", "less_than_equal": "at most", "less_than": "below"}


def _kind_words(err: dict[str, Any], last: str, shown: _Shown, generic: Text) -> Text | None:
    """The vendor wording of pydantic's kinds of error (numbers, bounds, ids, a name, score labels)."""
    kind = err["type"]
    got = err.get("input")
    text = clip(str(got))
    if kind == "missing" and last == "name":
        return Text(zh="缺少名称（zh 和/或 en；表格中为 name_zh / name_en）",
                    en="missing name (zh and/or en; in a table: name_zh / name_en)")
    if kind in _NUMBER_KINDS:
        zh, en = ("整数", "a whole number") if kind.startswith("int") else \
            ("有限的数", "a finite number") if kind == "finite_number" else ("数", "a number")
        if isinstance(got, (dict, list)):
            return Text(zh=f"应为{zh}", en=f"expected {en}")
        return Text(zh=f"“{text}”不是{zh}", en=f"'{text}' is not {en}")
    if kind == "bool_parsing":
        return Text(zh=f"必须是 true 或 false{shown.zh}", en=f"must be true or false{shown.en}")
    if kind in _BOUNDS:
        limit = next(iter((err.get("ctx") or {}).values()), "")
        limit = f"{limit:g}" if isinstance(limit, (int, float)) else limit
        return Text(zh=generic.zh, en=f"must be {_BOUNDS[kind]} {limit}{shown.en}")
    if kind == "string_pattern_mismatch":
        return Text(zh=f"“{text}”不是有效的 id（小写字母、数字和 _，以字母开头）",
                    en=f"'{text}' is not a valid id (lowercase letters, digits and _, starting with a letter)")
    if kind in ("too_short", "too_long") and last == "score_labels":
        return Text(zh=f"需要正好 {SCORE_MAX} 个评分标签（{SCORE_MIN}–{SCORE_MAX} 级）",
                    en=f"exactly {SCORE_MAX} score labels are needed (levels {SCORE_MIN}-{SCORE_MAX})")
    return None


Locate = Callable[[tuple[Any, ...], Any], Problem]


def validate_located(cls: type[StrictModel], data: Any, locate: Locate) -> Any:
    """Validate `data` as `cls`; return the model, or raise `ValueError` carrying located problems
    (pydantic's shape errors and then the cross-reference problems, all at once)."""
    try:
        model = cls.model_validate(data, context={DEFER_REFERENCES: True})
    except ValidationError as e:
        problems = [locate(tuple(err["loc"]), vendor_words(dict(err))) for err in e.errors()]
        if cls is VendorSheet:
            problems += [locate(path, msg) for path, msg in sheet_reference_problems(data)]
        raise _Located(problems) from None
    refs = model.reference_problems()  # type: ignore[attr-defined]
    if refs:
        raise _Located([locate(path, msg) for path, msg in refs])
    return model


class _Located(LocatedError, ValueError):
    """Located problems raised where a caller expects a ValueError (a model being validated)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = self.located


def _load(cls: type[StrictModel], path: str | Path, error: type[Exception], what: str) -> Any:
    with last_resort(str(path), error, (error,)):
        try:
            doc = read_yaml_file(path)
        except YamlProblems as e:
            raise error(e.problems) from None
        return parse_document(cls, doc, error, what)


_DOCUMENT_ZH = {"vendor sheet": "供应商对比表", "requirements catalogue": "需求目录", "criteria catalogue": "标准目录"}


def parse_document(cls: type[StrictModel], doc: YamlDocument, error: type[Exception], what: str) -> Any:
    """A parsed YAML document → model, or `error` listing every located problem."""
    with last_resort(doc.file, error, (error,)):
        if not isinstance(doc.data, dict):
            raise error([doc.problem((), Text(zh=f"{_DOCUMENT_ZH[what]}必须是键的映射", en=f"a {what} must be a mapping of keys"))])
        try:
            return validate_located(cls, doc.data, doc.problem)
        except _Located as e:
            raise error(e.problems) from None


def parse_requirements(doc: YamlDocument) -> RequirementCatalogue:
    """A parsed requirements catalogue → model; raise `VendorContentError` with every located problem."""
    return parse_document(RequirementCatalogue, doc, VendorContentError, "requirements catalogue")


def parse_criteria(doc: YamlDocument) -> CriteriaCatalogue:
    """A parsed criteria catalogue → model; raise `VendorContentError` with every located problem."""
    return parse_document(CriteriaCatalogue, doc, VendorContentError, "criteria catalogue")


def load_requirements(path: str | Path = REQUIREMENTS_FILE) -> RequirementCatalogue:
    """Load and validate a requirements catalogue; raise `VendorContentError` with every problem."""
    return _load(RequirementCatalogue, path, VendorContentError, "requirements catalogue")


def load_criteria(path: str | Path = CRITERIA_FILE) -> CriteriaCatalogue:
    """Load and validate a criteria catalogue; raise `VendorContentError` with every problem."""
    return _load(CriteriaCatalogue, path, VendorContentError, "criteria catalogue")


def parse_vendor_sheet(doc: YamlDocument) -> VendorSheet:
    return parse_document(VendorSheet, doc, VendorSheetError, "vendor sheet")


def load_vendor_sheet(path: str | Path = EXAMPLE_SHEET_FILE) -> VendorSheet:
    """Load a vendor sheet written as YAML; raise `VendorSheetError` with every located problem."""
    return _load(VendorSheet, path, VendorSheetError, "vendor sheet")


def new_sheet(requirements: RequirementCatalogue, criteria: CriteriaCatalogue,
              vendors: list[Vendor] | None = None, **meta: Any) -> VendorSheet:
    """An empty sheet seeded from the catalogues: default tags, default weights, their settings.
    Names are copied so an exported sheet reads on its own in a spreadsheet."""
    return VendorSheet(
        requirements=[SheetRequirement(id=r.id, tag=r.default_tag, name=r.name) for r in requirements.requirements],
        criteria=[SheetCriterion(id=c.id, weight=c.weight, name=c.name) for c in criteria.criteria],
        vendors=list(vendors or []) or [Vendor(id="vendor_a", name=Text(zh="供应商甲", en="Vendor A"))],
        settings=criteria.settings,
        **meta,
    )
