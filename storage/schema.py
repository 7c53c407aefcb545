"""The tables as they are at the latest schema version; queries use these, migrations build them.

The migration steps in migrations.py keep their own frozen copy of each version, so editing this
file never changes what an old step creates; a test checks that migrating gives exactly this schema.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa


class UTCDateTime(sa.TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no offset, so store naive UTC there)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass an aware one (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ID_LEN = 64
NAME_LEN = 100
ITEM_LEN = 200
HASH_LEN = 64

metadata = sa.MetaData()

assessments = sa.Table(
    "assessments", metadata,
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
    # v2: a re-assessment points at its baseline
    sa.Column("baseline_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=True, index=True),
    # v4: SHA-256 of the facilitator key (the key itself is shown once and never stored)
    sa.Column("facilitator_hash", sa.String(HASH_LEN), nullable=True),
    # v8: when the administrator archived it (hidden from the admin list by default); None: not archived
    sa.Column("archived_at", UTCDateTime, nullable=True),
    sa.Index("ix_assessments_created_at", "created_at"),
)

respondents = sa.Table(
    "respondents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=False),
    sa.Column("name", sa.String(NAME_LEN), nullable=False),
    sa.Column("role", sa.String(NAME_LEN), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # v4: SHA-256 of the respondent's own token (kept in their link); NULL until first claimed
    sa.Column("token_hash", sa.String(HASH_LEN), nullable=True),
    sa.UniqueConstraint("assessment_id", "name", name="uq_respondents_assessment_name"),
    # the target of answers' composite foreign key: an answer's respondent is of the same assessment
    sa.UniqueConstraint("assessment_id", "id", name="uq_respondents_assessment_id"),
)

answers = sa.Table(
    "answers", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("respondent_id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
    sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("confidence", sa.String(16), nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # v4: the id of the audit row of the last change; a page sends it back to write only over what it showed
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    # v7: the workshop round the answer was given in (part of the key: a later round's answer is kept
    # beside the earlier one, never over it); 1 for every answer given outside rounds
    sa.Column("round", sa.Integer, primary_key=True, autoincrement=False, server_default="1"),
    sa.ForeignKeyConstraint(["assessment_id", "respondent_id"],
                            ["respondents.assessment_id", "respondents.id"],
                            name="fk_answers_respondent"),
)

# The facilitator's final answer per item: a table of its own rather than a pseudo-respondent,
# so no query over respondents has to remember to leave it out.
final_answers = sa.Table(
    "final_answers", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
    sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("confidence", sa.String(16), nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Append-only: the repository inserts rows and never updates or deletes them.
audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=False),
    # the respondent's name at the time (or FINAL), kept as text so the trail reads on its own
    sa.Column("respondent", sa.String(NAME_LEN), nullable=False),
    sa.Column("item_id", sa.String(ITEM_LEN), nullable=False),
    sa.Column("old", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("new", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    # v7: the round of the answer that changed (1 for final answers and answers outside rounds)
    sa.Column("round", sa.Integer, nullable=False, server_default="1"),
    sa.Index("ix_audit_assessment_item", "assessment_id", "item_id"),
)

actions = sa.Table(
    "actions", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
    sa.Column("owner", sa.Text, nullable=False),
    sa.Column("due", sa.String(32), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # v6: further items the action improves, the answer expected when done, effort S/M/L
    sa.Column("items", sa.JSON, nullable=True),
    sa.Column("expect", sa.JSON, nullable=True),
    sa.Column("effort", sa.String(1), nullable=True),
)

# v6: the level an assessment aims at per phase, where it differs from the template's default
phase_targets = sa.Table(
    "phase_targets", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("phase_id", sa.String(ITEM_LEN), primary_key=True),
    sa.Column("level_id", sa.String(ITEM_LEN), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

vendor_sheets = sa.Table(
    "vendor_sheets", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("sheet", sa.JSON, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# v5: the vendor sheet's cells, one row each, so that evaluators editing at once never overwrite
# each other. vendor_sheets keeps the rest of the sheet (tags, weights, vendors, settings, ROI).
# Ids and evaluator names are Text: a sheet file sets no length limit on them.
vendor_scores = sa.Table(
    "vendor_scores", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("evaluator", sa.Text, primary_key=True),
    sa.Column("vendor_id", sa.Text, primary_key=True),
    # "requirement" (status) or "criterion" (score), and that requirement's or criterion's id
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("ref_id", sa.Text, primary_key=True),
    sa.Column("score", sa.Integer, nullable=True),
    sa.Column("status", sa.String(16), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

vendor_costs = sa.Table(
    "vendor_costs", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("vendor_id", sa.Text, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("part", sa.String(32), primary_key=True),
    sa.Column("amount", sa.Float, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Append-only, like audit: every change of a vendor score, cost cell or sheet entry.
vendor_audit = sa.Table(
    "vendor_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), nullable=False),
    # who made the change (a respondent's name at the time; empty when nobody had joined)
    sa.Column("who", sa.String(NAME_LEN), nullable=False),
    # the cell: "requirement" / "criterion" (with evaluator, vendor and ref), "cost" (vendor, ref
    # "year.part") or "sheet" (ref: a sheet field, or "vendors.<id>" for one entry of a list)
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("evaluator", sa.Text, nullable=True),
    sa.Column("vendor_id", sa.Text, nullable=True),
    sa.Column("ref_id", sa.Text, nullable=True),
    sa.Column("old", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("new", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_vendor_audit_assessment", "assessment_id", "id"),
)

# v7: workshop rounds. A round covers every item (items NULL: round 1) or the listed ones (a later
# round, for the disputed items); answers are hidden from the room until revealed per round and item.
workshop_rounds = sa.Table(
    "workshop_rounds", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("items", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("opened_at", UTCDateTime, nullable=False),
)

workshop_reveals = sa.Table(
    "workshop_reveals", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
)

# items the room has decided: they leave the workshop agenda (a filter shows them again)
workshop_decided = sa.Table(
    "workshop_decided", metadata,
    sa.Column("assessment_id", sa.String(ID_LEN), sa.ForeignKey("assessments.id"), primary_key=True),
    sa.Column("item_id", sa.String(ITEM_LEN), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)
