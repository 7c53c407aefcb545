"""A vendor sheet (its JSON form) taken apart into the cells stored as rows, and put back together.

The sheet's scores (evaluator × vendor × requirement or criterion) and cost amounts (vendor × year ×
part) are rows of their own, so two evaluators editing at once write different rows; the rest of the
sheet (tags, weights, vendors, settings, ROI) is the `structure`, stored as one JSON value. Pure
functions over plain data: the repository reads and writes, these only reshape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from vendors import (
    COST_PARTS,
)

CRITERION = "criterion"
REQUIREMENT = "requirement"
# the evaluation's field for each kind of score cell
SCORE_FIELDS: dict[str, str] = {REQUIREMENT: "requirements", CRITERION: "criteria"}
# the sheet fields held as cells rather than in the structure
CELL_FIELDS = ("evaluations", "costs")
# structure fields that are lists of entries with an id: audited one entry at a time
_LISTS = ("requirements", "criteria", "vendors")

ScoreKey = tuple[str, str, str, str]  # evaluator, vendor id, kind, requirement or criterion id
CostKey = tuple[str, int, str]        # vendor id, year, part
Cell = dict[str, Any]                 # {"score": int, "note": …} or {"status": str, "note": …}


def _mapping(v: Any) -> dict[Any, Any]:
    return v if isinstance(v, dict) else {}


def score_cell(kind: str, value: Any, note: str | None) -> Cell:
    """One evaluator's entry for one requirement (a status) or criterion (a score), with its note."""
    return {"status" if kind == REQUIREMENT else "score": value, "note": note}


def _cell_from(kind: str, raw: Any) -> Cell:
    field = "status" if kind == REQUIREMENT else "score"
    raw = raw if isinstance(raw, dict) else {field: raw}  # the files' short form: a bare score or status
    return score_cell(kind, raw.get(field), raw.get("note"))


def evaluation_cells(evaluator: str, vendor_id: str, evaluation: Any) -> dict[ScoreKey, Cell]:
    """One evaluator's evaluation of one vendor ({"requirements": …, "criteria": …}) as cells."""
    out: dict[ScoreKey, Cell] = {}
    for kind, field in SCORE_FIELDS.items():
        for ref, raw in _mapping(_mapping(evaluation).get(field)).items():
            out[(evaluator, vendor_id, kind, ref)] = _cell_from(kind, raw)
    return out


def split_sheet(sheet: dict[str, Any]) -> tuple[dict[str, Any], dict[ScoreKey, Cell], dict[CostKey, float]]:
    """(structure, score cells, cost cells). The structure keeps an empty `evaluations` / `costs`
    where the sheet had one, so the sheet reads back with exactly its own fields."""
    structure = {k: ({} if k in CELL_FIELDS else v) for k, v in sheet.items()}
    scores: dict[ScoreKey, Cell] = {}
    for who, by_vendor in _mapping(sheet.get("evaluations")).items():
        for vid, evaluation in _mapping(by_vendor).items():
            scores.update(evaluation_cells(who, vid, evaluation))
    costs: dict[CostKey, float] = {}
    for vid, lines in _mapping(sheet.get("costs")).items():
        for line in lines if isinstance(lines, list) else []:
            year = _mapping(line).get("year")
            for part, amount in _mapping(line).items():
                if part != "year":
                    costs[(vid, cast(int, year), part)] = amount  # a validated sheet's year
    return structure, scores, costs


def _ids(structure: dict[str, Any], field: str) -> list[str]:
    return [cast(str, e.get("id")) for e in structure.get(field) or [] if isinstance(e, dict)]  # validated


def _order(known: list[Any], keys: Iterable[Any]) -> list[Any]:
    """`keys` in the order of `known`, any others after them, sorted."""
    rank = {k: i for i, k in enumerate(known)}
    return sorted(set(keys), key=lambda k: (rank.get(k, len(rank)), str(k)))


def evaluation_of(cells: dict[ScoreKey, Cell]) -> dict[str, dict[str, Cell]]:
    """The evaluation ({"requirements": …, "criteria": …}) made of one evaluator's cells for one vendor."""
    out: dict[str, dict[str, Cell]] = {field: {} for field in SCORE_FIELDS.values()}
    for (_, _, kind, ref), cell in cells.items():
        out[SCORE_FIELDS[kind]][ref] = cell
    return out


def compose_sheet(structure: dict[str, Any], scores: dict[ScoreKey, Cell],
                  costs: dict[CostKey, float]) -> dict[str, Any]:
    """The sheet's JSON form again, in one canonical order: evaluators by name, vendors, requirements
    and criteria as the structure lists them, years ascending, cost parts as COST_PARTS lists them."""
    sheet = dict(structure)
    vendors = _ids(structure, "vendors")
    if scores or "evaluations" in structure:
        refs = {kind: _ids(structure, field) for kind, field in SCORE_FIELDS.items()}
        evaluations: dict[str, dict[str, Any]] = {}
        for who in sorted({k[0] for k in scores}):
            mine = {k: c for k, c in scores.items() if k[0] == who}
            for vid in _order(vendors, (k[1] for k in mine)):
                ev: dict[str, dict[str, Cell]] = {field: {} for field in SCORE_FIELDS.values()}
                for kind, field in SCORE_FIELDS.items():
                    cells = {k[3]: c for k, c in mine.items() if k[1] == vid and k[2] == kind}
                    ev[field] = {ref: cells[ref] for ref in _order(refs[kind], cells)}
                evaluations.setdefault(who, {})[vid] = ev
        sheet["evaluations"] = evaluations
    if costs or "costs" in structure:
        by_vendor: dict[str, list[dict[str, Any]]] = {}
        for vid in _order(vendors, (k[0] for k in costs)):
            lines = []
            for year in sorted({k[1] for k in costs if k[0] == vid}):
                parts = {k[2]: a for k, a in costs.items() if k[0] == vid and k[1] == year}
                lines.append({"year": year, **{p: parts[p] for p in _order(list(COST_PARTS), parts)}})
            by_vendor[vid] = lines
        sheet["costs"] = by_vendor
    return sheet


def changed_cells(old: dict[Any, Any], new: dict[Any, Any]) -> list[tuple[Any, Any, Any]]:
    """(key, old, new) of every cell added, changed or removed, in key order."""
    return [(k, old.get(k), new.get(k)) for k in sorted(old.keys() | new.keys(), key=repr)
            if old.get(k) != new.get(k)]


def structure_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, old, new) of each changed structure field, for the audit trail; a list of entries with
    ids (requirements, criteria, vendors) is compared entry by entry, as "vendors.<id>"."""
    old = old or {}
    out: list[tuple[str, Any, Any]] = []
    for field in _order(list(new), old.keys() | new.keys()):
        a, b = old.get(field), new.get(field)
        if a == b or field in CELL_FIELDS:  # the cells' placeholders; the cells are audited one by one
            continue
        if field in _LISTS and isinstance(a, list | None) and isinstance(b, list | None):
            before = {e.get("id"): e for e in a or [] if isinstance(e, dict)}
            after = {e.get("id"): e for e in b or [] if isinstance(e, dict)}
            entries = [(f"{field}.{i}", before.get(i), after.get(i))
                       for i in _order(list(after), before.keys() | after.keys()) if before.get(i) != after.get(i)]
            # a change of order only: the whole list, so the trail still shows it
            out += entries or [(field, a, b)]
        else:
            out.append((field, a, b))
    return out
