"""Assessments and answers: what an organisation said, keyed by the template's stable item ids."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field, ValidationError

from checklists import (
    ANSWER_KEYS,
    NA,
    PHASE_IDS,
    Criticality,
    Item,
    LocatedError,
    NotAllowed,
    Problem,
    StrictModel,
    Template,
    Text,
    Value,
    YamlProblems,
    clip,
    format_path,
    is_na_word,
    last_resort,
    parse_yaml_text,
    plain_words,
    read_yaml_file,
)

from .limits import length_texts
from .plan import ActionItem, Located, actions_or_problems, actions_to_document

ANSWERS_FORMAT_KEYS = ("template", "template_version", "organisation", "project", "assessed_on",
                       "respondent", "role", "language", "answers", "out_of_scope",
                       "actions")
# the descriptive fields between `template` and `answers` (text, optional)
META_KEYS = ANSWERS_FORMAT_KEYS[1:8]


MUST_NA_NEEDS_REASON = "a must item marked not applicable needs a reason"
MUST_NA_NEEDS_REASON_ZH = "标为不适用的必备项需要说明理由"


class Confidence(str, Enum):  # noqa: UP042 - StrEnum changes str()/format() of members, which texts and exports use
    """How sure a respondent is of an answer, weakest first (a room is as sure as its least sure)."""

    guess = "guess"
    belief = "belief"
    evidence = "evidence"


CONFIDENCE_LABELS: dict[str, Text] = {
    Confidence.guess.value: Text(zh="猜测", en="Guess"),
    Confidence.belief.value: Text(zh="判断", en="Belief"),
    Confidence.evidence.value: Text(zh="有证据", en="Evidence"),
}


class Answer(StrictModel):
    """One item's answer; `value == "na"` marks it not applicable (a reason may say why)."""

    value: Value = None
    note: str | None = None
    reason: str | None = None
    confidence: Confidence | None = None

    @property
    def is_na(self) -> bool:
        return self.value == NA

    @property
    def is_answered(self) -> bool:
        return self.value is not None


class Assessment(StrictModel):
    template: str
    template_version: str | None = None
    organisation: str | None = None
    project: str | None = None
    assessed_on: str | None = None
    respondent: str | None = None
    # the respondent's role in the room ("销售总监 Sales director"), matched to the template's roles
    role: str | None = None
    language: str | None = None
    answers: dict[str, Answer] = Field(default_factory=dict)
    # phase id → reason; such a phase leaves the overall score
    out_of_scope: dict[str, str] = Field(default_factory=dict)
    # the action plan, when the file carries one (it does not change the score)
    actions: list[ActionItem] = Field(default_factory=list)


class AnswersError(LocatedError):
    """An answers file or value that does not fit its template; every problem is listed.

    `located` holds each problem (file, line, field, message in both languages); `problems` their
    English lines, as the command line prints them (without the place for a document given as data,
    which has none)."""

    def __init__(self, located: list[Problem], *, located_text: bool = True):
        super().__init__(located)
        self.problems = [str(p) if located_text else p.message for p in located]
        # str() is the English lines as `problems` words them
        self.args = ("\n".join(self.problems),)


def allowed_words(item: Item) -> Text:
    """The values an item accepts, in words in both languages, for messages and skeleton comments."""
    allowed = item.kind.allowed(item)
    if not item.allow_na:
        return allowed
    return Text(zh=f"{allowed.zh}，或 na（不适用）", en=f"{allowed.en}, na")


def allowed_text(item: Item) -> str:
    """The values an item accepts, in English words (the answers file's comments)."""
    return allowed_words(item).en


def _shown(raw: Any) -> str:
    """A value as quoted in a message, cut to a readable length."""
    return clip(repr(raw))


def normalise_value(item: Item, raw: Any) -> Value:
    """Turn a raw answer into its canonical form, or raise NotAllowed (a ValueError) whose message, in
    both languages, names the item and what it allows."""
    if raw is None:
        return None
    expected = allowed_words(item)
    if is_na_word(raw):
        if not item.allow_na:
            raise NotAllowed(Text(zh=f"“{item.id}”不能标为不适用；应为{expected.zh}",
                                  en=f"'{item.id}' cannot be marked not applicable; expected {expected.en}"))
        return NA
    try:
        return item.kind.normalise(item, raw)
    except NotAllowed as e:
        shown = _shown(raw)
        if e.message is not None:
            raise NotAllowed(Text(zh=f"“{item.id}”：{shown} {e.message.zh}",
                                  en=f"'{item.id}': {shown} {e.message.en}")) from None
        raise NotAllowed(Text(zh=f"“{item.id}”：不接受 {shown}；应为{expected.zh}",
                              en=f"'{item.id}': {shown} is not allowed; expected {expected.en}")) from None


def refusal_text(error: ValueError, lang: str) -> str:
    """A refused value's message in the reader's language."""
    return error.text(lang) if isinstance(error, NotAllowed) else str(error)


def _refuse(zh: str, en: str) -> NotAllowed:
    return NotAllowed(Text(zh=zh, en=en))


def _answer_from_raw(item: Item, raw: Any) -> Answer:
    # a mapping is the answer's fields, unless the type's own answers are mappings without those keys
    if isinstance(raw, dict) and not (item.kind.mapping_value and not set(map(str, raw)) & set(ANSWER_KEYS)):
        unknown = ", ".join(sorted(map(str, set(raw) - set(ANSWER_KEYS))))
        if unknown:
            raise _refuse(f"“{item.id}”：未知的键 {unknown}；允许的键：{', '.join(ANSWER_KEYS)}",
                          f"'{item.id}': unknown key(s) {unknown}; allowed: {', '.join(ANSWER_KEYS)}")
        conf = raw.get("confidence")
        if conf is not None and (not isinstance(conf, str) or conf not in CONFIDENCE_LABELS):
            levels = ", ".join(CONFIDENCE_LABELS)
            raise _refuse(f"“{item.id}”：把握程度 {_shown(conf)} 不是 {levels} 之一",
                          f"'{item.id}': confidence {_shown(conf)} is not one of {levels}")
        for key, zh in (("note", "备注"), ("reason", "理由")):
            if raw.get(key) is not None and not isinstance(raw.get(key), str):
                raise _refuse(f"“{item.id}”：{zh}必须是文本", f"'{item.id}': {key} must be text")
        answer = Answer(value=normalise_value(item, raw.get("value")), note=raw.get("note"),
                        reason=raw.get("reason"), confidence=None if conf is None else Confidence(conf))
    else:
        answer = Answer(value=normalise_value(item, raw))
    if answer.is_na and item.criticality is Criticality.must and not (answer.reason or "").strip():
        raise _refuse(f"“{item.id}”：{MUST_NA_NEEDS_REASON_ZH}", f"'{item.id}': {MUST_NA_NEEDS_REASON}")
    too_long = length_texts(item.id, answer.value, answer.note, answer.reason)
    if too_long:
        raise _refuse("；".join(t.zh for t in too_long), "; ".join(t.en for t in too_long))
    return answer



def _assessment_or_problems(data: Any, templates: dict[str, Template]) -> Assessment | list[Located]:
    """The assessment, or every problem (in both languages) with the path of the field it is about."""
    if not isinstance(data, dict):
        return [((), Text(zh="答案文件必须是包含“template:”和“answers:”的映射",
                          en="an answers file must be a mapping with 'template:' and 'answers:'"))]
    problems: list[Located] = []
    unknown = ", ".join(sorted(set(map(str, data)) - set(ANSWERS_FORMAT_KEYS)))
    allowed = ", ".join(ANSWERS_FORMAT_KEYS)
    if unknown:
        problems.append(((), Text(zh=f"未知的键 {unknown}；允许的键：{allowed}",
                                  en=f"unknown key(s) {unknown}; allowed: {allowed}")))
    tid = data.get("template")
    if not isinstance(tid, str) or tid not in templates:
        known = ", ".join(sorted(templates))
        return problems + [(("template",), Text(zh=f"未知的模板 {_shown(tid)}；已有模板：{known or '无'}",
                                                en=f"unknown template {_shown(tid)}; known templates: {known or 'none'}"))]
    template = templates[tid]
    items = {it.id: it for it in template.items()}
    raw_answers = data.get("answers") or {}
    if not isinstance(raw_answers, dict):
        return problems + [(("answers",), Text(zh="“answers”必须把检查项 id 映射到取值",
                                               en="'answers' must map item ids to values"))]
    answers = _answers_with_problems(raw_answers, items, tid, problems)
    scope = data.get("out_of_scope") or {}
    if not isinstance(scope, dict):
        problems.append((("out_of_scope",), Text(zh="“out_of_scope”必须把阶段 id 映射到理由",
                                                 en="'out_of_scope' must map phase ids to reasons")))
        scope = {}
    for phase, reason in scope.items():
        if phase not in PHASE_IDS:
            phases = ", ".join(PHASE_IDS)
            problems.append((("out_of_scope", phase), Text(
                zh=f"out_of_scope：{_shown(phase)} 不是阶段（{phases}）",
                en=f"out_of_scope: {_shown(phase)} is not a phase ({phases})")))
        elif reason is not None and not isinstance(reason, (str, int, float)):
            problems.append((("out_of_scope", phase), Text(zh=f"out_of_scope：阶段“{phase}”的理由必须是文本",
                                                           en=f"out_of_scope: the reason for '{phase}' must be text")))
    plan, plan_problems = actions_or_problems(data.get("actions"), items, normalise_value)
    problems.extend(plan_problems)
    meta = {k: data.get(k) for k in META_KEYS}
    for k, v in meta.items():
        if v is not None and not isinstance(v, (str, int, float)):
            problems.append(((k,), Text(zh=f"“{k}”必须是文本", en=f"'{k}' must be text")))
        elif v is not None:
            meta[k] = str(v)
    if problems:
        return problems
    try:
        return Assessment(template=tid, answers={k: answers[k] for k in sorted(answers)},
                          out_of_scope={str(k): str(v or "") for k, v in scope.items()}, actions=plan, **meta)
    except ValidationError as e:  # every field was checked above; kept so no shape escapes unnamed
        return [(tuple(err["loc"]), plain_words(err)) for err in e.errors()]


def _answers_with_problems(raw_answers: dict[Any, Any], items: dict[str, Item], tid: str,
                           problems: list[Located]) -> dict[str, Answer]:
    """The answers file's answers that are valid for their items; the refusals are appended to `problems`."""
    answers: dict[str, Answer] = {}
    for key, raw in raw_answers.items():
        item = items.get(str(key))
        if item is None:
            problems.append((("answers", key), Text(zh=f"模板“{tid}”中没有检查项 id“{clip(str(key))}”",
                                                    en=f"unknown item id '{clip(str(key))}' for template '{tid}'")))
            continue
        try:
            answer = _answer_from_raw(item, raw)
        except NotAllowed as e:
            problems.append((("answers", key), e.message or Text(zh=f"取值无效：{e}", en=str(e))))
            continue
        except ValueError as e:  # every rule above words its own refusal; kept so none escapes
            problems.append((("answers", key), Text(zh=f"取值无效：{e}", en=str(e))))
            continue
        if answer != Answer():  # an empty entry (as in a skeleton) is simply unanswered
            answers[item.id] = answer
    return answers


def parse_assessment(data: Any, templates: dict[str, Template]) -> Assessment:
    """Validate an answers document (already parsed from YAML/JSON) against its template."""
    with last_resort("answers", _answers_error, (AnswersError,)):
        result = _assessment_or_problems(data, templates)
    if isinstance(result, Assessment):
        return result
    raise AnswersError([Problem.of("", None, format_path(path), msg) for path, msg in result], located_text=False)


def _answers_error(problems: list[Problem]) -> AnswersError:
    return AnswersError(problems)


def assessment_to_document(a: Assessment) -> dict[str, Any]:
    """The answers-file form of an assessment (the inverse of `parse_assessment`)."""
    doc: dict[str, Any] = {"template": a.template}
    for k in META_KEYS:
        v = getattr(a, k)
        if v is not None:
            doc[k] = v
    answers: dict[str, Any] = {}
    for item_id, ans in sorted(a.answers.items()):
        extra = {k: v for k, v in (("note", ans.note), ("reason", ans.reason),
                                   ("confidence", ans.confidence.value if ans.confidence else None))
                 if v is not None}
        answers[item_id] = {"value": ans.value, **extra} if extra else ans.value
    doc["answers"] = answers
    if a.out_of_scope:
        doc["out_of_scope"] = dict(a.out_of_scope)
    if a.actions:
        doc["actions"] = actions_to_document(a.actions)
    return doc


def _load(doc_of: Any, name: str, templates: dict[str, Template]) -> Assessment:
    """A document read by `doc_of()` → an assessment, or `AnswersError` whose every problem names the
    file, the line where the document has one, and the field: `answers.yaml:12 [answers.x.y]: …`."""
    with last_resort(name, _answers_error, (AnswersError,)):
        try:
            doc = doc_of()
        except YamlProblems as e:
            raise AnswersError(e.problems) from None
        result = _assessment_or_problems(doc.data, templates)
        if isinstance(result, Assessment):
            return result
        raise AnswersError([doc.problem(path, msg) for path, msg in result])


def load_assessment_text(text: str, name: str, templates: dict[str, Template]) -> Assessment:
    """Parse an answers document given as text (YAML, or JSON which YAML reads too)."""
    return _load(lambda: parse_yaml_text(text, name), name, templates)


def load_assessment_file(path: str, templates: dict[str, Template]) -> Assessment:
    """Read and parse an answers file; raise `AnswersError` listing every located problem."""
    return _load(lambda: read_yaml_file(path), str(path), templates)
