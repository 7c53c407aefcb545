"""What the storage returns besides the core models (Answer, Assessment, ActionItem)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from checklists import FrozenModel
from scoring import DEFAULT_SPREAD_THRESHOLD, Answer, ConsolidationMethod


class AssessmentSettings(FrozenModel):
    """How a workshop's answers are consolidated, and when a spread is worth discussing."""

    method: ConsolidationMethod = "mean"
    spread_threshold: float = Field(default=DEFAULT_SPREAD_THRESHOLD, ge=0, le=1)


class AssessmentMeta(FrozenModel):
    id: str
    template_id: str
    template_version: str
    organisation: str
    project: str
    language: str
    facilitator: str
    created_at: datetime
    updated_at: datetime
    settings: AssessmentSettings
    # phase id → reason; such a phase leaves the overall score
    out_of_scope: dict[str, str]
    # the earlier assessment this one re-assesses (progress over time)
    baseline_id: str | None = None
    # whether a facilitator key guards the facilitator's powers (False only for assessments made
    # before keys existed: the administrator can issue one)
    has_facilitator_key: bool = False
    # when the administrator archived it; None while it is not archived
    archived_at: datetime | None = None


class Respondent(FrozenModel):
    id: int
    name: str
    role: str
    created_at: datetime
    answered: int = Field(ge=0, description="items with a stored answer")


class AuditEntry(FrozenModel):
    """One change of one answer; `respondent` is FINAL for the facilitator's final answer."""

    id: int
    respondent: str
    item_id: str
    old: Answer | None
    new: Answer | None
    at: datetime
    round: int = Field(default=1, ge=1, description="the workshop round of the answer that changed")


class StoredAnswer(FrozenModel):
    """One answer as stored, with the version a page sends back to change it safely."""

    answer: Answer
    version: int = Field(ge=0, description="0: nothing stored")


class Joined(FrozenModel):
    """Who a link answers as: the respondent id, their normalised name and their token."""

    id: int
    name: str
    token: str


class VendorAuditEntry(FrozenModel):
    """One change of one vendor-sheet cell: a score or status (kind "requirement" / "criterion", with
    evaluator, vendor and ref_id), a cost amount ("cost": vendor, ref_id "year.part"), or a sheet entry
    ("sheet": ref_id a field such as "settings", or "vendors.<id>"); old / new are None when absent."""

    id: int
    who: str
    kind: str
    evaluator: str | None
    vendor_id: str | None
    ref_id: str | None
    old: Any
    new: Any
    at: datetime


class AdminRow(FrozenModel):
    """One row of the administrator's list: the assessment and, for a re-assessment, when its
    baseline was created."""

    meta: AssessmentMeta
    baseline_created_at: datetime | None = None


class AdminPage(FrozenModel):
    """One page of the administrator's list, and how many assessments match in all."""

    rows: list[AdminRow]
    total: int = Field(ge=0)
    page: int = Field(ge=0)
    per_page: int = Field(ge=1)
