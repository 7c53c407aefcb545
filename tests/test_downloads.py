"""A download button offers only the file matching what is selected now, for the assessment open now:
switching the report language or the assessment (a re-assessment) never offers a file built before."""

from __future__ import annotations

import io

import pypdf
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from support import create, field, join, new_app, ok


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[bytes, str | None]]:
    """Every file the app hands to Streamlit's media storage, by file id: (bytes, file name)."""
    files: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def load(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (bytes(path_or_data), filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load)
    return files


def page(at: AppTest, name: str) -> AppTest:
    return ok(at.switch_page(f"ui/{name}.py").run())


def offered_pdf(at: AppTest, served) -> tuple[bytes, str] | None:
    """The PDF the results page offers now (bytes and file name), or None."""
    buttons = [b.proto for b in at.get("download_button") if "download_pdf::" in b.proto.id]
    if not buttons:
        return None
    (button,) = buttons
    file_id = button.url.rsplit("/", 1)[-1].split(".")[0]
    data, name = served[file_id]
    return data, name or ""


def pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def build(at: AppTest, aid: str) -> AppTest:
    return ok(at.button(key=f"build_pdf::{aid}").click().run())


def test_switching_language_or_assessment_never_offers_a_stale_pdf(app_env, served):
    at = new_app(lang="en")
    first = create(at, org="Acme")
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("no").run()
    page(at, "results")
    assert offered_pdf(at, served) is None

    ok(at.radio(key=f"report_lang::{first}").set_value("zh").run())
    build(at, first)
    data, name = offered_pdf(at, served)
    assert name == "readiness-Acme-zh.pdf"
    assert "就绪" in pdf_text(data) and "Readiness report" not in pdf_text(data)
    zh_pdf = data

    # switch the language: the Chinese file must NOT be offered (under any name) until built again
    ok(at.radio(key=f"report_lang::{first}").set_value("en").run())
    assert offered_pdf(at, served) is None
    assert any("does not match what is selected now" in c.value for c in at.caption)
    build(at, first)
    data, name = offered_pdf(at, served)
    assert name == "readiness-Acme-en.pdf" and data != zh_pdf
    text = pdf_text(data)
    assert "Readiness" in text and "就绪" not in text
    en_pdf = data

    # a re-assessment opens a new assessment: its results page must NOT offer the baseline's PDF
    page(at, "progress")
    at.radio(key="reassess_copy").set_value("blank").run()
    ok(at.button(key="reassess_button").click().run())
    second = at.query_params["a"]
    assert second != first
    page(at, "results")
    assert offered_pdf(at, served) is None
    build(at, second)
    data, name = offered_pdf(at, served)
    assert data != en_pdf and name.endswith(".pdf")

    # back on the first assessment, its own PDF (with the same options) is still there
    at.query_params["a"] = first
    page(at, "results")
    ok(at.radio(key=f"report_lang::{first}").set_value("en").run())
    assert offered_pdf(at, served)[0] == en_pdf


def offered_export(at: AppTest, served, aid: str) -> bytes:
    (button,) = [b.proto for b in at.get("download_button") if f"download_export::{aid}" in b.proto.id]
    return served[button.url.rsplit("/", 1)[-1].split(".")[0]][0]


def test_the_word_and_markdown_exports_carry_the_pdfs_disagreement_section(app_env, served):
    from docx import Document

    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    bob = join(new_app(lang="en", a=aid), "Bob", "IT")
    page(bob, "phases/strategy")
    field(bob.radio, "v::strategy.goals.defined").set_value("no").run()

    page(at, "results")
    ok(at.radio(key=f"report_lang::{aid}").set_value("en").run())
    build(at, aid)
    heading = "Disagreements"
    pdf = pypdf.PdfReader(io.BytesIO(offered_pdf(at, served)[0]))
    assert heading in [e.title for e in pdf.outline if not isinstance(e, list)]
    ok(at.radio(key=f"export_format::{aid}").set_value("md").run())
    md = offered_export(at, served, aid).decode("utf-8")
    assert f"## {heading}" in md.splitlines()
    ok(at.radio(key=f"export_format::{aid}").set_value("docx").run())
    doc = Document(io.BytesIO(offered_export(at, served, aid)))
    assert heading in [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
