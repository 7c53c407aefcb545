"""What the pages do with storage and the core, without Streamlit, so the builders behind download
buttons and editors can be tested as functions (AppTest cannot read a download's bytes)."""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from checklists import LocatedError, Problem, Template, load_all, template_files
from scoring import (
    ActionItem,
    Answer,
    AnswersError,
    Assessment,
    assessment_to_document,
    consolidate,
    load_assessment_text,
    visible_answers,
)
from storage import AssessmentMeta, NotFound, Repository

MAX_UPLOAD_BYTES = 1_000_000


class ImportRefused(LocatedError):
    """An answers file that was not imported; `located` says why (both languages), `problems` in
    English, and nothing stored changed."""

    def __init__(self, located: list[Problem]):
        super().__init__(located)
        self.problems = [str(p) for p in located]


def template_files_signature() -> tuple[tuple[str, int, int], ...]:
    """Which template files there are and when each last changed: a cheap key for caching what
    reading them found (a stat per file, no parsing)."""
    out = []
    for path in template_files():
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def template_problems() -> list[Problem]:
    """The located problems of every template file that cannot be used (the good ones still load)."""
    return load_all()[1]


def room_answers(repo: Repository, assessment_id: str, tpl: Template) -> dict[str, dict[str, Answer]]:
    """Every person's answers as the room may see them: in a blind round, an item not yet revealed is
    left out for everyone (the facilitator included); after a reveal, each person's answer as of the
    revealed round. The one door through which pages, results and reports read others' answers."""
    return visible_answers(repo.round_state(assessment_id), repo.load_rounds(assessment_id), tpl)


def assessment_meta(repo: Repository, assessment_id: str) -> AssessmentMeta:
    """The assessment's metadata; NotFound when no assessment has this id."""
    meta = repo.get_assessment_meta(assessment_id)
    if meta is None:
        raise NotFound(f"no assessment with id {assessment_id!r}")
    return meta


def room_assessment(repo: Repository, assessment_id: str, tpl: Template) -> Assessment:
    """The room's assessment: every respondent's answers (as the room may see them, see room_answers)
    combined by the assessment's setting."""
    meta = assessment_meta(repo, assessment_id)
    answers = consolidate(tpl, room_answers(repo, assessment_id, tpl), meta.settings.method,
                          final=repo.load_final_answers(assessment_id))
    return Assessment(template=tpl.id, template_version=tpl.version, organisation=meta.organisation,
                      project=meta.project, assessed_on=f"{meta.updated_at:%Y-%m-%d}",
                      respondent=meta.facilitator, language=meta.language, answers=answers,
                      out_of_scope=meta.out_of_scope)


def export_document(repo: Repository, assessment_id: str, tpl: Template, respondent: str | None = None) -> str:
    """The answers file (YAML) of one respondent, or of the room when `respondent` is None."""
    if respondent is None:
        doc = room_assessment(repo, assessment_id, tpl)
        doc = doc.model_copy(update={"actions": repo.load_action_plan(assessment_id)})  # the plan travels too
    else:
        meta = assessment_meta(repo, assessment_id)
        # the role travels with the file, so `cli.py workshop` weighs and groups the answers as the app does
        role = next((p.role for p in repo.list_respondents(assessment_id) if p.name == respondent), "") or None
        doc = Assessment(template=tpl.id, template_version=tpl.version, organisation=meta.organisation,
                         project=meta.project, respondent=respondent, role=role, language=meta.language,
                         answers=repo.load_answers(assessment_id).get(respondent, {}),
                         out_of_scope=meta.out_of_scope)
    return yaml.safe_dump(assessment_to_document(doc), allow_unicode=True, sort_keys=False)


def import_document(repo: Repository, assessment_id: str, respondent_id: int, name: str, data: bytes,
                    templates: dict[str, Template], tpl: Template) -> int:
    """Validate and store an answers file as one respondent's answers, all or nothing."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused([Problem(name, None, "", f"the file is larger than {MAX_UPLOAD_BYTES // 1000} kB",
                                     f"文件大于 {MAX_UPLOAD_BYTES // 1000} kB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(name, None, "", "the file is not UTF-8 text", "文件不是 UTF-8 文本")]) from None
    try:
        incoming = load_assessment_text(text, name, templates)
    except AnswersError as e:
        raise ImportRefused(e.located) from None
    if incoming.template != tpl.id:
        raise ImportRefused([Problem(name, None, "template",
                                     f"the file is for template '{incoming.template}', but this assessment uses '{tpl.id}'",
                                     f"文件属于模板“{incoming.template}”，而本评估使用“{tpl.id}”")])
    repo.import_answers(assessment_id, respondent_id, incoming)
    for action in incoming.actions:  # a file carrying a plan sets those actions (one per item)
        repo.save_action(assessment_id, action)
    return len(incoming.answers)


def save_plan_changes(repo: Repository, assessment_id: str,
                      changes: Mapping[str, Mapping[str, object]]) -> list[str]:
    """Store what a person changed in the action plan: per item id, only the fields they edited, each
    written over what is stored now, so two people editing different fields of one action both keep
    theirs. An untouched empty action is not created. Returns the item ids that changed."""
    current = {a.item_id: a for a in repo.load_action_plan(assessment_id)}
    changed = []
    for item_id, fields in changes.items():
        before = current.get(item_id) or ActionItem(item_id=item_id)  # an empty action stays unstored
        after = ActionItem.model_validate({**before.model_dump(), **fields, "item_id": item_id})
        if after == before:
            continue
        repo.save_action(assessment_id, after)
        changed.append(item_id)
    return changed


def start_reassessment(repo: Repository, baseline_id: str, tpl: Template, facilitator: str,
                       copy_answers: bool, facilitator_key: str | None = None) -> str:
    """A new assessment of the same organisation, linked to `baseline_id`; optionally starting from the
    room's answers of the baseline (stored as the facilitator's, so the room can revise them).
    `facilitator_key` guards the new assessment's facilitator powers (the app passes a new one)."""
    meta = assessment_meta(repo, baseline_id)
    new_id = repo.create_assessment(tpl, meta.organisation, meta.project, meta.language, facilitator,
                                    baseline_id=baseline_id, settings=meta.settings,
                                    facilitator_key=facilitator_key)
    rid = repo.join(new_id, facilitator, "")
    if copy_answers:
        base = room_assessment(repo, baseline_id, tpl)
        known = {it.id for it in tpl.items()}  # a newer template version may have dropped items
        answers = {k: v for k, v in base.answers.items() if k in known}
        repo.import_answers(new_id, rid, base.model_copy(update={"answers": answers, "template": tpl.id}))
    for phase_id, reason in meta.out_of_scope.items():
        repo.set_out_of_scope(new_id, phase_id, reason)
    return new_id


def assessment_chain(repo: Repository, assessment_id: str) -> list[str]:
    """Every assessment linked to this one by re-assessment, oldest first."""
    root = assessment_id
    seen = {root}
    while (meta := repo.get_assessment_meta(root)) and meta.baseline_id and meta.baseline_id not in seen:
        root = meta.baseline_id
        seen.add(root)
    chain, todo = [], [root]
    while todo:
        current = todo.pop(0)
        chain.append(current)
        todo.extend(m.id for m in repo.list_reassessments(current) if m.id not in chain)
    metas = {i: assessment_meta(repo, i) for i in chain}
    return sorted(chain, key=lambda i: metas[i].created_at)
