"""Storage: the only place that knows SQL. Assessments, answers, audit and action plans.

SQLite by default (READINESS_DB_PATH, default ./data/readiness.db), PostgreSQL when DATABASE_URL
is set; the schema is created and upgraded at startup (migrations.py).
"""

from .backup import BackupError, BackupSummary, export_all, import_all, read_backup
from .db import (
    DATABASE_URL_ENV,
    DB_PATH_ENV,
    database_url,
    dispose_engines,
    get_engine,
    new_engine,
)
from .errors import (
    AdminAccessDenied,
    AnswerConflict,
    AnswerLocked,
    InvalidInput,
    NameTaken,
    NotFound,
    StorageCorrupt,
    StorageError,
    StorageFault,
    StorageFull,
    StorageReadOnly,
    StorageUnavailable,
    TemplateMismatch,
)
from .faults import classify as classify_fault
from .migrations import LATEST_VERSION, current_version, migrate
from .models import (
    AdminPage,
    AdminRow,
    AssessmentMeta,
    AssessmentSettings,
    AuditEntry,
    ConsolidationMethod,
    Joined,
    Respondent,
    StoredAnswer,
    VendorAuditEntry,
)
from .repository import (
    ADMIN_PAGE_SIZE,
    ADMIN_PASSWORD_ENV,
    FINAL,
    Repository,
    new_assessment_id,
    new_secret,
    open_repository,
    storable,
)
from .schema import NAME_LEN

__all__ = [
    "BackupError", "BackupSummary", "export_all", "import_all", "read_backup",
    "ADMIN_PASSWORD_ENV",
    "ADMIN_PAGE_SIZE",
    "AdminPage",
    "AdminRow",
    "DATABASE_URL_ENV",
    "DB_PATH_ENV",
    "FINAL",
    "LATEST_VERSION",
    "NAME_LEN",
    "AdminAccessDenied",
    "AnswerConflict",
    "AnswerLocked",
    "Joined",
    "NameTaken",
    "StoredAnswer",
    "new_secret",
    "AssessmentMeta",
    "AssessmentSettings",
    "AuditEntry",
    "ConsolidationMethod",
    "InvalidInput",
    "NotFound",
    "Repository",
    "Respondent",
    "StorageError",
    "StorageFault",
    "StorageCorrupt",
    "StorageReadOnly",
    "StorageFull",
    "StorageUnavailable",
    "classify_fault",
    "TemplateMismatch",
    "VendorAuditEntry",
    "current_version",
    "database_url",
    "dispose_engines",
    "get_engine",
    "migrate",
    "new_assessment_id",
    "new_engine",
    "open_repository",
    "storable",
]
