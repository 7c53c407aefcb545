"""The report shows the workshop's figures: the score range, alpha per phase and role divergence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from checklists import best_answers, load_all
from reports import ReportRequest, render_request
from reports.content import num
from scoring import Answer, Assessment, parse_assessment, room_result, score, score_range

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "checklists" / "demo" / "sales_funnel_demo.yaml"


def demo_room():
    templates, _ = load_all()
    doc = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    t = templates[doc["template"]]
    answers = {p["name"]: parse_assessment({"template": t.id, "answers": p["answers"]}, templates).answers
               for p in doc["respondents"]}
    return t, room_result(t, answers, {p["name"]: p["role"] for p in doc["respondents"]})


def request(t, room, lang):
    return ReportRequest(template=t, assessment=room.assessment, result=room.result, lang=lang,
                         score_range=room.range, agreement=room.agreement, role_divergence=room.role_divergence,
                         disagreements=room.agenda)


def test_the_room_figures_are_sections_of_the_report_in_both_languages():
    t, room = demo_room()
    en = request(t, room, "en").data()
    assert en.agreement is not None and en.agreement.heading == "Agreement (Krippendorff's alpha)"
    # one row per phase, then all phases, each alpha with the number of items it rests on
    assert [r[0] for r in en.agreement.rows][-1] == "All phases" and len(en.agreement.rows) == 6
    overall = room.agreement.overall
    assert en.agreement.rows[-1][1] == f"{overall.ordinal_alpha:.2f} ({overall.ordinal_units})"
    first = room.role_divergence[0]
    assert "↔" in en.role_divergence.rows[0][1] and en.role_divergence.rows[0][2] == f"{first.divergence * 100:g}"
    assert en.score_range is not None and f"between {round(room.range.low, 1):g} and {round(room.range.high, 1):g}" in en.score_range.intro
    assert "the verdict stays Blocked" in en.score_range.intro  # the demo has blockers answered
    assert len(en.score_range.rows) == min(10, len(room.range.decisive_unknowns))
    zh = request(t, room, "zh").data()
    assert zh.agreement.heading == "评估一致性（Krippendorff α）" and zh.role_divergence.heading == "角色间分歧"
    assert zh.score_range.heading == "得分区间" and "Score range" not in zh.score_range.intro
    md = render_request(request(t, room, "en"), "md").decode("utf-8")
    for heading in ("## Score range", "## Agreement (Krippendorff's alpha)", "## Divergence between roles"):
        assert heading in md


def test_a_settled_score_and_a_single_respondent_add_no_room_sections():
    templates, _ = load_all()
    t = templates["sales_funnel"]
    a = Assessment(template=t.id, answers={k: Answer(value=v) for k, v in best_answers(t).items()})
    rng = score_range(t, a)
    assert rng.low == rng.high
    data = ReportRequest(template=t, assessment=a, result=score(t, a), score_range=rng).data()
    # must NOT happen: a range section for a score that is a point, or room sections without a room
    assert data.score_range is None and data.agreement is None and data.role_divergence is None


def test_cli_report_of_a_workshop_file_carries_the_room_figures(tmp_path):
    out = tmp_path / "room.md"
    res = subprocess.run([sys.executable, str(ROOT / "cli.py"), "export", str(DEMO), "-o", str(out), "--lang", "zh"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    md = out.read_text(encoding="utf-8")
    assert "## 得分区间" in md and "## 评估一致性（Krippendorff α）" in md and "## 角色间分歧" in md


def test_the_apps_report_carries_the_room_figures(app_env):
    from storage import open_repository
    from ui.common import combined_assessment
    from ui.demo import create_demo
    from ui.report_download import report_request

    templates, _ = load_all()
    repo = open_repository()
    aid, _facilitator, _key = create_demo(repo, templates, "en")
    meta = repo.get_assessment_meta(aid)
    tpl = templates[meta.template_id]
    result = score(tpl, combined_assessment(meta, tpl))
    data = report_request(meta, tpl, result, lang="en", logo=None, comparison=None).data()
    assert data.score_range is not None and data.agreement is not None and data.role_divergence is not None
    # the same figures as the offline room over the same answers
    t, room = demo_room()
    assert data.agreement.rows == request(t, room, "en").data().agreement.rows


# -- the workshop's rounds: how each disputed item's spread changed from round 1 to round 2 ------------

GOALS, MATURITY = "strategy.goals.defined", "strategy.goals.maturity"


def _rounds_room(second: bool = True, reveal_second: bool = True):
    """Three people answer round 1 blind; after the reveal, round 2 asks GOALS and MATURITY again: GOALS
    comes together, MATURITY stays apart (one person keeps the round-1 answer)."""
    from ui.common import repository, templates

    tpl = templates()["mini"]
    repo = repository()
    aid = repo.create_assessment(tpl, "Acme", "CRM", "en", "Fiona")
    a, b, c = (repo.join(aid, name) for name in ("Ann", "Bob", "Cy"))
    repo.open_round(aid)
    for who, goals, maturity in ((a, "yes", 4), (b, "no", 0), (c, "partial", 1)):
        repo.save_answer(aid, who, GOALS, Answer(value=goals))
        repo.save_answer(aid, who, MATURITY, Answer(value=maturity))
    repo.reveal(aid, 1, [GOALS, MATURITY])
    if second:
        repo.open_round(aid, [GOALS, MATURITY])
        for who in (a, b, c):
            repo.save_answer(aid, who, GOALS, Answer(value="yes"))
        repo.save_answer(aid, b, MATURITY, Answer(value=3))
        if reveal_second:
            repo.reveal(aid, 2, [GOALS, MATURITY])
    return repo, repo.get_assessment_meta(aid), tpl


def _app_request(repo, meta, tpl, lang):
    from ui.common import combined_result
    from ui.report_download import report_request

    return report_request(meta, tpl, combined_result(meta, tpl), lang=lang, logo=None, comparison=None)


def test_a_room_with_two_rounds_reports_each_items_spread_r1_to_r2_in_pdf_word_and_markdown(app_env):
    import io

    from docx import Document
    from pypdf import PdfReader

    from scoring import convergence

    repo, meta, tpl = _rounds_room()
    expected = convergence(tpl, repo.load_rounds(meta.id), 2, float(meta.settings.spread_threshold),
                           items=(GOALS, MATURITY))
    by_item = {c.item_id: c for c in expected.items}
    # hand-computed: GOALS yes/no/partial (spread 1) → all yes (0): converged; MATURITY 4/0/1 → 4/3/1 stays apart
    assert (by_item[GOALS].before, by_item[GOALS].after, by_item[GOALS].converged) == (1.0, 0.0, True)
    assert by_item[MATURITY].disputed and not by_item[MATURITY].converged
    assert (expected.disputed, expected.converged) == (2, 1)

    def figures(c):
        return f"{num(None if c.before is None else c.before * 100)} → {num(None if c.after is None else c.after * 100)}"

    for lang, heading, counted in (("en", "Convergence from round 1 to round 2", "1 of the 2 disputed items converged"),
                                   ("zh", "第 1 轮 → 第 2 轮的收敛", "2 个有争议的检查项中有 1 个已收敛")):
        request = _app_request(repo, meta, tpl, lang)
        data = request.data()
        assert [s.heading for s in data.convergence] == [heading]
        section = data.convergence[0]
        assert counted in section.intro
        assert [r[1] for r in section.rows] == [figures(by_item[GOALS]), figures(by_item[MATURITY])]
        assert [r[1] for r in section.rows] == ["100 → 0", f"{num(by_item[MATURITY].before * 100)} → "
                                                           f"{num(by_item[MATURITY].after * 100)}"]
        md = render_request(request, "md").decode("utf-8")
        assert f"## {heading}" in md and counted in md
        assert all(figures(c) in md for c in expected.items)
        doc = Document(io.BytesIO(render_request(request, "docx")))
        word = "\n".join([p.text for p in doc.paragraphs]
                         + [cell.text for t in doc.tables for row in t.rows for cell in row.cells])
        assert heading in word and all(figures(c) in word for c in expected.items)
        pdf = "".join("".join((p.extract_text() or "").split())
                      for p in PdfReader(io.BytesIO(render_request(request, "pdf"))).pages)
        assert "".join(heading.split()) in pdf
        assert all("".join(figures(c).split()) in pdf for c in expected.items)


def test_no_convergence_section_without_a_revealed_second_round(app_env):
    # must NOT happen: an empty convergence section for a room that ran one round only
    repo, meta, tpl = _rounds_room(second=False)
    request = _app_request(repo, meta, tpl, "en")
    assert request.convergence is None and request.data().convergence == []
    assert "Convergence" not in render_request(request, "md").decode("utf-8")
    # must NOT happen: round 2's spread in the report before round 2 is revealed (nothing hidden shows)
    repo, meta, tpl = _rounds_room(reveal_second=False)
    assert _app_request(repo, meta, tpl, "en").data().convergence == []
