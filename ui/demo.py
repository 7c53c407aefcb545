"""The demo workshop: a fictitious company answered by three people, so a first-time user sees
results, disagreements and gaps in one click."""

from __future__ import annotations

from pathlib import Path

import yaml

from checklists import Template
from scoring import parse_assessment
from storage import Repository, new_secret

DEMO_FILE = Path(__file__).resolve().parent.parent / "checklists" / "demo" / "sales_funnel_demo.yaml"


def create_demo(repo: Repository, templates: dict[str, Template], lang: str) -> tuple[str, str, str]:
    """A new assessment filled from the demo file; returns its id, the facilitator's name and key."""
    doc = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    template = templates[doc["template"]]
    key = new_secret()
    aid = repo.create_assessment(template, doc["organisation"], doc["project"], lang, doc["facilitator"],
                                 facilitator_key=key)
    for person in doc["respondents"]:
        rid = repo.join(aid, person["name"], person["role"])
        answers = parse_assessment({"template": template.id, "answers": person["answers"]}, templates)
        repo.import_answers(aid, rid, answers)
    return aid, doc["facilitator"], key
