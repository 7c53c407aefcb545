"""One phase of the questionnaire. Every change is written to the database in the widget's callback,
so a refresh, a closed tab or a restarted server loses nothing."""

from __future__ import annotations

import logging

import streamlit as st

from checklists import NA, AnswerType, Item, Template, is_shown
from scoring import Answer, Confidence, term
from storage import StorageUnavailable
from ui.common import PAGES, Context, context, open_page, repository, respondent_id
from ui.i18n import tr

log = logging.getLogger("readiness.ui")
UNSET = "__unset__"


def _key(kind: str, item_id: str) -> str:
    return f"{kind}::{item_id}"


def _widget_value(item: Item) -> object:
    """The widget's current value as an answer value (None = unanswered)."""
    ss = st.session_state
    if item.type is not AnswerType.status and ss.get(_key("na", item.id)):
        return NA
    raw = ss.get(_key("v", item.id))
    if raw == UNSET or raw is None:
        return None
    if item.type is AnswerType.multi:
        return list(raw) or None
    if item.type is AnswerType.text:
        return raw.strip() or None
    return raw


def _answer_from_widgets(item: Item) -> Answer:
    ss = st.session_state
    conf = ss.get(_key("c", item.id))
    return Answer(value=_widget_value(item), note=(ss.get(_key("n", item.id)) or "").strip() or None,
                  reason=(ss.get(_key("r", item.id)) or "").strip() or None,
                  confidence=Confidence(conf) if conf and conf != UNSET else None)


def _store(assessment_id: str, respondent: int, item_id: str, answer: Answer) -> None:
    repo = repository()
    if answer.value is None and not answer.note:
        repo.delete_answer(assessment_id, respondent, item_id)
    else:
        repo.save_answer(assessment_id, respondent, item_id, answer)


def _on_change(assessment_id: str, respondent: int, item: Item) -> None:
    answer = _answer_from_widgets(item)
    pending = st.session_state.setdefault("pending", {})
    try:
        _store(assessment_id, respondent, item.id, answer)
    except StorageUnavailable:
        # keep it in this session and retry at the top of every run until the database is back
        pending[(assessment_id, respondent, item.id)] = answer
        log.warning("save of %s deferred: database unavailable", item.id)
        return
    pending.pop((assessment_id, respondent, item.id), None)
    st.session_state.setdefault("synced", {})[item.id] = answer


def _flush_pending(lang: str) -> None:
    pending = st.session_state.get("pending") or {}
    if not pending:
        return
    for (aid, who, item_id), answer in list(pending.items()):
        try:
            _store(aid, who, item_id, answer)
        except StorageUnavailable:
            st.warning(tr("save_failed", lang))
            return
        del pending[(aid, who, item_id)]
    st.toast(tr("pending_saved", lang))


def _sync_widgets(items: list[Item], stored: dict[str, Answer]) -> None:
    """Put stored answers into the widgets when they changed elsewhere (another tab, an import)."""
    ss = st.session_state
    synced: dict[str, Answer] = ss.setdefault("synced", {})
    pending_ids = {k[2] for k in (ss.get("pending") or {})}
    for it in items:
        ans = stored.get(it.id, Answer())
        if it.id in pending_ids or (it.id in synced and synced[it.id] == ans):
            continue
        synced[it.id] = ans
        v = ans.value
        if it.type is AnswerType.status:
            ss[_key("v", it.id)] = v if v is not None else UNSET
        else:
            ss[_key("na", it.id)] = v == NA
            if it.type is AnswerType.multi:
                ss[_key("v", it.id)] = list(v) if isinstance(v, list) else []
            elif it.type is AnswerType.text:
                ss[_key("v", it.id)] = "" if v in (None, NA) else str(v)
            elif it.type is AnswerType.number:
                ss[_key("v", it.id)] = None if v in (None, NA) else float(v)
            else:
                ss[_key("v", it.id)] = UNSET if v in (None, NA) else v
        ss[_key("n", it.id)] = ans.note or ""
        ss[_key("r", it.id)] = ans.reason or ""
        ss[_key("c", it.id)] = ans.confidence.value if ans.confidence else UNSET


def _label(tpl: Template, item: Item, lang: str) -> str:
    must = f" :red-badge[{tr('must_badge', lang)}]" if item.criticality.value == "must" else ""
    return f"**{item.question.get(lang)}**{must}"


def _answer_widget(tpl: Template, item: Item, lang: str, on_change, args) -> None:
    k = _key("v", item.id)
    common = dict(key=k, on_change=on_change, args=args, label_visibility="collapsed")
    label = item.question.get(lang)
    na_disabled = bool(st.session_state.get(_key("na", item.id)))
    if item.type is AnswerType.status:
        opts = [UNSET, "yes", "partial", "no"] + ([NA] if item.allow_na else [])
        st.radio(label, opts, horizontal=True,
                 format_func=lambda v: tr("unanswered", lang) if v == UNSET else term(v, lang), **common)
        return
    cols = st.columns([5, 1]) if item.allow_na else [st.container()]
    with cols[0]:
        if item.type is AnswerType.scale:
            labels = tpl.scale_labels(item)
            st.radio(label, [UNSET, 0, 1, 2, 3, 4], horizontal=True, disabled=na_disabled,
                     format_func=lambda v: tr("unanswered", lang) if v == UNSET else f"{v} {labels[v].get(lang)}",
                     **common)
        elif item.type is AnswerType.choice:
            names = {o.id: o.label.get(lang) for o in item.options or []}
            st.radio(label, [UNSET, *names], disabled=na_disabled,
                     format_func=lambda v: tr("unanswered", lang) if v == UNSET else names[v], **common)
        elif item.type is AnswerType.multi:
            names = {o.id: o.label.get(lang) for o in item.options or []}
            st.multiselect(label, list(names), format_func=names.get, disabled=na_disabled,
                           placeholder=tr("unanswered", lang), **common)
        elif item.type is AnswerType.number and item.number:
            unit = item.number.unit.get(lang)
            target = (f" · {tr('target', lang)} {item.number.target:g} {unit}"
                      if item.number.target is not None else "")
            st.number_input(f"{label} ({unit})", value=None, disabled=na_disabled, placeholder=f"{unit}{target}",
                            **common)
        else:
            st.text_area(label, max_chars=5000, height=80, **common)
    if item.allow_na and item.type is not AnswerType.text:
        cols[1].checkbox(term("na", lang), key=_key("na", item.id), on_change=on_change, args=args)


def _details(item: Item, lang: str, on_change, args) -> None:
    with st.expander(tr("guidance", lang)):
        st.markdown(item.guidance.get(lang))
        if item.evidence:
            st.caption(f"{tr('evidence_prompt', lang)}: {item.evidence.get(lang)}")
        c1, c2 = st.columns([3, 1])
        c1.text_input(tr("note", lang), key=_key("n", item.id), on_change=on_change, args=args, max_chars=2000)
        c2.selectbox(tr("confidence", lang), [UNSET, "guess", "belief", "evidence"], key=_key("c", item.id),
                     format_func=lambda v: "—" if v == UNSET else term(v, lang), on_change=on_change, args=args)
        if _widget_value(item) == NA:
            st.text_input(tr("reason_na", lang), key=_key("r", item.id), on_change=on_change, args=args,
                          max_chars=500)


def render(phase_id: str) -> None:
    # answers a failed save kept in this session: stored now, or one warning that they are still kept;
    # before the page reads the database, so an outage that hides the assessment still says so
    _flush_pending(context().lang)
    ctx, meta, tpl = open_page()
    lang = ctx.lang
    if not ctx.respondent:
        st.info(tr("join", lang))
        st.page_link(PAGES["home"], label=tr("join", lang), query_params=ctx.params())
        return
    phase = tpl.phase(phase_id)
    st.title(phase.title.get(lang))
    if phase.description:
        st.caption(phase.description.get(lang))

    repo = repository()
    rid = respondent_id(ctx)
    stored = repo.load_answers(meta.id).get(ctx.respondent, {})
    all_items = tpl.items()
    # answers given in this session but not yet stored still decide what is shown
    pending = {k[2]: a for k, a in (st.session_state.get("pending") or {}).items()}
    mine = {**stored, **pending}
    _sync_widgets(phase.items, mine)

    if phase_id in meta.out_of_scope:
        st.warning(f"{tr('phase_out_of_scope', lang)}: {meta.out_of_scope[phase_id]}")

    items_by_id = {it.id: it for it in all_items}
    values = {k: a.value for k, a in mine.items()}
    shown = [it for it in phase.items if is_shown(it, values, items_by_id)]
    questions = [it for it in shown if it.type is not AnswerType.text]
    answered = [it for it in questions if it.id in mine and mine[it.id].is_answered]
    st.progress(len(answered) / len(questions) if questions else 1.0,
                text=f"{tr('progress', lang)}: " + tr("phase_progress", lang, a=len(answered), n=len(questions)))
    _overall_progress(tpl, mine, items_by_id, lang)
    only_open = st.toggle(tr("only_unanswered", lang), key=f"only_open::{phase_id}")
    hidden = len(phase.items) - len(shown)
    if hidden:
        st.caption(tr("hidden_count", lang, n=hidden))

    args = None
    sections = {s.id: s.title.get(lang) for s in phase.sections}
    current_section = None
    visible = [it for it in shown if not (only_open and it in answered)]
    if only_open and not [it for it in visible if it.type is not AnswerType.text]:
        st.success(tr("all_answered", lang))
    for it in visible:
        if it.section_id in sections and it.section_id != current_section:
            current_section = it.section_id
            st.subheader(sections[current_section])
        args = (meta.id, rid, it)
        with st.container(border=True):
            st.markdown(_label(tpl, it, lang))
            _answer_widget(tpl, it, lang, _on_change, args)
            _details(it, lang, _on_change, args)
    _next_links(tpl, phase_id, ctx)


def _overall_progress(tpl: Template, mine: dict[str, Answer], items_by_id: dict[str, Item], lang: str) -> None:
    values = {k: a.value for k, a in mine.items()}
    qs = [it for it in tpl.items() if it.type is not AnswerType.text and is_shown(it, values, items_by_id)]
    done = sum(1 for it in qs if it.id in mine and mine[it.id].is_answered)
    st.caption(f"{tr('overall_progress', lang)}: {done}/{len(qs)}")


def _next_links(tpl: Template, phase_id: str, ctx: Context) -> None:
    ids = [p.id for p in tpl.phases]
    i = ids.index(phase_id)
    cols = st.columns(2)
    if i + 1 < len(ids):
        cols[0].page_link(PAGES[ids[i + 1]], label=f"→ {tpl.phases[i + 1].title.get(ctx.lang)}",
                          query_params=ctx.params())
    cols[1].page_link(PAGES["results"], label=f"→ {tr('open_results', ctx.lang)}", query_params=ctx.params())
