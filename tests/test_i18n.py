"""Every UI string exists in Chinese and English, and every key the pages ask for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring import TERMS
from ui.i18n import UI, tr

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(UI))
def test_each_ui_string_has_both_languages(key):
    zh, en = UI[key]
    assert zh.strip() and en.strip()
    assert CJK.search(zh), f"{key}: the Chinese text has no Chinese"
    assert not CJK.search(en), f"{key}: the English text has Chinese in it"
    # the same placeholders on both sides, so a formatted message never loses a number
    assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


@pytest.mark.parametrize("key", sorted(TERMS))
def test_each_scoring_term_has_both_languages(key):
    assert CJK.search(TERMS[key].zh) and not CJK.search(TERMS[key].en)


def test_every_key_the_pages_use_exists():
    used = set()
    for path in list((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]:
        used |= set(re.findall(r"\btr\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in UI and k not in TERMS)
    assert missing == []
    assert tr("results", "zh") == "结果" and tr("results", "en") == "Results"
