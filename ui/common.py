"""What every page shares: who is answering which assessment, in which language, and the cached
templates and database. State lives in the URL and the database, never only in the session, because a
browser refresh starts a new Streamlit session."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st

import settings
from checklists import Template, load_all
from scoring import Assessment, ReadinessResult, normalise_name, score
from services import room_assessment
from storage import (
    AssessmentMeta,
    InvalidInput,
    Joined,
    NameTaken,
    Repository,
    StorageError,
    database_url,
    open_repository,
)
from ui.faults import name_problem, show_fault
from ui.i18n import LANGS, colon, tr
from ui.text import plain

log = logging.getLogger("readiness.ui")

PAGES = {
    "home": "ui/home.py",
    "strategy": "ui/phases/strategy.py",
    "process": "ui/phases/process.py",
    "data": "ui/phases/data.py",
    "team": "ui/phases/team.py",
    "vendor": "ui/phases/vendor.py",
    "results": "ui/results.py",
    "workshop": "ui/workshop.py",
    "actions": "ui/actions.py",
    "transfer": "ui/transfer.py",
    "progress": "ui/progress.py",
    "vendors": "ui/vendors.py",
    "room": "ui/room.py",
}




@st.cache_resource(show_spinner=False)
def templates() -> dict[str, Template]:
    loaded, problems = load_all()
    for p in problems:
        log.warning("template not loaded: %s", p)
    return loaded


BUSY_TIMEOUT_ENV = settings.BUSY_TIMEOUT_ENV


@st.cache_resource(show_spinner=False)
def _repository(url: str, password: str | None) -> Repository:
    busy = settings.busy_timeout_ms()
    if busy is not None:
        return open_repository(url, admin_password=password, busy_timeout_ms=busy)
    return open_repository(url, admin_password=password)


def repository() -> Repository:
    """One repository per database URL (tests and deployments may point elsewhere)."""
    return _repository(database_url(), admin_password())


@dataclass(frozen=True)
class Context:
    """Who is looking at what. The link carries it all: `a` the assessment, `who` and `t` the person
    and their own token, `f` the facilitator key (only in the facilitator's link)."""

    lang: str
    assessment_id: str | None
    respondent: str | None
    token: str | None = None
    facilitator_key: str | None = None

    def params(self, **override: str | None) -> dict[str, str]:
        """Query parameters that carry this context to another page."""
        out = {"lang": self.lang, "a": self.assessment_id, "who": self.respondent, "t": self.token,
               "f": self.facilitator_key}
        out.update(override)
        return {k: v for k, v in out.items() if v}


_CTX_KEYS = {"a": "ctx_a", "who": "ctx_who", "t": "ctx_t", "f": "ctx_f"}


def context() -> Context:
    """Read the context from the URL (falling back to this session), and write it back to the URL."""
    qp = st.query_params
    ss = st.session_state
    lang = qp.get("lang") or ss.get("ctx_lang") or "zh"
    if lang not in LANGS:
        lang = "en"
    got = {k: qp.get(k) or ss.get(sk) for k, sk in _CTX_KEYS.items()}
    if qp.get("a") and qp.get("a") != ss.get("ctx_a"):
        # another assessment's link: nothing of the previous one's person or key carries over
        got.update({k: qp.get(k) for k in ("who", "t", "f")})
    who = normalise_name(got["who"]) or None
    ss["ctx_lang"] = lang
    for k, sk in _CTX_KEYS.items():
        ss[sk] = who if k == "who" else got[k]
    ctx = Context(lang, got["a"], who, got["t"], got["f"])
    for k, v in ctx.params().items():
        if qp.get(k) != v:
            qp[k] = v
    return ctx


def go_to(ctx: Context, page: str | None = None) -> None:
    """Make `ctx` the session's context and the URL's, and run this page (or `page`) again."""
    ss = st.session_state
    ss["ctx_lang"] = ctx.lang
    for k, sk in _CTX_KEYS.items():
        ss[sk] = ctx.params().get(k)
    if page is not None:
        st.switch_page(PAGES[page], query_params=ctx.params())
    st.query_params.clear()
    st.query_params.update(ctx.params())
    st.rerun()


def t(key: str, **fmt: object) -> str:
    return tr(key, st.session_state.get("ctx_lang", "zh"), **fmt)


def language_switch(ctx: Context) -> None:
    choice = st.sidebar.radio(tr("ui_language", ctx.lang), LANGS, index=LANGS.index(ctx.lang), horizontal=True,
                              format_func=lambda x: {"zh": "中文", "en": "English"}[x], key="lang_switch")
    if choice != ctx.lang:
        st.session_state["ctx_lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()


def sidebar(ctx: Context, meta: AssessmentMeta | None) -> None:
    """Navigation that keeps the assessment link in the URL on every page."""
    language_switch(ctx)
    sb = st.sidebar
    # whole titles in the sidebar and whole words in multiselect tags: wrapped, never cut with "…"
    sb.markdown(  # one constant: no user text ever reaches this HTML
        '<style>'
        '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] p,'
        ' [data-testid="stSidebar"] [data-testid="stCaptionContainer"] p'
        ' {white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere;}'
        ' [data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] {height: auto;}'
        ' span[data-baseweb="tag"] {max-width: none; height: auto;}'
        ' span[data-baseweb="tag"] span {white-space: normal; overflow: visible; text-overflow: clip; max-width: none;}'
        '</style>', unsafe_allow_html=True)
    sb.page_link(PAGES["home"], label=tr("home", ctx.lang), query_params=ctx.params())
    if meta is None:
        return
    tpl = templates().get(meta.template_id)
    sb.caption(f"{plain(meta.organisation)} · {plain(meta.project)}" if meta.project else plain(meta.organisation))
    if ctx.respondent:
        sb.caption(f"{tr('joined_as', ctx.lang)}{colon(ctx.lang)}{plain(ctx.respondent)}")
    if is_facilitator(ctx):
        sb.caption(tr("facilitator_mode", ctx.lang))
    if tpl:
        sb.markdown(f"**{tr('questionnaire', ctx.lang)}**")
        for ph in tpl.phases:
            sb.page_link(PAGES[ph.id], label=ph.title.get(ctx.lang), query_params=ctx.params())
    for key in ("results", "workshop", "actions", "progress", "vendors", "transfer"):
        sb.page_link(PAGES[key], label=tr(key, ctx.lang), query_params=ctx.params())
    sb.page_link(PAGES["room"], label=tr("room_view", ctx.lang), query_params=ctx.params())


def joined(ctx: Context) -> Joined | None:
    """The person this link answers as, proven by the token in the link; None (with a message and
    the way back to the join form) when the name is someone else's or cannot be a name.

    A new name joins on the spot and gets its token, which goes into the link (so a refresh or a
    bookmark is the same person); a name already in the room needs its token."""
    if not ctx.respondent or not ctx.assessment_id:
        return None
    key = f"joined::{ctx.assessment_id}::{ctx.respondent}::{ctx.token}"
    ss = st.session_state
    if key not in ss:
        try:
            ss[key] = repository().join_as(ctx.assessment_id, ctx.respondent, "", ctx.token)
        except NameTaken:
            st.warning(tr("name_taken", ctx.lang, name=plain(ctx.respondent)))
            st.page_link(PAGES["home"], label=tr("join", ctx.lang),
                         query_params=ctx.params(who=None, t=None))
            return None
        except InvalidInput as e:  # the name came from the link (?who=): say what is wrong with it
            log.warning("name in the link refused: %s", e)
            st.error(name_problem(ctx.respondent or "", e, ctx.lang))
            return None
    who: Joined = ss[key]
    if who.token != ctx.token:
        # a new name, or a name claimed for the first time: its token goes into the link
        ss[f"joined::{ctx.assessment_id}::{ctx.respondent}::{who.token}"] = who
        ss["ctx_t"] = who.token
        st.query_params["t"] = who.token
    return who


def respondent_id(ctx: Context) -> int:
    """The stored id of the person answering; stops the page when the link cannot prove who it is."""
    who = joined(ctx)
    if who is None:
        st.stop()
    return who.id


def is_facilitator(ctx: Context) -> bool:
    """Whether this link holds the assessment's facilitator key (a role, not a typed name)."""
    if not ctx.assessment_id or not ctx.facilitator_key:
        return False
    key = f"facilitator::{ctx.assessment_id}::{ctx.facilitator_key}"
    if key not in st.session_state:
        st.session_state[key] = repository().is_facilitator(ctx.assessment_id, ctx.facilitator_key)
    return bool(st.session_state[key])


def load_meta(ctx: Context) -> AssessmentMeta | None:
    if not ctx.assessment_id:
        return None
    try:
        return repository().get_assessment_meta(ctx.assessment_id)
    except StorageError as e:
        # not "no such assessment": the link is fine, the database is not; each fault says what it is
        if not show_fault(e, ctx.lang, "opening an assessment"):
            log.exception("loading assessment failed")
            st.error(tr("error_generic", ctx.lang))
        st.stop()


def require_assessment(ctx: Context) -> tuple[AssessmentMeta, Template] | None:
    """The open assessment and its template, or a message and None."""
    meta = load_meta(ctx)
    if meta is None:
        st.info(tr("not_found" if ctx.assessment_id else "no_assessment", ctx.lang))
        st.page_link(PAGES["home"], label=tr("home", ctx.lang), query_params=ctx.params(a=None))
        return None
    tpl = templates().get(meta.template_id)
    if tpl is None:
        st.error(tr("template_missing", ctx.lang, template=meta.template_id))
        return None
    return meta, tpl


def open_page() -> tuple[Context, AssessmentMeta, Template]:
    """Every assessment page starts here: context, sidebar, and the open assessment (or a stop)."""
    ctx = context()
    found = require_assessment(ctx)
    sidebar(ctx, found[0] if found else None)
    if found is None:
        st.stop()
    return ctx, *found


def combined_assessment(meta: AssessmentMeta, tpl: Template) -> Assessment:
    return room_assessment(repository(), meta.id, tpl)


def combined_result(meta: AssessmentMeta, tpl: Template) -> ReadinessResult:
    return score(tpl, combined_assessment(meta, tpl))


def admin_password() -> str | None:
    """From the environment, or Streamlit secrets; never from the database (see `settings`)."""
    return settings.admin_password()
