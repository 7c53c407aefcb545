"""Backup and move: every assessment to a folder of JSON files, and back into any database.

    export_all(repo, folder)   one JSON file per assessment (meta, respondents, every answer, final
                               answers, action plan, vendor sheet with its score and cost rows, the
                               full audit trails) + manifest.json
    import_all(repo, folder)   load such a folder into another database (SQLite or PostgreSQL): all
                               or nothing, ids, timestamps and audit entries exactly as exported

The folder is checked whole before anything is written: a missing, changed or unlisted file, a
manifest from a newer format, or an id the target database already holds refuses the import with
the list of problems (BackupError), and the target is left as it was. The manifest is written last
and holds each file's SHA-256, so an export that stopped half-way is refused, never half-imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.engine import Connection

from checklists import LocatedError, Problem, last_resort, plain_words
from scoring import Answer, Confidence

from .errors import StorageError, StorageUnavailable
from .migrations import LATEST_VERSION
from .models import AssessmentSettings
from .repository import Repository
from .schema import (
    ID_LEN,
    ITEM_LEN,
    NAME_LEN,
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
from .vendor_cells import split_sheet

T = TypeVar("T")

FORMAT = "readiness-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ASSESSMENTS_DIR = "assessments"
# the ids the repository draws are url-safe tokens: they make safe file names, and nothing else may
_ID_RE = re.compile(rf"^[A-Za-z0-9_-]{{1,{ID_LEN}}}$")
# the tables holding an assessment's rows besides its own (a test checks none is left out)
_HASH_RE = r"^[0-9a-f]{64}$"  # SHA-256 of a facilitator key or respondent token
TABLES = ("respondents", "answers", "final_answers", "actions", "audit", "vendor_sheets", "vendor_scores",
          "vendor_costs", "vendor_audit", "workshop_rounds", "workshop_reveals", "workshop_decided", "phase_targets")


class BackupError(StorageError, LocatedError):
    """A backup folder that cannot be written or imported: `located` holds every reason (file, line,
    field, in both languages), `problems` the same as English lines."""

    def __init__(self, located: list[Problem]):
        LocatedError.__init__(self, located)
        self.problems = self.texts("en")


def _problem(file: str | Path, zh: str, en: str, *, line: int | None = None, field: str = "") -> Problem:
    return Problem(str(file), line, field, en, zh)


# what each kind of row is called in Chinese in a problem (duplicate keys, ids already taken)
_ROW_ZH: dict[str, str] = {
    "respondent id": "受访者 id", "respondent name": "受访者姓名", "answer": "答案", "workshop round": "研讨轮次",
    "workshop reveal": "揭晓记录", "decided item": "已决定的检查项", "final answer": "最终答案", "action": "行动",
    "audit id": "审计记录 id", "vendor score": "供应商评分", "vendor cost": "供应商成本",
    "vendor audit id": "供应商审计记录 id", "phase target": "阶段目标", "assessments": "评估",
    "respondent ids": "受访者 id", "audit ids": "审计记录 id", "vendor audit ids": "供应商审计记录 id",
}


@dataclass(frozen=True)
class BackupSummary:
    """What was exported or imported: how many assessments and rows of each kind."""

    folder: Path
    assessments: int
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """What was moved, in `lang`: "3 assessments (4 respondents, …) in backup/"."""
        if lang == "zh":
            rows = "，".join(f"{_TABLE_ZH.get(k, k)} {n}" for k, n in self.counts.items())
            return f"{self.assessments} 项评估（{rows}），位于 {self.folder}"
        rows = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts.items())
        return f"{self.assessments} assessments ({rows}) in {self.folder}"


# each table's rows, as a summary names them in Chinese
_TABLE_ZH = {"respondents": "受访者", "answers": "答案", "final_answers": "最终答案", "actions": "行动",
             "audit": "审计记录", "vendor_sheets": "供应商对比表", "vendor_scores": "供应商评分",
             "vendor_costs": "供应商成本", "vendor_audit": "供应商审计记录", "workshop_rounds": "研讨轮次",
             "workshop_reveals": "揭晓记录", "workshop_decided": "已决定的检查项", "phase_targets": "阶段目标"}


# -- the file format, as models: an import validates every row before it writes any ----------


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _no_nul(v: Any) -> Any:
    # PostgreSQL text cannot hold NUL, and the repository never stores one: a file with one was edited
    if isinstance(v, str) and "\x00" in v:
        raise ValueError("contains a NUL character")
    return v


class AssessmentRow(_Row):
    id: str = Field(pattern=_ID_RE.pattern)
    template_id: str = Field(min_length=1, max_length=ITEM_LEN)
    template_version: str = Field(max_length=NAME_LEN)
    organisation: str
    project: str
    language: str = Field(max_length=16)
    facilitator: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    settings: dict[str, Any]
    out_of_scope: dict[str, str]
    baseline_id: str | None = Field(default=None, pattern=_ID_RE.pattern)
    facilitator_hash: str | None = Field(default=None, pattern=_HASH_RE)
    archived_at: AwareDatetime | None = None

    _text = field_validator("organisation", "project", "facilitator", "template_version")(_no_nul)

    @field_validator("settings")
    @classmethod
    def _settings(cls, v: dict[str, Any]) -> dict[str, Any]:
        AssessmentSettings.model_validate(v)  # read back as settings on every page
        return v


class RespondentRow(_Row):
    id: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=NAME_LEN)
    role: str = Field(max_length=NAME_LEN)
    created_at: AwareDatetime
    token_hash: str | None = Field(default=None, pattern=_HASH_RE)

    _text = field_validator("name", "role")(_no_nul)


def _answer_json(v: Any) -> Any:
    if v is not None:
        Answer.model_validate(v)  # the repository reads it back as an Answer: it must be one
    return v


def _answer_value(v: Any) -> Any:
    Answer(value=v)
    return v


class FinalAnswerRow(_Row):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)  # confidence stored as its value

    item_id: str = Field(min_length=1, max_length=ITEM_LEN)
    value: Any = None
    note: str | None = None
    reason: str | None = None
    confidence: Confidence | None = None
    updated_at: AwareDatetime

    _text = field_validator("note", "reason")(_no_nul)
    _value = field_validator("value")(_answer_value)


class AnswerRow(FinalAnswerRow):
    """A respondent's answer: a final answer's columns plus whose it is."""

    respondent_id: int
    version: int = Field(default=0, ge=0)
    round: int = Field(default=1, ge=1)  # since schema version 7; every earlier answer is round 1


class ActionRow(_Row):
    item_id: str = Field(min_length=1, max_length=ITEM_LEN)
    owner: str
    due: str | None = Field(default=None, max_length=32)
    status: Literal["open", "in_progress", "done"]
    note: str
    updated_at: AwareDatetime
    # since schema version 6
    items: list[str] | None = None
    expect: Any = None
    effort: Literal["S", "M", "L"] | None = None

    _text = field_validator("owner", "note")(_no_nul)


class PhaseTargetRow(_Row):
    phase_id: str = Field(min_length=1, max_length=ITEM_LEN)
    level_id: str = Field(min_length=1, max_length=ITEM_LEN)
    updated_at: AwareDatetime


class AuditRow(_Row):
    id: int = Field(ge=1)
    respondent: str = Field(min_length=1, max_length=NAME_LEN)
    item_id: str = Field(min_length=1, max_length=ITEM_LEN)
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    at: AwareDatetime
    round: int = Field(default=1, ge=1)

    _answers = field_validator("old", "new")(_answer_json)


class WorkshopRoundRow(_Row):
    round: int = Field(ge=1)
    items: list[str] | None = None
    opened_at: AwareDatetime


class WorkshopRevealRow(_Row):
    round: int = Field(ge=1)
    item_id: str = Field(min_length=1, max_length=ITEM_LEN)
    at: AwareDatetime


class WorkshopDecidedRow(_Row):
    item_id: str = Field(min_length=1, max_length=ITEM_LEN)
    at: AwareDatetime


class VendorSheetRow(_Row):
    sheet: dict[str, Any]
    updated_at: AwareDatetime


class VendorScoreRow(_Row):
    evaluator: str = Field(min_length=1)
    vendor_id: str = Field(min_length=1)
    kind: Literal["requirement", "criterion"]
    ref_id: str = Field(min_length=1)
    score: int | None = None
    status: str | None = Field(default=None, max_length=16)
    note: str | None = None
    updated_at: AwareDatetime

    _text = field_validator("evaluator", "vendor_id", "ref_id", "note")(_no_nul)


class VendorCostRow(_Row):
    vendor_id: str = Field(min_length=1)
    year: int
    part: str = Field(min_length=1, max_length=32)
    amount: float = Field(allow_inf_nan=False)
    updated_at: AwareDatetime

    _text = field_validator("vendor_id", "part")(_no_nul)


class VendorAuditRow(_Row):
    id: int = Field(ge=1)
    who: str = Field(max_length=NAME_LEN)
    kind: str = Field(min_length=1, max_length=16)
    evaluator: str | None = None
    vendor_id: str | None = None
    ref_id: str | None = None
    old: Any = None
    new: Any = None
    at: AwareDatetime

    _text = field_validator("who", "evaluator", "vendor_id", "ref_id")(_no_nul)


class AssessmentFile(_Row):
    format: Literal["readiness-backup"]
    format_version: int
    assessment: AssessmentRow
    respondents: list[RespondentRow]
    answers: list[AnswerRow]
    final_answers: list[FinalAnswerRow]
    actions: list[ActionRow]
    audit: list[AuditRow]
    vendor_sheets: list[VendorSheetRow] = Field(max_length=1)  # at most one per assessment
    # since schema version 5; a backup written before holds the scores and costs inside the sheet
    vendor_scores: list[VendorScoreRow] = Field(default_factory=list)
    vendor_costs: list[VendorCostRow] = Field(default_factory=list)
    vendor_audit: list[VendorAuditRow] = Field(default_factory=list)
    # since schema version 6
    phase_targets: list[PhaseTargetRow] = Field(default_factory=list)
    # since schema version 7
    workshop_rounds: list[WorkshopRoundRow] = Field(default_factory=list)
    workshop_reveals: list[WorkshopRevealRow] = Field(default_factory=list)
    workshop_decided: list[WorkshopDecidedRow] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in TABLES}


class ManifestEntry(_Row):
    id: str = Field(pattern=_ID_RE.pattern)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    counts: dict[str, int]


class Manifest(_Row):
    format: Literal["readiness-backup"]
    format_version: int
    schema_version: int
    exported_at: AwareDatetime
    source: str
    counts: dict[str, int]
    assessments: list[ManifestEntry]


# -- helpers --------------------------------------------------------------------------------


def _iso(dt: datetime) -> str:
    # microseconds always written, so the same instant is the same text on every backend
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) if isinstance(v, datetime) else v for k, v in row.items()}


def _dumps(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _file_name(assessment_id: str) -> str:
    return f"{ASSESSMENTS_DIR}/{assessment_id}.json"


def _errors(where: str, exc: ValidationError, text: str | None = None) -> list[Problem]:
    """Pydantic's errors about a file's rows in plain words, each on its line of the file when the
    file's text is given."""
    out = []
    for err in exc.errors()[:20]:
        loc = tuple(err["loc"])
        words = plain_words(err)
        line = _json_line(text, loc) if text is not None else None
        out.append(Problem(where, line, ".".join(str(x) for x in loc), words.en, words.zh))
    if len(exc.errors()) > 20:
        more = len(exc.errors()) - 20
        out.append(_problem(where, f"……还有 {more} 个问题", f"… and {more} more problems"))
    return out


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _ws(text: str, at: int) -> int:
    """Past the white space at `at`."""
    space = _SPACE.match(text, at)
    return space.end() if space else at


def _json_line(text: str, path: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest value along `path` in a JSON text (already known to parse).
    Siblings on the way are skipped by the C decoder, so a large file costs no node tree."""
    at = _ws(text, 0)
    found = at
    try:
        for key in path:
            if text[at] == "{" and isinstance(key, str):
                at = _member(text, at, key)
            elif text[at] == "[" and isinstance(key, int):
                at = _element(text, at, key)
            else:
                break
            if at < 0:
                break
            found = at
    except (ValueError, IndexError):  # not the JSON it was said to be: the last place found stands
        pass
    return text.count("\n", 0, found) + 1


def _skip(text: str, at: int) -> int:
    """Past the value at `at`, its comma and the space after: the start of the next one (or the bracket)."""
    _, at = _DECODER.raw_decode(text, at)
    at = _ws(text, at)
    return _ws(text, at + 1) if text[at] == "," else at


def _member(text: str, at: int, key: str) -> int:
    """Where the value of `key` in the object starting at `at` starts; -1 when it has no such key."""
    at = _ws(text, at + 1)
    while text[at] == '"':
        name, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]  # not in the stubs
        at = _ws(text, _ws(text, at) + 1)  # past the colon
        if name == key:
            return at
        at = _skip(text, at)
    return -1


def _element(text: str, at: int, index: int) -> int:
    """Where element `index` of the array starting at `at` starts; -1 when it is shorter."""
    at = _ws(text, at + 1)
    for _ in range(index):
        if text[at] == "]":
            return -1
        at = _skip(text, at)
    return -1 if text[at] == "]" else at


def _run(repo: Repository, work: Callable[[Connection], T], *, write: bool) -> T:
    """One transaction with the repository's bounded retries (a consistent snapshot when reading)."""
    attempts = repo.retries + 1
    error: Exception | None = None
    for attempt in range(1, attempts + 1):
        try:
            with _tx(repo, write) as conn:
                return work(conn)
        except (sa.exc.OperationalError, sa.exc.TimeoutError) as e:
            error = e
        except sa.exc.DBAPIError as e:
            if not e.connection_invalidated:
                raise
            error = e
        if attempt < attempts:
            time.sleep(repo.retry_delay * (2 ** (attempt - 1)))
    raise StorageUnavailable(f"the database is busy or unreachable after {attempts} attempts: "
                             f"{getattr(error, 'orig', error)}", attempts) from error


@contextmanager
def _tx(repo: Repository, write: bool) -> Iterator[Connection]:
    with repo.engine.connect() as conn:
        if write:
            # SQLite: BEGIN IMMEDIATE, the write lock up front (see storage.db)
            conn = conn.execution_options(readiness_write=True)
        elif conn.dialect.name == "postgresql":
            # every table read from one snapshot, though the app goes on writing
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


# -- export ---------------------------------------------------------------------------------


def _rows(conn: Connection, table: sa.Table, where: Any, order: list[Any], drop: tuple[str, ...]) -> list[dict]:
    result = conn.execute(sa.select(table).where(where).order_by(*order))
    return [_jsonable({k: v for k, v in r._mapping.items() if k not in drop}) for r in result]


def _dump_assessment(conn: Connection, assessment_id: str) -> dict[str, Any]:
    """Everything stored about one assessment, as plain JSON values, in a fixed order."""
    a = conn.execute(sa.select(assessments).where(assessments.c.id == assessment_id)).one()
    aid = ("assessment_id",)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "assessment": _jsonable(dict(a._mapping)),
        "respondents": _rows(conn, respondents, respondents.c.assessment_id == assessment_id,
                             [respondents.c.id], aid),
        "answers": _rows(conn, answers, answers.c.assessment_id == assessment_id,
                         [answers.c.respondent_id, answers.c.item_id, answers.c.round], aid),
        "final_answers": _rows(conn, final_answers, final_answers.c.assessment_id == assessment_id,
                               [final_answers.c.item_id], aid),
        "actions": _rows(conn, actions, actions.c.assessment_id == assessment_id, [actions.c.item_id], aid),
        "audit": _rows(conn, audit, audit.c.assessment_id == assessment_id, [audit.c.id], aid),
        "vendor_sheets": _rows(conn, vendor_sheets, vendor_sheets.c.assessment_id == assessment_id, [], aid),
        "vendor_scores": _rows(conn, vendor_scores, vendor_scores.c.assessment_id == assessment_id,
                               [vendor_scores.c.evaluator, vendor_scores.c.vendor_id, vendor_scores.c.kind,
                                vendor_scores.c.ref_id], aid),
        "vendor_costs": _rows(conn, vendor_costs, vendor_costs.c.assessment_id == assessment_id,
                              [vendor_costs.c.vendor_id, vendor_costs.c.year, vendor_costs.c.part], aid),
        "vendor_audit": _rows(conn, vendor_audit, vendor_audit.c.assessment_id == assessment_id,
                              [vendor_audit.c.id], aid),
        "phase_targets": _rows(conn, phase_targets, phase_targets.c.assessment_id == assessment_id,
                               [phase_targets.c.phase_id], aid),
        "workshop_rounds": _rows(conn, workshop_rounds, workshop_rounds.c.assessment_id == assessment_id,
                                 [workshop_rounds.c.round], aid),
        "workshop_reveals": _rows(conn, workshop_reveals, workshop_reveals.c.assessment_id == assessment_id,
                                  [workshop_reveals.c.round, workshop_reveals.c.item_id], aid),
        "workshop_decided": _rows(conn, workshop_decided, workshop_decided.c.assessment_id == assessment_id,
                                  [workshop_decided.c.item_id], aid),
    }


def export_all(repo: Repository, folder: str | Path) -> BackupSummary:
    """Write every assessment into `folder` (new or empty), then manifest.json; returns the counts."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError([_problem(folder, "不是空文件夹；请导出到新的或空的文件夹，以免混入其他备份的文件",
                                    "not an empty folder; export into a new or empty one, so that no file "
                                    "of another backup is mixed in")])
    (folder / ASSESSMENTS_DIR).mkdir(parents=True, exist_ok=True)

    def work(conn: Connection) -> list[dict[str, Any]]:
        ids = conn.execute(sa.select(assessments.c.id).order_by(assessments.c.created_at,
                                                                 assessments.c.id)).scalars().all()
        entries = []
        for assessment_id in ids:
            doc = _dump_assessment(conn, assessment_id)
            data = _dumps(doc)
            _write_atomic(folder / _file_name(assessment_id), data)
            entries.append({"id": assessment_id, "sha256": hashlib.sha256(data).hexdigest(),
                            "counts": {k: len(doc[k]) for k in TABLES}})
        return entries

    entries = _run(repo, work, write=False)
    totals = {k: sum(e["counts"][k] for e in entries) for k in TABLES}
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": LATEST_VERSION,
                "exported_at": _iso(datetime.now(UTC)), "source": repo.engine.dialect.name,
                "counts": {"assessments": len(entries), **totals}, "assessments": entries}
    # last: a folder without a manifest is an export that did not finish, and import refuses it
    _write_atomic(folder / MANIFEST, _dumps(manifest))
    return BackupSummary(folder, len(entries), totals)


# -- import ---------------------------------------------------------------------------------


class _Read:
    """One file of the folder as read: its parsed JSON and its text (to find a field's line)."""

    def __init__(self, raw: Any, text: str):
        self.raw = raw
        self.text = text


class _NotANumber(ValueError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(f"{name} is not a number a backup holds")


def _read_json(path: Path, what: str, problems: list[Problem], sha256: str | None = None) -> _Read | None:
    """The parsed file, or None with the reason appended to `problems`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(_problem(what, "文件缺失", "missing"))
        return None
    except OSError as e:
        problems.append(_problem(what, f"无法读取该文件（错误号 {e.errno}）", f"cannot read it ({e.strerror})"))
        return None
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        problems.append(_problem(what, "校验和与清单中的不同：文件已损坏、被截断或在导出后被修改",
                                 "checksum differs from the manifest: the file is damaged, cut short or was "
                                 "changed after the export"))
        return None
    try:
        text = data.decode("utf-8")
        return _Read(json.loads(text, parse_constant=_no_constant), text)
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        problems.append(_problem(what, "不是有效的 JSON（不是 UTF-8 文本）", f"not valid JSON ({e})", line=line))
    except _NotANumber as e:  # before ValueError: it is one
        problems.append(_problem(what, f"不是有效的 JSON（备份中不会出现 {e.name} 这样的数）", f"not valid JSON ({e})"))
    except json.JSONDecodeError as e:
        problems.append(_problem(what, f"不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列）", f"not valid JSON ({e})",
                                 line=e.lineno))
    except (ValueError, RecursionError):  # numbers too long to read, or nested too deeply
        problems.append(_problem(what, "不是有效的 JSON（数字过长或嵌套过深）", "not valid JSON (nested too deeply)"))
    return None


def _no_constant(name: str) -> Any:
    # an export never writes NaN or Infinity (json.dumps of the stored rows): such a file was edited
    raise _NotANumber(name)


# the keys of one file's rows that must be unique, with the table (field) they are in
def _file_keys(doc: AssessmentFile) -> tuple[tuple[str, str, list[Any]], ...]:
    return (("respondent id", "respondents", [r.id for r in doc.respondents]),
            ("respondent name", "respondents", [r.name for r in doc.respondents]),
            ("answer", "answers", [(a.respondent_id, a.item_id, a.round) for a in doc.answers]),
            ("workshop round", "workshop_rounds", [r.round for r in doc.workshop_rounds]),
            ("workshop reveal", "workshop_reveals", [(r.round, r.item_id) for r in doc.workshop_reveals]),
            ("decided item", "workshop_decided", [r.item_id for r in doc.workshop_decided]),
            ("final answer", "final_answers", [a.item_id for a in doc.final_answers]),
            ("action", "actions", [a.item_id for a in doc.actions]),
            ("audit id", "audit", [a.id for a in doc.audit]),
            ("vendor score", "vendor_scores",
             [(v.evaluator, v.vendor_id, v.kind, v.ref_id) for v in doc.vendor_scores]),
            ("vendor cost", "vendor_costs", [(v.vendor_id, v.year, v.part) for v in doc.vendor_costs]),
            ("vendor audit id", "vendor_audit", [a.id for a in doc.vendor_audit]),
            ("phase target", "phase_targets", [t.phase_id for t in doc.phase_targets]))


def _check_file(entry: ManifestEntry, doc: AssessmentFile, where: str) -> list[Problem]:
    """Rules inside one file that the row models cannot see one row at a time."""
    p: list[Problem] = []
    if doc.format_version != FORMAT_VERSION:
        p.append(_problem(where, f"format_version 为 {doc.format_version}，清单中为 {FORMAT_VERSION}",
                          f"format_version {doc.format_version}, the manifest says {FORMAT_VERSION}",
                          field="format_version"))
    if doc.assessment.id != entry.id:
        p.append(_problem(where, f"文件中是评估“{doc.assessment.id}”，清单列出的是“{entry.id}”",
                          f"holds assessment {doc.assessment.id!r}, the manifest lists {entry.id!r}",
                          field="assessment.id"))
    # a backup from before schema version 5 counts no vendor score, cost or audit rows
    if doc.counts() != {k: entry.counts.get(k, 0) for k in TABLES}:
        p.append(_problem(where, f"各表行数 {doc.counts()} 与清单中的 {entry.counts} 不同",
                          f"row counts {doc.counts()} differ from the manifest's {entry.counts}"))
    for what, table, keys in _file_keys(doc):
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        if dupes:
            p.append(_problem(where, f"重复的{_ROW_ZH[what]}：{dupes[:5]}", f"duplicate {what}: {dupes[:5]}",
                              field=table))
    orphans = sorted({a.respondent_id for a in doc.answers} - {r.id for r in doc.respondents})
    if orphans:
        p.append(_problem(where, f"文件中有这些受访者的答案，却没有这些受访者：{orphans[:5]}",
                          f"answers of respondents the file does not hold: {orphans[:5]}", field="answers"))
    return p


def read_backup(folder: str | Path) -> tuple[Manifest, list[AssessmentFile]]:
    """Read and check a backup folder whole; raise BackupError listing every problem."""
    with last_resort(str(folder), BackupError, (BackupError,)):
        return _read_backup(Path(folder))


def _read_manifest(folder: Path) -> Manifest:
    """The folder's manifest, checked; BackupError when there is none that this code reads."""
    problems: list[Problem] = []
    read = _read_json(folder / MANIFEST, MANIFEST, problems)
    if read is None:
        raise BackupError([_problem(folder, f"没有可读的 {MANIFEST}：这不是备份文件夹，或导出没有完成",
                                    f"no readable {MANIFEST}: not a backup folder, or an export that "
                                    "did not finish"), *problems])
    raw = read.raw
    if isinstance(raw, dict) and raw.get("format") == FORMAT and isinstance(raw.get("format_version"), int) \
            and raw["format_version"] > FORMAT_VERSION:
        raise BackupError([_problem(MANIFEST, f"备份格式 {raw['format_version']} 比本程序能读取的格式（{FORMAT_VERSION}）"
                                              "更新；请升级应用程序",
                                    f"backup format {raw['format_version']} is newer than this code reads "
                                    f"({FORMAT_VERSION}); upgrade the application", field="format_version")])
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as e:
        raise BackupError([_problem(folder, f"{MANIFEST} 不是就绪度备份的清单",
                                    f"{MANIFEST} is not a readiness backup manifest"),
                           *_errors(MANIFEST, e, read.text)]) from None
    if manifest.format_version != FORMAT_VERSION:
        raise BackupError([_problem(MANIFEST, f"未知的备份格式 {manifest.format_version}",
                                    f"unknown backup format {manifest.format_version}", field="format_version")])
    return manifest


def _read_backup(folder: Path) -> tuple[Manifest, list[AssessmentFile]]:
    if not folder.is_dir():
        raise BackupError([_problem(folder, "文件夹不存在", "no such folder")])
    manifest = _read_manifest(folder)
    problems: list[Problem] = []
    listed = {_file_name(e.id) for e in manifest.assessments}
    if len(listed) != len(manifest.assessments):
        problems.append(_problem(MANIFEST, "有一项评估在清单中列出了两次", "an assessment is listed twice",
                                 field="assessments"))
    present = {f"{ASSESSMENTS_DIR}/{p.name}" for p in (folder / ASSESSMENTS_DIR).glob("*")} \
        if (folder / ASSESSMENTS_DIR).is_dir() else set()
    for extra in sorted(present - listed):
        problems.append(_problem(extra, "不在清单中（来自另一个备份的文件，或残留的文件）",
                                 "not in the manifest (a file from another backup, or left over)"))

    docs: list[AssessmentFile] = []
    for entry in manifest.assessments:
        where = _file_name(entry.id)
        read = _read_json(folder / where, where, problems, entry.sha256)
        if read is None:
            continue
        try:
            doc = AssessmentFile.model_validate(read.raw)
        except ValidationError as e:
            problems.extend(_errors(where, e, read.text))
            continue
        problems.extend(_check_file(entry, doc, where))
        docs.append(doc)
    problems += _across_files(folder, manifest, docs)
    if problems:
        raise BackupError(problems)
    return manifest, docs


def _across_files(folder: Path, manifest: Manifest, docs: list[AssessmentFile]) -> list[Problem]:
    """The rules across the files: the manifest's totals, and ids no two assessments share."""
    problems: list[Problem] = []
    totals = {"assessments": len(manifest.assessments),
              **{k: sum(e.counts.get(k, 0) for e in manifest.assessments) for k in TABLES}}
    if {k: manifest.counts.get(k, 0) for k in totals} != totals or set(manifest.counts) - set(totals):
        problems.append(_problem(MANIFEST, f"总数 {manifest.counts} 与各条目之和 {totals} 不同",
                                 f"totals {manifest.counts} differ from its entries' {totals}", field="counts"))
    for what, keys in (("respondent id", [r.id for d in docs for r in d.respondents]),
                       ("audit id", [a.id for d in docs for a in d.audit]),
                       ("vendor audit id", [a.id for d in docs for a in d.vendor_audit])):
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        if dupes:
            problems.append(_problem(folder, f"两项评估使用了相同的{_ROW_ZH[what]}：{dupes[:5]}",
                                     f"{what}s used by two assessments: {dupes[:5]}"))
    return problems


def _in_use(conn: Connection, column: sa.Column, values: list[Any]) -> list[Any]:
    found: list[Any] = []
    for i in range(0, len(values), 500):  # bounded IN lists
        chunk = values[i:i + 500]
        found += conn.execute(sa.select(column).where(column.in_(chunk))).scalars().all()
    return sorted(found)


def _advance_sequence(conn: Connection, table: sa.Table) -> None:
    """PostgreSQL: rows inserted with explicit ids leave the id sequence behind; move it past them."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    top = conn.execute(sa.select(sa.func.max(table.c.id))).scalar()
    seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar()
    if top is None or seq is None:
        return
    last, called = conn.execute(sa.text(f"SELECT last_value, is_called FROM {seq}")).one()
    if top >= (last + 1 if called else last):
        conn.execute(sa.text("SELECT setval(:s, :v, true)"), {"s": seq, "v": top})


def _split_older_sheet(conn: Connection, assessment_id: str, row: VendorSheetRow) -> None:
    """A sheet from a backup written before schema version 5 holds its scores and costs: move them into
    their rows, as the migration does for a database."""
    structure, scores, costs = split_sheet(row.sheet)
    if not scores and not costs:
        return
    at = row.updated_at
    conn.execute(vendor_sheets.update().where(vendor_sheets.c.assessment_id == assessment_id)
                 .values(sheet=structure))
    if scores:
        conn.execute(vendor_scores.insert(), [
            {"assessment_id": assessment_id, "evaluator": who, "vendor_id": vid, "kind": kind, "ref_id": ref,
             "score": c.get("score"), "status": c.get("status"), "note": c.get("note"), "updated_at": at}
            for (who, vid, kind, ref), c in scores.items()])
    if costs:
        conn.execute(vendor_costs.insert(), [
            {"assessment_id": assessment_id, "vendor_id": vid, "year": year, "part": part, "amount": amount,
             "updated_at": at} for (vid, year, part), amount in costs.items()])


def _insert_order(docs: list[AssessmentFile]) -> list[AssessmentFile]:
    """Baselines before the re-assessments that point at them (the foreign key is checked at once)."""
    by_id = {d.assessment.id: d for d in docs}
    done: set[str] = set()
    out: list[AssessmentFile] = []

    def visit(d: AssessmentFile, path: tuple[str, ...]) -> None:
        aid = d.assessment.id
        if aid in done or aid in path:
            return
        base = d.assessment.baseline_id
        if base in by_id:
            visit(by_id[base], (*path, aid))
        done.add(aid)
        out.append(d)

    for d in docs:
        visit(d, ())
    return out


def import_all(repo: Repository, folder: str | Path) -> BackupSummary:
    """Load a folder written by export_all into the repository's database, all or nothing."""
    folder = Path(folder)
    _, docs = read_backup(folder)
    ordered = _insert_order(docs)
    ids = [d.assessment.id for d in ordered]
    rids = [r.id for d in ordered for r in d.respondents]
    audit_ids = [a.id for d in ordered for a in d.audit]
    vendor_audit_ids = [a.id for d in ordered for a in d.vendor_audit]
    wanted_bases = {b for d in ordered if (b := d.assessment.baseline_id) is not None} - set(ids)

    def work(conn: Connection) -> None:
        problems: list[Problem] = []
        for what, column, values in (("assessments", assessments.c.id, ids),
                                     ("respondent ids", respondents.c.id, rids),
                                     ("audit ids", audit.c.id, audit_ids),
                                     ("vendor audit ids", vendor_audit.c.id, vendor_audit_ids)):
            clash = _in_use(conn, column, values)
            if clash:
                shown = f"{clash[:5]}{' …' if len(clash) > 5 else ''}"
                problems.append(_problem(folder, f"数据库中已有{_ROW_ZH[what]} {shown}；请导入到空数据库"
                                                 "（或从未导入过此备份的数据库）",
                                         f"the database already holds {what} {shown}; import into an empty "
                                         "database (or one that never held this backup)"))
        missing = sorted(set(wanted_bases) - set(_in_use(conn, assessments.c.id, sorted(wanted_bases))))
        if missing:
            problems.append(_problem(folder, f"复评指向的基线评估既不在备份中，也不在数据库中：{missing[:5]}",
                                     "re-assessments point at baselines neither the backup nor the database "
                                     f"holds: {missing[:5]}"))
        if problems:
            raise BackupError(problems)
        for d in ordered:
            aid = d.assessment.id
            conn.execute(assessments.insert().values(**d.assessment.model_dump()))
            for table, rows in ((respondents, d.respondents), (answers, d.answers),
                                (final_answers, d.final_answers), (actions, d.actions), (audit, d.audit),
                                (vendor_sheets, d.vendor_sheets), (vendor_scores, d.vendor_scores),
                                (vendor_costs, d.vendor_costs), (vendor_audit, d.vendor_audit),
                                (phase_targets, d.phase_targets),
                                (workshop_rounds, d.workshop_rounds), (workshop_reveals, d.workshop_reveals),
                                (workshop_decided, d.workshop_decided)):
                if rows:
                    conn.execute(table.insert(), [{"assessment_id": aid, **r.model_dump()} for r in rows])
            for v in d.vendor_sheets:
                _split_older_sheet(conn, aid, v)
        _advance_sequence(conn, respondents)
        _advance_sequence(conn, audit)
        _advance_sequence(conn, vendor_audit)

    try:
        _run(repo, work, write=True)
    except sa.exc.DBAPIError as e:  # a rule of the database the checks above did not foresee
        raise BackupError([_problem(folder, "数据库拒绝了此备份，未导入任何内容",
                                    f"the database refused the backup, nothing was imported: {e.orig}")]) from None
    totals = {k: sum(len(getattr(d, k)) for d in docs) for k in TABLES}
    return BackupSummary(folder, len(docs), totals)
