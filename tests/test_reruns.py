"""The whole-page fallback for a fragment's rerun (`ui.reruns`): which requests it turns into whole-page
runs, and that it wraps Streamlit's session once. The browser path is in tests/test_e2e_restart.py."""

from __future__ import annotations

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession

from ui import reruns


def test_a_fragment_the_session_holds_on_the_page_last_asked_for_reruns_alone():
    assert reruns.as_whole_page(True, "page-a", "page-a") is False
    assert reruns.as_whole_page(True, None, "page-a") is False  # no page asked for by name yet (first load)
    assert reruns.as_whole_page(True, "", "page-a") is False


def test_an_unknown_fragment_or_another_page_runs_the_whole_page():
    assert reruns.as_whole_page(False, "page-a", "page-a") is True  # after a restart: never dropped
    assert reruns.as_whole_page(False, None, "page-a") is True
    # a text commit from the page a link click just left: not queued behind the new page's run
    assert reruns.as_whole_page(True, "page-b", "page-a") is True


class _Session:
    """Just what the wrapper reads of an AppSession: which fragments it holds."""

    def __init__(self, held: set[str]):
        self.held = held
        self.seen: list[tuple[str, str]] = []

    def has_fragment(self, fragment_id: str) -> bool:
        return fragment_id in self.held


def _request(fragment: str, page: str) -> ClientState:
    cs = ClientState()
    cs.fragment_id = fragment
    cs.page_script_hash = page
    return cs


def test_the_wrapper_is_installed_once_and_passes_on_a_whole_page_request_for_an_unknown_fragment(monkeypatch):
    calls: list[tuple[object, ClientState | None]] = []
    monkeypatch.setattr(AppSession, "request_rerun", lambda self, cs: calls.append((self, cs)))
    reruns.install()
    wrapped = AppSession.request_rerun
    reruns.install()
    assert AppSession.request_rerun is wrapped  # must NOT: wrapped twice

    session = _Session(held={"item-1"})
    AppSession.request_rerun(session, _request("item-1", "page-a"))  # type: ignore[arg-type]
    AppSession.request_rerun(session, _request("item-9", "page-a"))  # type: ignore[arg-type]
    AppSession.request_rerun(session, None)  # type: ignore[arg-type]
    sent = [cs for _, cs in calls]
    assert sent[0] is not None and sent[0].fragment_id == "item-1"  # held: the item alone
    assert sent[1] is not None and sent[1].fragment_id == ""  # not held: the whole page, not dropped
    assert sent[1].page_script_hash == "page-a"
    assert sent[2] is None
    # a whole-page request for another page: a later fragment request of the old page runs the whole page
    AppSession.request_rerun(session, _request("", "page-b"))  # type: ignore[arg-type]
    AppSession.request_rerun(session, _request("item-1", "page-a"))  # type: ignore[arg-type]
    assert calls[-1][1] is not None and calls[-1][1].fragment_id == ""
