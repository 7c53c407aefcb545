"""Workshop rounds: blind answers until a reveal, a second round stored beside the first, convergence.

The pure rules (scoring.rounds) with hand-computed values, and the storage on real SQLite and
PostgreSQL: round-2 answers in rows of their own (checked in the tables), revealed answers locked,
the audit trail naming the round, and fifteen people answering both rounds at once with nothing lost.
Each "must happen" has its "must NOT happen" beside it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

import storage
from checklists import load_template
from scoring import Answer, RoundState, convergence, disputed_items, latest_answers, visible_answers
from storage import schema

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
GOALS = "strategy.goals.defined"
MATURITY = "strategy.goals.maturity"
STAGES = "process.stages.model"


# -- the pure rules ----------------------------------------------------------------------------

def _by_round() -> dict[int, dict[str, dict[str, Answer]]]:
    return {1: {"Ann": {GOALS: Answer(value="yes"), MATURITY: Answer(value=4)},
                "Bob": {GOALS: Answer(value="no"), MATURITY: Answer(value=0)},
                "Cy": {}},
            2: {"Ann": {GOALS: Answer(value="yes")}, "Bob": {GOALS: Answer(value="yes")}, "Cy": {}}}


def test_before_round_one_everything_is_shown_as_before():
    state = RoundState()
    assert (state.blind, state.current, state.round_for(GOALS), state.shown_round(GOALS)) == (False, 0, 1, 1)
    shown = visible_answers(state, {1: _by_round()[1]}, MINI)
    assert shown["Ann"] == {GOALS: Answer(value="yes"), MATURITY: Answer(value=4)}
    assert shown["Cy"] == {}


def test_a_blind_round_hides_every_answer_until_its_item_is_revealed():
    state = RoundState(rounds={1: None})
    assert state.blind and state.shown_round(GOALS) is None
    hidden = visible_answers(state, {1: _by_round()[1]}, MINI)
    # must NOT happen: any answer of anyone shown before a reveal (everyone is still listed)
    assert hidden == {"Ann": {}, "Bob": {}, "Cy": {}}
    one = RoundState(rounds={1: None}, revealed=frozenset({(1, GOALS)}))
    shown = visible_answers(one, {1: _by_round()[1]}, MINI)
    assert shown == {"Ann": {GOALS: Answer(value="yes")}, "Bob": {GOALS: Answer(value="no")}, "Cy": {}}
    assert MATURITY not in shown["Ann"]  # revealing one item shows that item only


def test_round_two_covers_only_its_items_and_stays_hidden_until_revealed_again():
    state = RoundState(rounds={1: None, 2: (GOALS,)}, revealed=frozenset({(1, GOALS), (1, MATURITY)}))
    assert (state.round_for(GOALS), state.round_for(MATURITY)) == (2, 1)
    assert state.rounds_of(GOALS) == [1, 2] and state.rounds_of(MATURITY) == [1]
    shown = visible_answers(state, _by_round(), MINI)
    # round 2 is not revealed: the room still sees round 1, never Bob's new "yes"
    assert shown["Bob"][GOALS] == Answer(value="no")
    after = state.model_copy(update={"revealed": state.revealed | {(2, GOALS)}})
    assert visible_answers(after, _by_round(), MINI)["Bob"][GOALS] == Answer(value="yes")
    assert state.locked(1, GOALS) and not state.locked(2, GOALS)
    assert not RoundState().locked(1, GOALS)  # outside rounds nothing is locked


def test_latest_answers_keep_an_earlier_round_where_no_new_answer_was_given():
    by_round = _by_round()
    by_round[2]["Bob"] = {}
    latest = latest_answers(by_round)
    assert latest["Bob"][GOALS] == Answer(value="no")
    assert latest_answers(_by_round())["Bob"][GOALS] == Answer(value="yes")
    assert latest_answers(_by_round(), upto=1)["Bob"][GOALS] == Answer(value="no")


def test_convergence_counts_disputed_items_that_came_below_the_threshold():
    # goals: yes/no (spread 1.0) → yes/yes (0.0): converged; maturity 4/0 (1.0) is not asked again
    c = convergence(MINI, _by_round(), 2, 0.5, items=(GOALS,))
    assert [(i.item_id, i.before, i.after, i.disputed, i.converged) for i in c.items] == [
        (GOALS, 1.0, 0.0, True, True)]
    assert (c.disputed, c.converged) == (1, 1)
    # must NOT happen: a disputed item counted as converged while the room still splits
    split = _by_round()
    split[2]["Bob"] = {GOALS: Answer(value="partial")}  # yes / partial: 0.5, at the threshold
    c = convergence(MINI, split, 2, 0.5, items=(GOALS,))
    assert (c.items[0].after, c.disputed, c.converged) == (0.5, 1, 0)
    assert disputed_items(MINI, _by_round()[1], 0.5) == [GOALS, MATURITY]


# -- storage ------------------------------------------------------------------------------------

def _room(repo: storage.Repository, n: int = 2) -> tuple[str, list[int]]:
    aid = repo.create_assessment(MINI, "Acme", "CRM", "en", "Fiona")
    return aid, [repo.join(aid, f"P{i:02d}") for i in range(n)]


def _rows(repo: storage.Repository, aid: str) -> list[tuple]:
    with repo.engine.connect() as conn:
        t = schema.answers
        return [tuple(r) for r in conn.execute(
            sa.select(t.c.respondent_id, t.c.item_id, t.c.round, t.c.value)
            .where(t.c.assessment_id == aid).order_by(t.c.respondent_id, t.c.item_id, t.c.round))]


def test_round_two_answers_are_stored_beside_round_one(db_url: str):
    repo = storage.open_repository(db_url)
    aid, (a, b) = _room(repo)
    assert repo.open_round(aid) == 1
    repo.save_answer(aid, a, GOALS, Answer(value="yes"))
    repo.save_answer(aid, b, GOALS, Answer(value="no"))
    repo.save_answer(aid, b, MATURITY, Answer(value=2))
    repo.reveal(aid, 1, [GOALS, MATURITY])
    assert repo.open_round(aid, [GOALS]) == 2
    # the questionnaire's own view of round 2 starts blank for GOALS, round 1 for the rest
    assert GOALS not in repo.load_respondent_answers(aid, b)
    assert repo.load_respondent_answers(aid, b)[MATURITY].answer == Answer(value=2)
    stored = repo.update_answer(aid, b, GOALS, {"value": "partial"}, expected_version=0)
    assert stored.answer == Answer(value="partial")
    # in the table: round 1's "no" is still there, round 2's "partial" is a row of its own
    assert _rows(repo, aid) == [(a, GOALS, 1, "yes"), (b, GOALS, 1, "no"), (b, GOALS, 2, "partial"),
                                (b, MATURITY, 1, 2)]
    assert repo.load_answers(aid, round=1)["P01"][GOALS] == Answer(value="no")  # must NOT be overwritten
    assert repo.load_answers(aid, round=2)["P01"] == {GOALS: Answer(value="partial")}
    assert repo.load_answers(aid)["P01"][GOALS] == Answer(value="partial")  # the latest stands
    trail = [(e.respondent, e.item_id, e.round) for e in repo.audit_trail(aid, GOALS)]
    assert trail == [("P00", GOALS, 1), ("P01", GOALS, 1), ("P01", GOALS, 2)]
    assert {r.name: r.answered for r in repo.list_respondents(aid)} == {"P00": 1, "P01": 2}  # items, not rows


def test_a_revealed_item_is_locked_in_its_round_and_rounds_open_in_order(db_url: str):
    repo = storage.open_repository(db_url)
    aid, (a, _b) = _room(repo)
    with pytest.raises(storage.InvalidInput):
        repo.reveal(aid, 1, [GOALS])  # no round is open
    with pytest.raises(storage.InvalidInput):
        repo.open_round(aid, [GOALS])  # round 1 covers every item
    repo.open_round(aid)
    repo.save_answer(aid, a, GOALS, Answer(value="yes"))
    with pytest.raises(storage.InvalidInput):
        repo.open_round(aid, [GOALS])  # not revealed, so not discussed: no round 2 for it yet
    assert repo.reveal(aid, 1, [GOALS, GOALS]) == 1
    assert repo.reveal(aid, 1, [GOALS]) == 0  # once is enough
    with pytest.raises(storage.AnswerLocked):
        repo.save_answer(aid, a, GOALS, Answer(value="no"))  # what the room saw stays as it was
    assert repo.load_answers(aid)["P00"][GOALS] == Answer(value="yes")
    repo.save_answer(aid, a, MATURITY, Answer(value=1))  # an item not revealed still takes answers
    with pytest.raises(storage.InvalidInput):
        repo.save_answer(aid, a, GOALS, Answer(value="no"), round=2)  # round 2 is not open
    repo.open_round(aid, [GOALS])
    assert repo.reveal(aid, 2, [MATURITY]) == 0  # round 2 does not cover it: left out
    assert repo.save_answer(aid, a, GOALS, Answer(value="no"))  # round 2 takes it
    with pytest.raises(storage.InvalidInput):
        repo.save_answer(aid, a, MATURITY, Answer(value=2), round=2)  # round 2 does not ask it
    state = repo.round_state(aid)
    assert (state.current, state.rounds) == (2, {1: None, 2: (GOALS,)})
    assert repo.set_decided(aid, GOALS) and not repo.set_decided(aid, GOALS)
    assert repo.round_state(aid).decided == {GOALS}
    assert repo.set_decided(aid, GOALS, False) and repo.round_state(aid).decided == frozenset()


def test_fifteen_people_answer_both_rounds_at_once_and_nothing_is_lost(db_url: str):
    repo = storage.open_repository(db_url)
    aid, people = _room(repo, 15)
    repo.open_round(aid)
    items = [GOALS, MATURITY, STAGES]
    values = {GOALS: ["yes", "no"], MATURITY: [0, 4], STAGES: ["none", "exit_criteria"]}

    def round_one(i: int, rid: int):
        def run():
            r = storage.open_repository(db_url)
            for item_id in items:
                r.update_answer(aid, rid, item_id, {"value": values[item_id][i % 2], "note": f"n{i}"})
        return run

    _threads([round_one(i, rid) for i, rid in enumerate(people)])
    repo.reveal(aid, 1, items)
    repo.open_round(aid, [GOALS, STAGES])

    def round_two(i: int, rid: int):
        def run():
            r = storage.open_repository(db_url)
            r.update_answer(aid, rid, GOALS, {"value": "yes"}, expected_version=0)
            r.update_answer(aid, rid, STAGES, {"value": "names", "note": f"r2 {i}"}, expected_version=0)
        return run

    _threads([round_two(i, rid) for i, rid in enumerate(people)])
    one, two = repo.load_answers(aid, round=1), repo.load_answers(aid, round=2)
    for i in range(15):
        name = f"P{i:02d}"
        assert one[name] == {k: Answer(value=values[k][i % 2], note=f"n{i}") for k in items}
        assert two[name] == {GOALS: Answer(value="yes"), STAGES: Answer(value="names", note=f"r2 {i}")}
    assert len(_rows(repo, aid)) == 15 * 5
    assert len(repo.audit_trail(aid)) == 15 * 5  # one audit row per change, none lost, none doubled
    c = convergence(MINI, repo.load_rounds(aid), 2, 0.5, items=(GOALS, STAGES))
    assert (c.disputed, c.converged) == (2, 2)


def _answer_round(args: tuple[str, str, int, int, int]) -> int:
    """One person in another process: their answers to the open round (a process of its own, as on
    several app instances sharing one database). Returns how many answers it stored."""
    url, aid, rid, i, number = args
    repo = storage.open_repository(url)
    if number == 1:
        for item_id in (GOALS, MATURITY):
            repo.update_answer(aid, rid, item_id, {"value": ("yes", 4)[item_id == MATURITY] if i % 2 else
                                                   ("no", 0)[item_id == MATURITY]})
        return 2
    repo.update_answer(aid, rid, GOALS, {"value": "partial", "note": f"p{i}"}, expected_version=0)
    return 1


def test_fifteen_processes_answer_both_rounds_and_nothing_is_lost(db_url: str):
    import multiprocessing

    repo = storage.open_repository(db_url)
    aid, people = _room(repo, 15)
    repo.open_round(aid)
    with multiprocessing.get_context("spawn").Pool(15) as pool:
        assert sum(pool.map(_answer_round, [(db_url, aid, rid, i, 1) for i, rid in enumerate(people)])) == 30
        repo.reveal(aid, 1, [GOALS, MATURITY])
        repo.open_round(aid, [GOALS])
        assert sum(pool.map(_answer_round, [(db_url, aid, rid, i, 2) for i, rid in enumerate(people)])) == 15
    one, two = repo.load_answers(aid, round=1), repo.load_answers(aid, round=2)
    for i in range(15):
        name = f"P{i:02d}"
        assert one[name] == {GOALS: Answer(value="yes" if i % 2 else "no"), MATURITY: Answer(value=4 if i % 2 else 0)}
        assert two[name] == {GOALS: Answer(value="partial", note=f"p{i}")}
    assert len(_rows(repo, aid)) == 45 and len(repo.audit_trail(aid)) == 45
    # must NOT happen: a round-2 write landing in round 1 (round 1 keeps its split; round 2 agrees)
    c = convergence(MINI, repo.load_rounds(aid), 2, 0.5, items=(GOALS,))
    assert (c.items[0].before, c.items[0].after, c.converged) == (1.0, 0.0, 1)


def _threads(targets: list) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            try:
                barrier.wait()
                fn()
            except BaseException as e:
                errors.append(e)
        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not [t for t in threads if t.is_alive()], "a writer hung"
    assert not errors, errors[:3]


def test_a_database_from_before_rounds_keeps_its_answers_as_round_one(db_url: str):
    engine = sa.create_engine(db_url)  # a bare engine: new_engine would migrate to the latest at once
    try:
        storage.migrate(engine, target=5)
        # the repository speaks the latest schema: the round-less rows are written by hand
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO assessments (id, template_id, template_version, organisation, project, language, "
                "facilitator, created_at, updated_at, settings, out_of_scope) VALUES ('old', 'mini', '1.0', "
                "'Acme', '', 'en', 'F', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '{}', '{}')"))
            conn.execute(sa.text("INSERT INTO respondents (id, assessment_id, name, role, created_at) "
                                 "VALUES (7, 'old', 'Ann', '', '2026-01-01 00:00:00')"))
            conn.execute(sa.text("INSERT INTO answers (assessment_id, respondent_id, item_id, value, updated_at, "
                                 "version) VALUES ('old', 7, 'strategy.goals.defined', '\"yes\"', "
                                 "'2026-01-01 00:00:00', 3)"))
        assert storage.migrate(engine) == storage.LATEST_VERSION
        repo = storage.Repository(engine)
        assert repo.load_answers("old", round=1) == {"Ann": {GOALS: Answer(value="yes")}}
        assert repo.load_respondent_answers("old", 7)[GOALS].version == 3
        assert repo.round_state("old") == RoundState()  # must NOT start blind: no round was opened
    finally:
        engine.dispose()


def test_a_step_numbered_below_one_already_applied_is_still_applied(db_url: str, monkeypatch):
    """Schema numbers are reserved per feature and features land in any order: a database that reached
    the latest version without one step (here version 2, as if it had landed last) still gets it, once."""
    from storage import migrations

    full = migrations.STEPS
    engine = sa.create_engine(db_url)
    try:
        monkeypatch.setattr(migrations, "STEPS", tuple(s for s in full if s.version != 2))
        assert storage.migrate(engine) == storage.LATEST_VERSION
        assert "baseline_id" not in {c["name"] for c in sa.inspect(engine).get_columns("assessments")}
        monkeypatch.setattr(migrations, "STEPS", full)
        assert storage.migrate(engine) == storage.LATEST_VERSION
        assert "baseline_id" in {c["name"] for c in sa.inspect(engine).get_columns("assessments")}
        assert storage.migrate(engine) == storage.LATEST_VERSION  # must NOT run it twice (the column exists)
        with engine.connect() as conn:
            versions = sorted(conn.execute(sa.select(schema.schema_version.c.version)).scalars())
        assert versions == [s.version for s in full]
    finally:
        engine.dispose()
