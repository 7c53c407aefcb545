"""The demo workshop: a fictitious company answered by three people, so a first-time user sees every
page with data in one click: the workshop, results, an action plan, progress since a baseline and a
vendor comparison.

One demo per database: it is found again by its fixed, fictitious names (the demo file's template,
organisation, project and facilitator), so the demo button re-opens it instead of piling up copies.
The visitor joins it as a guest respondent of their own; the facilitator link (a fresh key on every
opening: an earlier visitor's facilitator link of the demo stops working) is shown for those who want
it."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from checklists import Template
from scoring import ActionItem, ActionStatus, parse_assessment, score
from services import room_assessment, vendor_sheet
from storage import Repository

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "checklists" / "demo" / "sales_funnel_demo.yaml"
VENDOR_FILE = ROOT / "vendors" / "vendors_example.yaml"
# the baseline three months earlier said less: these answers were weaker then (the progress page's story)
_WEAKER = {"yes": "partial", "partial": "no"}


def _doc() -> dict[str, Any]:
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


def find_demo(repo: Repository) -> str | None:
    """The demo already stored in this database (the re-assessment of its baseline), or None."""
    doc = _doc()
    found = repo.find_assessments(template_id=doc["template"], organisation=doc["organisation"],
                                  project=doc["project"], facilitator=doc["facilitator"])
    current = [m for m in found if m.baseline_id]
    return current[0].id if current else None


def open_demo(repo: Repository, templates: dict[str, Template], lang: str) -> tuple[str, str]:
    """The demo's id and a facilitator key for it: the stored demo, or a new one when there is none."""
    aid = find_demo(repo)
    if aid is not None:
        return aid, repo.reset_facilitator_key(aid)
    aid, _who, key = create_demo(repo, templates, lang)
    return aid, key


def _baseline_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The same people's answers at the baseline: every third status answer one step weaker."""
    out = copy.deepcopy(answers)
    n = 0
    for item_id, a in out.items():
        value = a.get("value") if isinstance(a, dict) else a
        if isinstance(value, str) and value in _WEAKER:
            n += 1
            if n % 3 == 0:
                if isinstance(a, dict):
                    a["value"] = _WEAKER[value]
                else:
                    out[item_id] = _WEAKER[value]
    return out


def _fill(repo: Repository, aid: str, template: Template, templates: dict[str, Template],
          people: list[dict[str, Any]], baseline: bool) -> None:
    for person in people:
        rid = repo.join(aid, person["name"], person["role"])
        answers = _baseline_answers(person["answers"]) if baseline else person["answers"]
        repo.import_answers(aid, rid, parse_assessment({"template": template.id, "answers": answers}, templates))


def create_demo(repo: Repository, templates: dict[str, Template], lang: str, *,
                full: bool = True) -> tuple[str, str, str]:
    """A new demo: a baseline and its re-assessment filled from the demo file, an action plan on the
    re-assessment's largest gaps and the example vendor sheet; returns the re-assessment's id, the
    facilitator's name and key. `full=False`: the answered workshop alone (one assessment)."""
    from storage import new_secret

    doc = _doc()
    template = templates[doc["template"]]
    baseline = None
    if full:
        baseline = repo.create_assessment(template, doc["organisation"], doc["project"], lang, doc["facilitator"],
                                          facilitator_key=new_secret())
        _fill(repo, baseline, template, templates, doc["respondents"], baseline=True)
    key = new_secret()
    aid = repo.create_assessment(template, doc["organisation"], doc["project"], lang, doc["facilitator"],
                                 baseline_id=baseline, facilitator_key=key)
    _fill(repo, aid, template, templates, doc["respondents"], baseline=False)
    if full:
        _plan(repo, aid, template, [p["name"] for p in doc["respondents"]])
        vendor_sheet.import_sheet(repo, aid, VENDOR_FILE.name, VENDOR_FILE.read_bytes(), who=doc["facilitator"])
    return aid, doc["facilitator"], key


def _plan(repo: Repository, aid: str, template: Template, people: list[str]) -> None:
    """Owners, due dates and statuses for the eight largest gaps (blockers first)."""
    result = score(template, room_assessment(repo, aid, template))
    gaps = sorted(result.gaps, key=lambda g: (not g.blocker, -g.impact))[:8]
    today = dt.date.today()
    statuses = [ActionStatus.in_progress, ActionStatus.open, ActionStatus.done, ActionStatus.open]
    for n, g in enumerate(gaps):
        repo.save_action(aid, ActionItem(item_id=g.item_id, owner=people[n % len(people)],
                                         due=(today + dt.timedelta(days=30 * (1 + n // 3))).isoformat(),
                                         status=statuses[n % len(statuses)]))
