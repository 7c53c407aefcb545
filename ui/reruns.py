"""A change sent from one part of a page is never dropped because the server no longer knows that part.

Each questionnaire item is its own `st.fragment`: a click reruns the item, not the page. The browser
names the fragment a change comes from; Streamlit (1.67) drops the change silently when the session
does not hold that fragment: a session that began after a server restart and has not drawn the page
yet, or a page that another page's run has just replaced (a text commit that arrives after a click
on a link). A dropped change stays on the screen but is never stored.

`install()` makes such a request a whole-page run instead (the browser sends every widget's value
with it, so the page stores the change as it stores any other); and a fragment request for another
page than the last whole-page request asked for is a whole-page run too, so it cannot be queued
behind that page's run and skipped there. Installed by `app.py` before anything else runs; a
questionnaire page keeps one timer fragment so that a browser reconnecting to a restarted server
asks for a whole-page run at once (it does so only when the page has such a timer), which installs
this in the new process before the person's next click.
"""

from __future__ import annotations

import logging
from typing import Any

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession

log = logging.getLogger("readiness.ui")
_MARK = "_readiness_whole_page_fallback"
_PENDING = "_readiness_requested_page"


def as_whole_page(fragment_known: bool, requested_page: str | None, page: str) -> bool:
    """Whether a fragment's rerun request must run the whole page: the session does not hold the
    fragment, or the last whole-page request asked for another page than this request names."""
    return not fragment_known or bool(requested_page and requested_page != page)


def _whole_page(client_state: ClientState) -> ClientState:
    out = ClientState()
    out.CopyFrom(client_state)
    out.fragment_id = ""
    return out


def install() -> None:
    """Wrap `AppSession.request_rerun` once per process (idempotent)."""
    if getattr(AppSession.request_rerun, _MARK, False):
        return
    original = AppSession.request_rerun

    def request_rerun(self: AppSession, client_state: ClientState | None) -> None:
        if client_state is not None:
            page = client_state.page_script_hash
            fragment = client_state.fragment_id
            if fragment and as_whole_page(self.has_fragment(fragment), getattr(self, _PENDING, None), page):
                log.info("a change from fragment %s runs the whole page (not held by this session)", fragment)
                client_state = _whole_page(client_state)
            if not client_state.fragment_id and page:
                setattr(self, _PENDING, page)
        original(self, client_state)

    setattr(request_rerun, _MARK, True)
    patched: Any = request_rerun
    AppSession.request_rerun = patched  # type: ignore[method-assign]
