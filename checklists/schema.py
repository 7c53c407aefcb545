"""The template format as JSON Schema, generated from the models so editors can autocomplete it."""

from __future__ import annotations

import json

from .model import Template

SCHEMA_ID = "https://readiness.local/checklists/schema.json"


def template_json_schema() -> dict:
    schema = Template.model_json_schema(by_alias=True)
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Readiness checklist template"
    return schema


def template_json_schema_text() -> str:
    return json.dumps(template_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
