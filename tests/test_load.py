"""A workshop room under load: 50 respondents answering the same assessment at once for a few
seconds, through the repository calls the questionnaire makes on every change, while the facilitator's
views keep reading. Afterwards every answer given is stored (the last write per respondent and item),
none is duplicated or lost, and the audit holds exactly the writes that changed something, in order.
On SQLite and on PostgreSQL (TEST_DATABASE_URL). No timing is asserted; the rate is printed."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

import storage
from checklists import NA, AnswerType, Item, Template, load_all
from scoring import Answer, Confidence, score
from services import room_assessment
from storage import schema

RESPONDENTS = 50
SECONDS = 3.0
ITEMS_EACH = 12  # a respondent keeps coming back to the same few items, so writes repeat and change


def _largest_template() -> Template:
    templates, problems = load_all()
    assert not problems, problems
    return max(templates.values(), key=lambda t: len(t.items()))


def _values(item: Item) -> list[object]:
    """A few values the item allows (so a random pick often repeats the stored one: an unchanged write)."""
    if item.type is AnswerType.status:
        return ["yes", "partial", "no"] + ([NA] if item.allow_na else [])
    if item.type is AnswerType.scale:
        return [0, 2, 4]
    if item.type is AnswerType.choice:
        return [o.id for o in item.options or []][:3]
    if item.type is AnswerType.multi:
        ids = [o.id for o in item.options or []]
        return [ids[:1], ids[:2], ids[1:3] or ids[:1]]
    if item.type is AnswerType.number:
        return [0, 12.5, 100]
    return ["已复盘", "需要讨论 with IT", "见附件"]


def _answer(rng: random.Random, item: Item) -> Answer | None:
    """What one change of one widget sends: None is a cleared answer."""
    r = rng.random()
    if r < 0.1:
        return None
    value = rng.choice(_values(item))
    if r < 0.2:
        return Answer(value=value, note=rng.choice(["客户数据在 Excel", "to check"]),
                      confidence=rng.choice(list(Confidence)))
    return Answer(value=value)


def store(repo: storage.Repository, aid: str, rid: int, item_id: str, answer: Answer | None) -> bool:
    """As ui/questionnaire.py's _store: an empty answer deletes, anything else saves."""
    if answer is None:
        return repo.delete_answer(aid, rid, item_id)
    return repo.save_answer(aid, rid, item_id, answer)


@dataclass
class Log:
    name: str
    rid: int = 0
    last: dict[str, Answer | None] = field(default_factory=dict)  # item -> last answer stored
    changes: list[tuple[str, Answer | None]] = field(default_factory=list)  # writes that returned True
    writes: int = 0
    retries: int = 0


def _respondent(repo, aid, tpl, log: Log, start: threading.Barrier, deadline_box: list[float], seed: int):
    rng = random.Random(seed)
    items = rng.sample(tpl.items(), ITEMS_EACH)
    log.rid = repo.join(aid, log.name, rng.choice(["销售", "IT", "marketing"]))  # as the home page does
    start.wait()
    while time.monotonic() < deadline_box[0]:
        item = rng.choice(items)
        answer = _answer(rng, item)
        while True:
            try:
                changed = store(repo, aid, log.rid, item.id, answer)
                break
            except storage.StorageUnavailable:
                # the page keeps it in the session and saves it on the next run: so do we
                log.retries += 1
                time.sleep(0.05)
        log.writes += 1
        log.last[item.id] = answer
        if changed:
            log.changes.append((item.id, answer))


def _reader(repo, aid, tpl, stop: threading.Event, reads: list[int]):
    while not stop.is_set():
        # what the workshop and results pages read on every rerun
        repo.list_respondents(aid)
        score(tpl, room_assessment(repo, aid, tpl))
        reads[0] += 1


@pytest.mark.parametrize("respondents", [RESPONDENTS])
def test_a_room_answering_at_once_loses_and_duplicates_nothing(db_url: str, respondents: int, capsys):
    tpl = _largest_template()
    repo = storage.open_repository(db_url)  # one repository per process, as the app's cache_resource
    aid = repo.create_assessment(tpl, "示例制造", "负载测试", "zh", "Fiona")
    logs = [Log(f"P{i:02d} 参与者") for i in range(respondents)]
    start = threading.Barrier(respondents + 1)
    deadline = [float("inf")]
    errors: list[BaseException] = []

    def guarded(fn, *args):
        def run():
            try:
                fn(*args)
            except BaseException as e:
                errors.append(e)
                start.abort()
        return threading.Thread(target=run, daemon=True)

    writers = [guarded(_respondent, repo, aid, tpl, log, start, deadline, i) for i, log in enumerate(logs)]
    stop, reads = threading.Event(), [0]
    readers = [guarded(_reader, repo, aid, tpl, stop, reads) for _ in range(2)]
    for t in writers:
        t.start()
    start.wait(60)  # everyone has joined
    deadline[0] = time.monotonic() + SECONDS
    began = time.monotonic()
    for t in readers:
        t.start()
    for t in writers:
        t.join(60)
    stop.set()
    for t in readers:
        t.join(60)
    elapsed = time.monotonic() - began
    assert not [t for t in writers + readers if t.is_alive()], "a respondent or a reader hung"
    assert not errors, errors

    writes = sum(log.writes for log in logs)
    with capsys.disabled():
        print(f"\n  {db_url.split(':')[0]}: {respondents} respondents, {writes} writes in {elapsed:.1f} s "
              f"({writes / elapsed:.0f}/s), {sum(len(log.changes) for log in logs)} changed, "
              f"{sum(log.retries for log in logs)} retried, {reads[0]} room reads")
    assert writes > respondents  # everyone wrote, most several times

    # every answer given is stored: the last write per respondent and item, nothing else
    expected = {log.name: {k: v for k, v in sorted(log.last.items()) if v is not None} for log in logs}
    assert repo.load_answers(aid) == expected
    with repo.engine.connect() as conn:
        a = schema.answers
        rows = conn.execute(sa.select(sa.func.count()).select_from(a).where(a.c.assessment_id == aid)).scalar()
        dupes = conn.execute(sa.select(a.c.respondent_id, a.c.item_id).where(a.c.assessment_id == aid)
                             .group_by(a.c.respondent_id, a.c.item_id).having(sa.func.count() > 1)).all()
    assert rows == sum(len(v) for v in expected.values()) and not dupes
    assert {p.name: p.answered for p in repo.list_respondents(aid)} == {k: len(v) for k, v in expected.items()}

    # the audit holds exactly the writes that changed something, each respondent's in the order given,
    # and each entry's "old" is the previous entry's "new" for that item (a chain with no gap)
    trail = repo.audit_trail(aid)
    assert len(trail) == sum(len(log.changes) for log in logs)
    by_person: dict[str, list] = defaultdict(list)
    for e in sorted(trail, key=lambda e: e.id):
        by_person[e.respondent].append(e)
    for log in logs:
        got = by_person.get(log.name, [])
        assert [(e.item_id, e.new) for e in got] == [(i, storage.storable(a) if a else None)
                                                     for i, a in log.changes]
        previous: dict[str, Answer | None] = {}
        for e in got:
            assert e.old == previous.get(e.item_id), (log.name, e)
            previous[e.item_id] = e.new
