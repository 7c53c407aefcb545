"""The repository: every read and write the app and the CLI make, each in one short transaction.

Writes that can meet another writer (answers, imports) are retried a bounded number of times on
operational errors ("database is locked", a dropped connection, a lock timeout), then raise
StorageUnavailable, so a page can keep the user's input and say so instead of losing it.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

import settings
from checklists import PHASE_IDS, Template
from scoring import (
    NAME_MAX,
    ActionItem,
    ActionStatus,
    Answer,
    Assessment,
    RoundState,
    latest_answers,
    length_problems,
    name_problem,
    normalise_name,
)
from settings import admin_password

from .db import DEFAULT_BUSY_TIMEOUT_MS, get_engine, writer_turns
from .errors import (
    AdminAccessDenied,
    AnswerConflict,
    AnswerLocked,
    InvalidInput,
    NameTaken,
    NotFound,
    StorageUnavailable,
    TemplateMismatch,
)
from .models import (
    AdminPage,
    AdminRow,
    AssessmentMeta,
    AssessmentSettings,
    AuditEntry,
    Joined,
    Respondent,
    StoredAnswer,
    VendorAuditEntry,
)
from .schema import (
    ITEM_LEN,
    actions,
    answers,
    assessments,
    audit,
    final_answers,
    phase_targets,
    respondents,
    vendor_audit,
    vendor_costs,
    vendor_scores,
    vendor_sheets,
    workshop_decided,
    workshop_reveals,
    workshop_rounds,
)
from .vendor_cells import (
    SCORE_FIELDS,
    Cell,
    CostKey,
    ScoreKey,
    changed_cells,
    compose_sheet,
    evaluation_cells,
    evaluation_of,
    score_cell,
    split_sheet,
    structure_changes,
)

T = TypeVar("T")
# a change of a vendor sheet (or of one evaluation), on its JSON form; see update_vendor_sheet
VendorChange = Callable[[dict[str, Any]], dict[str, Any]]

ADMIN_PASSWORD_ENV = settings.ADMIN_PASSWORD_ENV
# The audit trail's respondent for the facilitator's final answers; join() refuses names like it.
FINAL = "__final__"
# 24 random bytes → 32 url-safe characters: the id is the only key to an assessment.
ID_BYTES = 24


def new_assessment_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def new_secret() -> str:
    """A facilitator key or a respondent token: as unguessable as an assessment id."""
    return secrets.token_urlsafe(ID_BYTES)


def _hash(secret: str) -> str:
    # the secrets are 192 random bits: a plain SHA-256 is enough, no password stretching needed
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _matches(secret: str | None, stored_hash: str | None) -> bool:
    if not secret or not stored_hash:
        return False
    return hmac.compare_digest(_hash(secret), stored_hash)


def _now() -> datetime:
    return datetime.now(UTC)


ADMIN_PAGE_SIZE = 50


def _date_span(text: str) -> tuple[datetime, datetime] | None:
    """The UTC span a search text names as a date: a year, a month or a day; None if it is no date."""
    parts = text.split("-")
    if not (1 <= len(parts) <= 3 and all(p.isascii() and p.isdigit() for p in parts)) or len(parts[0]) != 4:
        return None
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 1:
            return datetime(nums[0], 1, 1, tzinfo=UTC), datetime(nums[0] + 1, 1, 1, tzinfo=UTC)
        if len(nums) == 2:
            y, m = nums
            return datetime(y, m, 1, tzinfo=UTC), datetime(y + m // 12, m % 12 + 1, 1, tzinfo=UTC)
        y, m, d = nums
        start = datetime(y, m, d, tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
    return start, start + timedelta(days=1)


def _text(s: str) -> str:
    # PostgreSQL text cannot hold NUL; drop it on every backend so both store the same thing
    return s.replace("\x00", "")


def storable(a: Answer) -> Answer:
    """The answer as it will be stored and read back (without NUL characters in its texts)."""
    value = a.value
    if isinstance(value, str):
        value = _text(value)
    elif isinstance(value, list):
        value = [_text(v) for v in value]
    return a.model_copy(update={"value": value, "note": a.note and _text(a.note),
                                "reason": a.reason and _text(a.reason)})


def _answer_columns(a: Answer) -> dict[str, Any]:
    return {"value": a.value, "note": a.note, "reason": a.reason,
            "confidence": a.confidence.value if a.confidence else None}


def _answer_from_row(row: Any) -> Answer:
    return Answer(value=row.value, note=row.note, reason=row.reason, confidence=row.confidence)


def _answer_json(a: Answer | None) -> dict[str, Any] | None:
    return None if a is None else a.model_dump(mode="json", exclude_none=True)


def _clean_name(name: str, what: str) -> str:
    cleaned = normalise_name(name)
    problem = name_problem(cleaned)
    if problem == "blank":
        raise InvalidInput(f"{what} must not be blank")
    if problem == "too_long":
        raise InvalidInput(f"{what} is longer than {NAME_MAX} characters")
    if problem == "reserved":
        raise InvalidInput("names starting with '__' are reserved")
    return cleaned


def _check_lengths(item_id: str, a: Answer | None) -> None:
    problems = length_problems(item_id, a.value, a.note, a.reason) if a is not None else []
    if problems:
        raise InvalidInput("; ".join(problems))


ANSWER_FIELDS = ("value", "note", "reason", "confidence")


def _check_item_id(item_id: str) -> str:
    if not isinstance(item_id, str) or not item_id or len(item_id) > ITEM_LEN:
        raise InvalidInput(f"not an item id: {item_id!r}")
    return item_id


# -- the statements every save runs, built once (building a statement costs more than running it) --------

_LOCK_RESPONDENT = (sa.select(respondents)
                    .where(respondents.c.id == sa.bindparam("rid"), respondents.c.assessment_id == sa.bindparam("aid"))
                    .with_for_update(key_share=True))
_ANSWER = sa.select(answers).where(answers.c.assessment_id == sa.bindparam("aid"),
                                   answers.c.respondent_id == sa.bindparam("rid"),
                                   answers.c.item_id == sa.bindparam("item"), answers.c.round == sa.bindparam("round"))
_TOUCH = assessments.update().where(assessments.c.id == sa.bindparam("aid")).values(updated_at=sa.bindparam("at"))
_AUDIT = audit.insert()
_ROUND_STATE = sa.union_all(
    sa.select(sa.literal("r").label("kind"), workshop_rounds.c.round,
              sa.cast(sa.null(), workshop_reveals.c.item_id.type).label("item_id"), workshop_rounds.c["items"])
    .where(workshop_rounds.c.assessment_id == sa.bindparam("aid")),
    sa.select(sa.literal("v"), workshop_reveals.c.round, workshop_reveals.c.item_id,
              sa.cast(sa.null(), workshop_rounds.c["items"].type))
    .where(workshop_reveals.c.assessment_id == sa.bindparam("aid")),
    sa.select(sa.literal("d"), sa.cast(sa.null(), sa.Integer), workshop_decided.c.item_id,
              sa.cast(sa.null(), workshop_rounds.c["items"].type))
    .where(workshop_decided.c.assessment_id == sa.bindparam("aid")))
_UPSERTS: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Any] = {}


def _upsert_statement(dialect: str, table: sa.Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    """An insert of `columns` that updates the row with the same `keys` instead, built once per shape."""
    shape = (dialect, table.name, keys, columns)
    stmt = _UPSERTS.get(shape)
    if stmt is None:
        if dialect == "sqlite":
            lite = sqlite.insert(table)
            stmt = lite.on_conflict_do_update(index_elements=list(keys),
                                              set_={k: lite.excluded[k] for k in columns if k not in keys})
        else:
            pg = postgresql.insert(table)
            stmt = pg.on_conflict_do_update(index_elements=list(keys),
                                            set_={k: pg.excluded[k] for k in columns if k not in keys})
        _UPSERTS[shape] = stmt
    return stmt


class Repository:
    """Storage bound to one engine. Cheap to create; share the engine, not the repository."""

    def __init__(self, engine: Engine, *, admin_password: str | None = None, retries: int = 3,
                 retry_delay: float = 0.05):
        self.engine = engine
        # a value the UI read from Streamlit secrets; otherwise READINESS_ADMIN_PASSWORD is read per call
        self._admin_password = admin_password
        self.retries = retries
        self.retry_delay = retry_delay

    # -- transactions -----------------------------------------------------------------------

    @contextmanager
    def _tx(self, write: bool) -> Iterator[Connection]:
        turns = writer_turns(self.engine) if write else None
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(readiness_write=True)
            if turns is None:
                with conn.begin():
                    yield conn
                return
            try:
                turn = turns.turn()
                turn.__enter__()
            except sqlite3.OperationalError as e:
                raise sa.exc.OperationalError("BEGIN IMMEDIATE", None, e) from e
            try:
                with conn.begin():
                    yield conn
            finally:
                turn.__exit__(None, None, None)

    def _run(self, work: Callable[[Connection], T], *, write: bool = True) -> T:
        """Run `work` in one transaction; retry the whole transaction on operational errors."""
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                with self._tx(write) as conn:
                    return work(conn)
            except (sa.exc.OperationalError, sa.exc.TimeoutError) as e:
                error: Exception = e
            except sa.exc.DBAPIError as e:
                if not e.connection_invalidated:
                    raise
                error = e
            if attempt < attempts:
                # exponential backoff with jitter, so colliding writers do not collide again
                time.sleep(self.retry_delay * (2 ** (attempt - 1)) * (0.5 + random.random()))
        raise StorageUnavailable(f"the database is busy or unreachable after {attempts} attempts: "
                                 f"{getattr(error, 'orig', error)}", attempts) from error

    @staticmethod
    def _upsert(conn: Connection, table: sa.Table, keys: list[str], values: dict[str, Any]) -> None:
        conn.execute(_upsert_statement(conn.dialect.name, table, tuple(keys), tuple(values)), values)

    # Lock order, so PostgreSQL transactions never wait on each other in a circle: a respondent's
    # row first, then the assessment's row. SQLite needs none: BEGIN IMMEDIATE admits one writer.

    @staticmethod
    def _lock_assessment(conn: Connection, assessment_id: str) -> Any:
        """The assessment's row, locked for this transaction (PostgreSQL; SQLite locks the file)."""
        row = conn.execute(sa.select(assessments).where(assessments.c.id == assessment_id)
                           .with_for_update(key_share=True)).first()
        if row is None:
            raise NotFound(f"no assessment with id {assessment_id!r}")
        return row

    @staticmethod
    def _lock_respondent(conn: Connection, assessment_id: str, respondent_id: int) -> Any:
        # one writer per respondent at a time, so the audit's "old" is exactly what was replaced
        row = conn.execute(_LOCK_RESPONDENT, {"rid": respondent_id, "aid": assessment_id}).first()
        if row is None:
            raise NotFound(f"no respondent {respondent_id!r} in assessment {assessment_id!r}")
        return row

    @staticmethod
    def _touch(conn: Connection, assessment_id: str, at: datetime) -> None:
        conn.execute(_TOUCH, {"aid": assessment_id, "at": at})

    @staticmethod
    def _audit(conn: Connection, assessment_id: str, who: str, item_id: str, old: Answer | None,
               new: Answer | None, at: datetime, round: int = 1) -> int:
        """Append one change to the trail; its id is the answer's new version."""
        key = conn.execute(_AUDIT, {"assessment_id": assessment_id, "respondent": who, "item_id": item_id,
                                    "old": _answer_json(old), "new": _answer_json(new), "at": at,
                                    "round": round}).inserted_primary_key
        if key is None:
            raise RuntimeError("the audit insert returned no id")
        return key[0]

    # -- assessments ------------------------------------------------------------------------

    def create_assessment(self, template: Template, organisation: str = "", project: str = "",
                          language: str = "en", facilitator: str = "", *, baseline_id: str | None = None,
                          settings: AssessmentSettings | None = None, facilitator_key: str | None = None) -> str:
        """A new assessment; returns its id, a long random token that is also its only key.

        `facilitator_key` (from new_secret(), shown once to whoever creates it) guards the
        facilitator's powers; only its hash is stored.
        """
        new_id = new_assessment_id()  # drawn once, so a retried transaction cannot create a second one
        at = _now()
        values = {"id": new_id, "template_id": template.id, "template_version": template.version,
                  "organisation": _text(organisation or ""), "project": _text(project or ""),
                  "language": language or "", "facilitator": normalise_name(facilitator),
                  "created_at": at, "updated_at": at,
                  "settings": (settings or AssessmentSettings()).model_dump(mode="json"),
                  "out_of_scope": {}, "baseline_id": baseline_id,
                  "facilitator_hash": _hash(facilitator_key) if facilitator_key else None}

        def work(conn: Connection) -> str:
            if baseline_id is not None:
                self._require_meta(conn, baseline_id)
            if conn.execute(sa.select(assessments.c.id).where(assessments.c.id == new_id)).first() is None:
                conn.execute(assessments.insert().values(**values))
            return new_id

        return self._run(work)

    @staticmethod
    def _meta(row: Any) -> AssessmentMeta:
        return AssessmentMeta(
            id=row.id, template_id=row.template_id, template_version=row.template_version,
            organisation=row.organisation, project=row.project, language=row.language,
            facilitator=row.facilitator, created_at=row.created_at, updated_at=row.updated_at,
            settings=AssessmentSettings(**row.settings), out_of_scope=dict(row.out_of_scope or {}),
            baseline_id=row.baseline_id, has_facilitator_key=row.facilitator_hash is not None,
            archived_at=row.archived_at)

    def get_assessment_meta(self, assessment_id: str) -> AssessmentMeta | None:
        """The assessment's metadata, or None when no assessment has this id."""
        def work(conn: Connection) -> AssessmentMeta | None:
            row = conn.execute(sa.select(assessments).where(assessments.c.id == assessment_id)).first()
            return self._meta(row) if row else None

        return self._run(work, write=False)

    def _require_meta(self, conn: Connection, assessment_id: str) -> AssessmentMeta:
        row = conn.execute(sa.select(assessments).where(assessments.c.id == assessment_id)).first()
        if row is None:
            raise NotFound(f"no assessment with id {assessment_id!r}")
        return self._meta(row)

    def find_assessments(self, *, template_id: str, organisation: str, project: str,
                         facilitator: str) -> list[AssessmentMeta]:
        """Assessments whose template, organisation, project and facilitator are exactly these, oldest
        first. For the app's own fixed, public content only (the demo finds itself by its fictitious
        names): never call it with what a person typed, since an id found is access."""
        def work(conn: Connection) -> list[AssessmentMeta]:
            rows = conn.execute(sa.select(assessments).where(
                assessments.c.template_id == template_id, assessments.c.organisation == _text(organisation),
                assessments.c.project == _text(project), assessments.c.facilitator == normalise_name(facilitator))
                .order_by(assessments.c.created_at, assessments.c.id))
            return [self._meta(r) for r in rows]

        return self._run(work, write=False)

    def reset_facilitator_key(self, assessment_id: str) -> str:
        """A new facilitator key without the admin password (the old one stops working). For an
        assessment the app itself owns (the demo, found by `find_assessments`), never from a link."""
        key = new_secret()

        def work(conn: Connection) -> str:
            self._lock_assessment(conn, assessment_id)
            conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                         .values(facilitator_hash=_hash(key)))
            return key

        return self._run(work)

    def is_facilitator(self, assessment_id: str, key: str | None) -> bool:
        """Whether `key` is this assessment's facilitator key."""
        def work(conn: Connection) -> bool:
            stored = conn.execute(sa.select(assessments.c.facilitator_hash)
                                  .where(assessments.c.id == assessment_id)).scalar()
            return _matches(key, stored)

        return self._run(work, write=False)

    def issue_facilitator_key(self, assessment_id: str, admin_password: str | None) -> str:
        """A new facilitator key (the old one stops working); only with the admin password."""
        self._check_admin(admin_password)
        key = new_secret()

        def work(conn: Connection) -> str:
            self._lock_assessment(conn, assessment_id)
            conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                         .values(facilitator_hash=_hash(key)))
            return key

        return self._run(work)

    def list_reassessments(self, baseline_id: str) -> list[AssessmentMeta]:
        """Assessments that re-assess `baseline_id`, oldest first."""
        def work(conn: Connection) -> list[AssessmentMeta]:
            rows = conn.execute(sa.select(assessments).where(assessments.c.baseline_id == baseline_id)
                                .order_by(assessments.c.created_at, assessments.c.id))
            return [self._meta(r) for r in rows]

        return self._run(work, write=False)

    def update_settings(self, assessment_id: str, *, method: str | None = None,
                        spread_threshold: float | None = None) -> AssessmentSettings:
        """Change the consolidation method and/or spread threshold; returns the settings now stored."""
        def work(conn: Connection) -> AssessmentSettings:
            row = self._lock_assessment(conn, assessment_id)
            current = AssessmentSettings(**row.settings).model_dump()
            changes = {k: v for k, v in (("method", method), ("spread_threshold", spread_threshold))
                       if v is not None}
            try:
                new = AssessmentSettings(**{**current, **changes})
            except ValueError as e:
                raise InvalidInput(str(e)) from None
            conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                         .values(settings=new.model_dump(mode="json"), updated_at=_now()))
            return new

        return self._run(work)

    def set_out_of_scope(self, assessment_id: str, phase_id: str, reason: str | None) -> dict[str, str]:
        """Take a phase out of scope with a reason (None puts it back); returns the whole mapping."""
        if phase_id not in PHASE_IDS:
            raise InvalidInput(f"'{phase_id}' is not a phase ({', '.join(PHASE_IDS)})")

        def work(conn: Connection) -> dict[str, str]:
            scope = dict(self._lock_assessment(conn, assessment_id).out_of_scope or {})
            if reason is None:
                scope.pop(phase_id, None)
            else:
                scope[phase_id] = reason
            conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                         .values(out_of_scope=scope, updated_at=_now()))
            return scope

        return self._run(work)

    def list_assessments(self, admin_password: str | None) -> list[AssessmentMeta]:
        """Every assessment, most recently changed first; only with the admin password."""
        self._check_admin(admin_password)

        def work(conn: Connection) -> list[AssessmentMeta]:
            rows = conn.execute(sa.select(assessments)
                                .order_by(assessments.c.updated_at.desc(), assessments.c.id))
            return [self._meta(r) for r in rows]

        return self._run(work, write=False)

    def admin_page(self, admin_password: str | None, *, search: str = "", template_ids: Iterable[str] = (),
                   archived: bool = False, page: int = 0, per_page: int = ADMIN_PAGE_SIZE) -> AdminPage:
        """One page of the administrator's list, newest first; only with the admin password.

        `search` matches organisation, project or template id (case-insensitive substring) or, when it
        reads as a date (2026, 2026-12, 2026-12-03), the day, month or year created (UTC);
        `template_ids` (templates whose titles match, found by the caller) match too. Archived
        assessments are left out unless `archived`. The database filters, counts and pages.
        """
        self._check_admin(admin_password)
        if per_page < 1 or page < 0:
            raise InvalidInput(f"page {page} of {per_page} per page: both must be positive")
        base = assessments.alias("base")
        where: list[Any] = []
        if not archived:
            where.append(assessments.c.archived_at.is_(None))
        q = search.strip()
        if q:
            like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            match: list[sa.ColumnElement[bool]] = [assessments.c.organisation.ilike(like, escape="\\"),
                     assessments.c.project.ilike(like, escape="\\"),
                     assessments.c.template_id.ilike(like, escape="\\")]
            if ids := sorted(set(template_ids)):
                match.append(assessments.c.template_id.in_(ids))
            if span := _date_span(q):
                match.append(sa.and_(assessments.c.created_at >= span[0], assessments.c.created_at < span[1]))
            where.append(sa.or_(*match))

        def work(conn: Connection) -> AdminPage:
            total = conn.execute(sa.select(sa.func.count()).select_from(assessments).where(*where)).scalar_one()
            rows = conn.execute(
                sa.select(assessments, base.c.created_at.label("baseline_created_at"))
                .select_from(assessments.outerjoin(base, base.c.id == assessments.c.baseline_id))
                .where(*where)
                .order_by(assessments.c.created_at.desc(), assessments.c.id.desc())
                .limit(per_page).offset(page * per_page))
            return AdminPage(rows=[AdminRow(meta=self._meta(r), baseline_created_at=r.baseline_created_at)
                                   for r in rows], total=total, page=page, per_page=per_page)

        return self._run(work, write=False)

    def set_archived(self, assessment_id: str, archived: bool, admin_password: str | None) -> bool:
        """Archive (hide from the admin list by default) or unarchive; only with the admin password.
        Nothing is deleted. False when no assessment has this id."""
        self._check_admin(admin_password)

        def work(conn: Connection) -> bool:
            done = conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                                .values(archived_at=_now() if archived else None))
            return done.rowcount == 1

        return self._run(work)

    def _check_admin(self, given: str | None) -> None:
        expected = self._admin_password or admin_password(secrets=False) or ""
        if not expected:
            raise AdminAccessDenied(f"no admin password is configured (set {ADMIN_PASSWORD_ENV})")
        # compare_digest: the time taken does not tell how much of a guess was right
        if not given or not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            raise AdminAccessDenied("wrong admin password")

    # -- respondents ------------------------------------------------------------------------

    def join(self, assessment_id: str, name: str, role: str = "") -> int:
        """The respondent id for `name` (created on first join; the same id on every later one).

        For the trusted doors (command line, imports, demo, re-assessment): no token is checked or
        issued. A link joins through join_as.
        """
        name = _clean_name(name, "a name")
        role = normalise_name(role)[:NAME_MAX]

        def work(conn: Connection) -> int:
            return self._join_row(conn, assessment_id, name, role, None).id

        return self._run(work)

    def join_as(self, assessment_id: str, name: str, role: str = "", token: str | None = None) -> Joined:
        """Join from a link. A new name gets a token (kept in that person's link); a name already in
        the room needs its token, else NameTaken. A name stored without a token (joined through a
        trusted door, or before tokens existed) is claimed by the first link that joins as it.
        Names compare after normalise_name (spaces, full-width forms)."""
        name = _clean_name(name, "a name")
        role = normalise_name(role)[:NAME_MAX]
        fresh = new_secret()  # drawn once, so a retried transaction issues the same one

        def work(conn: Connection) -> Joined:
            row = self._join_row(conn, assessment_id, name, role, _hash(fresh))
            if row.token_hash == _hash(fresh):
                return Joined(id=row.id, name=name, token=fresh)
            if row.token_hash is None:
                conn.execute(respondents.update().where(respondents.c.id == row.id)
                             .values(token_hash=_hash(fresh)))
                return Joined(id=row.id, name=name, token=fresh)
            if _matches(token, row.token_hash):
                return Joined(id=row.id, name=name, token=str(token))
            raise NameTaken(f"'{name}' has already joined this assessment")

        return self._run(work)

    def _join_row(self, conn: Connection, assessment_id: str, name: str, role: str,
                  token_hash: str | None) -> Any:
        self._require_meta(conn, assessment_id)
        dialect = {"sqlite": sqlite, "postgresql": postgresql}[conn.dialect.name]
        conn.execute(dialect.insert(respondents).values(
            assessment_id=assessment_id, name=name, role=role, created_at=_now(), token_hash=token_hash,
        ).on_conflict_do_nothing(index_elements=["assessment_id", "name"]))
        row = conn.execute(sa.select(respondents.c.id, respondents.c.role, respondents.c.token_hash).where(
            respondents.c.assessment_id == assessment_id, respondents.c.name == name)).one()
        if role and role != row.role and (token_hash is None or row.token_hash in (None, token_hash)):
            conn.execute(respondents.update().where(respondents.c.id == row.id).values(role=role))
        return row

    def list_respondents(self, assessment_id: str) -> list[Respondent]:
        """Who joined, in joining order, with how many items each has answered."""
        def work(conn: Connection) -> list[Respondent]:
            self._require_meta(conn, assessment_id)
            counts = (sa.select(answers.c.respondent_id, sa.func.count(answers.c.item_id.distinct()).label("n"))
                      .where(answers.c.assessment_id == assessment_id)
                      .group_by(answers.c.respondent_id).subquery())
            rows = conn.execute(
                sa.select(respondents, sa.func.coalesce(counts.c.n, 0).label("answered"))
                .outerjoin(counts, counts.c.respondent_id == respondents.c.id)
                .where(respondents.c.assessment_id == assessment_id)
                .order_by(respondents.c.created_at, respondents.c.id))
            return [Respondent(id=r.id, name=r.name, role=r.role, created_at=r.created_at,
                               answered=r.answered) for r in rows]

        return self._run(work, write=False)

    # -- answers ----------------------------------------------------------------------------

    def _write_answer(self, conn: Connection, assessment_id: str, who: Any, item_id: str,
                      answer: Answer | None, at: datetime, state: RoundState, round: int | None = None) -> bool:
        """Upsert (or delete, when answer is None) one answer plus its audit row; False if unchanged."""
        return self._put_answer(conn, assessment_id, who, item_id, answer, at, None, state, round) is not None

    def _put_answer(self, conn: Connection, assessment_id: str, who: Any, item_id: str,
                    answer: Answer | None, at: datetime, expected_version: int | None,
                    state: RoundState, round: int | None = None, *, stored: Any = None) -> StoredAnswer | None:
        """The one way an answer row changes: compare the version, write, audit. None if unchanged.

        The answer goes into `round` (default: the round open for the item); an item revealed in that
        round is locked there (InvalidInput): what the room has seen is what was answered blind.
        `stored` is the answer's row when the caller has just read it in this transaction (or False: no
        row), so a save reads it once."""
        round = state.round_for(item_id) if round is None else round
        if round not in ({1} | set(state.rounds)) or not (round == 1 or state.covers(round, item_id)):
            raise InvalidInput(f"'{item_id}' is not asked in round {round}")
        row = conn.execute(_ANSWER, {"aid": assessment_id, "rid": who.id, "item": item_id, "round": round}).first() \
            if stored is None else stored
        old = _answer_from_row(row) if row else None
        version = row.version if row else 0
        if expected_version is not None and expected_version != version:
            raise AnswerConflict(f"'{item_id}' changed since it was shown (version {expected_version}, "
                                 f"now {version})", StoredAnswer(answer=old or Answer(), version=version))
        answer = storable(answer) if answer is not None else None
        if answer == Answer():
            answer = None  # nothing left to keep: no row rather than an empty one
        if old == answer:
            return None  # a rerun of the page saving the same value: no write, no audit noise
        if state.locked(round, item_id):
            raise AnswerLocked(f"'{item_id}' was revealed in round {round}: its answers there are final",
                               StoredAnswer(answer=old or Answer(), version=version))
        _check_lengths(item_id, answer)
        version = self._audit(conn, assessment_id, who.name, item_id, old, answer, at, round)
        if answer is None:
            conn.execute(answers.delete().where(
                answers.c.assessment_id == assessment_id, answers.c.respondent_id == who.id,
                answers.c.item_id == item_id, answers.c.round == round))
            return StoredAnswer(answer=Answer(), version=0)
        self._upsert(conn, answers, ["assessment_id", "respondent_id", "item_id", "round"],
                     {"assessment_id": assessment_id, "respondent_id": who.id, "item_id": item_id,
                      "round": round, **_answer_columns(answer), "updated_at": at, "version": version})
        return StoredAnswer(answer=answer, version=version)

    def save_answer(self, assessment_id: str, respondent_id: int, item_id: str, answer: Answer, *,
                    round: int | None = None) -> bool:
        """Store one respondent's answer to one item (the later write wins) in `round` (default: the
        round open for the item); False if it was unchanged."""
        return self._store_answer(assessment_id, respondent_id, item_id, answer, round)

    def delete_answer(self, assessment_id: str, respondent_id: int, item_id: str, *,
                      round: int | None = None) -> bool:
        """Clear one answer (audited like any change); False if there was none."""
        return self._store_answer(assessment_id, respondent_id, item_id, None, round)

    def _store_answer(self, assessment_id: str, respondent_id: int, item_id: str, answer: Answer | None,
                      round: int | None) -> bool:
        _check_item_id(item_id)
        _check_lengths(item_id, answer)

        def work(conn: Connection) -> bool:
            who = self._lock_respondent(conn, assessment_id, respondent_id)
            at = _now()
            changed = self._write_answer(conn, assessment_id, who, item_id, answer, at,
                                         self._round_state(conn, assessment_id), round)
            if changed:
                self._touch(conn, assessment_id, at)
            return changed

        return self._run(work)

    def update_answer(self, assessment_id: str, respondent_id: int, item_id: str, changes: dict[str, Any],
                      *, expected_version: int | None = None, round: int | None = None) -> StoredAnswer:
        """Change only the given fields of one answer (value, note, reason, confidence), in one
        transaction; the other fields keep what is stored. With `expected_version`, the write happens
        only if the answer is still at that version, else AnswerConflict (nothing written).
        The answer is the one of `round` (default: the round open for the item, so a page that shows
        the open round writes into it). Returns the answer as stored now."""
        _check_item_id(item_id)
        unknown = set(changes) - set(ANSWER_FIELDS)
        if unknown:
            raise InvalidInput(f"not fields of an answer: {', '.join(sorted(unknown))}")

        def work(conn: Connection) -> StoredAnswer:
            who = self._lock_respondent(conn, assessment_id, respondent_id)
            state = self._round_state(conn, assessment_id)
            number = state.round_for(item_id) if round is None else round
            row = conn.execute(_ANSWER, {"aid": assessment_id, "rid": who.id, "item": item_id, "round": number}).first()
            current = _answer_from_row(row) if row else Answer()
            try:
                new = Answer.model_validate({**current.model_dump(), **changes})
            except ValueError as e:
                raise InvalidInput(f"'{item_id}': {e}") from None
            at = _now()
            done = self._put_answer(conn, assessment_id, who, item_id, new, at, expected_version, state, number,
                                    stored=row or False)
            if done is None:
                return StoredAnswer(answer=current, version=row.version if row else 0)
            self._touch(conn, assessment_id, at)
            return done

        return self._run(work)

    def load_respondent_answers(self, assessment_id: str, respondent_id: int, *,
                                round: int | None = None) -> dict[str, StoredAnswer]:
        """One respondent's answers with their versions, by item id: those of `round`, or (by default)
        of the round open for each item (a later round starts blank; the earlier answer stays in its own)."""
        def work(conn: Connection) -> dict[str, StoredAnswer]:
            state = self._round_state(conn, assessment_id)
            rows = conn.execute(sa.select(answers).where(answers.c.assessment_id == assessment_id,
                                                         answers.c.respondent_id == respondent_id))
            return {r.item_id: StoredAnswer(answer=_answer_from_row(r), version=r.version) for r in rows
                    if r.round == (state.round_for(r.item_id) if round is None else round)}

        return self._run(work, write=False)

    def load_answers(self, assessment_id: str, *, round: int | None = None) -> dict[str, dict[str, Answer]]:
        """respondent name → item id → answer, for every respondent who joined (even with none yet): the
        answers of `round`, or (by default) each person's latest answer to each item, whatever its round."""
        by_round = self.load_rounds(assessment_id)
        if round is not None:
            return by_round.get(round) or {name: {} for name in by_round.get(1, {})}
        return latest_answers(by_round)

    def load_rounds(self, assessment_id: str) -> dict[int, dict[str, dict[str, Answer]]]:
        """round → respondent name → item id → answer; round 1 is always there and lists everyone who
        joined (even with no answer yet)."""
        def work(conn: Connection) -> dict[int, dict[str, dict[str, Answer]]]:
            self._require_meta(conn, assessment_id)
            names = list(conn.execute(
                sa.select(respondents.c.name).where(respondents.c.assessment_id == assessment_id)
                .order_by(respondents.c.name)).scalars())
            out: dict[int, dict[str, dict[str, Answer]]] = {1: {name: {} for name in names}}
            rows = conn.execute(
                sa.select(respondents.c.name, answers)
                .join(respondents, respondents.c.id == answers.c.respondent_id)
                .where(answers.c.assessment_id == assessment_id)
                .order_by(answers.c.round, respondents.c.name, answers.c.item_id))
            for r in rows:
                out.setdefault(r.round, {name: {} for name in names})[r.name][r.item_id] = _answer_from_row(r)
            return out

        return self._run(work, write=False)

    # -- workshop rounds --------------------------------------------------------------------

    @staticmethod
    def _round_state(conn: Connection, assessment_id: str) -> RoundState:
        rows = conn.execute(_ROUND_STATE, {"aid": assessment_id}).all()  # one round trip: every save asks
        return RoundState(rounds={r.round: None if r.items is None else tuple(r.items) for r in rows if r.kind == "r"},
                          revealed=frozenset((r.round, r.item_id) for r in rows if r.kind == "v"),
                          decided=frozenset(r.item_id for r in rows if r.kind == "d"))

    def round_state(self, assessment_id: str) -> RoundState:
        """The workshop's rounds, reveals and decided items."""
        def work(conn: Connection) -> RoundState:
            self._require_meta(conn, assessment_id)
            return self._round_state(conn, assessment_id)

        return self._run(work, write=False)

    def open_round(self, assessment_id: str, items: list[str] | None = None) -> int:
        """Open the next round and return its number: round 1 covers every item (`items` None); a later
        round covers the given items (the disputed ones), each revealed in the round before."""
        def work(conn: Connection) -> int:
            self._lock_assessment(conn, assessment_id)
            state = self._round_state(conn, assessment_id)
            number = state.current + 1
            if number == 1 and items is not None:
                raise InvalidInput("round 1 covers every item")
            if number > 1:
                if not items:
                    raise InvalidInput(f"round {number} needs the items it asks again")
                hidden = [i for i in items if state.shown_round(_check_item_id(i)) is None]
                if hidden:
                    raise InvalidInput(f"not revealed yet, so not discussed: {', '.join(hidden)}")
            conn.execute(workshop_rounds.insert().values(
                assessment_id=assessment_id, round=number,
                items=None if items is None else sorted(set(items)), opened_at=_now()))
            self._touch(conn, assessment_id, _now())
            return number

        return self._run(work)

    def reveal(self, assessment_id: str, round: int, item_ids: list[str]) -> int:
        """Show the room the answers of these items in `round` (from then on they are final there);
        items the round does not cover are left out. Returns how many were newly revealed."""
        def work(conn: Connection) -> int:
            self._lock_assessment(conn, assessment_id)
            state = self._round_state(conn, assessment_id)
            if round not in state.rounds:
                raise InvalidInput(f"round {round} is not open")
            new = sorted({i for i in item_ids if state.covers(round, _check_item_id(i))
                          and not state.is_revealed(round, i)})
            at = _now()
            if new:
                conn.execute(workshop_reveals.insert(), [
                    {"assessment_id": assessment_id, "round": round, "item_id": i, "at": at} for i in new])
                self._touch(conn, assessment_id, at)
            return len(new)

        return self._run(work)

    def set_decided(self, assessment_id: str, item_id: str, decided: bool = True) -> bool:
        """Mark an item decided by the room (or not any more); False if it already was so."""
        _check_item_id(item_id)

        def work(conn: Connection) -> bool:
            self._lock_assessment(conn, assessment_id)
            key = (workshop_decided.c.assessment_id == assessment_id, workshop_decided.c.item_id == item_id)
            was = conn.execute(sa.select(workshop_decided.c.item_id).where(*key)).first() is not None
            if was == decided:
                return False
            if decided:
                conn.execute(workshop_decided.insert().values(assessment_id=assessment_id, item_id=item_id,
                                                              at=_now()))
            else:
                conn.execute(workshop_decided.delete().where(*key))
            return True

        return self._run(work)

    def import_answers(self, assessment_id: str, respondent_id: int, assessment: Assessment, *,
                       replace: bool = False, with_scope: bool = False) -> int:
        """Store an answers file as one respondent's answers, all or nothing; returns how many changed.

        replace=True also clears that respondent's answers the file does not hold; with_scope=True
        also takes the file's out-of-scope phases into the assessment.
        """
        for item_id, answer in assessment.answers.items():
            _check_item_id(item_id)
            _check_lengths(item_id, answer)
        bad_phases = sorted(set(assessment.out_of_scope) - set(PHASE_IDS)) if with_scope else []
        if bad_phases:
            raise InvalidInput(f"not phases: {', '.join(bad_phases)}")

        def work(conn: Connection) -> int:
            who = self._lock_respondent(conn, assessment_id, respondent_id)
            meta = self._meta(self._lock_assessment(conn, assessment_id))
            if assessment.template != meta.template_id:
                raise TemplateMismatch(f"the file answers template '{assessment.template}', "
                                       f"the assessment uses '{meta.template_id}'")
            state = self._round_state(conn, assessment_id)
            at = _now()
            changed = 0
            for item_id, answer in sorted(assessment.answers.items()):
                changed += self._write_answer(conn, assessment_id, who, item_id, answer, at, state)
            if replace:
                stale = conn.execute(sa.select(answers.c.item_id, answers.c.round).where(
                    answers.c.assessment_id == assessment_id, answers.c.respondent_id == who.id,
                    answers.c.item_id.not_in(list(assessment.answers)))).all()
                for item_id, number in stale:
                    if number == state.round_for(item_id):
                        changed += self._write_answer(conn, assessment_id, who, item_id, None, at, state)
            if with_scope and assessment.out_of_scope:
                conn.execute(assessments.update().where(assessments.c.id == assessment_id).values(
                    out_of_scope={**meta.out_of_scope, **assessment.out_of_scope}))
            self._touch(conn, assessment_id, at)
            return changed

        return self._run(work)

    def export_assessment(self, assessment_id: str, respondent_id: int | None = None, *,
                          consolidated: dict[str, Answer] | None = None) -> Assessment:
        """The answers-file form of one respondent's answers, or of answers the caller consolidated.

        Pass exactly one of respondent_id and consolidated (scoring.consolidate over load_answers).
        """
        if (respondent_id is None) == (consolidated is None):
            raise InvalidInput("pass exactly one of respondent_id and consolidated")

        def work(conn: Connection) -> Assessment:
            meta = self._require_meta(conn, assessment_id)
            name = None
            chosen = consolidated
            if respondent_id is not None:
                who = conn.execute(sa.select(respondents.c.name).where(
                    respondents.c.id == respondent_id, respondents.c.assessment_id == assessment_id)).first()
                if who is None:
                    raise NotFound(f"no respondent {respondent_id!r} in assessment {assessment_id!r}")
                name = who.name
                rows = conn.execute(sa.select(answers).where(
                    answers.c.assessment_id == assessment_id,
                    answers.c.respondent_id == respondent_id).order_by(answers.c.round))
                chosen = {r.item_id: _answer_from_row(r) for r in rows}  # the latest round's answer stands
            return Assessment(
                template=meta.template_id, template_version=meta.template_version,
                organisation=meta.organisation or None, project=meta.project or None,
                assessed_on=meta.updated_at.date().isoformat(), respondent=name,
                language=meta.language or None, answers=dict(sorted((chosen or {}).items())),
                out_of_scope=dict(meta.out_of_scope))

        return self._run(work, write=False)

    # -- the facilitator's final answers ----------------------------------------------------

    def save_final_answer(self, assessment_id: str, item_id: str, answer: Answer | None) -> bool:
        """Set (or clear, with None) the facilitator's final answer to an item; audited as FINAL."""
        _check_item_id(item_id)
        _check_lengths(item_id, answer)

        def work(conn: Connection) -> bool:
            self._lock_assessment(conn, assessment_id)
            key = (final_answers.c.assessment_id == assessment_id, final_answers.c.item_id == item_id)
            row = conn.execute(sa.select(final_answers).where(*key)).first()
            old = _answer_from_row(row) if row else None
            new = storable(answer) if answer is not None else None
            if old == new:
                return False
            at = _now()
            if new is None:
                conn.execute(final_answers.delete().where(*key))
            else:
                self._upsert(conn, final_answers, ["assessment_id", "item_id"],
                             {"assessment_id": assessment_id, "item_id": item_id,
                              **_answer_columns(new), "updated_at": at})
            self._audit(conn, assessment_id, FINAL, item_id, old, new, at)
            self._touch(conn, assessment_id, at)
            return True

        return self._run(work)

    def load_final_answers(self, assessment_id: str) -> dict[str, Answer]:
        def work(conn: Connection) -> dict[str, Answer]:
            self._require_meta(conn, assessment_id)
            rows = conn.execute(sa.select(final_answers).where(final_answers.c.assessment_id == assessment_id)
                                .order_by(final_answers.c.item_id))
            return {r.item_id: _answer_from_row(r) for r in rows}

        return self._run(work, write=False)

    def audit_trail(self, assessment_id: str, item_id: str | None = None) -> list[AuditEntry]:
        """Every change of answers (and final answers), oldest first; optionally of one item."""
        def work(conn: Connection) -> list[AuditEntry]:
            q = sa.select(audit).where(audit.c.assessment_id == assessment_id)
            if item_id is not None:
                q = q.where(audit.c.item_id == item_id)
            rows = conn.execute(q.order_by(audit.c.at, audit.c.id))
            return [AuditEntry(id=r.id, respondent=r.respondent, item_id=r.item_id,
                               old=Answer(**r.old) if r.old is not None else None,
                               new=Answer(**r.new) if r.new is not None else None, at=r.at, round=r.round)
                    for r in rows]

        return self._run(work, write=False)

    # -- action plan ------------------------------------------------------------------------

    def save_action(self, assessment_id: str, action: ActionItem) -> None:
        """Create or replace the action for `action.item_id`."""
        for item_id in action.improves:
            _check_item_id(item_id)
        if action.due is not None:
            try:
                date.fromisoformat(action.due)
            except ValueError:
                raise InvalidInput(f"due date {action.due!r} is not an ISO date (YYYY-MM-DD)") from None

        def work(conn: Connection) -> None:
            self._lock_assessment(conn, assessment_id)
            at = _now()
            self._upsert(conn, actions, ["assessment_id", "item_id"],
                         {"assessment_id": assessment_id, "item_id": action.item_id,
                          "owner": _text(action.owner), "due": action.due, "status": action.status.value,
                          "note": _text(action.note), "items": [i for i in action.items if i != action.item_id] or None,
                          "expect": action.expect, "effort": action.effort,
                          "updated_at": at})
            self._touch(conn, assessment_id, at)

        self._run(work)

    # -- vendor comparison ------------------------------------------------------------------
    #
    # A sheet is stored as its structure (vendor_sheets) plus one row per score and per cost amount.
    # Every write is one transaction holding the assessment's row lock (SQLite: the write lock), reads
    # what is stored now, and writes only the cells that changed, each with an audit row: edits of
    # different cells never overwrite each other, and the later of two edits of one cell wins.

    @staticmethod
    def _vendor_structure(conn: Connection, assessment_id: str) -> dict[str, Any] | None:
        return conn.execute(sa.select(vendor_sheets.c.sheet).where(
            vendor_sheets.c.assessment_id == assessment_id)).scalar()

    @staticmethod
    def _score_cells(conn: Connection, assessment_id: str, *where: Any) -> dict[ScoreKey, Cell]:
        rows = conn.execute(sa.select(vendor_scores).where(vendor_scores.c.assessment_id == assessment_id, *where))
        return {(r.evaluator, r.vendor_id, r.kind, r.ref_id):
                score_cell(r.kind, r.status if r.kind == "requirement" else r.score, r.note) for r in rows}

    @staticmethod
    def _cost_cells(conn: Connection, assessment_id: str) -> dict[CostKey, float]:
        rows = conn.execute(sa.select(vendor_costs).where(vendor_costs.c.assessment_id == assessment_id))
        return {(r.vendor_id, r.year, r.part): r.amount for r in rows}

    @staticmethod
    def _write_scores(conn: Connection, assessment_id: str, old: dict[ScoreKey, Cell],
                      new: dict[ScoreKey, Cell], at: datetime) -> list[dict[str, Any]]:
        """Write the score cells that differ; returns their audit rows."""
        trail, inserts = [], []
        for (who, vid, kind, ref), before, after in changed_cells(old, new):
            if before is not None:
                conn.execute(vendor_scores.delete().where(
                    vendor_scores.c.assessment_id == assessment_id, vendor_scores.c.evaluator == who,
                    vendor_scores.c.vendor_id == vid, vendor_scores.c.kind == kind, vendor_scores.c.ref_id == ref))
            if after is not None:
                inserts.append({"assessment_id": assessment_id, "evaluator": who, "vendor_id": vid, "kind": kind,
                                "ref_id": ref, "score": after.get("score"), "status": after.get("status"),
                                "note": after.get("note"), "updated_at": at})
            trail.append({"kind": kind, "evaluator": who, "vendor_id": vid, "ref_id": ref,
                          "old": before, "new": after})
        if inserts:
            conn.execute(vendor_scores.insert(), inserts)
        return trail

    @staticmethod
    def _write_costs(conn: Connection, assessment_id: str, old: dict[CostKey, float],
                     new: dict[CostKey, float], at: datetime) -> list[dict[str, Any]]:
        trail, inserts = [], []
        for (vid, year, part), before, after in changed_cells(old, new):
            if before is not None:
                conn.execute(vendor_costs.delete().where(
                    vendor_costs.c.assessment_id == assessment_id, vendor_costs.c.vendor_id == vid,
                    vendor_costs.c.year == year, vendor_costs.c.part == part))
            if after is not None:
                inserts.append({"assessment_id": assessment_id, "vendor_id": vid, "year": year, "part": part,
                                "amount": after, "updated_at": at})
            trail.append({"kind": "cost", "evaluator": None, "vendor_id": vid, "ref_id": f"{year}.{part}",
                          "old": before, "new": after})
        if inserts:
            conn.execute(vendor_costs.insert(), inserts)
        return trail

    def _finish_vendor_write(self, conn: Connection, assessment_id: str, who: str, trail: list[dict[str, Any]],
                             at: datetime) -> bool:
        if not trail:
            return False  # nothing changed: no audit noise, no new updated_at
        who = normalise_name(who)[:NAME_MAX]
        conn.execute(vendor_audit.insert(), [{"assessment_id": assessment_id, "who": who, "at": at, **t}
                                             for t in trail])
        self._touch(conn, assessment_id, at)
        return True

    def _replace_vendor_sheet(self, conn: Connection, assessment_id: str, who: str,
                              old_structure: dict[str, Any] | None, new_sheet: dict[str, Any]) -> bool:
        """Store `new_sheet` over what is stored, writing only the changed structure and cells."""
        structure, scores, costs = split_sheet(new_sheet)
        at = _now()
        trail = []
        if structure != old_structure:
            self._upsert(conn, vendor_sheets, ["assessment_id"],
                         {"assessment_id": assessment_id, "sheet": structure, "updated_at": at})
            trail += [{"kind": "sheet", "evaluator": None, "vendor_id": None, "ref_id": ref, "old": a, "new": b}
                      for ref, a, b in structure_changes(old_structure, structure)]
        trail += self._write_scores(conn, assessment_id, self._score_cells(conn, assessment_id), scores, at)
        trail += self._write_costs(conn, assessment_id, self._cost_cells(conn, assessment_id), costs, at)
        return self._finish_vendor_write(conn, assessment_id, who, trail, at)

    def save_vendor_sheet(self, assessment_id: str, sheet: dict[str, Any], *, who: str = "") -> bool:
        """Store the assessment's vendor sheet (its JSON form), replacing the previous one, in one
        transaction; only the cells that differ are written and audited. False if nothing changed."""
        def work(conn: Connection) -> bool:
            self._lock_assessment(conn, assessment_id)
            return self._replace_vendor_sheet(conn, assessment_id, who,
                                              self._vendor_structure(conn, assessment_id), sheet)

        return self._run(work)

    def update_vendor_sheet(self, assessment_id: str, change: VendorChange, *,
                            who: str = "") -> dict[str, Any] | None:
        """Apply `change` to the sheet as stored now and store its result, all in one transaction under
        the assessment's lock, so concurrent edits queue instead of losing each other. `change` takes and
        returns the sheet's JSON form (it may run again on a retry: keep it free of side effects; an
        exception from it rolls back and writes nothing). Returns the new sheet, or None without one."""
        def work(conn: Connection) -> dict[str, Any] | None:
            self._lock_assessment(conn, assessment_id)
            structure = self._vendor_structure(conn, assessment_id)
            if structure is None:
                return None
            new = change(compose_sheet(structure, self._score_cells(conn, assessment_id),
                                       self._cost_cells(conn, assessment_id)))
            self._replace_vendor_sheet(conn, assessment_id, who, structure, new)
            return new

        return self._run(work)

    def update_vendor_evaluation(self, assessment_id: str, evaluator: str, vendor_id: str,
                                 change: VendorChange, *, who: str | None = None) -> dict[str, Any]:
        """One evaluator's evaluation of one vendor ({"requirements": {id: {"status", "note"}},
        "criteria": {id: {"score", "note"}}}): `change` gets it as stored now and returns it as it should
        be; the cells that differ are written in one transaction under the assessment's lock, audited
        as `who` (default: the evaluator). Reads and writes only this evaluator's cells of this vendor.
        Raises NotFound without a sheet, InvalidInput for a vendor, requirement or criterion the sheet
        does not declare (removed meanwhile, perhaps)."""
        def work(conn: Connection) -> dict[str, Any]:
            self._lock_assessment(conn, assessment_id)
            structure = self._vendor_structure(conn, assessment_id)
            if structure is None:
                raise NotFound(f"assessment {assessment_id!r} has no vendor sheet")

            def ids(field: str) -> set[str]:
                return {cast(str, e.get("id")) for e in structure.get(field) or [] if isinstance(e, dict)}  # validated

            if vendor_id not in ids("vendors"):
                raise InvalidInput(f"unknown vendor '{vendor_id}'")
            old = self._score_cells(conn, assessment_id, vendor_scores.c.evaluator == evaluator,
                                    vendor_scores.c.vendor_id == vendor_id)
            result = change(evaluation_of(old))
            new = evaluation_cells(evaluator, vendor_id, result)
            for kind, field in SCORE_FIELDS.items():
                unknown = sorted({k[3] for k in new if k[2] == kind} - ids(field))
                if unknown:
                    raise InvalidInput(f"unknown {kind} {', '.join(map(repr, unknown))}")
            at = _now()
            trail = self._write_scores(conn, assessment_id, old, new, at)
            self._finish_vendor_write(conn, assessment_id, evaluator if who is None else who, trail, at)
            return evaluation_of(new)

        return self._run(work)

    def load_vendor_sheet(self, assessment_id: str) -> dict[str, Any] | None:
        """The assessment's vendor sheet (JSON form, scores and costs in a canonical order), or None."""
        def work(conn: Connection) -> dict[str, Any] | None:
            # PostgreSQL: a share lock waits for a write under way and holds off the next one, so the
            # structure and the cells are read as of one moment (SQLite: a read transaction is a snapshot)
            row = conn.execute(sa.select(assessments.c.id).where(assessments.c.id == assessment_id)
                               .with_for_update(read=True)).first()
            if row is None:
                raise NotFound(f"no assessment with id {assessment_id!r}")
            structure = self._vendor_structure(conn, assessment_id)
            if structure is None:
                return None
            return compose_sheet(structure, self._score_cells(conn, assessment_id),
                                 self._cost_cells(conn, assessment_id))

        return self._run(work, write=False)

    def vendor_audit_trail(self, assessment_id: str) -> list[VendorAuditEntry]:
        """Every change of the vendor sheet's cells and entries, oldest first."""
        def work(conn: Connection) -> list[VendorAuditEntry]:
            self._require_meta(conn, assessment_id)
            rows = conn.execute(sa.select(vendor_audit).where(vendor_audit.c.assessment_id == assessment_id)
                                .order_by(vendor_audit.c.id))
            return [VendorAuditEntry(id=r.id, who=r.who, kind=r.kind, evaluator=r.evaluator,
                                     vendor_id=r.vendor_id, ref_id=r.ref_id, old=r.old, new=r.new, at=r.at)
                    for r in rows]

        return self._run(work, write=False)

    def delete_action(self, assessment_id: str, item_id: str) -> bool:
        def work(conn: Connection) -> bool:
            self._lock_assessment(conn, assessment_id)
            done = conn.execute(actions.delete().where(actions.c.assessment_id == assessment_id,
                                                       actions.c.item_id == item_id)).rowcount
            return bool(done)

        return self._run(work)

    def load_action_plan(self, assessment_id: str) -> list[ActionItem]:
        """The action plan in item order."""
        def work(conn: Connection) -> list[ActionItem]:
            self._require_meta(conn, assessment_id)
            rows = conn.execute(sa.select(actions).where(actions.c.assessment_id == assessment_id)
                                .order_by(actions.c.item_id))
            return [ActionItem(item_id=r.item_id, owner=r.owner, due=r.due, status=ActionStatus(r.status),
                               note=r.note, items=r.items or [], expect=r.expect, effort=r.effort) for r in rows]

        return self._run(work, write=False)

    # -- phase targets ----------------------------------------------------------------------

    def save_phase_target(self, assessment_id: str, phase_id: str, level_id: str | None) -> None:
        """Set the level an assessment aims at in one phase; None goes back to the template's default."""
        if phase_id not in PHASE_IDS:
            raise InvalidInput(f"not a phase: {phase_id!r}; phases: {', '.join(PHASE_IDS)}")
        if level_id is not None and (not isinstance(level_id, str) or not level_id or len(level_id) > ITEM_LEN):
            raise InvalidInput(f"not a level id: {level_id!r}")

        def work(conn: Connection) -> None:
            self._lock_assessment(conn, assessment_id)
            at = _now()
            if level_id is None:
                conn.execute(phase_targets.delete().where(phase_targets.c.assessment_id == assessment_id,
                                                          phase_targets.c.phase_id == phase_id))
            else:
                self._upsert(conn, phase_targets, ["assessment_id", "phase_id"],
                             {"assessment_id": assessment_id, "phase_id": phase_id, "level_id": level_id,
                              "updated_at": at})
            self._touch(conn, assessment_id, at)

        self._run(work)

    def load_phase_targets(self, assessment_id: str) -> dict[str, str]:
        """Phase id → level id, for the phases where the assessment set its own target."""
        def work(conn: Connection) -> dict[str, str]:
            self._require_meta(conn, assessment_id)
            rows = conn.execute(sa.select(phase_targets).where(phase_targets.c.assessment_id == assessment_id)
                                .order_by(phase_targets.c.phase_id))
            return {r.phase_id: r.level_id for r in rows}

        return self._run(work, write=False)


def open_repository(url: str | None = None, *, admin_password: str | None = None,
                    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Repository:
    """A repository on the process-wide engine for `url` (default: DATABASE_URL, else SQLite)."""
    return Repository(get_engine(url, busy_timeout_ms=busy_timeout_ms), admin_password=admin_password)
