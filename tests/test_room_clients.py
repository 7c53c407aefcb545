"""A small room through the running app, each respondent a websocket client speaking Streamlit's own
protocol (bench/wsclient.py, the room bench's respondents): they join with the join form, answer on the
largest page, and what is stored afterwards is exactly what each one sent last, per item. No timing
here: bench/room.py measures the same room at 10, 25 and 50."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from support import ROOT

import storage
from checklists import load_template

sys.path.insert(0, str(ROOT / "bench"))  # the room bench's own respondents, reused

import room
from common import start_app, stop_app


def test_three_websocket_respondents_join_answer_and_every_answer_is_stored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'room.db'}"
    tpl = load_template(ROOT / "checklists" / "sales_funnel.yaml")
    repo = storage.open_repository(url)
    aid = repo.create_assessment(tpl, "Bench Co", "room", "en", "Fiona")
    proc, app_url, _ = start_app(tmp_path, {"DATABASE_URL": url, "READINESS_DB_PATH": ""})
    try:
        out = asyncio.run(room.room(app_url, aid, room.app_choice(tpl), 3, 4, (0.1, 0.3), proc.pid))
    finally:
        stop_app(proc)
    ids = {r.name: r.id for r in repo.list_respondents(aid)}
    assert set(ids) == {"Respondent 1", "Respondent 2", "Respondent 3"}  # each joined by the form
    for name, done in zip(out["people"], out["done"], strict=True):
        assert len(done["times"]) == 4  # every click got its page back
        stored = {k: v.answer.value for k, v in repo.load_respondent_answers(aid, ids[name]).items()}
        # must happen: each item's last value sent is stored; must NOT happen: anything else stored
        assert stored == done["sent"]
    storage.dispose_engines(url)
