"""A respondent without a browser: one websocket to the running app's `/_stcore/stream`, speaking the
frontend's own protocol (`streamlit.proto`: BackMsg out, ForwardMsg in), as the browser does.

The client asks for a script run (`BackMsg.rerun_script` with the URL's query string, the page and
the widget states), reads the page it is sent (the widgets' ids, options and fragment from the delta
messages, the query string when the app changes it, the page list) and waits for `script_finished`
before it acts again, as a person waits for the page. Used by bench/room.py and bench/startup.py.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
WIDGETS = ("radio", "text_input", "button", "checkbox", "selectbox", "text_area", "multiselect", "number_input",
           "toggle")


@dataclass
class Widget:
    kind: str
    id: str
    options: list[str]
    fragment_id: str
    form_id: str
    proto: Any

    @property
    def key(self) -> str:
        """The key the app gave the widget (`$$ID-<hash>-<key>`), or "" for an unkeyed one."""
        parts = self.id.split("-", 2)
        return parts[2] if len(parts) == 3 and parts[2] != "None" else ""


@dataclass
class Run:
    """What one script run sent."""

    seconds: float
    status: int
    widgets: list[Widget] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


class Client:
    def __init__(self, base_url: str, query: str = "", page_name: str = "") -> None:
        self.ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.query = query
        self.page_name = page_name
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.widgets: dict[str, Widget] = {}  # the page as it stands: a fragment's run redraws only its own
        self.ws: Any = None

    async def connect(self) -> None:
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,  # type: ignore[list-item]
                                           ping_interval=None, open_timeout=120)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, states: list[WidgetState] | None = None, fragment_id: str = "", page: str | None = None,
                  timeout: float = 600) -> Run:
        """Ask for a script run (with these widget states) and read until it finished; a run cut short
        for a newer one is followed to the end of that one, as the page is."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        if page is not None:
            cs.page_script_hash = self.pages[page]
        else:
            cs.page_script_hash = self.page_hash
            if not self.page_hash:
                cs.page_name = self.page_name
        if fragment_id:
            cs.fragment_id = fragment_id
        for s in states or []:
            cs.widget_states.widgets.add().CopyFrom(s)
        began = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run(0.0, -1)
        deadline = began + timeout
        while True:
            data = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.perf_counter()))
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash
                run.widgets.clear()
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "navigation":
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
                self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
            elif kind == "delta":
                self._read_delta(fm.delta, run)
            elif kind == "script_finished" and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                run.seconds = time.perf_counter() - began
                run.status = fm.script_finished
                fresh = {w.key or w.id: w for w in run.widgets}
                if run.status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    self.widgets.update(fresh)  # a fragment redrew only its own widgets
                else:
                    self.widgets = fresh
                run.widgets = list(self.widgets.values())
                return run

    @staticmethod
    def _read_delta(delta: Any, run: Run) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind in WIDGETS:
            w = getattr(el, kind)
            options = list(getattr(w, "options", []) or [])
            run.widgets.append(Widget(kind, w.id, options, delta.fragment_id, getattr(w, "form_id", ""), w))
        elif kind == "exception":
            run.exceptions.append(f"{el.exception.type}: {el.exception.message}")
        elif kind == "markdown":
            run.texts.append(el.markdown.body)
        elif kind == "alert":
            run.texts.append(el.alert.body)


def radio_state(widget: Widget, index: int) -> WidgetState:
    """A radio's new value, as the frontend sends it: the label of the chosen option."""
    return WidgetState(id=widget.id, string_value=widget.options[index])


def text_state(widget_id: str, text: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=text)


def trigger_state(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def find(run: Run, kind: str, key_start: str) -> Widget:
    found = [w for w in run.widgets if w.kind == kind and w.key.startswith(key_start)]
    if not found:
        raise LookupError(f"no {kind} {key_start!r} on the page; widgets: {[w.key for w in run.widgets][:20]}"
                          f"; exceptions: {run.exceptions}; texts: {run.texts[-5:]}")
    return found[0]
