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
from pathlib import Path
from typing import Any, Literal

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


class RequirementCatalogue(StrictModel):
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

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> RequirementCatalogue:
        if not _deferred(info):
            _raise_if(self.reference_problems())
        return self

    def requirement(self, req_id: str) -> Requirement:
        for r in self.requirements:
            if r.id == req_id:
                return r
        raise KeyError(req_id)


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


class CriteriaCatalogue(StrictModel):
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

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> CriteriaCatalogue:
        if not _deferred(info):
            _raise_if(self.reference_problems())
        return self

    def criterion(self, crit_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == crit_id:
                return c
        raise KeyError(crit_id)


# ── the vendor sheet (a team's answers) ──────────────────────────────────────────────────────


class SheetRequirement(StrictModel):
    """A requirement as the team tags it; `name` is needed only for the team's own requirements."""

    id: str = Field(pattern=_ID)
    tag: Tag
    name: Text | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("name", mode="before")
    @classmethod
    def _name_one_or_both(cls, v: object) -> object:
        return _one_or_both(v)

    @field_validator("note", mode="before")
    @classmethod
    def _note_clean(cls, v: object) -> object:
        return _clean_text(v)


class SheetCriterion(StrictModel):
    """A criterion with the team's weight (relative; weights are normalised when scoring)."""

    id: str = Field(pattern=_ID)
    weight: float = Field(ge=0, le=MAX_WEIGHT)
    name: Text | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("name", mode="before")
    @classmethod
    def _name_one_or_both(cls, v: object) -> object:
        return _one_or_both(v)

    @field_validator("note", mode="before")
    @classmethod
    def _note_clean(cls, v: object) -> object:
        return _clean_text(v)

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

    @field_validator("name", mode="before")
    @classmethod
    def _name_one_or_both(cls, v: object) -> object:
        return _one_or_both(v)

    @field_validator("pricing_model", mode="before")
    @classmethod
    def _no_pricing(cls, v: object) -> object:
        return None if v == "" else v

    @field_validator("note", "target_size", "strengths", "typical_features", mode="before")
    @classmethod
    def _note_clean(cls, v: object) -> object:
        return _clean_text(v)


class RequirementScore(StrictModel):
    """One evaluator's view of whether a vendor meets a requirement; a bare status is accepted."""

    status: Status
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @model_validator(mode="before")
    @classmethod
    def _short(cls, v: object) -> object:
        return {"status": v} if isinstance(v, str) else v

    @field_validator("note", mode="before")
    @classmethod
    def _note_clean(cls, v: object) -> object:
        return _clean_text(v)


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

    @field_validator("note", mode="before")
    @classmethod
    def _note_clean(cls, v: object) -> object:
        return _clean_text(v)


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


class VendorSheet(StrictModel):
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

    @field_validator("title", "organisation", "project", mode="before")
    @classmethod
    def _text_clean(cls, v: object) -> object:
        return _clean_text(v)

    def reference_problems(self) -> list[RefProblem]:
        """Every cross-reference problem, each with the path of the offending field."""
        return sheet_reference_problems(self.model_dump())

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> VendorSheet:
        if not _deferred(info):
            _raise_if(self.reference_problems())
        return self

    def evaluators(self) -> list[str]:
        return sorted(self.evaluations)

    def vendor(self, vendor_id: str) -> Vendor:
        for v in self.vendors:
            if v.id == vendor_id:
                return v
        raise KeyError(vendor_id)


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


def plain_message(err: dict[str, Any]) -> str:
    """Pydantic's message about a vendor model, in words a team member understands."""
    kind = err["type"]
    loc = err["loc"]
    last = loc[-1] if loc else ""
    ctx = err.get("ctx", {}) or {}
    got = err.get("input")
    shown = "" if isinstance(got, (dict, list)) else f" (got {clip(repr(got))})"
    if isinstance(got, str):
        got = clip(got)
    if kind == "extra_forbidden":
        return f"unknown key '{last}'"
    if kind == "missing":
        if last in ("zh", "en"):
            return f"missing translation '{last}'"
        return "missing name (zh and/or en; in a table: name_zh / name_en)" if last == "name" \
            else f"missing required field '{last}'"
    if last == "score" or (kind.startswith("int") and "criteria" in loc and last != "year"):
        return f"score must be a whole number from {SCORE_MIN} to {SCORE_MAX}{shown}"
    if last == "status":
        return f"status must be one of {', '.join(STATUSES)}{shown}"
    if last == "tag":
        return f"tag must be one of {', '.join(TAGS)}{shown}"
    if last == "default_tag":
        return f"default tag must be must or nice{shown}"
    if last == "pricing_model":
        return f"pricing model must be one of {', '.join(PRICING_MODELS)}{shown}"
    if last == "requirement_consolidation":
        return f"must be least or majority{shown}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"):
        what = "a whole number" if kind.startswith("int") else "a finite number" if kind == "finite_number" \
            else "a number"
        return f"'{got}' is not {what}" if not isinstance(got, (dict, list)) else f"expected {what}"
    if kind == "bool_parsing":
        return f"must be true or false{shown}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": "at least", "greater_than": "above",
              "less_than_equal": "at most", "less_than": "below"}[kind]
        limit = next(iter(ctx.values()), "")
        limit = f"{limit:g}" if isinstance(limit, (int, float)) else limit
        return f"must be {op} {limit}{shown}"
    if kind == "string_pattern_mismatch":
        return f"'{got}' is not a valid id (lowercase letters, digits and _, starting with a letter)"
    if kind in ("too_short", "too_long") and last == "score_labels":
        return f"exactly {SCORE_MAX} score labels are needed (levels {SCORE_MIN}-{SCORE_MAX})"
    if kind == "too_short":
        return f"'{last}' needs at least {ctx.get('min_length', 1)} entry"
    if kind in ("string_too_long", "too_long"):
        return f"too long (at most {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"{err['msg']}{shown}"


def _vendor_zh(err: dict[str, Any]) -> str | None:
    """The Chinese wording of the vendor-specific cases of `plain_message` (None: the generic one)."""
    kind = err["type"]
    loc = err["loc"]
    last = loc[-1] if loc else ""
    got = err.get("input")
    shown = "" if isinstance(got, (dict, list)) else f"（实际为 {clip(repr(got))}）"
    if kind == "missing" and last == "name":
        return "缺少名称（zh 和/或 en；表格中为 name_zh / name_en）"
    if kind in ("extra_forbidden", "missing"):
        return None
    if last == "score" or (kind.startswith("int") and "criteria" in loc and last != "year"):
        return f"评分必须是 {SCORE_MIN} 到 {SCORE_MAX} 的整数{shown}"
    if last == "status":
        return f"状态必须是 {'、'.join(STATUSES)} 之一{shown}"
    if last == "tag":
        return f"标签必须是 {'、'.join(TAGS)} 之一{shown}"
    if last == "default_tag":
        return f"默认标签必须是 must 或 nice{shown}"
    if last == "requirement_consolidation":
        return f"必须是 least 或 majority{shown}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"):
        what = "整数" if kind.startswith("int") else "有限的数" if kind == "finite_number" else "数"
        return f"“{clip(str(got))}”不是{what}" if not isinstance(got, (dict, list)) else f"应为{what}"
    if kind == "bool_parsing":
        return f"必须是 true 或 false{shown}"
    if kind == "string_pattern_mismatch":
        return f"“{clip(str(got))}”不是有效的 id（小写字母、数字和 _，以字母开头）"
    if kind in ("too_short", "too_long") and last == "score_labels":
        return f"需要正好 {SCORE_MAX} 个评分标签（{SCORE_MIN}–{SCORE_MAX} 级）"
    return None


def vendor_words(err: dict[str, Any]) -> Text:
    """A pydantic error about a vendor model in both languages: the vendor wording in English
    (`plain_message`) and in Chinese its own or the one translation's (`checklists.plain_words`)."""
    return Text(zh=_vendor_zh(err) or plain_words(err).zh, en=plain_message(err))


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


class _Located(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


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
