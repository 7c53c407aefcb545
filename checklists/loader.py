"""YAML templates → validated `Template` models, with every problem located as file:line [field]."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from settings import TEMPLATES_DIR_ENV, templates_dir

from .answer_types import NA, SCALE_MAX
from .base import Text
from .errors import Problem, TemplateError, last_resort, plain_words
from .model import PHASE_IDS, Template
from .yamlsafe import YamlDocument, YamlProblems, read_yaml_file

SHIPPED_DIR = Path(__file__).resolve().parent
CUSTOM_DIR_ENV = TEMPLATES_DIR_ENV


def custom_dir() -> Path:
    return Path(templates_dir() or SHIPPED_DIR / "custom")


def template_files() -> list[Path]:
    """Shipped templates first, then the users' own, each folder sorted by name."""
    return _shipped_files() + _custom_files()


def _shipped_files() -> list[Path]:
    return sorted(p for p in SHIPPED_DIR.glob("*.yaml"))


def _custom_files() -> list[Path]:
    cdir = custom_dir()
    if cdir.is_dir():
        return sorted(p for p in cdir.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    return []


def _pydantic_problems(doc: YamlDocument, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        out.append(doc.problem(loc, plain_words(err, PHASE_IDS)))
    return out


def _seq(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _finite_number(value: Any) -> bool:
    """A real number to compare; bools, text, inf and nan are left to the field checks."""
    if isinstance(value, bool):
        return False
    # a huge int cannot become a float (math.isfinite would raise), but it compares exactly
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _structure_problems(doc: YamlDocument) -> list[Problem]:
    """Cross-field rules over the raw document: phase order, thresholds, item ids, depends_on targets.

    They read the YAML as written (skipping what is malformed), so they are reported together with the
    field-level problems instead of only after those are fixed.
    """
    data = _map(doc.data)
    problems: list[Problem] = []
    phases = [_map(ph) for ph in _seq(data.get("phases"))]
    got = [str(ph.get("id")) for ph in phases]
    if got != list(PHASE_IDS):
        problems.append(doc.problem(("phases",), Text(
            zh=f"阶段必须正好是 {', '.join(PHASE_IDS)}，且按此顺序（实际为 {', '.join(got) or '无'}）",
            en=f"phases must be exactly {', '.join(PHASE_IDS)} in this order (found {', '.join(got) or 'none'})")))
    problems += _level_problems(doc, data)

    where: dict[str, tuple[Any, ...]] = {}
    for pi, ph in enumerate(phases):
        sections = {sid for sec in _seq(ph.get("sections")) if isinstance(sid := _map(sec).get("id"), str)}
        for ii, it in enumerate(_seq(ph.get("items"))):
            item_id = _map(it).get("id")
            if not isinstance(item_id, str):
                continue
            path = ("phases", pi, "items", ii)
            if item_id in where:
                first = doc.line_of(where[item_id] + ("id",))
                problems.append(doc.problem(path + ("id",), Text(
                    zh=f"重复的检查项 id“{item_id}”（首次出现在第 {first} 行）",
                    en=f"duplicate item id '{item_id}' (first on line {first})")))
                continue
            where[item_id] = path
            parts = item_id.split(".")
            if parts[0] != ph.get("id"):
                problems.append(doc.problem(path + ("id",), Text(
                    zh=f"检查项 id“{item_id}”必须以所属阶段“{ph.get('id')}.”开头",
                    en=f"item id '{item_id}' must start with its phase '{ph.get('id')}.'")))
            section = parts[1] if len(parts) > 2 else None
            if sections and section not in sections:
                declared = ", ".join(sorted(str(x) for x in sections))
                problems.append(doc.problem(path + ("id",), Text(
                    zh=f"“{item_id}”的分组“{section}”未在阶段“{ph.get('id')}”中声明（已声明：{declared}）",
                    en=f"section '{section}' of '{item_id}' is not declared in "
                       f"phase '{ph.get('id')}' (declared: {declared})")))

    problems += _depends_on_problems(doc, where)
    return problems


def _level_problems(doc: YamlDocument, data: dict[str, Any]) -> list[Problem]:
    """Level ids are unique; thresholds rise and the first starts at 0."""
    problems: list[Problem] = []
    prev = None
    seen_levels: set[str] = set()
    levels = [_map(lv) for lv in _seq(data.get("levels"))]
    for i, lv in enumerate(levels):
        level_id = lv.get("id")
        # only text ids are compared: any other type (a list is unhashable) is the field check's to report
        if isinstance(level_id, str):
            if level_id in seen_levels:
                problems.append(doc.problem(("levels", i, "id"), Text(zh=f"重复的等级 id“{level_id}”",
                                                                      en=f"duplicate level id '{level_id}'")))
            seen_levels.add(level_id)
        score = lv.get("min_score")
        if not _finite_number(score):
            continue
        if prev is not None and score <= prev:
            problems.append(doc.problem(("levels", i, "min_score"), Text(
                zh=f"阈值顺序错误：{score} 不大于 {prev}", en=f"thresholds out of order: {score} is not above {prev}")))
        prev = score
    if levels and _finite_number(levels[0].get("min_score")) and levels[0]["min_score"] != 0:
        problems.append(doc.problem(("levels", 0, "min_score"), Text(zh="第一个等级必须从 0 开始",
                                                                     en="the first level must start at 0")))
    return problems


def _depends_on_problems(doc: YamlDocument, where: dict[str, tuple[Any, ...]]) -> list[Problem]:
    """Every depends_on names an earlier item of the template, not the item itself."""
    problems: list[Problem] = []
    order = {item_id: n for n, item_id in enumerate(where)}
    for item_id, path in where.items():
        raw = _map(doc.data)["phases"][path[1]]["items"][path[3]].get("depends_on")
        conditions = [raw] if isinstance(raw, dict) else _seq(raw)
        for ci, cond in enumerate(conditions):
            target = _map(cond).get("item")
            cpath = path + ("depends_on", ci, "item")
            if not isinstance(target, str):
                continue
            if target not in where:
                problems.append(doc.problem(cpath, Text(
                    zh=f"depends_on 指向的“{target}”不是本模板的检查项",
                    en=f"depends_on names '{target}', which is not an item of this template")))
            elif target == item_id:
                problems.append(doc.problem(cpath, Text(zh="检查项不能依赖自身", en="an item cannot depend on itself")))
            elif order[target] > order[item_id]:
                problems.append(doc.problem(cpath, Text(
                    zh=f"“{target}”位于“{item_id}”之后；检查项只能依赖前面的检查项，问卷才能自上而下阅读",
                    en=f"'{target}' comes after '{item_id}'; an item may only depend on an earlier one, so the "
                       "questionnaire reads top to bottom")))
    return problems


def _answer_rule_problems(doc: YamlDocument, t: Template) -> list[Problem]:
    """depends_on rules that need each item's answer type: fixed values, and values it can take."""
    problems: list[Problem] = []
    if t.default_scale_labels is not None and len(t.default_scale_labels) != SCALE_MAX + 1:
        problems.append(doc.problem(("default_scale_labels",), Text(zh=f"量表需要正好 {SCALE_MAX + 1} 个标签",
                                                                    en=f"a scale needs exactly {SCALE_MAX + 1} labels")))
    items = {it.id: it for it in t.items()}
    for pi, ph in enumerate(t.phases):
        for ii, it in enumerate(ph.items):
            for ci, cond in enumerate(it.depends_on):
                cpath = ("phases", pi, "items", ii, "depends_on", ci)
                target = items.get(cond.item)
                if target is None or target.id == it.id:
                    continue  # reported by the structure pass
                if not target.kind.fixed_values:
                    problems.append(doc.problem(cpath + ("item",), Text(
                        zh=f"depends_on 不能使用“{cond.item}”：{target.type.value} 类型的回答没有固定取值",
                        en=f"depends_on cannot use '{cond.item}': {target.type.value} answers have no fixed values")))
                    continue
                allowed = list(target.allowed_values()) + ([NA] if target.allow_na else [])
                for v in cond.in_:
                    if v not in allowed:
                        problems.append(doc.problem(cpath + ("in",), Text(
                            zh=f"“{v}”不是“{cond.item}”可能的回答（允许：{', '.join(map(str, allowed))}）",
                            en=f"'{v}' is not a possible answer of '{cond.item}' "
                               f"(allowed: {', '.join(map(str, allowed))})")))
    return problems


def _role_problems(doc: YamlDocument, t: Template) -> list[Problem]:
    """Role ids are unique, and every phase, section and item names only declared roles."""
    problems: list[Problem] = []
    ids = [r.id for r in t.roles]
    for ri, r in enumerate(t.roles):
        if r.id in ids[:ri]:
            problems.append(doc.problem(("roles", ri, "id"), f"role '{r.id}' is declared twice"))
    known = ", ".join(dict.fromkeys(ids)) or "none declared (add a 'roles:' list to the template)"
    for pi, ph in enumerate(t.phases):
        tagged: list[tuple[tuple[str | int, ...], list[str]]] = [(("phases", pi, "roles"), ph.roles)]
        tagged += [(("phases", pi, "sections", si, "roles"), sec.roles) for si, sec in enumerate(ph.sections)]
        tagged += [(("phases", pi, "items", ii, "roles"), it.roles or []) for ii, it in enumerate(ph.items)]
        for path, roles in tagged:
            unknown = [r for r in roles if r not in ids]
            if unknown:
                problems.append(doc.problem(path, f"unknown role(s) {', '.join(unknown)}; roles: {known}"))
    return problems


def parse_template(doc: YamlDocument) -> Template:
    """A parsed YAML document → a validated `Template`; raise `TemplateError` listing every problem."""
    with last_resort(doc.file, TemplateError, (TemplateError,)):
        return _parse_template(doc)


def _parse_template(doc: YamlDocument) -> Template:
    if not isinstance(doc.data, dict):
        raise TemplateError([doc.problem((), Text(zh="模板必须是由键（id、title、phases…）组成的映射",
                                                  en="a template must be a mapping of keys (id, title, phases, …)"))])
    structure = _structure_problems(doc)
    try:
        t = Template.model_validate(doc.data)
    except ValidationError as e:
        # field-level and cross-field problems together, in file order, each once
        found = {(p.line, p.field, p.message): p for p in _pydantic_problems(doc, e) + structure}
        raise TemplateError(sorted(found.values(), key=lambda p: (p.line or 0, p.field))) from None
    problems = structure + _answer_rule_problems(doc, t) + _role_problems(doc, t)
    if problems:
        raise TemplateError(problems)
    return t


def load_template(path: str | Path) -> Template:
    """Load and fully validate one template file; raise `TemplateError` listing every problem."""
    with last_resort(str(path), TemplateError, (TemplateError,)):
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
    if paths is None:
        paths = _shipped_files()
        try:
            paths += _custom_files()
        except OSError as e:  # an unreadable custom folder costs its own templates, not the shipped ones
            problems.append(Problem(str(custom_dir()), None, "", f"cannot list the folder: {e.strerror}",
                                    f"无法列出文件夹：{e.strerror}"))
    for p in paths:
        try:
            t = load_template(p)
        except TemplateError as e:
            problems.extend(e.problems)
            continue
        if t.id in templates:
            problems.append(Problem(str(p), None, "id", f"template id '{t.id}' is already used by another file",
                                    f"模板 id“{t.id}”已被另一个文件使用"))
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
