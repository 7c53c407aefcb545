"""Opening an assessment never reads its audit trail, so it costs the same with a trail of a thousand
rows or a million (bench/audit_trail.py measures that ratio). Here the behaviour: every SQL statement
the app sends while a person's link opens the questionnaire page is recorded, and none of them touches
the audit table, while an answer saved on that page does append to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from support import create, field, join, link, new_app, ok


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement any engine of this process sends while inside the block."""
    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append(" ".join(statement.split()).lower())

    sa.event.listen(sa.Engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", note)


def _touches_audit(statement: str) -> bool:
    words = statement.replace('"', " ").replace("(", " ").replace(",", " ").split()
    return "audit" in words


def test_opening_the_page_reads_no_audit_row_and_a_save_appends_one(app_env) -> None:
    at = new_app(lang="en")
    aid = create(at)
    person = join(new_app(lang="en", a=aid), "Bo")
    ok(person.switch_page("ui/phases/strategy.py").run())
    field(person.radio, "v::strategy.goals.defined").set_value("yes").run()  # the trail is not empty
    ok(person)

    again = new_app(**link(person))  # the person's own link, opened afresh (a refresh, a new device)
    with statements() as opening:
        ok(again.switch_page("ui/phases/strategy.py").run())
    assert field(again.radio, "v::strategy.goals.defined").value == "yes"  # the page did open the answers
    assert any("from answers" in s for s in opening)
    # must NOT happen: no statement of the opening touches the audit table
    assert [s for s in opening if _touches_audit(s)] == []

    with statements() as saving:
        field(again.radio, "v::strategy.goals.defined").set_value("no").run()
        ok(again)
    # must happen: the change is written to the trail
    assert [s for s in saving if s.startswith("insert into audit")]
