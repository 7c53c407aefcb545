"""Home: create, open or demo an assessment; join it under a name and role."""

from __future__ import annotations

import re

import streamlit as st

from storage import AdminAccessDenied, StorageUnavailable
from ui.common import PAGES, Context, admin_password, context, load_meta, repository, sidebar, templates
from ui.demo import create_demo
from ui.i18n import tr
from ui.services import template_files_signature, template_problems

ctx = context()
lang = ctx.lang
meta = load_meta(ctx)
sidebar(ctx, meta)

st.title(tr("app_title", lang))
st.caption(tr("tagline", lang))


def _go(assessment_id: str, who: str | None = None) -> None:
    st.session_state["ctx_a"], st.session_state["ctx_who"] = assessment_id, who
    st.query_params.update(Context(lang, assessment_id, who).params())
    st.rerun()


def _link(assessment_id: str) -> str:
    base = (st.context.url or "").split("?")[0].rstrip("/")
    if base.endswith("/home"):
        base = base[: -len("/home")]
    return f"{base}/?a={assessment_id}"


if meta is not None:
    tpl = templates().get(meta.template_id)
    st.subheader(f"{meta.organisation}" + (f" · {meta.project}" if meta.project else ""))
    if tpl:
        st.write(tpl.title.get(lang))
    st.caption(f"{tr('facilitator', lang)}: {meta.facilitator}")
    st.markdown(f"**{tr('share_link', lang)}**")
    st.code(_link(meta.id), language=None)
    st.caption(tr("keep_link", lang))
    if ctx.respondent:
        st.success(f"{tr('joined_as', lang)}: {ctx.respondent}")
        c1, c2 = st.columns(2)
        if tpl:
            c1.page_link(PAGES[tpl.phases[0].id], label=f"→ {tr('questionnaire', lang)}", query_params=ctx.params())
        c2.page_link(PAGES["results"], label=f"→ {tr('open_results', lang)}", query_params=ctx.params())
        if st.button(tr("switch_person", lang), key="switch_person"):
            st.session_state["ctx_who"] = None
            del st.query_params["who"]
            st.rerun()
    else:
        with st.form("join_form"):
            st.markdown(f"**{tr('join', lang)}**")
            name = st.text_input(tr("your_name", lang), key="join_name", max_chars=80)
            role = st.text_input(tr("your_role", lang), key="join_role", max_chars=80,
                                 placeholder="sales / marketing / IT / finance")
            if st.form_submit_button(tr("join_button", lang)):
                if not name.strip():
                    st.error(tr("need_name", lang))
                else:
                    try:
                        repository().join(meta.id, name.strip(), role.strip())
                    except StorageUnavailable:
                        st.error(tr("save_failed", lang))
                    else:
                        _go(meta.id, name.strip())
    st.stop()

if ctx.assessment_id:
    st.warning(tr("not_found", lang))

@st.cache_resource(show_spinner=False, max_entries=8)
def _problems(signature: tuple) -> list:  # noqa: ARG001 - the cache key
    # keyed by the files' names, times and sizes: a template added or fixed shows up on the next run
    return template_problems()


tpls = templates()
problems = _problems(template_files_signature())
if problems:
    st.warning(tr("template_problems", lang, n=len({p.file for p in problems})))
    with st.expander(tr("template_problems_detail", lang)):
        # the messages quote the files' own text: shown as plain text, never as Markdown
        st.code("\n".join(str(p) for p in problems), language=None)
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
        alang = st.radio(tr("language", lang), ["zh", "en"], key="new_lang", horizontal=True,
                         index=0 if lang == "zh" else 1, format_func=lambda x: {"zh": "中文", "en": "English"}[x])
        fac = st.text_input(tr("facilitator", lang), key="new_facilitator", max_chars=80)
        if st.form_submit_button(tr("create_button", lang), type="primary"):
            if not org.strip() or not fac.strip():
                st.error(tr("need_org", lang))
            else:
                repo = repository()
                aid = repo.create_assessment(tpls[tid], org.strip(), project.strip(), alang, fac.strip())
                repo.join(aid, fac.strip(), tr("facilitator", alang))
                st.session_state["ctx_lang"] = alang
                lang = alang
                _go(aid, fac.strip())

with col_open:
    st.subheader(tr("open", lang))
    raw = st.text_input(tr("open_hint", lang), key="open_link")
    if st.button(tr("open_button", lang), key="open_button"):
        m = re.search(r"[?&]a=([A-Za-z0-9_-]+)", raw) or re.fullmatch(r"\s*([A-Za-z0-9_-]{16,})\s*", raw)
        found = m and repository().get_assessment_meta(m.group(1))
        if found:
            _go(found.id)
        else:
            st.error(tr("not_found", lang))
    st.subheader(tr("demo", lang))
    st.caption(tr("demo_hint", lang))
    if st.button(tr("demo", lang), key="demo_button"):
        aid, who = create_demo(repository(), tpls, lang)
        _go(aid, who)

with st.expander(tr("admin", lang)):
    pw = st.text_input(tr("password", lang), type="password", key="admin_pw")
    if st.button(tr("list_button", lang), key="admin_list"):
        if not admin_password():
            st.warning(tr("no_password_set", lang))
        else:
            try:
                rows = repository().list_assessments(pw)
            except AdminAccessDenied:
                st.error(tr("wrong_password", lang))
            else:
                for m in rows:
                    st.page_link(PAGES["home"], label=f"{m.organisation} · {m.project} · {m.template_id} · "
                                 f"{m.created_at:%Y-%m-%d}", query_params=Context(lang, m.id, None).params())
