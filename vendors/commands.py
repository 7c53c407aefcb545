"""Every edit of a vendor sheet as a typed command, applied by one function.

A command is a frozen value naming what changes (a requirement's tag, a criterion's weight, a vendor
list, an evaluator's scores …). `apply_command(sheet, command)` returns the new, validated sheet or
raises `CommandRefused` listing every problem located by the field it concerns (for example
`criteria.functional_fit.weight`), in the same words as a refused sheet file; nothing else changes.

Cells typed into a table arrive as raw values (text, numbers, NaN for an empty cell): the
`…_from_cells` constructors turn them into commands, refusing what is not a number with its field.
A field left at `KEEP` is not changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from checklists import LocatedError, Problem, StrictModel, Text, format_path

from .model import (
    COST_PARTS,
    PROFILE_FIELDS,
    ROI_FIELDS,
    STATUSES,
    CriteriaCatalogue,
    RequirementCatalogue,
    Tag,
    VendorSheet,
    validate_located,
)

C = TypeVar("C")
SHEET = "vendor sheet"   # the "file" of a problem found in an edit (there is no file)
_SLUG = re.compile(r"[^a-z0-9]+")


class Keep(Enum):
    KEEP = "keep"


KEEP = Keep.KEEP   # a field a command leaves as it is


class CommandRefused(LocatedError):
    """An edit that was not applied; `problems` (the same as `located`) say where and why, and the
    sheet is unchanged."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = self.located

    def texts(self, lang: str) -> list[str]:
        return [describe(p, lang) for p in self.located]


def describe(problem: Problem, lang: str = "en") -> str:
    """A problem of an edit in words: "field: message" (an edit has no file or line to name); a
    problem of a file (an imported sheet) with its place."""
    if problem.file != SHEET:
        return problem.located(lang)
    colon = "：" if lang == "zh" else ": "
    return f"{problem.field}{colon}{problem.text(lang)}" if problem.field else problem.text(lang)


def _problem(field: str, message: Text) -> Problem:
    return Problem.of(SHEET, None, field, message)


def refuse(field: str, message: Text) -> CommandRefused:
    return CommandRefused([_problem(field, message)])


# ── reading table cells ──────────────────────────────────────────────────────────────────────


def cell_text(v: Any) -> str | None:
    """A cell as text: blank and missing (None, NaN) are the same thing."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    s = str(v).strip()
    return s or None


def cell_number(v: Any, field: str) -> float | None:
    """A cell as a number (thousands separators allowed); None when blank; refused when not a number."""
    if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise refuse(field, _not_a_number(v))
    try:
        return float(str(v).replace(",", "")) if isinstance(v, str) else float(v)
    except ValueError:
        raise refuse(field, _not_a_number(v)) from None


def _not_a_number(v: Any) -> Text:
    return Text(zh=f"“{v}”不是数", en=f"'{v}' is not a number")


def cell_score(v: Any, field: str) -> int | float | None:
    """A 1-5 score cell: whole numbers as int; anything else goes to the model, which says what is wrong."""
    x = cell_number(v, field)
    return int(x) if x is not None and x.is_integer() else x


class _Cells:
    """Reads the cells of one command, keeping every refused cell, so that a command is refused with
    all of them at once (`command`), never just the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def number(self, v: Any, field: str) -> float | None:
        """The cell as a number (None when blank or refused)."""
        return self._read(cell_number, v, field)

    def score(self, v: Any, field: str) -> int | float | None:
        """The cell as a 1-5 score (None when blank or refused)."""
        return self._read(cell_score, v, field)

    def _read(self, parse: Callable[[Any, str], Any], v: Any, field: str) -> Any:
        try:
            return parse(v, field)
        except CommandRefused as e:
            self.problems += e.problems
            return None

    def command(self, make: Callable[[], C]) -> C:
        """The command, or `CommandRefused` listing every refused cell."""
        if self.problems:
            raise CommandRefused(self.problems)
        return make()


def _set_given(target: dict[str, Any], edit: Any, fields: tuple[str, ...]) -> None:
    """The `fields` of `edit` that are given (not KEEP), written into `target`."""
    for k in fields:
        value = getattr(edit, k)
        if value is not KEEP:
            target[k] = value


def _edit_rows(rows: list[dict[str, Any]], edits: tuple[Any, ...], fields: tuple[str, ...]) -> None:
    """Each edit's given fields into the row of its id (a row removed meanwhile is skipped)."""
    by_id = {r["id"]: r for r in rows}
    for e in edits:
        if e.id in by_id:
            _set_given(by_id[e.id], e, fields)


# ── validation, located by id ────────────────────────────────────────────────────────────────


def _readable(path: tuple[Any, ...], data: Mapping[str, Any]) -> str:
    """A field path with list positions named by the entry's id: requirements.cpq.tag, not requirements[3].tag."""
    out: list[Any] = []
    node: Any = data
    for key in path:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node) \
                and isinstance(node[key], dict) and isinstance(node[key].get("id"), str):
            out.append(node[key]["id"])
        else:
            out.append(key)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return format_path(tuple(out))


def checked(cls: type[StrictModel], data: dict[str, Any]) -> Any:
    """`data` validated as `cls`, or `CommandRefused` with every problem located by field."""
    try:
        return validate_located(cls, data, lambda path, msg: _problem(_readable(path, data), msg))
    except ValueError as e:
        raise CommandRefused(list(getattr(e, "problems", [_problem("", Text(zh="取值无效", en=str(e)))]))) from None


def _dump(sheet: VendorSheet) -> dict[str, Any]:
    return sheet.model_dump(mode="json")


def new_id(name: str, taken: set[str], prefix: str) -> str:
    """An id for a new entry, from its (English) name, unique among `taken`."""
    base = _SLUG.sub("_", name.lower()).strip("_")[:40]
    if not base or not base[0].isalpha():
        base = prefix
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    return out


def _evaluator(who: str | None) -> str:
    name = (who or "").strip()
    if not name:
        raise refuse("", Text(zh="请先以你的名字加入评估，再为供应商评分",
                              en="join the assessment under your name to score vendors"))
    return name


# ── the commands ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RequirementEdit:
    id: str
    tag: Tag | str | Keep = KEEP
    note: str | None | Keep = KEEP


@dataclass(frozen=True)
class EditRequirements:
    """Changed tags and notes, by requirement id (a requirement removed meanwhile is skipped)."""

    edits: tuple[RequirementEdit, ...]

    @classmethod
    def from_cells(cls, changes: Mapping[str, Mapping[str, Any]]) -> EditRequirements:
        return cls(tuple(RequirementEdit(rid, tag=cell_text(c["tag"]) or KEEP if "tag" in c else KEEP,
                                         note=cell_text(c["note"]) if "note" in c else KEEP)
                         for rid, c in changes.items()))

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        _edit_rows(data["requirements"], self.edits, ("tag", "note"))


@dataclass(frozen=True)
class AddRequirement:
    """The team's own requirement; a name in one language serves both."""

    name_zh: str | None
    name_en: str | None
    tag: Tag | str

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        zh, en = cell_text(self.name_zh), cell_text(self.name_en)
        if not zh and not en:
            raise refuse("requirements", Text(zh="需求需要名称（中文和/或英文）",
                                              en="a requirement needs a name (Chinese and/or English)"))
        taken = {r["id"] for r in data["requirements"]} | {r.id for r in catalogues.requirements.requirements}
        rid = new_id(en or "", taken, f"own_{len(data['requirements']) + 1}")
        data["requirements"].append({"id": rid, "tag": self.tag, "name": {"zh": zh or en, "en": en or zh}})


@dataclass(frozen=True)
class RemoveRequirement:
    """Drop one of the team's own requirements, with every evaluator's status for it."""

    id: str

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        if any(r.id == self.id for r in catalogues.requirements.requirements):
            raise refuse(f"requirements.{self.id}", Text(zh="它属于需求目录：请把它标为“不需要”，而不是删除",
                                                         en="it is in the catalogue: tag it 'not needed' instead "
                                                         "of removing it"))
        data["requirements"] = [r for r in data["requirements"] if r["id"] != self.id]
        for by_vendor in data["evaluations"].values():
            for ev in by_vendor.values():
                ev["requirements"].pop(self.id, None)


@dataclass(frozen=True)
class CriterionEdit:
    id: str
    weight: float | Keep = KEEP
    note: str | None | Keep = KEEP


@dataclass(frozen=True)
class EditCriteria:
    """Changed weights and notes, by criterion id."""

    edits: tuple[CriterionEdit, ...]

    @classmethod
    def from_cells(cls, changes: Mapping[str, Mapping[str, Any]]) -> EditCriteria:
        cells, edits = _Cells(), []
        for cid, c in changes.items():
            weight: float | Keep = KEEP
            if "weight" in c:
                field, refused = f"criteria.{cid}.weight", len(cells.problems)
                w = cells.number(c["weight"], field)
                if w is None and len(cells.problems) == refused:
                    cells.problems.append(_problem(field, Text(zh="需要权重（0 表示不计入此标准）",
                                                               en="a weight is needed (0 leaves the criterion out)")))
                weight = KEEP if w is None else w
            edits.append(CriterionEdit(cid, weight=weight, note=cell_text(c["note"]) if "note" in c else KEEP))
        return cells.command(lambda: cls(tuple(edits)))

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        _edit_rows(data["criteria"], self.edits, ("weight", "note"))


@dataclass(frozen=True)
class SetWeights:
    """Weights from shares (e.g. AHP's, summing to 1), stored as percentages."""

    shares: Mapping[str, float]

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        for c in data["criteria"]:
            if c["id"] in self.shares:
                c["weight"] = round(100 * float(self.shares[c["id"]]), 4)


@dataclass(frozen=True)
class VendorRow:
    id: str | None
    name_zh: str | None
    name_en: str | None
    note: str | None = None
    target_size: str | None = None
    strengths: str | None = None
    typical_features: str | None = None
    pricing_model: str | None = None

    def profile(self) -> dict[str, str | None]:
        return {k: getattr(self, k) for k in PROFILE_FIELDS}


@dataclass(frozen=True)
class ReplaceVendors:
    """The vendor list as edited (rows added, changed, removed). A new row gets an id from its name; a
    removed vendor takes its scores, costs and ROI figures with it; a blank new row is ignored."""

    rows: tuple[VendorRow, ...]

    @classmethod
    def from_cells(cls, rows: list[Mapping[str, Any]]) -> ReplaceVendors:
        return cls(tuple(VendorRow(cell_text(r.get("id")), cell_text(r.get("name_zh")), cell_text(r.get("name_en")),
                                   cell_text(r.get("note")), **{k: cell_text(r.get(k)) for k in PROFILE_FIELDS})
                         for r in rows))

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        old = {v["id"] for v in data["vendors"]}
        taken = set(old)
        vendors, problems = [], []
        for n, row in enumerate(self.rows, start=1):
            vid, zh, en = row.id, row.name_zh, row.name_en
            if vid is None and not (zh or en or row.note or any(row.profile().values())):
                continue
            if not (zh or en):
                problems.append(_problem(f"vendors row {n}", Text(zh="供应商需要名称（中文和/或英文）",
                                                                  en="a vendor needs a name (Chinese and/or English)")))
                continue
            if vid is None or vid not in old:
                vid = new_id(en or "", taken, f"vendor_{len(taken) + 1}")
                taken.add(vid)
            vendors.append({"id": vid, "name": {"zh": zh or en, "en": en or zh}, "note": row.note, **row.profile()})
        if problems:
            raise CommandRefused(problems)
        if not vendors:
            raise refuse("vendors", Text(zh="对比至少需要一个供应商", en="a comparison needs at least one vendor"))
        kept = {v["id"] for v in vendors}
        data["vendors"] = vendors
        for by_vendor in data["evaluations"].values():
            for vid in [v for v in by_vendor if v not in kept]:
                del by_vendor[vid]
        data["costs"] = {vid: c for vid, c in data["costs"].items() if vid in kept}
        data["roi"]["vendors"] = {vid: r for vid, r in data["roi"]["vendors"].items() if vid in kept}


@dataclass(frozen=True)
class CostEdit:
    vendor_id: str
    year: int
    amounts: Mapping[str, float]   # cost part → amount; a part left out is not changed


@dataclass(frozen=True)
class EditCosts:
    """Changed amounts per vendor and year of use; an empty cell is 0, and a year once edited keeps its line."""

    edits: tuple[CostEdit, ...]

    @classmethod
    def from_cells(cls, changes: Mapping[str, Mapping[str, Any]]) -> EditCosts:
        """Cells keyed by "vendor:year"."""
        cells, edits = _Cells(), []
        for key, row in changes.items():
            vid, _, year_s = key.rpartition(":")
            if not year_s.isdigit():
                continue
            amounts = {part: cells.number(row[part], f"costs.{vid}.year {year_s}.{part}") or 0.0
                       for part in COST_PARTS if part in row}
            edits.append(CostEdit(vid, int(year_s), amounts))
        return cells.command(lambda: cls(tuple(edits)))

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        vendors = {v["id"] for v in data["vendors"]}
        for e in self.edits:
            if e.vendor_id not in vendors:
                continue  # removed meanwhile
            lines = data["costs"].setdefault(e.vendor_id, [])
            line = next((c for c in lines if c["year"] == e.year), None)
            if line is None:
                line = {"year": e.year}
                lines.append(line)
            line.update(e.amounts)


@dataclass(frozen=True)
class RoiEdit:
    vendor_id: str
    gains_per_year: float | None | Keep = KEEP     # None: the common figure applies
    savings_per_year: float | None | Keep = KEEP


@dataclass(frozen=True)
class EditVendorRoi:
    """Vendor-specific yearly gains / savings (empty: the common figure applies)."""

    edits: tuple[RoiEdit, ...]

    @classmethod
    def from_cells(cls, changes: Mapping[str, Mapping[str, Any]]) -> EditVendorRoi:
        cells, edits = _Cells(), []
        for vid, row in changes.items():
            values = {k: cells.number(row[k], f"roi.{vid}.{k}") for k in ROI_FIELDS if k in row}
            edits.append(RoiEdit(vid, **values))
        return cells.command(lambda: cls(tuple(edits)))

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        vendors = {v["id"] for v in data["vendors"]}
        for e in self.edits:
            if e.vendor_id in vendors:
                _set_given(data["roi"]["vendors"].setdefault(e.vendor_id, {}), e, ROI_FIELDS)


@dataclass(frozen=True)
class ChangeSettings:
    """The comparison's settings, common ROI figures and currency; a field left at KEEP is not changed."""

    years: int | Keep = KEEP
    discount_rate: float | None | Keep = KEEP
    partly_on_must_disqualifies: bool | Keep = KEEP
    requirement_consolidation: str | Keep = KEEP
    currency: str | Keep = KEEP
    gains_per_year: float | Keep = KEEP
    savings_per_year: float | Keep = KEEP

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        _set_given(data["settings"], self, ("years", "discount_rate", "partly_on_must_disqualifies",
                                            "requirement_consolidation"))
        _set_given(data["roi"], self, ROI_FIELDS)
        _set_given(data, self, ("currency",))


Evaluation = dict[str, dict[str, Any]]  # JSON form: {"requirements": {id: {...}}, "criteria": {id: {...}}}


def _copy(ev: Mapping[str, Any] | None) -> Evaluation:
    ev = ev or {}
    return {"requirements": dict(ev.get("requirements") or {}), "criteria": dict(ev.get("criteria") or {})}


@dataclass(frozen=True)
class StatusEdit:
    id: str
    status: str | None | Keep = KEEP   # None: no status (with a note: "unknown")
    note: str | None | Keep = KEEP


@dataclass(frozen=True)
class ScoreEdit:
    id: str
    score: int | float | None | Keep = KEEP
    note: str | None | Keep = KEEP


@dataclass(frozen=True)
class ScoreRequirements:
    """One evaluator's changed statuses and notes for one vendor. A note without a status counts as
    "unknown"; clearing both removes the entry."""

    evaluator: str
    vendor_id: str
    edits: tuple[StatusEdit, ...]

    @classmethod
    def from_cells(cls, evaluator: str | None, vendor_id: str,
                   changes: Mapping[str, Mapping[str, Any]]) -> ScoreRequirements:
        return cls(_evaluator(evaluator), vendor_id,
                   tuple(StatusEdit(rid, status=cell_text(c["status"]) if "status" in c else KEEP,
                                    note=cell_text(c["note"]) if "note" in c else KEEP)
                         for rid, c in changes.items()))

    def merge(self, ev: Mapping[str, Any] | None) -> Evaluation:
        out = _copy(ev)
        for e in self.edits:
            cur = out["requirements"].get(e.id) or {}
            status = cur.get("status") if e.status is KEEP else e.status
            note = cur.get("note") if e.note is KEEP else e.note
            if status is not None and status not in STATUSES:
                raise refuse(f"evaluations.{self.evaluator}.{self.vendor_id}.requirements.{e.id}.status",
                             Text(zh=f"状态必须是 {'、'.join(STATUSES)} 之一（实际为 {status!r}）",
                                  en=f"status must be one of {', '.join(STATUSES)} (got {status!r})"))
            if status is None and note is None:
                out["requirements"].pop(e.id, None)
            else:
                out["requirements"][e.id] = {"status": status or "unknown", "note": note}
        return out

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        _merge_into(data, self.evaluator, self.vendor_id, self.merge)


@dataclass(frozen=True)
class ScoreCriteria:
    """One evaluator's changed 1-5 scores and notes for one vendor. A note needs a score."""

    evaluator: str
    vendor_id: str
    edits: tuple[ScoreEdit, ...]

    @classmethod
    def from_cells(cls, evaluator: str | None, vendor_id: str,
                   changes: Mapping[str, Mapping[str, Any]]) -> ScoreCriteria:
        who = _evaluator(evaluator)
        cells, edits = _Cells(), []
        for cid, c in changes.items():
            score: int | float | None | Keep = KEEP
            if "score" in c:
                refused = len(cells.problems)
                score = cells.score(c["score"], cid)
                if len(cells.problems) > refused:
                    continue
            edits.append(ScoreEdit(cid, score=score, note=cell_text(c["note"]) if "note" in c else KEEP))
        return cells.command(lambda: cls(who, vendor_id, tuple(edits)))

    def merge(self, ev: Mapping[str, Any] | None) -> Evaluation:
        out = _copy(ev)
        problems = []
        for e in self.edits:
            cur = out["criteria"].get(e.id) or {}
            score = cur.get("score") if e.score is KEEP else e.score
            note = cur.get("note") if e.note is KEEP else e.note
            if score is None:
                if note is not None:
                    problems.append(_problem(e.id, Text(zh="有备注就需要评分", en="a note needs a score")))
                out["criteria"].pop(e.id, None)
            else:
                out["criteria"][e.id] = {"score": score, "note": note}
        if problems:
            raise CommandRefused(problems)
        return out

    def change(self, data: dict[str, Any], catalogues: Catalogues) -> None:
        _merge_into(data, self.evaluator, self.vendor_id, self.merge)


def _merge_into(data: dict[str, Any], who: str, vendor_id: str, merge: Any) -> None:
    if vendor_id not in {v["id"] for v in data["vendors"]}:
        raise refuse("vendors", Text(zh=f"未知的供应商“{vendor_id}”", en=f"unknown vendor '{vendor_id}'"))
    by_vendor = data["evaluations"].setdefault(who, {})
    by_vendor[vendor_id] = merge(by_vendor.get(vendor_id))


Command = (EditRequirements | AddRequirement | RemoveRequirement | EditCriteria | SetWeights | ReplaceVendors
           | EditCosts | EditVendorRoi | ChangeSettings | ScoreRequirements | ScoreCriteria)
ScoreCommand = ScoreRequirements | ScoreCriteria


@dataclass(frozen=True)
class Catalogues:
    """The shipped catalogues a command may need (which requirements are the catalogue's own)."""

    requirements: RequirementCatalogue
    criteria: CriteriaCatalogue


def apply_command(sheet: VendorSheet, command: Command, catalogues: Catalogues) -> VendorSheet:
    """The sheet with `command` applied and validated; `CommandRefused` (located problems) otherwise."""
    data = _dump(sheet)
    command.change(data, catalogues)
    return checked(VendorSheet, data)


def checked_evaluation(command: ScoreCommand, ev: Mapping[str, Any] | None) -> Evaluation:
    """One evaluator's evaluation of one vendor after `command`, as a sheet would hold it (notes cleaned),
    validated inside the smallest sheet that declares what it refers to; `CommandRefused` otherwise."""
    new = command.merge(ev)
    who, vid = command.evaluator, command.vendor_id
    data = {"criteria": [{"id": c, "weight": 1} for c in new["criteria"]] or [{"id": "any", "weight": 1}],
            "requirements": [{"id": r, "tag": "must"} for r in new["requirements"]],
            "vendors": [{"id": vid, "name": vid}], "evaluations": {who: {vid: new}}}
    sheet = checked(VendorSheet, data)
    kept = sheet.evaluations.get(who, {}).get(vid)
    return kept.model_dump(mode="json") if kept else _copy(None)
