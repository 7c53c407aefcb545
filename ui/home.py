"""Home: create, open or demo an assessment; join it under a name and role."""

from __future__ import annotations

import math
import re

import streamlit as st

from scoring import normalise_name, verdict_label
from services import assessment_meta, template_files_signature, template_problems
from storage import AdminAccessDenied, AdminRow, AssessmentMeta, InvalidInput, NameTaken, StorageUnavailable, new_secret
from ui import lockout
from ui.common import (
    PAGES,
    Context,
    admin_password,
    combined_result,
    context,
    go_to,
    is_facilitator,
    joined,
    load_meta,
    repository,
    sidebar,
    templates,
)
from ui.demo import find_demo, open_demo
from ui.faults import name_problem
from ui.i18n import colon, tr
from ui.text import plain
from ui.views import assessment_summary
from ui.workshop_views import public_base

ctx = context()
lang = ctx.lang
meta = load_meta(ctx)
sidebar(ctx, meta)

st.title(tr("app_title", lang))
st.caption(tr("tagline", lang))


def _link(**params: str | None) -> str:
    # the room's address (READINESS_PUBLIC_URL, never localhost when it is set) and the language
    base = public_base(st.context.url).url
    return f"{base}/?" + "&".join(f"{k}={v}" for k, v in {**params, "lang": lang}.items() if v)


def _demo_banner(meta: AssessmentMeta) -> None:
    """What the demo is, and the three steps through it; the facilitator link for those who want it."""
    with st.container(border=True):
        st.markdown(f"#### {tr('demo_banner_title', lang)}")
        st.write(tr("demo_banner", lang))
        steps = st.columns(3)
        for col, (n, page, key) in zip(steps, ((1, "workshop", "demo_step_workshop"), (2, "results", "demo_step_results"),
                                                (3, "results", "demo_step_report")), strict=True):
            col.page_link(PAGES[page], label=f"{n}. {tr(key, lang)}", query_params=ctx.params())
        fac_key = st.session_state.get(f"demo_key::{meta.id}")
        if fac_key and not is_facilitator(ctx):
            with st.expander(tr("demo_facilitator", lang)):
                st.caption(tr("demo_facilitator_hint", lang))
                st.code(_link(a=meta.id, f=fac_key), language=None)


if meta is not None:
    tpl = templates().get(meta.template_id)
    if find_demo(repository()) == meta.id:
        _demo_banner(meta)
    st.subheader(plain(meta.organisation) + (f" · {plain(meta.project)}" if meta.project else ""))
    if tpl:
        st.write(tpl.title.get(lang))
        base = repository().get_assessment_meta(meta.baseline_id) if meta.baseline_id else None
        now = combined_result(meta, tpl)
        st.caption(assessment_summary(meta.created_at, base.created_at if base else None, now.completion,
                                      verdict_label(tpl, now.verdict, lang), lang))
    st.caption(f"{tr('facilitator', lang)}{colon(lang)}{plain(meta.facilitator)}")
    st.markdown(f"**{tr('share_link', lang)}**")
    st.code(_link(a=meta.id), language=None)
    st.caption(tr("keep_link", lang))
    if is_facilitator(ctx):
        st.markdown(f"**{tr('facilitator_link', lang)}**")
        st.code(_link(a=meta.id, f=ctx.facilitator_key), language=None)
        st.caption(tr("facilitator_link_hint", lang))
    elif not meta.has_facilitator_key:
        st.caption(tr("facilitator_key_missing", lang))
    me = joined(ctx) if ctx.respondent else None
    if me is not None:
        st.success(f"{tr('joined_as', lang)}{colon(lang)}{plain(me.name)}")
        with st.expander(tr("personal_link", lang)):
            st.code(_link(a=meta.id, who=me.name, t=me.token), language=None)
            st.caption(tr("personal_link_hint", lang))
        c1, c2 = st.columns(2)
        if tpl:
            c1.page_link(PAGES[tpl.phases[0].id], label=f"→ {tr('questionnaire', lang)}", query_params=ctx.params())
        c2.page_link(PAGES["results"], label=f"→ {tr('open_results', lang)}", query_params=ctx.params())
        if st.button(tr("switch_person", lang), key="switch_person"):
            go_to(Context(lang, meta.id, None, None, ctx.facilitator_key))
    else:
        with st.form("join_form"):
            st.markdown(f"**{tr('join', lang)}**")
            name = st.text_input(tr("your_name", lang), key="join_name", max_chars=80)
            role = st.text_input(tr("your_role", lang), key="join_role", max_chars=80,
                                 placeholder=tr("role_placeholder", lang))
            if st.form_submit_button(tr("join_button", lang)):
                if not name.strip():
                    st.error(tr("need_name", lang))
                else:
                    try:
                        me = repository().join_as(meta.id, name, role)
                    except StorageUnavailable:
                        st.error(tr("save_failed", lang))
                    except NameTaken:
                        st.warning(tr("name_taken", lang, name=plain(normalise_name(name))))
                    except InvalidInput as e:
                        st.warning(name_problem(name, e, lang))
                    else:
                        go_to(Context(lang, meta.id, me.name, me.token, ctx.facilitator_key))
    st.stop()

if ctx.assessment_id:
    st.warning(tr("not_found", lang))

@st.cache_resource(show_spinner=False, max_entries=8)
def _problems(signature: tuple) -> list:
    # keyed by the files' names, times and sizes: a template added or fixed shows up on the next run
    return template_problems()


tpls = templates()
problems = _problems(template_files_signature())
if problems:
    st.warning(tr("template_problems", lang, n=len({p.file for p in problems})))
    with st.expander(tr("template_problems_detail", lang)):
        # the messages quote the files' own text: shown as plain text, never as Markdown
        st.code("\n".join(p.located(lang) for p in problems), language=None)
with st.expander(tr("templates_available", lang, n=len(tpls))):
    for t in tpls.values():
        st.text(f"{t.title.get(lang)} · {t.id} v{t.version} · {tr('template_items', lang, n=len(t.items()))}")

col_new, col_open = st.columns([3, 2])
with col_new:
    st.subheader(tr("create", lang))
    with st.form("create_form"):
        tid = st.selectbox(tr("template", lang), list(tpls), key="new_template",
                           format_func=lambda k: tpls[k].title.get(lang))
        org = st.text_input(tr("organisation", lang), key="new_org", max_chars=120)
        project = st.text_input(tr("project", lang), key="new_project", max_chars=120)
        alang = st.radio(tr("assessment_language", lang), ["zh", "en"], key="new_lang", horizontal=True,
                         index=0 if lang == "zh" else 1, format_func=lambda x: {"zh": "中文", "en": "English"}[x])
        fac = st.text_input(tr("facilitator", lang), key="new_facilitator", max_chars=80)
        if st.form_submit_button(tr("create_button", lang), type="primary"):
            if not org.strip() or not fac.strip():
                st.error(tr("need_org", lang))
            else:
                repo = repository()
                key = new_secret()
                aid = repo.create_assessment(tpls[tid], org.strip(), project.strip(), alang, fac.strip(),
                                             facilitator_key=key)
                me = repo.join_as(aid, fac, tr("facilitator", alang))
                go_to(Context(alang, aid, me.name, me.token, key))

with col_open:
    st.subheader(tr("open", lang))
    raw = st.text_input(tr("open_hint", lang), key="open_link")
    if st.button(tr("open_button", lang), key="open_button"):
        m = re.search(r"[?&]a=([A-Za-z0-9_-]+)", raw) or re.fullmatch(r"\s*([A-Za-z0-9_-]{16,})\s*", raw)
        found = m and repository().get_assessment_meta(m.group(1))
        if found:
            go_to(Context(lang, found.id, None))
        else:
            st.error(tr("not_found", lang))
    st.subheader(tr("demo", lang))
    st.caption(tr("demo_hint", lang))
    if st.button(tr("demo", lang), key="demo_button"):
        # the same demo each time (one per database); the visitor joins it as a guest of their own
        aid, key = open_demo(repository(), tpls, lang)
        st.session_state[f"demo_key::{aid}"] = key
        for n in range(1, 1000):
            try:
                guest = repository().join_as(aid, f"{tr('guest', lang)} {n}", tr("guest_role", lang))
                break
            except NameTaken:
                continue
        go_to(Context(lang, aid, guest.name, guest.token))

@st.cache_data(show_spinner=False, max_entries=2000, ttl=60)
def _standing(aid: str, updated_at: object, template_id: str) -> tuple[float, str]:
    """Completion and verdict id of one listed assessment; kept while it is unchanged (a minute at most)."""
    now = combined_result(assessment_meta(repository(), aid), tpls[template_id])
    return now.completion, now.verdict


def _admin_row(row: AdminRow, pw: str) -> None:
    """One assessment: who and what (the template's title, never its id), when, how far, the verdict."""
    m = row.meta
    tpl = tpls.get(m.template_id)
    title = tpl.title.get(lang) if tpl else tr("admin_unknown_template", lang)
    label = " · ".join(x for x in (plain(m.organisation), plain(m.project), title) if x)
    completion, verdict = _standing(m.id, m.updated_at, m.template_id) if tpl else (None, None)  # this page only
    summary = assessment_summary(m.created_at, row.baseline_created_at, completion,
                                 verdict_label(tpl, verdict, lang) if tpl is not None and verdict is not None else None, lang)
    if m.archived_at is not None:
        summary += " · " + tr("admin_archived_on", lang, at=f"{m.archived_at:%Y-%m-%d}")
    c1, c2, c3 = st.columns([4, 1, 1])
    c1.page_link(PAGES["home"], label=label, query_params=Context(lang, m.id, None).params())
    c1.caption(summary)
    if c2.button(tr("issue_facilitator", lang), key=f"issue::{m.id}"):
        try:
            key = repository().issue_facilitator_key(m.id, pw)
        except (AdminAccessDenied, StorageUnavailable):
            st.error(tr("wrong_password", lang))
        else:
            st.info(tr("issued_facilitator", lang))
            st.code(_link(a=m.id, f=key), language=None)
    archived = m.archived_at is not None
    if c3.button(tr("admin_unarchive" if archived else "admin_archive", lang), key=f"archive::{m.id}"):
        try:
            repository().set_archived(m.id, not archived, pw)
        except (AdminAccessDenied, StorageUnavailable):
            st.error(tr("wrong_password", lang))
        else:
            st.rerun()


def _admin_list(pw: str) -> None:
    """The administrator's list: searched, filtered and paged by the database, 50 to a page."""
    search = st.text_input(tr("admin_search", lang), key="admin_search", max_chars=120)
    show_archived = st.toggle(tr("admin_show_archived", lang), key="admin_show_archived")
    if st.session_state.get("admin_query") != (search, show_archived):  # a new question starts at page 1
        st.session_state["admin_query"] = (search, show_archived)
        st.session_state["admin_page"] = 0
    q = search.strip().casefold()
    by_title = [t.id for t in tpls.values() if q and any(q in t.title.get(x).casefold() for x in ("zh", "en"))]
    page_no = st.session_state.get("admin_page", 0)
    try:
        found = repository().admin_page(pw, search=search, template_ids=by_title, archived=show_archived,
                                        page=page_no)
    except AdminAccessDenied:
        st.session_state.pop("admin_open", None)
        st.error(tr("wrong_password", lang))
        return
    except StorageUnavailable:
        st.error(tr("save_failed", lang))
        return
    if not found.rows and page_no > 0:  # the last page emptied (archived away): back to the first
        st.session_state["admin_page"] = 0
        st.rerun()
    if not found.rows:
        st.info(tr("admin_none_found", lang))
    for row in found.rows:
        _admin_row(row, pw)
    pages = max(1, math.ceil(found.total / found.per_page))
    st.caption(tr("admin_page_of", lang, page=page_no + 1, pages=pages, n=found.total))
    prev, nxt = st.columns(2)
    if prev.button(tr("admin_prev", lang), key="admin_prev", disabled=page_no == 0):
        st.session_state["admin_page"] = page_no - 1
        st.rerun()
    if nxt.button(tr("admin_next", lang), key="admin_next", disabled=page_no + 1 >= pages):
        st.session_state["admin_page"] = page_no + 1
        st.rerun()


with st.expander(tr("admin", lang)):
    pw = st.text_input(tr("password", lang), type="password", key="admin_pw")
    if st.button(tr("list_button", lang), key="admin_list"):
        guard = lockout.ADMIN
        if not admin_password():
            st.warning(tr("no_password_set", lang))
        elif (wait := guard.wait()) > 0:  # not even checked: a right guess must not show through a lock
            st.error(tr("admin_locked", lang, s=math.ceil(wait)))
        else:
            try:
                repository().admin_page(pw, per_page=1)  # the password is checked here, counted by the guard
            except AdminAccessDenied:
                st.session_state.pop("admin_open", None)
                wait = guard.failed()
                st.error(tr("wrong_password", lang) + (" " + tr("admin_locked", lang, s=math.ceil(wait))
                                                       if wait > 0 else ""))
            except StorageUnavailable:
                st.error(tr("save_failed", lang))
            else:
                guard.succeeded()
                st.session_state["admin_open"] = True
                st.session_state["admin_page"] = 0
    if st.session_state.get("admin_open"):
        _admin_list(pw)
