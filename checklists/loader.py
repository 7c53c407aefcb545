"""YAML templates → validated `Template` models, with every problem located as file:line [field]."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import Problem, TemplateError
from .model import NA, PHASE_IDS, SCALE_MAX, AnswerType, Template
from .yamlsafe import YamlDocument, YamlProblems, read_yaml_file

SHIPPED_DIR = Path(__file__).resolve().parent
CUSTOM_DIR_ENV = "READINESS_TEMPLATES_DIR"
# Vendor-selection content lives beside the templates but is not a readiness template.
NOT_TEMPLATES = {"requirements.yaml", "criteria.yaml", "vendors_example.yaml"}


def custom_dir() -> Path:
    return Path(os.environ.get(CUSTOM_DIR_ENV) or SHIPPED_DIR / "custom")


def template_files() -> list[Path]:
    """Shipped templates first, then the users' own, each folder sorted by name."""
    files = sorted(p for p in SHIPPED_DIR.glob("*.yaml") if p.name not in NOT_TEMPLATES)
    cdir = custom_dir()
    if cdir.is_dir():
        files += sorted(p for p in cdir.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    return files


def _plain(err: dict[str, Any]) -> str:
    """Pydantic's message in words an author understands."""
    kind = err["type"]
    loc = err["loc"]
    last = loc[-1] if loc else ""
    ctx = err.get("ctx", {})
    if kind == "extra_forbidden":
        return f"unknown key '{last}'"
    if kind == "missing":
        if last in ("zh", "en"):
            return f"missing translation '{last}'"
        return f"missing required field '{last}'"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')} (got {err.get('input')!r})"
    if kind == "literal_error" and last == "id":
        return f"phase '{err.get('input')}' is not one of the five phases: {', '.join(PHASE_IDS)}"
    if kind == "string_pattern_mismatch":
        return f"'{err.get('input')}' is not a valid id (lowercase letters, digits, _ and dots)"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"{err['msg']} (got {err.get('input')!r})" if "input" in err and not isinstance(
        err.get("input"), (dict, list)) else err["msg"]


def _pydantic_problems(doc: YamlDocument, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        out.append(doc.problem(loc, _plain(err)))
    return out


def _semantic_problems(doc: YamlDocument, t: Template) -> list[Problem]:
    """Cross-field rules pydantic cannot see one field at a time; all reported together."""
    problems: list[Problem] = []
    got = [p.id for p in t.phases]
    if got != list(PHASE_IDS):
        problems.append(doc.problem(("phases",),
                                    f"phases must be exactly {', '.join(PHASE_IDS)} in this order "
                                    f"(found {', '.join(got) or 'none'})"))
    prev = None
    seen_levels: set[str] = set()
    for i, lv in enumerate(t.levels):
        if lv.id in seen_levels:
            problems.append(doc.problem(("levels", i, "id"), f"duplicate level id '{lv.id}'"))
        seen_levels.add(lv.id)
        if prev is not None and lv.min_score <= prev:
            problems.append(doc.problem(("levels", i, "min_score"),
                                        f"thresholds out of order: {lv.min_score} is not above {prev}"))
        prev = lv.min_score
    if t.levels and t.levels[0].min_score != 0:
        problems.append(doc.problem(("levels", 0, "min_score"), "the first level must start at 0"))
    if t.default_scale_labels is not None and len(t.default_scale_labels) != SCALE_MAX + 1:
        problems.append(doc.problem(("default_scale_labels",),
                                    f"a scale needs exactly {SCALE_MAX + 1} labels"))

    where: dict[str, tuple[Any, ...]] = {}
    for pi, ph in enumerate(t.phases):
        sections = {s.id for s in ph.sections}
        for ii, it in enumerate(ph.items):
            path = ("phases", pi, "items", ii)
            if it.id in where:
                first = doc.line_of(where[it.id] + ("id",))
                problems.append(doc.problem(path + ("id",), f"duplicate item id '{it.id}' (first on line {first})"))
                continue
            where[it.id] = path
            if it.phase_id != ph.id:
                problems.append(doc.problem(path + ("id",),
                                            f"item id '{it.id}' must start with its phase '{ph.id}.'"))
            if sections and it.section_id not in sections:
                problems.append(doc.problem(path + ("id",),
                                            f"section '{it.section_id}' of '{it.id}' is not declared in "
                                            f"phase '{ph.id}' (declared: {', '.join(sorted(sections))})"))

    items = {it.id: it for it in t.items()}
    order = {it.id: n for n, it in enumerate(t.items())}
    for item_id, path in where.items():
        it = items[item_id]
        for ci, cond in enumerate(it.depends_on):
            cpath = path + ("depends_on", ci)
            target = items.get(cond.item)
            if target is None:
                problems.append(doc.problem(cpath + ("item",),
                                            f"depends_on names '{cond.item}', which is not an item of this template"))
                continue
            if target.id == it.id:
                problems.append(doc.problem(cpath + ("item",), "an item cannot depend on itself"))
                continue
            if target.type in (AnswerType.number, AnswerType.text):
                problems.append(doc.problem(cpath + ("item",),
                                            f"depends_on cannot use '{cond.item}': {target.type.value} answers "
                                            "have no fixed values"))
                continue
            if order[target.id] > order[it.id]:
                problems.append(doc.problem(cpath + ("item",),
                                            f"'{cond.item}' comes after '{it.id}'; an item may only depend on an "
                                            "earlier one, so the questionnaire reads top to bottom"))
            allowed = list(target.allowed_values()) + ([NA] if target.allow_na else [])
            for v in cond.in_:
                if v not in allowed:
                    problems.append(doc.problem(cpath + ("in",),
                                                f"'{v}' is not a possible answer of '{cond.item}' "
                                                f"(allowed: {', '.join(map(str, allowed))})"))
    return problems


def parse_template(doc: YamlDocument) -> Template:
    if not isinstance(doc.data, dict):
        raise TemplateError([doc.problem((), "a template must be a mapping of keys (id, title, phases, …)")])
    try:
        t = Template.model_validate(doc.data)
    except ValidationError as e:
        raise TemplateError(_pydantic_problems(doc, e)) from None
    problems = _semantic_problems(doc, t)
    if problems:
        raise TemplateError(problems)
    return t


def load_template(path: str | Path) -> Template:
    """Load and fully validate one template file; raise `TemplateError` listing every problem."""
    try:
        doc = read_yaml_file(path)
    except YamlProblems as e:
        raise TemplateError(e.problems) from None
    return parse_template(doc)


def load_all(paths: list[Path] | None = None) -> tuple[dict[str, Template], list[Problem]]:
    """Every template that loads, plus the problems of those that don't (a bad custom file never
    hides the good ones)."""
    templates: dict[str, Template] = {}
    problems: list[Problem] = []
    for p in paths if paths is not None else template_files():
        try:
            t = load_template(p)
        except TemplateError as e:
            problems.extend(e.problems)
            continue
        if t.id in templates:
            problems.append(Problem(str(p), None, "id", f"template id '{t.id}' is already used by another file"))
            continue
        templates[t.id] = t
    return templates, problems


_FINGERPRINTS: dict[int, tuple[Template, str]] = {}


def template_fingerprint(t: Template) -> str:
    """Hash of the template's content (not its formatting), so a report names what it scored."""
    # templates are frozen, so the hash of one object never changes; keep it (the object too, so its
    # id cannot be reused by another)
    hit = _FINGERPRINTS.get(id(t))
    if hit is not None and hit[0] is t:
        return hit[1]
    canon = json.dumps(t.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
    fp = hashlib.sha256(canon.encode("utf-8")).hexdigest()
    if len(_FINGERPRINTS) > 256:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(t)] = (t, fp)
    return fp
