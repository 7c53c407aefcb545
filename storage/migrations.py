"""Versioned schema upgrades, run at startup: ordered steps, each applied once, all in one transaction.

A step is frozen once released: it builds the tables as they were at its version (its own MetaData,
never schema.py's), so a database created long ago upgrades along the same path as a new one.
To change the schema, append a step and change schema.py to match; test_storage checks they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .errors import StorageError
from .schema import HASH_LEN, ID_LEN, ITEM_LEN, NAME_LEN, UTCDateTime, schema_version

# Any fixed number: PostgreSQL sessions migrating the same database at once queue on it.
_PG_LOCK_KEY = 0x52454144  # "READ"


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1(conn: Connection) -> None:
    """The initial schema."""
    md = sa.MetaData()
    sa.Table(
        "assessments", md,
        sa.Column("id", sa.String(ID_LEN), primary_key=True),
        sa.Column("template_id", sa.String(ITEM_LEN), nullable=False),
        sa.Column("template_version", sa.String(NAME_LEN), nullable=False),
        sa.Column("organisation", sa.Text, nullable=False),
        sa.Column("project", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("facilitator", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("out_of_scope", sa.JSON, nullable=False),
    )
    sa.Table(
        "respondents", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=False),
        sa.Column("name", sa.String(NAME_LEN), nullable=False),
        sa.Column("role", sa.String(NAME_LEN), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("assessment_id", "name", name="uq_respondents_assessment_name"),
        sa.UniqueConstraint("assessment_id", "id", name="uq_respondents_assessment_id"),
    )
    sa.Table(
        "answers", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("respondent_id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("confidence", sa.String(16), nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["assessment_id", "respondent_id"],
                                ["respondents.assessment_id", "respondents.id"],
                                name="fk_answers_respondent"),
    )
    sa.Table(
        "final_answers", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("confidence", sa.String(16), nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    sa.Table(
        "audit", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=False),
        sa.Column("respondent", sa.String(NAME_LEN), nullable=False),
        sa.Column("item_id", sa.String(ITEM_LEN), nullable=False),
        sa.Column("old", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("new", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Index("ix_audit_assessment_item", "assessment_id", "item_id"),
    )
    sa.Table(
        "actions", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    md.create_all(conn)


def _v2(conn: Connection) -> None:
    """assessments.baseline_id: a re-assessment points at the assessment it repeats."""
    col_type = sa.String(ID_LEN).compile(dialect=conn.dialect)
    # Core has no ADD COLUMN construct; this statement reads the same on SQLite and PostgreSQL.
    conn.execute(sa.text(f"ALTER TABLE assessments ADD COLUMN baseline_id {col_type} "
                         "REFERENCES assessments (id)"))
    stub = sa.Table("assessments", sa.MetaData(), sa.Column("baseline_id", sa.String(ID_LEN)))
    sa.Index("ix_assessments_baseline_id", stub.c.baseline_id).create(conn)


def _v3(conn: Connection) -> None:
    """vendor_sheets: the selection team's vendor comparison sheet, one per assessment."""
    md = sa.MetaData()
    sa.Table("assessments", md, sa.Column("id", sa.String(ID_LEN), primary_key=True))
    sa.Table(
        "vendor_sheets", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("sheet", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    md.tables["vendor_sheets"].create(conn)


def _v4(conn: Connection) -> None:
    """Facilitator key and respondent tokens (hashes), and a version per answer for safe writes."""
    hash_type = sa.String(HASH_LEN).compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE assessments ADD COLUMN facilitator_hash {hash_type}"))
    conn.execute(sa.text(f"ALTER TABLE respondents ADD COLUMN token_hash {hash_type}"))
    conn.execute(sa.text("ALTER TABLE answers ADD COLUMN version INTEGER DEFAULT 0 NOT NULL"))
    # an answer's version is the id of its last audit row: take it from the trail already kept
    conn.execute(sa.text(
        "UPDATE answers SET version = COALESCE((SELECT MAX(audit.id) FROM audit JOIN respondents "
        "ON respondents.assessment_id = audit.assessment_id AND respondents.name = audit.respondent "
        "WHERE audit.assessment_id = answers.assessment_id AND respondents.id = answers.respondent_id "
        "AND audit.item_id = answers.item_id), 0)"))
def _v5(conn: Connection) -> None:
    """vendor_scores, vendor_costs, vendor_audit: a vendor sheet's cells as rows of their own.

    Each stored sheet's scores and cost amounts move into rows; the sheet keeps the rest, with empty
    `evaluations` and `costs` where it had them (so it reads back as the same sheet).
    """
    md = sa.MetaData()
    sa.Table("assessments", md, sa.Column("id", sa.String(ID_LEN), primary_key=True))
    sheets = sa.Table(
        "vendor_sheets", md,
        sa.Column("assessment_id", sa.String(ID_LEN), primary_key=True),
        sa.Column("sheet", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    scores = sa.Table(
        "vendor_scores", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("evaluator", sa.Text, primary_key=True),
        sa.Column("vendor_id", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("ref_id", sa.Text, primary_key=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    costs = sa.Table(
        "vendor_costs", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("vendor_id", sa.Text, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("part", sa.String(32), primary_key=True),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    trail = sa.Table(
        "vendor_audit", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=False),
        sa.Column("who", sa.String(NAME_LEN), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("evaluator", sa.Text, nullable=True),
        sa.Column("vendor_id", sa.Text, nullable=True),
        sa.Column("ref_id", sa.Text, nullable=True),
        sa.Column("old", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("new", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Index("ix_vendor_audit_assessment", "assessment_id", "id"),
    )
    for table in (scores, costs, trail):
        table.create(conn)

    def mapping(v: object) -> dict:
        return v if isinstance(v, dict) else {}

    for row in conn.execute(sa.select(sheets)).all():
        sheet = dict(mapping(row.sheet))
        base = {"assessment_id": row.assessment_id, "updated_at": row.updated_at}
        score_rows, cost_rows = [], []
        for who, by_vendor in mapping(sheet.get("evaluations")).items():
            for vid, ev in mapping(by_vendor).items():
                for ref, cell in mapping(mapping(ev).get("criteria")).items():
                    cell = cell if isinstance(cell, dict) else {"score": cell}  # the short form
                    score_rows.append({**base, "evaluator": who, "vendor_id": vid, "kind": "criterion",
                                       "ref_id": ref, "score": cell.get("score"), "status": None,
                                       "note": cell.get("note")})
                for ref, cell in mapping(mapping(ev).get("requirements")).items():
                    cell = cell if isinstance(cell, dict) else {"status": cell}
                    score_rows.append({**base, "evaluator": who, "vendor_id": vid, "kind": "requirement",
                                       "ref_id": ref, "score": None, "status": cell.get("status"),
                                       "note": cell.get("note")})
        for vid, lines in mapping(sheet.get("costs")).items():
            for line in lines if isinstance(lines, list) else []:
                year = mapping(line).get("year")
                for part, amount in mapping(line).items():
                    if part != "year" and isinstance(year, int):
                        cost_rows.append({**base, "vendor_id": vid, "year": year, "part": part,
                                          "amount": amount})
        if score_rows:
            conn.execute(scores.insert(), score_rows)
        if cost_rows:
            conn.execute(costs.insert(), cost_rows)
        for key in ("evaluations", "costs"):
            if key in sheet:
                sheet[key] = {}
        conn.execute(sheets.update().where(sheets.c.assessment_id == row.assessment_id).values(sheet=sheet))


def _v6(conn: Connection) -> None:
    """The action plan states its effect (items, expected answer, effort); phase targets per assessment."""
    json_type = sa.JSON().compile(dialect=conn.dialect)
    effort_type = sa.String(1).compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE actions ADD COLUMN items {json_type}"))
    conn.execute(sa.text(f"ALTER TABLE actions ADD COLUMN expect {json_type}"))
    conn.execute(sa.text(f"ALTER TABLE actions ADD COLUMN effort {effort_type}"))
    md = sa.MetaData()
    sa.Table("assessments", md, sa.Column("id", sa.String(ID_LEN), primary_key=True))
    sa.Table(
        "phase_targets", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("phase_id", sa.String(ITEM_LEN), primary_key=True),
        sa.Column("level_id", sa.String(ITEM_LEN), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    md.tables["phase_targets"].create(conn)


def _v7(conn: Connection) -> None:
    """Workshop rounds: `round` joins the answers' key (every stored answer is round 1) and the audit
    trail; workshop_rounds, workshop_reveals and workshop_decided hold the rounds' state.

    A primary key cannot be changed in place on SQLite, so answers is rebuilt: a new table with the
    new key, the rows copied, the old table dropped and the new one renamed (on both backends alike).
    """
    md = sa.MetaData()
    sa.Table("assessments", md, sa.Column("id", sa.String(ID_LEN), primary_key=True))
    sa.Table("respondents", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("assessment_id", sa.String(ID_LEN), nullable=False),
             sa.UniqueConstraint("assessment_id", "id", name="uq_respondents_assessment_id"))
    cols = ("assessment_id", "respondent_id", "item_id", "value", "note", "reason", "confidence",
            "updated_at", "version")
    new = sa.Table(
        "answers_v7", md,
        sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=False),
        sa.Column("respondent_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.String(ITEM_LEN), nullable=False),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("confidence", sa.String(16), nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("round", sa.Integer, nullable=False, autoincrement=False, server_default="1"),
        sa.PrimaryKeyConstraint("assessment_id", "respondent_id", "item_id", "round", name="pk_answers_round"),
        sa.ForeignKeyConstraint(["assessment_id", "respondent_id"],
                                ["respondents.assessment_id", "respondents.id"],
                                name="fk_answers_respondent"),
    )
    new.create(conn)
    names = ", ".join(cols)
    conn.execute(sa.text(f"INSERT INTO answers_v7 ({names}, round) SELECT {names}, 1 FROM answers"))
    conn.execute(sa.text("DROP TABLE answers"))
    conn.execute(sa.text("ALTER TABLE answers_v7 RENAME TO answers"))
    conn.execute(sa.text("ALTER TABLE audit ADD COLUMN round INTEGER DEFAULT 1 NOT NULL"))
    sa.Table("workshop_rounds", md,
             sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
             sa.Column("round", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("items", sa.JSON(none_as_null=True), nullable=True),
             sa.Column("opened_at", UTCDateTime, nullable=False)).create(conn)
    sa.Table("workshop_reveals", md,
             sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
             sa.Column("round", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
             sa.Column("at", UTCDateTime, nullable=False)).create(conn)
    sa.Table("workshop_decided", md,
             sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
             sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
             sa.Column("at", UTCDateTime, nullable=False)).create(conn)


def _v8(conn: Connection) -> None:
    """assessments.archived_at: the administrator hides an assessment from the list without deleting it;
    an index on created_at for the admin list's newest-first pages."""
    col_type = UTCDateTime().compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE assessments ADD COLUMN archived_at {col_type}"))
    stub = sa.Table("assessments", sa.MetaData(), sa.Column("created_at", UTCDateTime))
    sa.Index("ix_assessments_created_at", stub.c.created_at).create(conn)


STEPS: tuple[Step, ...] = (
    Step(1, "initial schema", _v1),
    Step(2, "assessments.baseline_id for re-assessments", _v2),
    Step(3, "vendor_sheets for the vendor comparison", _v3),
    Step(4, "facilitator key, respondent tokens, answer versions", _v4),
    Step(5, "vendor_scores, vendor_costs and vendor_audit: vendor sheet cells as rows", _v5),
    Step(6, "actions.items, expect, effort; phase_targets", _v6),
    Step(7, "workshop rounds: round in the answers' key and the audit trail; rounds, reveals, decided items",
         _v7),
    Step(8, "assessments.archived_at for the admin list's archive; index on created_at", _v8),
)
LATEST_VERSION = STEPS[-1].version


def current_version(conn: Connection) -> int:
    """The version a database is at; 0 when it has no schema yet."""
    if not sa.inspect(conn).has_table(schema_version.name):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, target: int = LATEST_VERSION) -> int:
    """Bring the database up to `target` (default: latest); idempotent; returns the version reached."""
    if target not in {s.version for s in STEPS}:
        raise ValueError(f"unknown schema version {target}; known: {[s.version for s in STEPS]}")
    with engine.connect() as conn:
        # SQLite: BEGIN IMMEDIATE takes the write lock first, so two processes never both migrate
        conn.execution_options(readiness_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            schema_version.create(conn, checkfirst=True)
            version = current_version(conn)
            if version > LATEST_VERSION:
                raise StorageError(f"the database is at schema version {version}, newer than this "
                                   f"code knows ({LATEST_VERSION}); upgrade the application")
            # every step not applied yet, in order: a step numbered below one already applied (numbers
            # are reserved per feature, and features land in any order) is applied too, not skipped
            applied = set(conn.execute(sa.select(schema_version.c.version)).scalars())
            for step in STEPS:
                if step.version not in applied and step.version <= target:
                    step.apply(conn)
                    conn.execute(schema_version.insert().values(
                        version=step.version, description=step.description,
                        applied_at=datetime.now(UTC)))
                    version = max(version, step.version)
            return version
