"""What the vendor page does with storage and the core, without Streamlit, so tests can call it
directly (AppTest cannot read a download's bytes or look inside a plotly figure).

Every editable table is a list of plain rows (stable column names; the page translates the labels)
and an `apply_…` function that takes the cells changed, keyed by the row's id, and returns a new,
validated sheet or raises `SheetRefused` saying why. Nothing here writes except `edit_sheet`,
`save_requirement_scores`, `save_criterion_scores`, `save_sheet`, `start_sheet` and `import_sheet`,
and a refused change or import writes nothing.

Edits are stored the way answers are: each in one transaction that applies the change to the sheet
as stored at that moment (under the assessment's lock), writing only the cells it changed. An
evaluator's scores go through `save_…_scores`, which read and write that evaluator's cells of one
vendor only, so evaluators scoring at once never overwrite each other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from checklists import LocatedError, Problem, Text
from reports import vendor_summary
from sheets import MAX_XLSX_BYTES, read_sheet, sheet_from_bytes, sheet_to_bytes
from storage import InvalidInput, NotFound, Repository
from vendors import (
    COST_PARTS,
    EMPTY,
    EXAMPLE_SHEET_FILE,
    MC_RUNS,
    MC_SEED,
    PROFILE_FIELDS,
    SHEET,
    AddRequirement,
    AhpResult,
    Catalogues,
    ChangeSettings,
    Command,
    CommandRefused,
    CriteriaCatalogue,
    EditCosts,
    EditCriteria,
    EditRequirements,
    EditVendorRoi,
    Evaluation,
    RemoveRequirement,
    ReplaceVendors,
    RequirementCatalogue,
    ScoreCommand,
    ScoreCriteria,
    ScoreRequirements,
    SetWeights,
    VendorResult,
    VendorSheet,
    VendorSheetError,
    ahp_weights,
    apply_command,
    checked_evaluation,
    describe,
    evaluate_vendors,
    load_criteria,
    load_requirements,
    load_vendor_sheet,
    new_sheet,
    pairwise_matrix,
    vendor_term,
)

MAX_UPLOAD_BYTES = MAX_XLSX_BYTES
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("vendor-sheet.csv", "text/csv"),
    "xlsx": ("vendor-sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "yaml": ("vendor-sheet.yaml", "application/x-yaml"),
}
# Saaty's scale as one signed number: k > 1 means the left criterion matters k times more than the right
# one, -k the right one k times more than the left, 1 equal.
AHP_SCALE: tuple[int, ...] = (9, 8, 7, 6, 5, 4, 3, 2, 1, -2, -3, -4, -5, -6, -7, -8, -9)

Source = Literal["catalogue", "example"]
Row = dict[str, Any]
Changes = Mapping[str, Mapping[str, Any]]


class SheetRefused(LocatedError):
    """An edit or an imported file that was not stored; nothing changed. `located` are the problems
    (file or field, message in both languages), `problems` the same in English words."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = self.texts("en")

    def texts(self, lang: str) -> list[str]:
        """Every problem in `lang`: an imported file's with its place, an edit's with its field."""
        return [describe(p, lang) for p in self.located]


def _refused(problem: Text) -> SheetRefused:
    return SheetRefused([Problem.of(SHEET, None, "", problem)])


def run(command: Command) -> Callable[[VendorSheet], VendorSheet]:
    """A change (for `edit_sheet`) that applies `command` to the sheet as stored then."""
    return lambda sheet: apply(sheet, command)


def apply(sheet: VendorSheet, command: Command) -> VendorSheet:
    """`command` applied to `sheet` by the vendors package; `SheetRefused` with its located problems."""
    try:
        return apply_command(sheet, command, _catalogues())
    except CommandRefused as e:
        raise SheetRefused(e.problems) from None


C = TypeVar("C")


def command(make: Callable[[], C]) -> C:
    """A command built from table cells; cells that are not numbers are refused as `SheetRefused`."""
    try:
        return make()
    except CommandRefused as e:
        raise SheetRefused(e.problems) from None


# ── the stored sheet ─────────────────────────────────────────────────────────────────────────


@lru_cache(maxsize=1)
def _catalogues() -> Catalogues:
    return Catalogues(load_requirements(), load_criteria())


def catalogues() -> tuple[RequirementCatalogue, CriteriaCatalogue]:
    """The shipped requirements and criteria catalogues (names, groups, score labels)."""
    c = _catalogues()
    return c.requirements, c.criteria


def load_sheet(repo: Repository, assessment_id: str) -> VendorSheet | None:
    data = repo.load_vendor_sheet(assessment_id)
    return None if data is None else VendorSheet.model_validate(data)


def save_sheet(repo: Repository, assessment_id: str, sheet: VendorSheet, *, who: str | None = None) -> None:
    """Store a whole sheet over the stored one (a fresh start, an import); `who` for the audit trail."""
    repo.save_vendor_sheet(assessment_id, sheet.model_dump(mode="json"), who=who or "")


def edit_sheet(repo: Repository, assessment_id: str, change: Callable[[VendorSheet], VendorSheet], *,
               who: str | None = None) -> VendorSheet | None:
    """Apply `change` (an `apply_…` function, say) to the sheet as stored now and store the result, in
    one transaction: concurrent edits queue rather than lose each other. None when there is no sheet;
    `SheetRefused` from the change stores nothing."""
    def on_json(data: dict[str, Any]) -> dict[str, Any]:
        return change(VendorSheet.model_validate(data)).model_dump(mode="json")

    data = repo.update_vendor_sheet(assessment_id, on_json, who=who or "")
    return None if data is None else VendorSheet.model_validate(data)


def start_sheet(repo: Repository, assessment_id: str, source: Source, *, organisation: str | None = None,
                project: str | None = None, who: str | None = None) -> VendorSheet:
    """A new sheet for the assessment, from the catalogues (default tags and weights) or the example
    with fictitious vendors; it replaces any sheet stored before."""
    if source == "example":
        sheet = load_vendor_sheet(EXAMPLE_SHEET_FILE)
    else:
        req, crit = catalogues()
        meta: dict[str, Any] = {k: v.strip() for k, v in (("organisation", organisation), ("project", project))
                                if v and v.strip()}
        sheet = new_sheet(req, crit, **meta)
    save_sheet(repo, assessment_id, sheet, who=who)
    return sheet


@lru_cache(maxsize=32)
def _result_of(sheet_json: str) -> VendorResult:
    req, crit = catalogues()
    return evaluate_vendors(VendorSheet.model_validate_json(sheet_json), req, crit)


def sheet_result(sheet: VendorSheet) -> VendorResult:
    """The comparison of a sheet (cached: every rerun of the page asks for it)."""
    return _result_of(json.dumps(sheet.model_dump(mode="json"), sort_keys=True, ensure_ascii=False))


def compare_file(path: str | Path, *, runs: int = MC_RUNS, seed: int = MC_SEED) -> VendorResult:
    """The comparison of a sheet file (YAML, CSV or XLSX, by its name), for the command line;
    `SheetRefused` with every located problem when the file cannot be used."""
    try:
        sheet = read_sheet(path)
    except VendorSheetError as e:
        raise SheetRefused(e.problems) from None
    req, crit = catalogues()
    return evaluate_vendors(sheet, req, crit, runs=runs, seed=seed)


def stored_result(repo: Repository, assessment_id: str) -> VendorResult | None:
    """The comparison of the assessment's stored sheet, or None when it has none (for the report)."""
    sheet = load_sheet(repo, assessment_id)
    return None if sheet is None else sheet_result(sheet)


# ── names ────────────────────────────────────────────────────────────────────────────────────


def requirement_names(sheet: VendorSheet) -> dict[str, Text]:
    req, _ = catalogues()
    known = {r.id: r.name for r in req.requirements}
    return {r.id: r.name or known.get(r.id) or Text(zh=r.id, en=r.id) for r in sheet.requirements}


def criterion_names(sheet: VendorSheet) -> dict[str, Text]:
    _, crit = catalogues()
    known = {c.id: c.name for c in crit.criteria}
    return {c.id: c.name or known.get(c.id) or Text(zh=c.id, en=c.id) for c in sheet.criteria}


def is_own_requirement(req_id: str) -> bool:
    """A requirement the team added (the catalogue does not know it)."""
    req, _ = catalogues()
    return all(r.id != req_id for r in req.requirements)


def score_labels(lang: str) -> list[str]:
    _, crit = catalogues()
    return [t.get(lang) for t in crit.score_labels]


# ── requirements ─────────────────────────────────────────────────────────────────────────────


def requirement_rows(sheet: VendorSheet, lang: str) -> list[Row]:
    req, _ = catalogues()
    groups = {g.id: g.title for g in req.groups}
    group_of = {r.id: r.group for r in req.requirements}
    names = requirement_names(sheet)
    rows = []
    for r in sheet.requirements:
        g = group_of.get(r.id)
        rows.append({"id": r.id, "group": groups[g].get(lang) if g in groups else "—",
                     "name": names[r.id].get(lang), "tag": r.tag, "note": r.note or ""})
    return rows


def apply_requirement_changes(sheet: VendorSheet, changes: Changes) -> VendorSheet:
    """Changed tags and notes, by requirement id."""
    return apply(sheet, EditRequirements.from_cells(changes))


def add_requirement(sheet: VendorSheet, name_zh: str | None, name_en: str | None, tag: str) -> VendorSheet:
    """The team's own requirement; a name in one language serves both."""
    return apply(sheet, AddRequirement(name_zh, name_en, tag))


def remove_requirement(sheet: VendorSheet, req_id: str) -> VendorSheet:
    """Drop one of the team's own requirements, with every evaluator's status for it."""
    return apply(sheet, RemoveRequirement(req_id))


# ── criteria and weights ─────────────────────────────────────────────────────────────────────


def criterion_rows(sheet: VendorSheet, lang: str) -> list[Row]:
    names = criterion_names(sheet)
    total = sum(c.weight for c in sheet.criteria) or 1.0
    return [{"id": c.id, "name": names[c.id].get(lang), "weight": c.weight,
             "share": round(100 * c.weight / total, 1), "note": c.note or ""} for c in sheet.criteria]


def apply_criterion_changes(sheet: VendorSheet, changes: Changes) -> VendorSheet:
    """Changed weights and notes, by criterion id."""
    return apply(sheet, command(lambda: EditCriteria.from_cells(changes)))


def set_weights(sheet: VendorSheet, weights: Mapping[str, float]) -> VendorSheet:
    """Weights from shares (e.g. AHP's, summing to 1), stored as percentages."""
    return apply(sheet, SetWeights(dict(weights)))


def _nearest_scale(ratio: float) -> int:
    """The Saaty judgement closest (on a log scale) to a ratio of two weights."""
    if ratio <= 0 or not math.isfinite(ratio):
        return 1
    values = {k: (k if k > 0 else 1 / -k) for k in AHP_SCALE}
    return min(values, key=lambda k: (abs(math.log(values[k]) - math.log(ratio)), abs(k)))


def ahp_rows(sheet: VendorSheet, lang: str) -> list[Row]:
    """Every pair of criteria once, each judged as the current weights suggest (a starting point)."""
    names = criterion_names(sheet)
    cs = sheet.criteria
    rows = []
    for i, a in enumerate(cs):
        for b in cs[i + 1:]:
            ratio = a.weight / b.weight if a.weight > 0 and b.weight > 0 else 1.0
            rows.append({"pair": f"{a.id}|{b.id}", "left": names[a.id].get(lang), "judgement": _nearest_scale(ratio),
                         "right": names[b.id].get(lang)})
    return rows


def ahp_from_rows(sheet: VendorSheet, rows: list[Row]) -> AhpResult:
    """AHP weights (and Saaty's consistency ratio) from the judged pairs; raises `SheetRefused`."""
    ids = [c.id for c in sheet.criteria]
    judgements: dict[tuple[str, str], float] = {}
    problems = []
    for row in rows:
        a, _, b = str(row["pair"]).partition("|")
        try:
            k = int(row["judgement"])
        except (TypeError, ValueError):
            problems.append(Problem(SHEET, None, f"{a} / {b}", "no judgement", "尚未比较"))
            continue
        if k not in AHP_SCALE:
            problems.append(Problem(SHEET, None, f"{a} / {b}", f"{k} is not on Saaty's 1-9 scale",
                                    f"{k} 不在 Saaty 的 1–9 标度上"))
            continue
        judgements[(a, b)] = float(k) if k > 0 else 1 / -k
    if problems:
        raise SheetRefused(problems)
    try:
        return ahp_weights(pairwise_matrix(ids, judgements), ids)
    except ValueError as e:
        raise _refused(Text(zh="这些比较无法算出权重（比较值必须在 Saaty 的 1/9 到 9 之间且互为倒数）",
                            en=str(e))) from None


# ── vendors ──────────────────────────────────────────────────────────────────────────────────


def vendor_rows(sheet: VendorSheet) -> list[Row]:
    return [{"id": v.id, "name_zh": v.name.zh, "name_en": v.name.en, "note": v.note or "",
             **{k: getattr(v, k) or "" for k in PROFILE_FIELDS if k != "pricing_model"},
             "pricing_model": v.pricing_model} for v in sheet.vendors]


def apply_vendor_table(sheet: VendorSheet, rows: list[Mapping[str, Any]]) -> VendorSheet:
    """The vendor list as edited (rows added, changed, removed): see `vendors.ReplaceVendors`."""
    return apply(sheet, ReplaceVendors.from_cells(rows))


# ── one evaluator's scores ───────────────────────────────────────────────────────────────────


def _evaluation(sheet: VendorSheet, who: str, vendor_id: str):
    return sheet.evaluations.get(who, {}).get(vendor_id)


def requirement_score_rows(sheet: VendorSheet, who: str, vendor_id: str, lang: str) -> list[Row]:
    """The evaluator's status per tagged requirement (not-needed ones are not scored)."""
    names = requirement_names(sheet)
    ev = _evaluation(sheet, who, vendor_id)
    rows = []
    for r in sheet.requirements:
        if r.tag == "not_needed":
            continue
        s = ev.requirements.get(r.id) if ev else None
        rows.append({"id": r.id, "name": names[r.id].get(lang), "tag": r.tag,
                     "status": s.status if s else None, "note": (s.note or "") if s else ""})
    return rows


def criterion_score_rows(sheet: VendorSheet, who: str, vendor_id: str, lang: str) -> list[Row]:
    names = criterion_names(sheet)
    ev = _evaluation(sheet, who, vendor_id)
    total = sum(c.weight for c in sheet.criteria) or 1.0
    rows = []
    for c in sheet.criteria:
        s = ev.criteria.get(c.id) if ev else None
        rows.append({"id": c.id, "name": names[c.id].get(lang), "share": round(100 * c.weight / total, 1),
                     "score": s.score if s else None, "note": (s.note or "") if s else ""})
    return rows


def apply_requirement_scores(sheet: VendorSheet, who: str, vendor_id: str, changes: Changes) -> VendorSheet:
    """One evaluator's changed statuses and notes for one vendor, by requirement id (`vendors.ScoreRequirements`)."""
    return apply(sheet, command(lambda: ScoreRequirements.from_cells(who, vendor_id, changes)))


def apply_criterion_scores(sheet: VendorSheet, who: str, vendor_id: str, changes: Changes) -> VendorSheet:
    """One evaluator's changed 1-5 scores and notes for one vendor, by criterion id. A note needs a score."""
    return apply(sheet, command(lambda: ScoreCriteria.from_cells(who, vendor_id, changes)))


def save_scores(repo: Repository, assessment_id: str, score: ScoreCommand) -> Evaluation:
    """Store one evaluator's changed scores for one vendor at once: one transaction that applies the
    command to that evaluator's entries as stored now and writes only the cells that changed. Returns
    the evaluation as stored; raises `SheetRefused` (nothing stored) when refused."""
    def change(ev: dict[str, Any]) -> dict[str, Any]:
        try:
            return checked_evaluation(score, ev)
        except CommandRefused as e:
            raise SheetRefused(e.problems) from None

    try:
        return repo.update_vendor_evaluation(assessment_id, score.evaluator, score.vendor_id, change)
    except (InvalidInput, NotFound) as e:  # e.g. the vendor was removed meanwhile
        raise _refused(Text(zh="评分未保存：这个供应商或它的评分项已不在对比表中（可能刚被他人删除）",
                            en=str(e))) from None


def save_requirement_scores(repo: Repository, assessment_id: str, who: str | None, vendor_id: str,
                            changes: Changes) -> Evaluation:
    """Store one evaluator's changed statuses and notes for one vendor (see `save_scores`)."""
    return save_scores(repo, assessment_id, command(lambda: ScoreRequirements.from_cells(who, vendor_id, changes)))


def save_criterion_scores(repo: Repository, assessment_id: str, who: str | None, vendor_id: str,
                          changes: Changes) -> Evaluation:
    """Store one evaluator's changed 1-5 scores and notes for one vendor (see `save_scores`)."""
    return save_scores(repo, assessment_id, command(lambda: ScoreCriteria.from_cells(who, vendor_id, changes)))


# ── costs, ROI, settings ─────────────────────────────────────────────────────────────────────


def cost_rows(sheet: VendorSheet, lang: str) -> list[Row]:
    """One row per vendor and year of use (1..N); a year without a cost line shows empty cells."""
    rows = []
    for v in sheet.vendors:
        lines = {c.year: c for c in sheet.costs.get(v.id, [])}
        for y in range(1, sheet.settings.years + 1):
            line = lines.get(y)
            row: Row = {"key": f"{v.id}:{y}", "vendor": v.name.get(lang), "year": y}
            for p in COST_PARTS:
                row[p] = getattr(line, p) if line else None
            row["total"] = line.total() if line else None
            rows.append(row)
    return rows


def apply_cost_changes(sheet: VendorSheet, changes: Changes) -> VendorSheet:
    """Changed amounts by "vendor:year"; an empty cell is 0, and a year once edited keeps its line."""
    return apply(sheet, command(lambda: EditCosts.from_cells(changes)))


def roi_rows(sheet: VendorSheet, lang: str) -> list[Row]:
    out = []
    for v in sheet.vendors:
        o = sheet.roi.vendors.get(v.id)
        out.append({"id": v.id, "vendor": v.name.get(lang), "gains_per_year": o.gains_per_year if o else None,
                    "savings_per_year": o.savings_per_year if o else None})
    return out


def apply_roi_changes(sheet: VendorSheet, changes: Changes) -> VendorSheet:
    """Vendor-specific yearly gains / savings (empty: the common figure applies)."""
    return apply(sheet, command(lambda: EditVendorRoi.from_cells(changes)))


def update_sheet(sheet: VendorSheet, **fields: Any) -> VendorSheet:
    """Changed settings (years, discount_rate, …), common ROI figures or the currency (`vendors.ChangeSettings`)."""
    return apply(sheet, ChangeSettings(**fields))


# ── import and export ────────────────────────────────────────────────────────────────────────


def import_sheet(repo: Repository, assessment_id: str, name: str, data: bytes, *,
                 who: str | None = None) -> VendorSheet:
    """Validate an uploaded sheet (CSV, XLSX or YAML, by its name) and store it, replacing the current
    one; all or nothing."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SheetRefused([Problem(name, None, "", f"the file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB",
                                    f"文件大于 {MAX_UPLOAD_BYTES // 1_000_000} MB")])
    try:
        sheet = sheet_from_bytes(data, name)
    except VendorSheetError as e:
        raise SheetRefused(e.problems) from None
    save_sheet(repo, assessment_id, sheet, who=who)
    return sheet


def export_sheet(sheet: VendorSheet, fmt: str) -> tuple[bytes, str, str]:
    """The sheet as a file: (bytes, file name, MIME type); it reads back as the same sheet."""
    name, mime = EXPORT_FORMATS[fmt]
    return sheet_to_bytes(sheet, name), name, mime


# ── the data editor's edit state ─────────────────────────────────────────────────────────────


def editor_delta(state: Mapping[str, Any] | None, seen: Mapping[str, Any] | None) -> dict[int, dict[str, Any]]:
    """Cells edited since `seen`, by row position. Both are a data editor's cumulative edit state
    ({"edited_rows": {row: {column: value}}, …}); only what changed since is applied, so an edit made
    long ago never overwrites what someone else stored since."""
    def rows(s: Mapping[str, Any] | None) -> dict[int, dict[str, Any]]:
        edited = (s or {}).get("edited_rows") or {}
        return {int(r): dict(cells) for r, cells in edited.items()}

    now, before = rows(state), rows(seen)
    out = {}
    for r, cells in now.items():
        old = before.get(r, {})
        changed = {c: v for c, v in cells.items() if c not in old or old[c] != v}
        if changed:
            out[r] = changed
    return out


# ── the result, for the page's tables and charts ─────────────────────────────────────────────


def leader_text(result: VendorResult, lang: str) -> list[str]:
    """Who leads and how robust the lead is (the same sentences as the report)."""
    return vendor_summary(result, lang)


def comparison_rows(result: VendorResult, lang: str) -> list[Row]:
    out = []
    for v in result.vendors:
        out.append({
            "rank": v.rank, "vendor": v.name.get(lang), "qualified": v.qualified, "score": round(v.score, 2),
            "musts": f"{v.must_met}/{v.must_total}", "nice": v.nice_coverage,
            "tco": v.cost.total if v.cost else None, "per_10k": v.score_per_10k,
            "roi": v.roi.roi_percent if v.roi else None,
            "payback": v.roi.payback_years if v.roi else None,
            "knockouts": "; ".join(f.message.get(lang) for f in v.knockouts)})
    return out


def profile_rows(result: VendorResult, lang: str) -> list[Row]:
    """Each vendor's profile in rank order, a dash where nothing is known; none when no vendor has one."""
    if not any(getattr(v, k) for v in result.vendors for k in PROFILE_FIELDS):
        return []
    out = []
    for v in result.vendors:
        row: Row = {"vendor": v.name.get(lang)}
        for k in PROFILE_FIELDS:
            value = getattr(v, k)
            row[k] = EMPTY if not value else vendor_term(value, lang) if k == "pricing_model" else value
        out.append(row)
    return out


def knockouts(result: VendorResult, lang: str) -> list[tuple[str, list[str]]]:
    """Each knocked-out vendor with its reasons, in rank order."""
    return [(v.name.get(lang), [f.message.get(lang) for f in v.knockouts]) for v in result.vendors if v.knockouts]


def risks(result: VendorResult, lang: str) -> list[tuple[str, list[str]]]:
    return [(v.name.get(lang), [f.message.get(lang) for f in v.risks]) for v in result.vendors if v.risks]


def score_stack_data(result: VendorResult, lang: str) -> dict[str, Any]:
    """The stacked bar: per criterion, its contribution to each vendor's weighted score (rank order)."""
    vendors = result.vendors
    crits = vendors[0].criteria if vendors else []
    return {
        "vendors": [v.name.get(lang) for v in vendors],
        "qualified": [v.qualified for v in vendors],
        "totals": [round(v.score, 2) for v in vendors],
        "criteria": [c.name.get(lang) for c in crits],
        "contributions": [[v.criteria[i].contribution for v in vendors] for i in range(len(crits))],
    }


def cost_score_data(result: VendorResult, lang: str) -> list[Row]:
    """The scatter: total cost of ownership against weighted score, for vendors with costs."""
    return [{"vendor": v.name.get(lang), "tco": v.cost.total, "score": round(v.score, 2), "qualified": v.qualified,
             "rank": v.rank} for v in result.vendors if v.cost is not None]


def tornado_data(result: VendorResult, lang: str) -> list[Row]:
    """Per criterion, the weight share (%) over which the leader holds, and who takes over beyond it;
    the narrowest range (most sensitive criterion) first."""
    names = {v.id: v.name.get(lang) for v in result.vendors}
    rows = []
    for r in result.sensitivity.rows:
        low = 100 * r.down.share if r.down else 0.0
        high = 100 * r.up.share if r.up else 100.0
        rows.append({"criterion": r.name.get(lang), "now": round(100 * r.share, 2), "low": round(low, 2),
                     "high": round(high, 2), "below": names.get(r.down.rival) if r.down else None,
                     "above": names.get(r.up.rival) if r.up else None})
    def room(x: Row) -> float:  # how far the weight can move before the lead changes
        return min(x["now"] - x["low"] if x["below"] else math.inf, x["high"] - x["now"] if x["above"] else math.inf)

    return sorted(rows, key=room)


def requirement_matrix(result: VendorResult, vendor_id: str, lang: str) -> list[Row]:
    """Consolidated status per requirement, with each evaluator's own (kept apart)."""
    v = result.vendor(vendor_id)
    out = []
    for r in v.requirements:
        row: Row = {"requirement": r.name.get(lang), "tag": r.tag, "status": r.status, "agreed": r.agreed}
        for who in result.evaluators:
            row[f"by:{who}"] = r.by_evaluator.get(who)
        row["notes"] = " | ".join(r.notes)
        out.append(row)
    return out


def criterion_matrix(result: VendorResult, vendor_id: str, lang: str) -> list[Row]:
    """Mean score and spread per criterion, with each evaluator's score."""
    v = result.vendor(vendor_id)
    out = []
    for c in v.criteria:
        row: Row = {"criterion": c.name.get(lang), "share": round(100 * c.share, 1), "mean": c.mean,
                    "spread": c.spread}
        for who in result.evaluators:
            row[f"by:{who}"] = c.by_evaluator.get(who)
        row["notes"] = " | ".join(c.notes)
        out.append(row)
    return out
