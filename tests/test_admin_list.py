"""The administrator's list: rows that tell assessments apart, archive, search and pages of 50, with the
database doing the filtering and paging (repository on SQLite and PostgreSQL; the page in AppTest)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from support import new_app, ok

import storage
from checklists import load_template
from scoring import Answer
from storage.schema import assessments
from ui import lockout

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
ADMIN = "correct horse battery staple 8"


def _created(repo: storage.Repository, aid: str, at: datetime) -> None:
    with repo.engine.begin() as conn:
        conn.execute(assessments.update().where(assessments.c.id == aid).values(created_at=at))


# -- the repository -----------------------------------------------------------------------------


def test_a_page_pairs_a_reassessment_with_its_baseline_and_archive_hides_it(repo, db_url, monkeypatch):
    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    first = repo.create_assessment(MINI, "Acme", "CRM 2027", "en", "Fiona")
    again = repo.create_assessment(MINI, "Acme", "CRM 2027", "en", "Fiona", baseline_id=first)
    _created(repo, first, datetime(2026, 9, 3, 17, 40, tzinfo=UTC))
    _created(repo, again, datetime(2026, 12, 3, 9, 5, tzinfo=UTC))
    with pytest.raises(storage.AdminAccessDenied):
        repo.admin_page("wrong")

    page = repo.admin_page(ADMIN)
    assert [r.meta.id for r in page.rows] == [again, first] and page.total == 2  # newest first
    assert page.rows[0].baseline_created_at == datetime(2026, 9, 3, 17, 40, tzinfo=UTC)
    assert page.rows[1].baseline_created_at is None  # an original is no re-assessment

    assert repo.set_archived(first, True, ADMIN)
    assert [r.meta.id for r in repo.admin_page(ADMIN).rows] == [again]  # hidden by default
    shown = repo.admin_page(ADMIN, archived=True).rows
    assert [r.meta.id for r in shown] == [again, first] and shown[1].meta.archived_at is not None
    assert repo.set_archived(first, False, ADMIN)
    assert repo.admin_page(ADMIN).total == 2 and repo.get_assessment_meta(first).archived_at is None
    assert not repo.set_archived("no-such-assessment", True, ADMIN)
    with pytest.raises(storage.AdminAccessDenied):
        repo.set_archived(first, True, "wrong")
    assert repo.get_assessment_meta(first).archived_at is None  # a wrong password changes nothing


def test_search_matches_organisation_project_template_and_date_in_the_database(repo, db_url, monkeypatch):
    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    acme = repo.create_assessment(MINI, "Acme 100%_Ltd", "CRM 2027", "en", "Fiona")
    beta = repo.create_assessment(MINI, "Beta GmbH", "Funnel", "en", "Fiona")
    _created(repo, acme, datetime(2025, 6, 1, 23, 59, tzinfo=UTC))
    _created(repo, beta, datetime(2026, 12, 3, 0, 0, tzinfo=UTC))

    def ids(search: str, **kw) -> set[str]:
        return {r.meta.id for r in repo.admin_page(ADMIN, search=search, **kw).rows}

    assert ids("acme") == {acme} and ids("BETA") == {beta}
    assert ids("crm") == {acme}  # project
    assert ids("100%_") == {acme} and ids("0%x") == set()  # % and _ are literal, not wildcards
    assert ids("2025-06-01") == {acme} and ids("2025-06") == {acme} and ids("2026") == {beta}
    assert ids("2025-06-02") == set() and ids("2025-13") == set()  # a day after, and no date at all
    assert ids("mini") == {acme, beta}  # the template's id
    assert ids("迷你", template_ids=["mini"]) == {acme, beta}  # its title, matched by the caller
    assert ids("Gamma") == set()


def test_pages_of_fifty_then_the_rest(repo, db_url, monkeypatch):
    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    made = [repo.create_assessment(MINI, f"Org {n:02d}", "P", "en", "F") for n in range(53)]
    first, second = repo.admin_page(ADMIN, page=0), repo.admin_page(ADMIN, page=1)
    assert (len(first.rows), len(second.rows), first.total, second.total) == (50, 3, 53, 53)
    assert {r.meta.id for r in first.rows} | {r.meta.id for r in second.rows} == set(made)
    assert not {r.meta.id for r in first.rows} & {r.meta.id for r in second.rows}  # no row on both pages
    assert repo.admin_page(ADMIN, page=2).rows == []


def test_a_backup_keeps_the_archive(repo, db_url, monkeypatch, tmp_path):
    from storage.backup import export_all, import_all

    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    archived = repo.create_assessment(MINI, "Acme", "Old", "en", "Fiona")
    kept = repo.create_assessment(MINI, "Acme", "New", "en", "Fiona")
    repo.set_archived(archived, True, ADMIN)
    export_all(repo, tmp_path / "out")
    target = storage.open_repository(f"sqlite:///{tmp_path / 'restored.db'}")
    import_all(target, tmp_path / "out")
    assert target.get_assessment_meta(archived).archived_at == repo.get_assessment_meta(archived).archived_at
    assert target.get_assessment_meta(archived).archived_at is not None
    assert target.get_assessment_meta(kept).archived_at is None


def test_migration_8_adds_archived_at_to_existing_assessments(db_url):
    engine = storage.new_engine(db_url, upgrade=False)
    try:
        storage.migrate(engine, 7)
        now = datetime(2026, 12, 3, tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO assessments (id, template_id, template_version, organisation, project, language, "
                "facilitator, created_at, updated_at, settings, out_of_scope) VALUES (:id, 'mini', '1', "
                "'Acme', 'P', 'en', 'F', :now, :now, '{}', '{}')"), {"id": "a" + "x" * 20, "now": now})
        assert storage.migrate(engine) >= 8
        meta = storage.Repository(engine).get_assessment_meta("a" + "x" * 20)
        assert meta is not None and meta.archived_at is None  # kept, and not archived
    finally:
        engine.dispose()


# -- the page -----------------------------------------------------------------------------------


@pytest.fixture
def admin(app_env, monkeypatch):
    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    monkeypatch.setattr(lockout, "ADMIN", lockout.Lockout())
    return storage.open_repository()


def _listed(lang: str = "en") -> AppTest:
    at = ok(new_app(lang=lang).run())
    at.text_input(key="admin_pw").input(ADMIN)
    return ok(at.button(key="admin_list").click().run())


def _rows(at: AppTest) -> list[str]:
    return [link.label for link in at.page_link if link.label.startswith(("Acme", "Org", "Beta"))]


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_three_assessments_of_one_project_are_told_apart(admin, lang):
    first = admin.create_assessment(MINI, "Acme", "CRM 2027", "en", "Fiona")
    admin.save_answer(first, admin.join(first, "Fiona"), "strategy.goals.defined", Answer(value="yes"))
    again = admin.create_assessment(MINI, "Acme", "CRM 2027", "en", "Fiona", baseline_id=first)
    third = admin.create_assessment(MINI, "Acme", "CRM 2027", "en", "Fiona")
    for aid, at in ((first, datetime(2026, 9, 3, 17, 40, tzinfo=UTC)), (again, datetime(2026, 12, 3, 9, 5, tzinfo=UTC)),
                    (third, datetime(2026, 12, 3, 9, 6, tzinfo=UTC))):
        _created(admin, aid, at)
    at = _listed(lang)
    title = MINI.title.get(lang)
    assert _rows(at) == [f"Acme · CRM 2027 · {title}"] * 3  # the template's title in the UI language
    summaries = [c for c in _captions(at) if "2026-" in c]
    assert len(summaries) == 3 and len(set(summaries)) == 3  # the rows differ
    assert "2026-12-03 09:06" in summaries[0] and "2026-12-03 09:05" in summaries[1]  # date and time
    reassess = "re-assessment of 2026-09-03" if lang == "en" else "复评（基线 2026-09-03）"
    assert reassess in summaries[1] and reassess not in summaries[0] + summaries[2]
    answered = "% answered" if lang == "en" else "已回答 "
    assert all(answered in s for s in summaries) and summaries[2] != summaries[0]
    shown = " ".join(_rows(at) + summaries)
    assert "None" not in shown and " mini" not in shown and "· mini" not in shown  # no raw id, no None
    if lang == "zh":
        assert not any(w in shown for w in ("created", "answered", "re-assessment"))  # no English in Chinese


def test_archive_hides_and_unarchive_shows(admin):
    keep = admin.create_assessment(MINI, "Acme", "Keep", "en", "Fiona")
    gone = admin.create_assessment(MINI, "Acme", "Gone", "en", "Fiona")
    at = _listed()
    assert len(_rows(at)) == 2
    ok(at.button(key=f"archive::{gone}").click().run())
    assert _rows(at) == [f"Acme · Keep · {MINI.title.en}"]  # archived: hidden by default
    ok(at.toggle(key="admin_show_archived").set_value(True).run())
    assert len(_rows(at)) == 2 and any("archived" in c for c in _captions(at))
    ok(at.button(key=f"archive::{gone}").click().run())  # now "Unarchive"
    ok(at.toggle(key="admin_show_archived").set_value(False).run())
    assert len(_rows(at)) == 2 and admin.get_assessment_meta(gone).archived_at is None
    assert admin.get_assessment_meta(keep).archived_at is None


def test_search_finds_by_organisation_and_misses_the_others(admin):
    admin.create_assessment(MINI, "Acme", "CRM", "en", "Fiona")
    admin.create_assessment(MINI, "Beta GmbH", "CRM", "en", "Fiona")
    at = _listed()
    ok(at.text_input(key="admin_search").input("beta").run())
    assert _rows(at) == [f"Beta GmbH · CRM · {MINI.title.en}"]
    ok(at.text_input(key="admin_search").input("Gamma").run())
    assert _rows(at) == [] and at.info  # nothing found, said so
    ok(at.text_input(key="admin_search").input("Mini readiness").run())  # the template's title
    assert len(_rows(at)) == 2


def test_pages_show_fifty_then_the_rest(admin):
    for n in range(52):
        admin.create_assessment(MINI, f"Org {n:02d}", "P", "en", "F")
    at = _listed()
    assert len(_rows(at)) == 50 and at.button(key="admin_prev").disabled
    assert any("Page 1 of 2, 52 assessments" in c for c in _captions(at))
    ok(at.button(key="admin_next").click().run())
    assert sorted(_rows(at)) == [f"Org 00 · P · {MINI.title.en}", f"Org 01 · P · {MINI.title.en}"]
    assert at.button(key="admin_next").disabled
