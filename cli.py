"""The command line: the same core as the app, behind a second door.

Exit codes: 0 success, 1 validation found problems, 2 bad input (unknown template, bad answers file…).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from checklists import (
    LintReport,
    Template,
    TemplateError,
    YamlProblems,
    custom_dir,
    lint,
    load_all,
    load_template,
    read_yaml_file,
    template_files,
    template_json_schema_text,
)
from scoring import (
    DEFAULT_SPREAD_THRESHOLD,
    AnswersError,
    ComparisonError,
    Confidence,
    allowed_text,
    compare,
    comparison_text,
    load_assessment_file,
    parse_assessment,
    project,
    room_result,
    score,
    score_range,
    target_status,
    term,
    unique_names,
    verdict_label,
)
from vendors import (
    EXAMPLE_SHEET_FILE,
    MC_RUNS,
    MC_SEED,
    VendorSheetError,
    evaluate_vendors,
    load_criteria,
    load_requirements,
    vendor_result_text,
)


class UserError(Exception):
    """A problem the user can fix; printed without a traceback, exit code 2."""


def _templates() -> dict[str, Template]:
    templates, _problems = load_all()
    return templates


def cmd_templates(args: argparse.Namespace) -> int:
    templates, problems = load_all()
    lang = args.lang
    for t in templates.values():
        counts = " ".join(f"{ph.id}={len(ph.items)}" for ph in t.phases)
        print(f"{t.id:<20} v{t.version:<8} {t.title.get(lang)}  [{len(t.items())} items: {counts}]")
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    zh = args.lang == "zh"
    try:
        paths = [Path(p) for p in args.paths] or template_files()
    except OSError as e:  # the custom-template folder cannot be listed
        raise UserError(f"{custom_dir()}：无法列出文件夹：{e.strerror}" if zh
                        else f"{custom_dir()}: cannot list the folder: {e.strerror}") from None
    failed = 0
    for path in paths:
        try:
            t = load_template(path)
        except TemplateError as e:
            failed += 1
            for line in e.texts(args.lang):
                print(line)
            continue
        report = lint(t)
        failed += not report.ok
        for line in _lint_lines(path, t, report, zh):
            print(line)
    return 1 if failed else 0


def _lint_lines(path: Path, t: Template, report: LintReport, zh: bool) -> list[str]:
    """What `validate` says about a template that loaded, in the chosen language."""
    lines = [f"{path}: [{i}] " + ("depends_on 形成循环" if zh else "depends_on forms a cycle")
             for i in report.cycles]
    lines += [f"{path}: [{i}] " + ("永远不会显示：其 depends_on 条件互相矛盾" if zh
                                   else "can never be shown: its depends_on conditions contradict each other")
              for i in report.unreachable]
    status = ("通过" if zh else "ok") if report.ok else ("未通过" if zh else "FAILED")
    lines.append(f"{path}: {status} - {t.id} v{t.version}，{len(t.items())} 项" if zh
                 else f"{path}: {status} - {t.id} v{t.version}, {len(t.items())} items")
    lines += [f"  警告：必备项“{i}”可能被 depends_on 隐藏，其阻断项会因此消失" if zh
              else f"  warning: must item '{i}' can be hidden by depends_on, so its blocker can disappear"
              for i in report.hideable_musts]
    caps = ("，" if zh else ", ").join(f"{k} {v:g}" for k, v in report.max_phase_score.items())
    lines.append(f"  各阶段可达到的最高分：{caps}" if zh else f"  maximum reachable score per phase: {caps}")
    return lines


def _yaml_comment(text: str) -> str:
    return " ".join(text.split())


def skeleton_text(t: Template, lang: str = "en") -> str:
    """An answers file with every item unanswered, its question and allowed values as comments."""
    lines = [
        f"# {t.title.get(lang)} (v{t.version})",
        "# Fill in each value; leave it empty for unknown. 'na' marks an item not applicable.",
        "# A value may also be a mapping: {value: ..., note: ..., reason: ..., confidence: "
        + "|".join(c.value for c in Confidence) + "}",
        f"template: {t.id}",
        f"template_version: \"{t.version}\"",
        "organisation: \"\"",
        "project: \"\"",
        "assessed_on: \"\"",
        "respondent: \"\"",
        "role: \"\"",
        "answers:",
    ]
    for ph in t.phases:
        lines.append(f"  # ── {ph.title.get(lang)} ({ph.id})")
        for it in ph.items:
            must = " [MUST]" if it.criticality.value == "must" else ""
            lines.append(f"  # {_yaml_comment(it.question.get(lang))}{must}")
            lines.append(f"  # allowed: {allowed_text(it)}")
            if it.depends_on:
                conds = "; ".join(f"{c.item} in {list(c.in_)}" for c in it.depends_on)
                lines.append(f"  # asked only when: {conds}")
            lines.append(f"  {it.id}:")
    lines.append("# Phases out of scope, with a reason, e.g.:")
    lines.append("# out_of_scope: {vendor: \"system already chosen\"}")
    return "\n".join(lines) + "\n"


def cmd_skeleton(args: argparse.Namespace) -> int:
    templates = _templates()
    t = templates.get(args.template_id)
    if t is None:
        raise UserError(f"unknown template '{args.template_id}'; known: {', '.join(sorted(templates))}")
    text = skeleton_text(t, args.lang)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


class Room:
    """A workshop file's room: who took part, their answers, and the agenda their answers make."""

    def __init__(self, participants: list[tuple[str, str]], agenda: list, method: str, agreement=None,
                 role_divergence: list | None = None):
        self.participants, self.agenda, self.method = participants, agenda, method
        # the room's alpha and role divergence (scoring.room_result), for the report
        self.agreement, self.role_divergence = agreement, role_divergence


def _room_file(path: str, templates: dict[str, Template], lang: str = "en"):
    """A workshop file (`respondents:`, as the shipped demo) → its consolidated assessment and room, or
    None for an answers file of one respondent."""
    try:
        doc = read_yaml_file(path).data
    except (YamlProblems, OSError):
        return None  # the answers reader words the problem
    if not isinstance(doc, dict) or not isinstance(doc.get("respondents"), list):
        return None
    template_id = doc.get("template")
    template = templates.get(template_id) if isinstance(template_id, str) else None
    if template is None:
        raise UserError(f"{path}: unknown template {doc.get('template')!r}; known: {', '.join(sorted(templates))}")
    by_respondent, people = {}, []
    for n, person in enumerate(doc["respondents"]):
        if not isinstance(person, dict) or not str(person.get("name") or "").strip():
            raise UserError(f"{path}: [respondents[{n}]] a respondent needs a name")
        name = str(person["name"]).strip()
        try:
            answers = parse_assessment({"template": template.id, "answers": person.get("answers") or {}}, templates)
        except AnswersError as e:
            colon = "：" if lang == "zh" else ": "
            raise UserError("\n".join(f"{path}{colon}[respondents[{n}] {name}] {p}" for p in e.texts(lang))) from None
        by_respondent[name] = answers.answers
        people.append((name, str(person.get("role") or "")))
    # the room as the app and `cli.py workshop` consolidate it (scoring.room_result)
    meta = {k: doc[k] for k in ("organisation", "project", "assessed_on") if isinstance(doc.get(k), str)}
    meta["respondent"] = str(doc.get("facilitator") or "") or None
    room = room_result(template, by_respondent, dict(people), meta=meta)
    several = len(by_respondent) > 1
    return template, room.assessment, Room(people, room.agenda if several else [], room.method,
                                           room.agreement if several else None,
                                           room.role_divergence if several else None)


def _load_scored(path: str, lang: str = "en", *, room: bool = False):
    """The template, assessment and result of an answers file, or of a workshop file's consolidated room
    (with `room=True`, the room too: None for a one-respondent file); its problems worded in `lang`."""
    templates = _templates()
    found = _room_file(path, templates, lang)
    if found is not None:
        template, assessment, the_room = found
    else:
        try:
            assessment = load_assessment_file(path, templates)
        except AnswersError as e:
            raise UserError("\n".join(e.texts(lang))) from None
        template, the_room = templates[assessment.template], None
    result = score(template, assessment)
    return (template, assessment, result, the_room) if room else (template, assessment, result)


def summary_text(t: Template, result, lang: str) -> str:
    """A readable summary of a result; the same numbers as the JSON."""
    def pct(x):
        return "—" if x is None else f"{x:g}%"

    out = [t.title.get(lang), ""]
    overall = "—" if result.overall is None else f"{result.overall:g}"
    out.append(f"{term('overall', lang)}: {overall}/100   {term('verdict', lang)}: "
               f"{verdict_label(t, result.verdict, lang).upper() if result.blocked else verdict_label(t, result.verdict, lang)}")
    if result.blocked:
        out.append(f"{term('blockers', lang)} ({len(result.blockers)}):")
        for g in result.blockers:
            out.append(f"  ✗ {g.item_id}: {g.question.get(lang)}")
    if result.excluded_musts:
        out.append(f"{term('excluded_musts', lang)} ({len(result.excluded_musts)}):")
        for n in result.excluded_musts:
            out.append(f"  ! {n.item_id}: {n.reason or term('no_reason', lang)}")
    done = result.progress  # the questionnaire's progress, the same rule (scoring.answer_progress)
    out.append(f"{term('completion', lang)}: {pct(done.share)} ({done.answered}/{done.applicable})   "
               f"{term('must_coverage', lang)}: {pct(result.must_coverage.share)}   "
               f"{term('nice_coverage', lang)}: {pct(result.nice_coverage.share)}   "
               f"{term('evidence_coverage', lang)}: {pct(result.evidence_coverage)}")
    out.append("")
    for ph in result.phases:
        if not ph.in_scope:
            out.append(f"  {ph.title.get(lang):<14} {term('out_of_scope', lang)}: {ph.out_of_scope_reason or ''}")
            continue
        s = "—" if ph.score is None else f"{ph.score:6.2f}"
        out.append(f"  {ph.title.get(lang):<14} {s}  ({ph.answered}/{ph.applicable})")
    if result.gaps:
        out.append("")
        out.append(f"{term('gaps', lang)} ({len(result.gaps)}):")
        for g in result.gaps[:15]:
            out.append(f"  [{term(g.severity, lang)}] {g.item_id} ({term('impact', lang)} {g.impact:g}): "
                       f"{g.recommendation.get(lang)}")
        if len(result.gaps) > 15:
            out.append(f"  … +{len(result.gaps) - 15}")
    if result.unknowns:
        out.append("")
        out.append(f"{term('unknowns', lang)} ({len(result.unknowns)}): {', '.join(result.unknowns[:20])}"
                   + (" …" if len(result.unknowns) > 20 else ""))
    if result.not_applicable:
        out.append(f"{term('not_applicable', lang)}: " + ", ".join(
            f"{n.item_id}" + (f" ({n.reason})" if n.reason else "") for n in result.not_applicable))
    out.append("")
    out.append(f"fingerprint {result.fingerprint[:16]} · scoring v{result.scoring_version}")
    return "\n".join(out)


def range_text(t: Template, rng, lang: str) -> list[str]:
    """The score range lines of the summary: low–high, the verdicts reachable, the decisive unknowns."""
    if rng.low is None:
        return []
    verdicts = " – ".join(verdict_label(t, v, lang) for v in rng.verdict_range)
    out = [f"{term('score_range', lang)}: {rng.low:g}–{rng.high:g}   {term('verdict_range', lang)}: {verdicts}   "
           + term("verdict_can_change" if rng.verdict_can_change else "verdict_settled", lang)]
    if rng.decisive_unknowns and rng.low != rng.high:
        out.append(f"{term('decisive_unknowns', lang)}:")
        for d in rng.decisive_unknowns[:5]:
            worst = " – ".join(verdict_label(t, v, lang) for v in d.verdict_if_worst)
            out.append(f"  ? {d.item}: ≤ {d.high_if_worst:g} ({worst}) {term('if_worst', lang)}; "
                       f"≥ {d.low_if_best:g} {term('if_best', lang)}")
    return out


def _today(args: argparse.Namespace):
    """The date a projection starts from: --today, else the machine's date."""
    import datetime as dt

    raw = getattr(args, "today", None)
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise UserError(f"--today {raw!r} is not a date (YYYY-MM-DD)") from None


def projection_json(t: Template, assessment, result, today) -> dict:
    """The plan's projection as `score --json` adds it: points, ready-on date, critical path, targets."""
    p = project(t, assessment, assessment.actions, today=today)
    return {"projection": p.to_json_points(), "ready_on": p.ready_on, "projection_from": p.today,
            "critical_path": [a.model_dump(mode="json") for a in p.critical_path],
            "unplanned_blockers": p.unplanned_blockers, "slipped": [a.model_dump(mode="json") for a in p.slipped],
            "targets": [x.model_dump(mode="json") for x in target_status(t, result)]}


def score_json(t: Template, assessment, result) -> str:
    """The result's JSON with the score range beside it: score_range {low, high}, verdict_range,
    verdict_can_change and decisive_unknowns (scoring.score_range); byte-identical for the same input."""
    data = json.loads(result.to_json())
    data.update(score_range(t, assessment).to_cli())
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)


def cmd_score(args: argparse.Namespace) -> int:
    t, a, result = _load_scored(args.answers_file, args.lang)
    today = _today(args)
    if args.json:
        data = json.loads(score_json(t, a, result))
        data.update(projection_json(t, a, result, today))
        print(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))
    else:
        lines = summary_text(t, result, args.lang).split("\n")
        at = next(n for n, line in enumerate(lines) if line.startswith(f"{term('overall', args.lang)}:")) + 1
        print("\n".join(lines[:at] + range_text(t, score_range(t, a), args.lang) + lines[at:]))
        if a.actions:
            p = project(t, a, a.actions, today=today)
            never = "计划无法解除阻断" if args.lang == "zh" else "the plan never lifts the block"
            print(("按计划解除阻断日期：" if args.lang == "zh" else "Ready on, if the plan holds: ")
                  + (p.ready_on or never))
    return 0


def _load_room(paths: list[str], lang: str = "en"):
    """Several respondents' answers files → (template, names, answers by name, roles by name, scope)."""
    templates = _templates()
    loaded = []
    for path in paths:
        try:
            loaded.append((path, load_assessment_file(path, templates)))
        except AnswersError as e:
            raise UserError("\n".join(e.texts(lang))) from None
    ids = sorted({a.template for _p, a in loaded})
    if len(ids) > 1:
        raise UserError(f"the files answer different templates ({', '.join(ids)}); a workshop has one")
    names = unique_names([(a.respondent or "").strip() or Path(p).stem for p, a in loaded])
    out_of_scope: dict[str, str] = {}
    for _p, a in loaded:
        for phase, reason in a.out_of_scope.items():
            out_of_scope.setdefault(phase, reason)
    return (templates[ids[0]], {n: a.answers for n, (_p, a) in zip(names, loaded, strict=False)},
            {n: a.role for n, (_p, a) in zip(names, loaded, strict=False)}, out_of_scope, loaded[0][1])


def workshop_text(t: Template, room, lang: str) -> str:
    """The readable room result: respondents, score and range, agenda, alpha, role divergence, coverage."""
    def num(x):
        return "—" if x is None else f"{x:.3f}"

    out = [f"{term('respondents', lang)} ({len(room.respondents)}): " + ", ".join(
        f"{r.name}" + (f" [{r.role}]" if r.role else "") for r in room.respondents)]
    lines = summary_text(t, room.result, lang).split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith(f"{term('overall', lang)}:")) + 1
    out += lines[:at] + range_text(t, room.range, lang) + lines[at:]
    out += ["", f"{term('agenda', lang)} ({len(room.agenda)}):"]
    for d in room.agenda:
        extra = []
        if d.tie:
            extra.append(f"{term('tie', lang)}: {', '.join(d.tie)}")
        if d.dropped:
            extra.append(f"{term('dropped', lang)}: {', '.join(d.dropped)}")
        if d.missing:
            extra.append(f"{term('missing', lang)}: {', '.join(d.missing)}")
        values = "; ".join(f"{who}: {v}" for who, v in d.values.items())
        out.append(f"  {d.item_id} ({term('spread', lang)} {d.spread:.2f}) {values}"
                   + (f"  [{' · '.join(extra)}]" if extra else ""))
    a = room.agreement
    out += ["", f"{term('alpha', lang)}: {term('all_phases', lang)} {term('ordinal', lang)} {num(a.overall.ordinal_alpha)}"
                f" / {term('nominal', lang)} {num(a.overall.nominal_alpha)}"]
    for p in a.phases:
        out.append(f"  {t.phase(p.phase).title.get(lang):<14} {term('ordinal', lang)} {num(p.ordinal_alpha)} "
                   f"({p.ordinal_units})   {term('nominal', lang)} {num(p.nominal_alpha)} ({p.nominal_units})")
    label = {r.id: r.label.get(lang) for r in t.roles}
    out += ["", f"{term('role_divergence', lang)} ({len(room.role_divergence)}):"]
    for d in room.role_divergence:
        means = ", ".join(f"{label.get(g, g)} {m:.2f}" for g, m in d.means.items())
        out.append(f"  {d.item_id}: {label.get(d.roles[0], d.roles[0])} ↔ {label.get(d.roles[1], d.roles[1])} "
                   f"{d.divergence:.2f}  ({means})")
    if room.owner_coverage:
        out += ["", f"{term('owner_coverage', lang)} ({len(room.owner_coverage)}):"]
        out += [f"  {g.item_id}: {', '.join(label.get(r, r) for r in g.owners)}" for g in room.owner_coverage]
    return "\n".join(out)


def cmd_workshop(args: argparse.Namespace) -> int:
    t, answers, roles, out_of_scope, first = _load_room(args.files, args.lang)
    meta = {"organisation": first.organisation, "project": first.project, "language": first.language}
    room = room_result(t, answers, roles, method=args.method, threshold=args.threshold,
                       out_of_scope=out_of_scope, meta=meta)
    print(room.to_json() if args.json else workshop_text(t, room, args.lang))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = template_json_schema_text()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _report_request(args: argparse.Namespace, t: Template, assessment, result, room: Room | None = None):
    """The one request behind `report` and `export`: the same sections in the PDF, Word and Markdown;
    a workshop file's room adds its participants and disagreement agenda, as the app's report does."""
    from reports import Participant, ReportRequest

    logo = None
    if getattr(args, "logo", None):
        try:
            logo = Path(args.logo).read_bytes()
        except OSError as e:
            raise UserError(f"cannot read the logo {args.logo}: {e.strerror}") from None
    extra: dict = {"score_range": score_range(t, assessment)}
    if room is not None:
        extra |= {"participants": [Participant(name=n, role=r) for n, r in room.participants],
                  "disagreements": room.agenda, "consolidation": room.method,
                  "agreement": room.agreement, "role_divergence": room.role_divergence}
    return ReportRequest(template=t, assessment=assessment, result=result, lang=args.lang, logo=logo,
                         comparison=_baseline_comparison(args.baseline, t, assessment, args.lang),
                         vendors=_vendor_result(args.vendors, args.lang), today=_today(args), **extra)


def cmd_report(args: argparse.Namespace) -> int:
    from reports import ReportError, render_pdf_request

    t, assessment, result, room = _load_scored(args.answers_file, args.lang, room=True)
    request = _report_request(args, t, assessment, result, room)
    try:
        info = render_pdf_request(request)
    except ReportError as e:
        raise UserError(str(e)) from None
    Path(args.output).write_bytes(info.pdf)
    print(f"wrote {args.output}: {info.pages} pages, font {info.font.describe()}")
    return 0


def _baseline_comparison(baseline: str | None, t: Template, assessment, lang: str = "en"):
    """The comparison behind a report's "Progress since" section, when a baseline file is given."""
    if not baseline:
        return None
    old_t, old_a, _ = _load_scored(baseline, lang)
    try:
        return compare(old_t, old_a, t, assessment)
    except ComparisonError as e:
        raise UserError(e.text(lang)) from None


def _vendor_result(sheet_file: str | None, lang: str):
    """The comparison behind a report's vendor section, when a vendor sheet is given."""
    if not sheet_file:
        return None
    from sheets import read_sheet

    try:
        sheet = read_sheet(sheet_file)
    except VendorSheetError as e:
        raise UserError("\n".join(e.texts(lang))) from None
    return evaluate_vendors(sheet, load_requirements(), load_criteria())


def cmd_export(args: argparse.Namespace) -> int:
    from reports import EXPORT_FORMATS, ReportError, render_request

    t, assessment, result, room = _load_scored(args.answers_file, args.lang, room=True)
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    request = _report_request(args, t, assessment, result, room)
    try:
        if fmt not in EXPORT_FORMATS:
            raise ReportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        data = render_request(request, fmt)
    except ReportError as e:
        raise UserError(str(e)) from None
    Path(args.output).write_bytes(data)
    what = "gap list" if fmt in ("csv", "xlsx") else "report"
    print(f"wrote {args.output}: {what}, {len(result.gaps)} gaps")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """export-all / import-all: every assessment between the database and a folder of JSON files."""
    from storage import BackupError, StorageError, export_all, import_all, open_repository

    exporting = args.command == "export-all"
    move = export_all if exporting else import_all
    verb = ("已导出" if exporting else "已导入") if args.lang == "zh" else ("exported" if exporting else "imported")
    try:
        print(f"{verb} {move(open_repository(), args.dir).text(args.lang)}")
    except BackupError as e:
        raise UserError("\n".join(e.texts(args.lang))) from None
    except (StorageError, OSError) as e:
        raise UserError(str(e)) from None
    return 0


def cmd_vendors(args: argparse.Namespace) -> int:
    from services import vendor_sheet  # the same use case as the vendor page: read a sheet, compare

    try:
        result = vendor_sheet.compare_file(args.sheet_file, runs=args.runs, seed=args.seed)
    except vendor_sheet.SheetRefused as e:
        raise UserError("\n".join(e.texts(args.lang))) from None
    print(result.to_json() if args.json else vendor_result_text(result, args.lang))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    old_t, old_a, _ = _load_scored(args.old, args.lang)
    new_t, new_a, _ = _load_scored(args.new, args.lang)
    try:
        cmp = compare(old_t, old_a, new_t, new_a)
    except ComparisonError as e:
        raise UserError(e.text(args.lang)) from None
    print(cmp.to_json() if args.json else comparison_text(cmp, new_t, args.lang))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cli.py", description="Readiness checklists: validate, score, report.")
    sub = p.add_subparsers(dest="command", required=True)
    _add_assessment_commands(sub)
    _add_document_commands(sub)
    _add_data_commands(sub)
    return p


def _add_assessment_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """templates, validate, skeleton, score, workshop."""
    s = sub.add_parser("templates", help="list templates with item counts per phase")
    s.add_argument("--lang", choices=["zh", "en"], default="en")
    s.set_defaults(func=cmd_templates)

    s = sub.add_parser("validate", help="validate templates (default: every shipped and custom one)")
    s.add_argument("paths", nargs="*", help="template files")
    s.add_argument("--lang", choices=["zh", "en"], default="en", help="the language of the problems it reports")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("skeleton", help="write an empty answers file for a template")
    s.add_argument("template_id")
    s.add_argument("-o", "--output", help="file to write (default: standard output)")
    s.add_argument("--lang", choices=["zh", "en"], default="en")
    s.set_defaults(func=cmd_skeleton)

    s = sub.add_parser("score", help="score an answers file (YAML or JSON)")
    s.add_argument("answers_file")
    s.add_argument("--json", action="store_true", help="print the full result as JSON")
    s.add_argument("--lang", choices=["zh", "en"], default="en")
    s.add_argument("--today", help="the date the plan's projection starts from (YYYY-MM-DD; default: today)")
    s.set_defaults(func=cmd_score)

    s = sub.add_parser("workshop", help="consolidate several respondents' answers files into the room's result")
    s.add_argument("files", nargs="+", metavar="FILE", help="one answers file per respondent (YAML or JSON)")
    s.add_argument("--method", choices=["mean", "min"], default="mean", help="how answers combine")
    s.add_argument("--threshold", type=float, default=DEFAULT_SPREAD_THRESHOLD,
                   help="spread at which an item goes on the agenda (0-1)")
    s.add_argument("--json", action="store_true", help="print the room result as JSON")
    s.add_argument("--lang", choices=["zh", "en"], default="en")
    s.set_defaults(func=cmd_workshop)


def _add_document_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """report, export, compare, vendors."""
    s = sub.add_parser("report", help="write the PDF readiness report of an answers file")
    s.add_argument("answers_file")
    s.add_argument("-o", "--output", required=True, help="PDF file to write")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--logo", help="client logo, PNG or JPEG")
    s.add_argument("--baseline", help="an earlier answers file: adds a 'Progress since' section")
    s.add_argument("--vendors", metavar="SHEET", help="a vendor sheet (YAML, CSV, XLSX): adds the vendor comparison")
    s.add_argument("--today", help="the date the plan's projection starts from (YYYY-MM-DD; default: today)")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("export", help="editable export: gap list (csv, xlsx) or report (docx, md)")
    s.add_argument("answers_file")
    s.add_argument("-o", "--output", required=True, help="file to write; its suffix picks the format")
    s.add_argument("--format", choices=["csv", "xlsx", "docx", "md"])
    s.add_argument("--baseline", help="an earlier answers file: adds a 'Progress since' section (docx, md)")
    s.add_argument("--vendors", metavar="SHEET", help="a vendor sheet: adds the vendor comparison (docx, md)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.add_argument("--today", help="the date the plan's projection starts from (YYYY-MM-DD; default: today)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("compare", help="what changed between two assessments of the same template")
    s.add_argument("old")
    s.add_argument("new")
    s.add_argument("--json", action="store_true")
    s.add_argument("--lang", choices=["zh", "en"], default="en")
    s.set_defaults(func=cmd_compare)

    s = sub.add_parser("vendors", help="compare vendors from a vendor sheet (YAML, CSV or XLSX)")
    s.add_argument("sheet_file", nargs="?", default=str(EXAMPLE_SHEET_FILE),
                   help="vendor sheet (default: the shipped example with fictitious vendors)")
    s.add_argument("--json", action="store_true", help="print the full result as JSON")
    s.add_argument("--lang", choices=["zh", "en"], default="en")
    s.add_argument("--runs", type=int, default=MC_RUNS, help="Monte Carlo runs")
    s.add_argument("--seed", type=int, default=MC_SEED, help="Monte Carlo seed")
    s.set_defaults(func=cmd_vendors)


def _add_data_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """export-all, import-all, schema."""
    s = sub.add_parser("export-all", help="every assessment (answers, audit trail, action plan, vendor sheet) "
                                          "as JSON files in a new folder")
    s.add_argument("dir")
    s.add_argument("--lang", choices=["zh", "en"], default="en", help="the language of the problems it reports")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("import-all", help="load a folder written by export-all into the database, all or nothing")
    s.add_argument("dir")
    s.add_argument("--lang", choices=["zh", "en"], default="en", help="the language of the problems it reports")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("schema", help="print (or write) the template format as JSON Schema")
    s.add_argument("-o", "--output", help="file to write, e.g. checklists/schema.json")
    s.set_defaults(func=cmd_schema)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as e:
        print(f"错误：{e}" if getattr(args, "lang", "en") == "zh" else f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0


if __name__ == "__main__":
    sys.exit(main())
