"""Vendor sheets in storage: scores and costs as rows of their own, edits in one transaction each,
the audit trail, the schema version 5 migration, backups, and evaluators scoring at once.

The concurrency cases drive the functions the vendor page calls (services.vendor_sheet) from threads
and from processes, on SQLite and on PostgreSQL, and check what is stored afterwards: every score
given, and nothing of anyone else changed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

import storage
from checklists import load_template
from services import vendor_sheet as vs
from storage import schema
from storage.backup import MANIFEST, export_all, import_all
from vendors import (
    evaluate_vendors,
    load_vendor_sheet,
)

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
VENDOR = "crm_b"
EVALUATORS = [f"评估员 {i}" if i % 2 else f"Evaluator {i}" for i in range(1, 9)]


def _new(repo: storage.Repository) -> str:
    return repo.create_assessment(MINI, "Acme", "CRM", "en", "Fiona")


def _example(repo: storage.Repository) -> tuple[str, vs.VendorSheet]:
    aid = _new(repo)
    return aid, vs.start_sheet(repo, aid, "example", who="Fiona")


def _stored(repo: storage.Repository, aid: str) -> vs.VendorSheet:
    return vs.load_sheet(repo, aid)


def _result(sheet: vs.VendorSheet):
    req, crit = vs.catalogues()
    return evaluate_vendors(sheet, req, crit)


# -- cells, edits and the audit trail -------------------------------------------------------


def test_a_sheet_reads_back_whole_with_its_scores_and_costs_in_rows(repo: storage.Repository):
    aid, example = _example(repo)
    assert _stored(repo, aid) == example
    engine = repo.engine
    with engine.connect() as conn:
        structure = conn.execute(sa.select(schema.vendor_sheets.c.sheet)).scalar_one()
        n_scores = conn.execute(sa.select(sa.func.count()).select_from(schema.vendor_scores)).scalar()
        n_costs = conn.execute(sa.select(sa.func.count()).select_from(schema.vendor_costs)).scalar()
    # the scores and costs live in their rows, not in the sheet's JSON
    assert structure["evaluations"] == {} and structure["costs"] == {}
    assert n_scores == sum(len(ev.requirements) + len(ev.criteria)
                           for by_vendor in example.evaluations.values() for ev in by_vendor.values())
    assert n_costs == 5 * sum(len(lines) for lines in example.costs.values())
    # starting again replaces everything, and removes the cells the new sheet does not have
    fresh = vs.start_sheet(repo, aid, "catalogue", who="Fiona")
    assert _stored(repo, aid) == fresh and fresh.evaluations == {} and fresh.costs == {}


def test_each_score_edit_is_one_audited_cell(repo: storage.Repository):
    aid, example = _example(repo)
    before = len(repo.vendor_audit_trail(aid))
    old = example.evaluations["it_lead"][VENDOR].criteria["cost"]
    vs.save_criterion_scores(repo, aid, "it_lead", VENDOR, {"cost": {"score": 1}})
    vs.save_criterion_scores(repo, aid, "it_lead", VENDOR, {"cost": {"score": 1}})  # unchanged: no entry
    vs.save_criterion_scores(repo, aid, "it_lead", VENDOR, {"cost": {"note": "  price list 2027 "}})
    trail = repo.vendor_audit_trail(aid)[before:]
    assert [(e.who, e.kind, e.evaluator, e.vendor_id, e.ref_id, e.old, e.new) for e in trail] == [
        ("it_lead", "criterion", "it_lead", VENDOR, "cost", old.model_dump(), {"score": 1, "note": old.note}),
        ("it_lead", "criterion", "it_lead", VENDOR, "cost", {"score": 1, "note": old.note},
         {"score": 1, "note": "price list 2027"}),
    ]
    stored = _stored(repo, aid)
    assert stored.evaluations["it_lead"][VENDOR].criteria["cost"].model_dump() == {"score": 1,
                                                                                    "note": "price list 2027"}
    # everything else is as it was
    rest = stored.model_copy(update={"evaluations": {**stored.evaluations, "it_lead": example.evaluations["it_lead"]}})
    assert rest == example

    # a status, cleared with its note: the entry goes, and the trail says so
    vs.save_requirement_scores(repo, aid, "sales_lead", VENDOR, {"customer_360": {"status": None, "note": None}})
    last = repo.vendor_audit_trail(aid)[-1]
    assert (last.kind, last.ref_id, last.new) == ("requirement", "customer_360", None)
    assert "customer_360" not in _stored(repo, aid).evaluations["sales_lead"][VENDOR].requirements


def test_sheet_edits_are_audited_by_entry_and_cost_cell(repo: storage.Repository):
    aid, example = _example(repo)
    before = len(repo.vendor_audit_trail(aid))
    vs.edit_sheet(repo, aid, lambda s: vs.apply_criterion_changes(s, {"cost": {"weight": 30}}), who="Fiona")
    vs.edit_sheet(repo, aid, lambda s: vs.apply_cost_changes(s, {"crm_a:2": {"training": 1234.5}}), who="Fiona")
    trail = repo.vendor_audit_trail(aid)[before:]
    old_training = next(c for c in example.costs["crm_a"] if c.year == 2).training
    assert [(e.who, e.kind, e.vendor_id, e.ref_id) for e in trail] == [
        ("Fiona", "sheet", None, "criteria.cost"), ("Fiona", "cost", "crm_a", "2.training")]
    assert (trail[0].old["weight"], trail[0].new["weight"]) == (example.criteria[-1].weight, 30)
    assert (trail[1].old, trail[1].new) == (old_training, 1234.5)
    # a change that changes nothing writes nothing
    assert vs.edit_sheet(repo, aid, lambda s: s) == _stored(repo, aid)
    assert len(repo.vendor_audit_trail(aid)) == before + 2


def test_the_same_evaluators_later_write_wins(repo: storage.Repository):
    aid, _ = _example(repo)
    for score in (2, 5, 3):
        vs.save_criterion_scores(repo, aid, "Ann", VENDOR, {"analytics": {"score": score}})
    assert _stored(repo, aid).evaluations["Ann"][VENDOR].criteria["analytics"].score == 3


def test_scores_for_a_vendor_removed_meanwhile_are_refused_and_change_nothing(repo: storage.Repository):
    aid, example = _example(repo)
    rows = [r for r in vs.vendor_rows(example) if r["id"] != VENDOR]
    vs.edit_sheet(repo, aid, lambda s: vs.apply_vendor_table(s, rows), who="Fiona")
    after_removal = _stored(repo, aid)
    assert all(VENDOR not in by_vendor for by_vendor in after_removal.evaluations.values())
    with pytest.raises(vs.SheetRefused, match="unknown vendor"):
        vs.save_criterion_scores(repo, aid, "Ann", VENDOR, {"cost": {"score": 4}})
    with pytest.raises(vs.SheetRefused, match="whole number from 1 to 5"):
        vs.save_criterion_scores(repo, aid, "Ann", "crm_a", {"cost": {"score": 7}})
    with pytest.raises(vs.SheetRefused, match="a note needs a score"):
        vs.save_criterion_scores(repo, aid, "Ann", "crm_a", {"cost": {"note": "later"}})
    with pytest.raises(vs.SheetRefused, match="join the assessment"):
        vs.save_criterion_scores(repo, aid, " ", "crm_a", {"cost": {"score": 4}})
    assert _stored(repo, aid) == after_removal


# -- migration and backup -------------------------------------------------------------------


def test_migration_to_v5_moves_a_stored_sheets_scores_into_rows(db_url: str):
    engine = storage.new_engine(db_url, upgrade=False)
    try:
        assert storage.migrate(engine, target=3) == 3
        example = load_vendor_sheet()
        repo = storage.Repository(engine)
        aid = storage.new_assessment_id()
        md = sa.MetaData()
        v3_assessments = sa.Table("assessments", md, autoload_with=engine)
        v3_sheets = sa.Table("vendor_sheets", md, autoload_with=engine)
        at = datetime.now(UTC).replace(tzinfo=None)
        with engine.begin() as conn:  # a sheet as version 3 stored it: one JSON value, scores and all
            conn.execute(v3_assessments.insert().values(
                id=aid, template_id=MINI.id, template_version=MINI.version, organisation="Acme", project="CRM",
                language="en", facilitator="Fiona", created_at=at, updated_at=at,
                settings={"method": "mean", "spread_threshold": 0.5}, out_of_scope={}))
            conn.execute(v3_sheets.insert().values(assessment_id=aid, sheet=example.model_dump(mode="json"),
                                                   updated_at=at))
        assert storage.migrate(engine) == storage.LATEST_VERSION
        migrated = _stored(repo, aid)
        assert migrated == example
        assert _result(migrated) == _result(example)
        # the migrated sheet goes on working, cell by cell
        vs.save_criterion_scores(repo, aid, "it_lead", "crm_a", {"cost": {"score": 1}})
        assert _stored(repo, aid).evaluations["it_lead"]["crm_a"].criteria["cost"].score == 1
        assert _stored(repo, aid).evaluations["sales_lead"] == example.evaluations["sales_lead"]
    finally:
        engine.dispose()


def _rehash(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    for entry in manifest["assessments"]:
        path = folder / "assessments" / f"{entry['id']}.json"
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest))


def test_backup_round_trip_carries_the_cells_and_their_trail(db_url: str, tmp_path: Path):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    aid, _ = _example(source)
    vs.save_criterion_scores(source, aid, "Ann", VENDOR, {"cost": {"score": 4, "note": "含三年维护"}})
    vs.edit_sheet(source, aid, lambda s: vs.apply_cost_changes(s, {"crm_a:1": {"licence": 99.99}}), who="Fiona")
    exported = export_all(source, tmp_path / "one")
    assert exported.counts["vendor_scores"] > 0 and exported.counts["vendor_costs"] > 0
    target = storage.open_repository(db_url)
    assert import_all(target, tmp_path / "one").counts == exported.counts
    assert _stored(target, aid) == _stored(source, aid)
    assert target.vendor_audit_trail(aid) == source.vendor_audit_trail(aid)
    # the imported sheet goes on working, and its audit ids continue past the imported ones
    vs.save_criterion_scores(target, aid, "Ann", VENDOR, {"cost": {"score": 2}})
    assert target.vendor_audit_trail(aid)[-1].id > source.vendor_audit_trail(aid)[-1].id


def test_a_backup_from_before_version_5_imports_its_sheet_into_rows(tmp_path: Path):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    aid, example = _example(source)
    folder = tmp_path / "old"
    export_all(source, folder)
    # rewrite the backup as version 3 wrote it: the whole sheet in vendor_sheets, no cell rows
    path = folder / "assessments" / f"{aid}.json"
    doc = json.loads(path.read_text())
    doc["vendor_sheets"][0]["sheet"] = example.model_dump(mode="json")
    for key in ("vendor_scores", "vendor_costs", "vendor_audit"):
        del doc[key]
    path.write_text(json.dumps(doc))
    manifest = json.loads((folder / MANIFEST).read_text())
    for counts in [manifest["counts"], *(e["counts"] for e in manifest["assessments"])]:
        for key in ("vendor_scores", "vendor_costs", "vendor_audit"):
            del counts[key]
    (folder / MANIFEST).write_text(json.dumps(manifest))
    _rehash(folder)

    target = storage.open_repository(f"sqlite:///{tmp_path / 'target.db'}")
    import_all(target, folder)
    assert _stored(target, aid) == example
    vs.save_criterion_scores(target, aid, "it_lead", "crm_a", {"cost": {"score": 1}})
    assert _stored(target, aid).evaluations["sales_lead"] == example.evaluations["sales_lead"]


# -- evaluators scoring at once -------------------------------------------------------------


def _criteria_of(sheet: vs.VendorSheet, who: str, vendor_id: str) -> dict[str, dict]:
    ev = sheet.evaluations.get(who, {}).get(vendor_id)
    return {cid: s.model_dump() for cid, s in ev.criteria.items()} if ev else {}


def _given(who: str) -> dict[str, dict]:
    """What evaluator `who` scores: every criterion of VENDOR, with a note naming them."""
    i = EVALUATORS.index(who)
    ids = [c.id for c in load_vendor_sheet().criteria]
    return {cid: {"score": (i + j) % 5 + 1, "note": f"{who} / {cid}"} for j, cid in enumerate(ids)}


def _score_one_by_one(url: str, aid: str, who: str, seed: int) -> None:
    """One evaluator at the page: one criterion at a time, each saved as the page saves it."""
    repo = storage.open_repository(url)
    pace = random.Random(seed)
    for cid, cells in _given(who).items():
        time.sleep(pace.random() * 0.003)  # a person's pace, shrunk: the saves interleave with the others'
        vs.save_criterion_scores(repo, aid, who, VENDOR, {cid: cells})


# the team lead editing the sheet meanwhile: weights and cost cells, each its own edit
WEIGHTS = {"functional_fit": 33.0, "analytics": 7.5, "cost": 21.0}
COSTS = {"crm_a:1": {"licence": 111.11}, "crm_b:2": {"training": 222.22}, "crm_c:3": {"operations": 333.33}}


def _edit_the_sheet(url: str, aid: str, seed: int) -> None:
    repo = storage.open_repository(url)
    pace = random.Random(seed)
    for cid, weight in WEIGHTS.items():
        time.sleep(pace.random() * 0.003)
        vs.edit_sheet(repo, aid, lambda s, c=cid, w=weight: vs.apply_criterion_changes(s, {c: {"weight": w}}),
                      who="Fiona")
    for key, cells in COSTS.items():
        time.sleep(pace.random() * 0.003)
        vs.edit_sheet(repo, aid, lambda s, k=key, c=cells: vs.apply_cost_changes(s, {k: c}), who="Fiona")


def _after_barrier(barrier, work: Callable[..., None], *args) -> None:
    barrier.wait(timeout=120)
    work(*args)


def _process_main(barrier, work: Callable[..., None], args: tuple, errors) -> None:
    try:
        _after_barrier(barrier, work, *args)
    except BaseException as e:
        errors.put(f"{args}: {type(e).__name__}: {e}")
        raise
    finally:
        storage.dispose_engines()


def _run_threads(jobs: list[tuple[Callable[..., None], tuple]]) -> None:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(work, args):
        try:
            _after_barrier(barrier, work, *args)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not [t for t in threads if t.is_alive()], "a writer hung"
    if errors:
        raise errors[0]


def _run_processes(jobs: list[tuple[Callable[..., None], tuple]]) -> None:
    # spawn, not fork: a child must not inherit the parent's open database connections
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    errors = ctx.Queue()
    procs = [ctx.Process(target=_process_main, args=(barrier, work, args, errors)) for work, args in jobs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    hung = [p for p in procs if p.is_alive()]
    for p in hung:
        p.kill()
    assert not hung, "a writer hung"
    reported = []
    while not errors.empty():
        reported.append(errors.get())
    assert not reported and all(p.exitcode == 0 for p in procs), reported


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_eight_evaluators_scoring_at_once_lose_nothing(db_url: str, mode: str):
    repo = storage.open_repository(db_url)
    aid, example = _example(repo)
    # something of every evaluator stored beforehand, on another vendor: it must stay as it is
    for who in EVALUATORS:
        vs.save_requirement_scores(repo, aid, who, "crm_a", {"customer_360": {"status": "partly", "note": who}})
    before = _stored(repo, aid)
    trail_before = len(repo.vendor_audit_trail(aid))

    jobs: list[tuple[Callable[..., None], tuple]] = [
        (_score_one_by_one, (db_url, aid, who, n)) for n, who in enumerate(EVALUATORS)]
    jobs.append((_edit_the_sheet, (db_url, aid, 99)))
    (_run_threads if mode == "threads" else _run_processes)(jobs)

    after = _stored(repo, aid)
    # every score given is stored: 8 evaluators x 8 criteria
    stored = {who: _criteria_of(after, who, VENDOR) for who in EVALUATORS}
    kept = sum(len(v) for v in stored.values())
    assert stored == {who: _given(who) for who in EVALUATORS}, f"{kept} of 64 scores stored"
    assert kept == 64
    # and so is every edit of the sheet made meanwhile
    assert {c.id: c.weight for c in after.criteria if c.id in WEIGHTS} == WEIGHTS
    for key, cells in COSTS.items():
        vid, _, year = key.partition(":")
        line = next(c for c in after.costs[vid] if c.year == int(year))
        assert {p: getattr(line, p) for p in cells} == cells

    # must NOT happen: any other cell changed. The evaluators' own earlier entries, the example's two
    # evaluators, every requirement status, the other vendors and costs are as they were before.
    for who in EVALUATORS:
        assert after.evaluations[who]["crm_a"] == before.evaluations[who]["crm_a"]
        assert after.evaluations[who][VENDOR].requirements == {}
    for who in example.evaluators():
        assert after.evaluations[who] == before.evaluations[who]
    changed_costs = {k.partition(":")[0] for k in COSTS}
    for vid, lines in before.costs.items():
        expected = {(c.year, p): getattr(c, p) for c in lines for p in vs.COST_PARTS}
        got = {(c.year, p): getattr(c, p) for c in after.costs[vid] for p in vs.COST_PARTS}
        touched = {(int(k.partition(":")[2]), p) for k, cells in COSTS.items() if k.startswith(vid + ":")
                   for p in cells}
        assert {k: v for k, v in got.items() if k not in touched} == \
            {k: v for k, v in expected.items() if k not in touched}, vid
    assert changed_costs <= set(before.costs)
    # and the trail holds exactly one entry per score, each by the evaluator whose cell it is
    trail = repo.vendor_audit_trail(aid)[trail_before:]
    scores = [e for e in trail if e.kind == "criterion"]
    assert len(scores) == 64 and all(e.who == e.evaluator and e.vendor_id == VENDOR for e in scores)
    assert {(e.evaluator, e.ref_id): e.new for e in scores} == {
        (who, cid): cell for who in EVALUATORS for cid, cell in _given(who).items()}
    assert {e.who for e in trail if e.kind != "criterion"} == {"Fiona"}
