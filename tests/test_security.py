"""What SECURITY.md promises, checked: an assessment opens only with its link, listing needs the admin
password, ids can be neither guessed nor enumerated, no user text reaches unsafe HTML, uploads never
reach the disk, and every upload has a size limit."""

from __future__ import annotations

import ast
import collections
import math
import random
import string
import subprocess
import tomllib
from pathlib import Path

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest
from support import new_app, ok

import storage
from checklists import YamlProblems, load_template, parse_yaml_text
from checklists.yamlsafe import MAX_BYTES
from scoring import Answer
from services import MAX_UPLOAD_BYTES, ImportRefused, import_document
from storage.repository import new_assessment_id
from ui import lockout

ROOT = Path(__file__).resolve().parent.parent
MINI_PATH = Path(__file__).parent / "data" / "mini.yaml"
MINI = load_template(MINI_PATH)
SECRET_ORG = "机密客户有限公司 Secret Client Ltd"
SECRET_NOTE = "董事会尚未批准预算 board has not approved"
ADMIN = "correct horse battery staple 7"


def _everything_shown(at: AppTest) -> str:
    """Every element of the rendered page (main and sidebar) as text, labels and values included."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    return "\n".join(out)


def _secret_assessment() -> str:
    repo = storage.open_repository()
    aid = repo.create_assessment(MINI, SECRET_ORG, "CRM 2027", "en", "Fiona")
    rid = repo.join(aid, "Fiona")
    repo.save_answer(aid, rid, "strategy.goals.defined", Answer(value="no", note=SECRET_NOTE))
    return aid


def _near_misses(aid: str) -> dict[str, str]:
    flip = next(i for i, c in enumerate(aid) if c.isalpha())
    other = "A" if aid[-1] != "A" else "B"
    return {
        "another id": new_assessment_id(),
        "a prefix": aid[:16],
        "one character changed": aid[:-1] + other,
        "one letter's case changed": aid[:flip] + aid[flip].swapcase() + aid[flip + 1:],
        "one character more": aid + "x",
        "SQL LIKE wildcards": "%",
        "a LIKE pattern of the right length": "_" * len(aid),
        "SQL injection": "' OR '1'='1",
    }


# -- link = access --------------------------------------------------------------------------


def _shows_nothing(wrong: str, page: str) -> None:
    at = ok(new_app(lang="en", a=wrong, who="Fiona").switch_page(page).run())
    shown = _everything_shown(at)
    assert SECRET_ORG not in shown and SECRET_NOTE not in shown, (wrong, page)
    assert "No assessment with this link" in shown, (wrong, page)


def test_without_its_link_an_assessment_shows_nothing_on_any_page(app_env):
    from ui.common import PAGES

    aid = _secret_assessment()
    misses = _near_misses(aid)
    for page in PAGES.values():  # every page, with the nearest miss
        _shows_nothing(misses["one character changed"], page)
    for wrong in misses.values():  # every kind of miss, on the page that shows the most
        _shows_nothing(wrong, PAGES["results"])
    # and with the link, it is there
    at = ok(new_app(lang="en", a=aid).run())
    assert SECRET_ORG in _everything_shown(at)


def test_the_open_box_finds_nothing_from_a_prefix_or_a_near_miss(app_env):
    aid = _secret_assessment()
    for what, wrong in _near_misses(aid).items():
        at = ok(new_app(lang="en").run())
        at.text_input(key="open_link").input(f"https://example.org/?a={wrong}")
        ok(at.button(key="open_button").click().run())
        assert at.query_params.get("a") in (None, ""), what
        assert SECRET_ORG not in _everything_shown(at), what


def test_the_repository_finds_only_the_exact_id(db_url: str):
    repo = storage.open_repository(db_url)
    aid = repo.create_assessment(MINI, SECRET_ORG, "", "en", "F")
    for wrong in _near_misses(aid).values():
        assert repo.get_assessment_meta(wrong) is None
        with pytest.raises(storage.NotFound):
            repo.load_answers(wrong)
    assert repo.get_assessment_meta(aid).organisation == SECRET_ORG


# -- listing needs the admin password -------------------------------------------------------


def _list(at: AppTest, password: str) -> AppTest:
    at.text_input(key="admin_pw").input(password)
    return ok(at.button(key="admin_list").click().run())


def test_listing_needs_the_admin_password(app_env, monkeypatch):
    _secret_assessment()
    at = _list(ok(new_app(lang="en").run()), ADMIN)
    assert at.warning and SECRET_ORG not in _everything_shown(at)  # no password configured: no list

    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    clock = _Clock()
    monkeypatch.setattr(lockout, "ADMIN", lockout.Lockout(clock))
    for wrong in ("", "correct horse", ADMIN.upper(), ADMIN + " ", "' OR '1'='1"):
        at = _list(ok(new_app(lang="en").run()), wrong)
        assert at.error and SECRET_ORG not in _everything_shown(at), wrong
        clock.now += lockout.MAX_WAIT_S  # past any lockout: this test is about the password itself
    at = _list(ok(new_app(lang="en").run()), ADMIN)
    assert any(SECRET_ORG in link.label for link in at.page_link)
    assert ADMIN not in _everything_shown(at)


class _Clock:
    """A clock the test moves: the lockout is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_admin_passwords_lock_the_list_with_exponential_backoff(app_env, monkeypatch):
    _secret_assessment()
    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    clock = _Clock()
    monkeypatch.setattr(lockout, "ADMIN", lockout.Lockout(clock))

    def errors(password: str) -> list[str]:
        at = _list(ok(new_app(lang="en").run()), password)
        assert SECRET_ORG not in _everything_shown(at)
        return [e.value for e in at.error]

    assert errors("guess 1") == errors("guess 2") == ["Wrong password."]  # typos are free
    assert errors("guess 3") == ["Wrong password. Too many wrong passwords: try again in 5 seconds."]
    # locked: even the right password is not checked, and the message says how long to wait
    clock.now += 2
    assert errors(ADMIN) == ["Too many wrong passwords: try again in 3 seconds."]
    clock.now += 3
    assert errors("guess 4") == ["Wrong password. Too many wrong passwords: try again in 10 seconds."]
    clock.now += 10
    assert errors("guess 5") == ["Wrong password. Too many wrong passwords: try again in 20 seconds."]
    for _ in range(20):  # the wait doubles up to a ceiling, never beyond
        clock.now += lockout.MAX_WAIT_S
        lockout.ADMIN.failed()
    assert lockout.ADMIN.wait() == lockout.MAX_WAIT_S
    clock.now += lockout.MAX_WAIT_S
    at = _list(ok(new_app(lang="en").run()), ADMIN)  # after the wait the right password lists...
    assert any(SECRET_ORG in link.label for link in at.page_link)
    assert errors("typo") == ["Wrong password."]  # ...and clears the count


def test_the_repository_lists_only_for_the_configured_password(db_url: str, monkeypatch):
    repo = storage.open_repository(db_url)
    repo.create_assessment(MINI, SECRET_ORG, "", "en", "F")
    monkeypatch.delenv(storage.ADMIN_PASSWORD_ENV, raising=False)
    for given in (None, "", ADMIN):  # nothing configured: nobody, whatever they type
        with pytest.raises(storage.AdminAccessDenied):
            repo.list_assessments(given)
    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    for wrong in (None, "", ADMIN[:-1], ADMIN.upper(), "%"):
        with pytest.raises(storage.AdminAccessDenied):
            repo.list_assessments(wrong)
    assert [m.organisation for m in repo.list_assessments(ADMIN)] == [SECRET_ORG]


def test_the_admin_password_is_never_stored(app_env, monkeypatch):
    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, ADMIN)
    _secret_assessment()
    _list(ok(new_app(lang="en").run()), ADMIN)
    data = b"".join(p.read_bytes() for p in app_env.glob("app.db*"))
    assert data and ADMIN.encode() not in data


# -- ids: neither guessable nor enumerable --------------------------------------------------


def test_ids_are_long_random_and_unique():
    ids = [new_assessment_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    alphabet = set(string.ascii_letters + string.digits + "-_")
    assert all(len(i) >= 32 and set(i) <= alphabet for i in ids)  # 24 random bytes: 192 bits
    # every character is close to uniform over the 64 symbols: ~6 bits of entropy each
    counts = collections.Counter("".join(ids))
    total = sum(counts.values())
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values())
    assert entropy > 5.9
    # no sequence: consecutive ids share no long prefix and differ almost everywhere
    for a, b in zip(ids, ids[1:], strict=False):
        assert a[:4] != b[:4] or a[4:8] != b[4:8]
        assert sum(x != y for x, y in zip(a, b, strict=False)) > 20
    assert ids != sorted(ids)


def test_ids_come_from_the_system_random_source_not_a_seeded_one():
    random.seed(42)
    first = new_assessment_id()
    random.seed(42)
    assert new_assessment_id() != first


def test_assessments_created_one_after_another_have_unrelated_ids(tmp_path):
    repo = storage.open_repository(f"sqlite:///{tmp_path / 'r.db'}")
    ids = [repo.create_assessment(MINI, "Acme", "", "en", "F") for _ in range(20)]
    assert len(set(ids)) == 20 and ids != sorted(ids)
    assert len({i[:3] for i in ids}) > 15


# -- no user text reaches unsafe HTML -------------------------------------------------------


def _python_files() -> list[Path]:
    skip = {"tests", ".git", ".venv", "__pycache__", "bench"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def _constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_no_user_text_reaches_unsafe_html():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            unsafe = [k for k in call.keywords if k.arg == "unsafe_allow_html"]
            if (unsafe and not (isinstance(unsafe[0].value, ast.Constant) and unsafe[0].value.value is False)
                    and not all(_constant(a) for a in call.args)):
                offenders.append(f"{where}: unsafe_allow_html with text that is not a constant")
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name == "html" and not all(_constant(a) for a in call.args):
                offenders.append(f"{where}: raw HTML (st.html / components.html) built from variables")
    assert not offenders, offenders


# -- uploads never reach the disk; every upload has a limit ---------------------------------


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (40, 20), (30, 90, 160)).save(buf, format="PNG")
    return buf.getvalue()


def _files_named(name_part: str, *roots: Path) -> list[Path]:
    found = []
    for root in roots:
        if root.is_dir():
            found += [p for p in root.rglob(f"*{name_part}*") if ".git" not in p.parts]
    return found


def test_uploaded_files_are_never_written_to_disk(app_env):
    before = {p for p in app_env.rglob("*")}
    at = new_app(lang="en")
    ok(at.run())
    at.selectbox(key="new_template").set_value("mini")
    at.text_input(key="new_org").input("Acme")
    at.text_input(key="new_facilitator").input("Ann")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:create_form")).click()
    ok(at.run())
    aid = at.query_params["a"]

    # an answers file whose name tries to climb out of any folder it might be saved in
    ok(at.switch_page("ui/transfer.py").run())
    good = b"template: mini\nanswers:\n  strategy.goals.defined: yes\n"
    at.file_uploader(key="import_file").upload("../../evil_answers.yaml", good, "application/x-yaml")
    ok(at.run())
    ok(at.button(key="import_button").click().run())
    assert storage.open_repository().load_answers(aid)["Ann"]["strategy.goals.defined"].value == "yes"

    # a logo the same way, used for a PDF
    ok(at.switch_page("ui/results.py").run())
    at.file_uploader(key=f"report_logo::{aid}").upload("../../evil_logo.png", _png(), "image/png")
    ok(at.run())
    ok(at.button(key=f"build_pdf::{aid}").click().run())
    assert f"report_pdf::{aid}" in at.session_state  # the PDF was built, with the logo, in memory

    # and a vendor sheet, where the page exists
    try:
        ok(at.switch_page("ui/vendors.py").run())
        uploader = at.file_uploader(key="vendor_upload")
    except (KeyError, ValueError, FileNotFoundError):
        uploader = None
    if uploader is not None:
        uploader.upload("../../evil_sheet.csv", b"section,id\n", "text/csv")
        ok(at.run())
        ok(at.button(key="vendor_import_button").click().run())

    # the names the uploads carried (evil_answers, evil_logo, evil_sheet), anywhere they could have landed:
    # the project and the test's folder at any depth, and where "../../" from them would lead
    assert not _files_named("evil_", ROOT, app_env)
    assert not [p for d in (ROOT.parent, ROOT.parent.parent, Path("/tmp"), app_env.parent, app_env.parent.parent)
                for p in d.glob("*evil_*")]
    new = {p for p in app_env.rglob("*")} - before
    # the database, its journals and the lock file its writers take turns on
    assert {p.name for p in new if p.is_file()} <= {"app.db", "app.db-wal", "app.db-shm", "app.db-journal",
                                                    "app.db.writers"}, new


def test_every_upload_has_a_size_limit(tmp_path):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server_limit_mb = config["server"]["maxUploadSize"]
    from reports import MAX_LOGO_BYTES, ReportError, validate_logo

    limits = {"answers upload": MAX_UPLOAD_BYTES, "logo": MAX_LOGO_BYTES, "YAML text": MAX_BYTES}
    try:
        import sheets

        limits |= {"vendor sheet CSV": sheets.MAX_CSV_BYTES, "vendor sheet XLSX": sheets.MAX_XLSX_BYTES}
    except ImportError:
        sheets = None
    # the server refuses anything above its limit before our code sees it; ours are no larger, so each
    # file's own message (with its own limit) is what a user sees
    assert 0 < server_limit_mb <= 10
    assert all(0 < n <= server_limit_mb * 1024 * 1024 for n in limits.values()), limits

    repo = storage.open_repository(f"sqlite:///{tmp_path / 'r.db'}")
    aid = repo.create_assessment(MINI, "Acme", "", "en", "F")
    rid = repo.join(aid, "F")
    with pytest.raises(ImportRefused, match="larger than"):
        import_document(repo, aid, rid, "a.yaml", b"#" * (MAX_UPLOAD_BYTES + 1), {"mini": MINI}, MINI)
    with pytest.raises(ReportError, match="limit"):
        validate_logo(b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_LOGO_BYTES)
    with pytest.raises(YamlProblems, match="larger than"):
        parse_yaml_text("#" * (MAX_BYTES + 1), "t.yaml")
    if sheets is not None:
        with pytest.raises(sheets.VendorSheetError):
            sheets.sheet_from_bytes(b"a" * (sheets.MAX_CSV_BYTES + 1), "v.csv")
        with pytest.raises(sheets.VendorSheetError):
            sheets.sheet_from_bytes(b"PK" + b"a" * sheets.MAX_XLSX_BYTES, "v.xlsx")


def test_every_file_uploader_restricts_the_file_types():
    found = 0
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "file_uploader":
                found += 1
                kinds = [k.value for k in call.keywords if k.arg == "type"]
                assert kinds and isinstance(kinds[0], ast.List) and kinds[0].elts, \
                    f"{path.relative_to(ROOT)}:{call.lineno}: file_uploader without type=[...]"
    assert found >= 2


# -- the server's own settings --------------------------------------------------------------


def test_server_settings_hide_errors_and_keep_xsrf_protection():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] in ("none", False)  # no traceback reaches a user
    assert config.get("server", {}).get("enableXsrfProtection", True) is True
    assert config.get("server", {}).get("enableCORS", True) is True


def test_no_secrets_file_is_committed():
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert not [f for f in tracked.splitlines() if f.endswith("secrets.toml")]
