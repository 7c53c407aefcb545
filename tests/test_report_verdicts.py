"""Every verdict (blocked, incomplete, unknown, each level) has its own honest summary sentence and badge
colour. Each case writes an answers file, asks `cli.py score --json` for the verdict, renders the PDF
through `cli.py report`, reads the summary page back and checks the sentence against the JSON."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

import cli
from checklists import AnswerType, Criticality, Template, load_template
from reports import ReportOptions, build_report
from reports.content import num
from reports.wording import NARRATIVE
from scoring import palette, parse_assessment, score, term, verdict_label

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = load_template(ROOT / "checklists" / "sales_funnel.yaml")


def flat(text: str) -> str:
    return "".join(text.split())


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(list(args))
    return code, out.getvalue()


def value_at(t: Template, item, p: float):
    """An answer whose score is near `p`; must items always pass (so the case is not blocked)."""
    full = item.criticality is Criticality.must
    if item.type is AnswerType.status:
        return "yes" if full or p >= 0.75 else "partial" if p >= 0.25 else "no"
    if item.type is AnswerType.scale:
        return 4 if full else round(4 * p)
    if item.type is AnswerType.choice:
        target = 1.0 if full else p
        return min(item.options, key=lambda o: (abs(o.score - target), -o.score)).id
    if item.type is AnswerType.multi:
        opts = sorted(item.options, key=lambda o: -o.score)
        k = len(opts) if full else round(len(opts) * p)
        return [o.id for o in opts[:k]]
    if item.type is AnswerType.number and item.number is not None and item.number.target is not None:
        return item.number.target
    return None


def answers_at(p: float, limit: int | None = None) -> dict[str, object]:
    out = {}
    for it in TEMPLATE.items():
        v = value_at(TEMPLATE, it, p)
        if v is not None:
            out[it.id] = v
        if limit is not None and len(out) >= limit:
            break
    return out


def write(tmp_path: Path, answers: dict[str, object]) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"template": TEMPLATE.id, "organisation": "Acme", "answers": answers},
                                   allow_unicode=True), encoding="utf-8")
    return path


def level_case(level_id: str) -> dict[str, object]:
    """Answers whose verdict is the level `level_id` (searched on a grid of answer strengths)."""
    for step in range(21):
        answers = answers_at(step / 20)
        a = parse_assessment({"template": TEMPLATE.id, "answers": answers}, {TEMPLATE.id: TEMPLATE})
        if score(TEMPLATE, a).verdict == level_id:
            return answers
    raise AssertionError(f"no answer strength reaches the level {level_id}")


def blocked_case() -> dict[str, object]:
    answers = answers_at(0.9)
    must = next(it for it in TEMPLATE.items() if it.criticality is Criticality.must and it.type is AnswerType.status)
    return {**answers, must.id: "no"}


CASES = ([pytest.param("blocked", id="blocked"), pytest.param("incomplete", id="incomplete"),
          pytest.param("unknown", id="unknown")]
         + [pytest.param(lv.id, id=f"level-{lv.id}") for lv in TEMPLATE.levels])


def answers_for(kind: str) -> dict[str, object]:
    if kind == "blocked":
        return blocked_case()
    if kind == "incomplete":
        return answers_at(1.0, limit=6)  # six of 80-odd answered, every one of them "yes"
    if kind == "unknown":
        return {}
    return level_case(kind)


def summary_page(pdf: Path, heading: str) -> str:
    pages = [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]
    return next(p for p in pages if flat(heading) in flat(p) and flat(term("verdict", "en")) in flat(p)
                or flat(heading) in flat(p) and "结论" in p)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", CASES)
def test_each_verdict_has_its_own_honest_summary(kind: str, lang: str, tmp_path: Path):
    path = write(tmp_path, answers_for(kind))
    code, out = run("score", str(path), "--json")
    assert code == 0
    js = json.loads(out)
    assert js["verdict"] == kind
    assert run("report", str(path), "-o", str(tmp_path / "r.pdf"), "--lang", lang)[0] == 0

    a = parse_assessment(yaml.safe_load(path.read_text(encoding="utf-8")), {TEMPLATE.id: TEMPLATE})
    data = build_report(TEMPLATE, a, score(TEMPLATE, a), ReportOptions(lang=lang))
    page = flat(summary_page(tmp_path / "r.pdf", data.summary.heading))
    sentence = flat(data.summary.narrative[0])
    assert sentence in page, "the verdict sentence is on the summary page"
    assert flat(verdict_label(TEMPLATE, js["verdict"], lang)) in page, "the badge names the verdict"
    overall = num(js["overall"]) if js["overall"] is not None else None
    levels = [lv.label.get(lang) for lv in TEMPLATE.levels]
    no_gaps = "Nogapswerefound" if lang == "en" else "没有发现差距"
    colours = {"blocked": palette.BLOCKED, "incomplete": palette.INCOMPLETE, "unknown": palette.UNKNOWN}
    ids = [lv.id for lv in TEMPLATE.levels]
    expected = colours[kind] if kind in colours else palette.level_colour(ids.index(kind), len(ids))
    assert data.summary.colour == expected
    if kind == "blocked":
        assert overall in sentence and str(len(js["blockers"])) in sentence
        # the blockers' box stands above the sentence: it says so
        assert ("listedabove" if lang == "en" else "见上方列表") in sentence
        assert ("(listedbelow)" if lang == "en" else "见下方列表") not in page
    elif kind == "incomplete":
        done = js["progress"]
        assert overall in sentence and str(done["answered"]) in sentence and str(done["applicable"]) in sentence
        # an incomplete verdict never names a level as its verdict, nor claims no gaps over a few answers
        assert not any(flat(lv) in sentence for lv in levels)
        assert no_gaps not in page
        follows = flat(NARRATIVE["not_blocked"].get(lang).split("{")[0])
        assert follows not in page
        assert data.summary.colour not in {palette.level_colour(i, len(levels)) for i in range(len(levels))}
    elif kind == "unknown":
        assert js["overall"] is None and not any(flat(lv) in sentence for lv in levels)
    else:
        label = verdict_label(TEMPLATE, kind, lang)
        assert overall in sentence and flat(label) in sentence
        assert flat(verdict_label(TEMPLATE, "incomplete", lang)) not in sentence
        assert flat(verdict_label(TEMPLATE, "blocked", lang)) not in page.split(flat(data.summary.heading))[1][:40]
