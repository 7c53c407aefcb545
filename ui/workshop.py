"""Workshop: who answered, the rounds (blind until revealed, a second round on disputed items), where
the room disagrees with its notes beside, what it decided, and the facilitator's call."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from checklists import NA, Value
from scoring import Answer, disagreements, disputed_items, term
from services import room_answers
from ui.common import PAGES, combined_assessment, is_facilitator, open_page, repository
from ui.i18n import colon, list_sep, tr
from ui.room_figures import room_agreement, room_divergence, room_range, show_agreement, show_divergence, show_range
from ui.rounds_view import show_convergence
from ui.text import plain
from ui.views import answer_text
from ui.workshop_views import (
    PUBLIC_URL_ENV,
    not_answered,
    notes_beside,
    participant_link,
    phase_progress,
    public_base,
)

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
facilitating = is_facilitator(ctx)

st.title(tr("workshop", lang))

base = public_base(st.context.url)
st.markdown(f"**{tr('participant_link', lang)}**")
st.code(participant_link(base, meta.id, lang), language=None, wrap_lines=True)
if base.local:
    st.caption(tr("public_url_hint", lang, env=PUBLIC_URL_ENV))
st.page_link(PAGES["room"], label=f"→ {tr('room_view', lang)}", query_params=ctx.params())


def _seen_now() -> str:
    """A fingerprint of what the room may see now (answers as revealed, rounds, decisions)."""
    return repr((sorted((who, sorted((k, a.model_dump_json()) for k, a in per.items()))
                        for who, per in room_answers(repo, meta.id, tpl).items()), repo.round_state(meta.id)))


@st.fragment(run_every=5)
def _who_answered() -> None:
    """Who joined and how far each is: refreshes by itself (only a button inside, so nobody's choice is
    disturbed); shows counts, never answers. When what the room may see has changed since the page was
    drawn (new answers, a reveal), it offers to show it."""
    if st.session_state.get(f"ws_seen::{meta.id}") not in (None, _seen_now()):
        st.info(tr("new_answers", lang))
        if st.button(tr("show_new_answers", lang), key="ws_refresh"):
            st.rerun(scope="app")
    state = repo.round_state(meta.id)
    by_round = repo.load_rounds(meta.id)
    people = repo.list_respondents(meta.id)
    names = [p.name for p in people]
    st.subheader(f"{tr('respondents', lang)} ({len(people)})")
    st.dataframe(pd.DataFrame([{tr("your_name", lang): p.name, tr("role", lang): p.role,
                                tr("answered_count", lang): p.answered} for p in people]),
                 hide_index=True, key="respondent_table")
    cols = st.columns(max(1, len(tpl.phases)))
    for col, (pid, given, expected) in zip(cols, phase_progress(tpl, state, by_round, names, meta.out_of_scope),
                                           strict=False):
        col.metric(tpl.phase(pid).title.get(lang), f"{given}/{expected}")


st.session_state[f"ws_seen::{meta.id}"] = _seen_now()
_who_answered()

state = repo.round_state(meta.id)
by_round = repo.load_rounds(meta.id)
people = sorted(by_round.get(1, {}))
threshold = float(meta.settings.spread_threshold)

# -- rounds ------------------------------------------------------------------------------------
st.subheader(tr("rounds", lang))
if not state.blind:
    st.caption(tr("rounds_off", lang))
    if facilitating and st.button(tr("open_round_1", lang), key="round_open_1", type="primary"):
        repo.open_round(meta.id)
        st.rerun()
else:
    hidden = [it for it in tpl.items() if not state.is_revealed(state.round_for(it.id), it.id)]
    st.info(tr("round_open", lang, n=state.current, hidden=len(hidden)))
    if facilitating:
        c1, c2, c3 = st.columns([1, 2, 1])
        if c1.button(tr("reveal_all", lang), key="reveal_all", disabled=not hidden):
            for number in state.rounds:
                repo.reveal(meta.id, number, [it.id for it in tpl.items()])
            st.rerun()
        pid = c2.selectbox(tr("reveal_phase_pick", lang), [p.id for p in tpl.phases], key="reveal_phase_pick",
                           format_func=lambda p: tpl.phase(p).title.get(lang))
        if c3.button(tr("reveal_phase", lang), key="reveal_phase"):
            for number in state.rounds:
                repo.reveal(meta.id, number, [it.id for it in tpl.phase(pid).items])
            st.rerun()
        # a next round for the disputed items the room has seen and discussed, not yet asked again
        seen = room_answers(repo, meta.id, tpl)
        candidates = [i for i in disputed_items(tpl, seen, threshold)
                      if i not in state.decided and state.is_revealed(state.round_for(i), i)]
        if candidates:
            pick = st.multiselect(tr("next_round_items", lang, n=state.current + 1), candidates, default=candidates,
                                  key=f"next_round_items::{state.current}", format_func=lambda i: tpl.item(i).question.get(lang))
            if st.button(tr("open_next_round", lang, n=state.current + 1, k=len(pick)), key="round_open_next",
                         disabled=not pick):
                repo.open_round(meta.id, pick)
                st.rerun()
    else:
        st.caption(tr("facilitator_only", lang))

show_convergence(repo, meta, tpl, lang, "workshop")

# -- settings ----------------------------------------------------------------------------------
methods = ["mean", "min", "final"]
c1, c2 = st.columns(2)
method = c1.radio(tr("method", lang), methods, index=methods.index(meta.settings.method), key="ws_method",
                  format_func=lambda m: tr(f"method_{m}", lang), disabled=not facilitating,
                  help=tr("method_mean_help", lang))
threshold_set = c2.slider(tr("threshold", lang), 0.0, 1.0, threshold, 0.05, key="ws_threshold",
                          disabled=not facilitating)
if not facilitating:
    st.caption(tr("facilitator_only", lang))
elif (method, threshold_set) != (meta.settings.method, meta.settings.spread_threshold):
    repo.update_settings(meta.id, method=method, spread_threshold=threshold_set)
    st.rerun()

# -- the room's figures: score range, agreement, roles ---------------------------------------------
visible = room_answers(repo, meta.id, tpl)  # a blind round's hidden items are not in it, for anyone
combined_now = combined_assessment(meta, tpl)
st.subheader(tr("room_figures", lang))
show_range(tpl, room_range(tpl, combined_now), lang, "workshop")
show_agreement(tpl, room_agreement(tpl, visible), lang, "workshop")
show_divergence(tpl, room_divergence(tpl, visible, {p.name: p.role for p in repo.list_respondents(meta.id)}),
                lang, "workshop")

# -- the agenda --------------------------------------------------------------------------------
final = repo.load_final_answers(meta.id)
agenda = disagreements(tpl, visible, threshold, meta.settings.method, final)
f1, f2 = st.columns(2)
show_decided = f1.toggle(tr("show_decided", lang), key="show_decided")
phase_filter = f2.multiselect(tr("filter_phase", lang), [p.id for p in tpl.phases], key="agenda_phase",
                              format_func=lambda p: tpl.phase(p).title.get(lang))
shown = [d for d in agenda if (show_decided or d.item_id not in state.decided)
         and (not phase_filter or tpl.item(d.item_id).phase_id in phase_filter)]
st.subheader(f"{tr('agenda', lang)} ({len(shown)})")
decided_out = sum(d.item_id in state.decided for d in agenda)
if decided_out and not show_decided:
    st.caption(tr("decided_hidden", lang, n=decided_out))
if not agenda:
    st.success(tr("no_disagreement", lang))
combined = combined_now.answers


def _badges(item_id: str) -> str:
    item = tpl.item(item_id)
    out = f":blue-badge[{tpl.phase(item.phase_id).title.get(lang)}]"
    if item.criticality.value == "must":
        out += f" :red-badge[{tr('must_badge', lang)}]"
    if item_id in state.decided:
        out += f" :green-badge[{tr('decided', lang)}]"
    if state.round_for(item_id) > 1:
        out += f" :violet-badge[{tr('round_badge', lang, n=state.round_for(item_id))}]"
    return out


def _missing(item_id: str) -> None:
    waiting = not_answered(state, by_round, people, item_id)
    if waiting:
        st.caption(f"{tr('not_answered_by', lang)}{colon(lang)}" + list_sep(lang).join(plain(w) for w in waiting))


for d in shown:
    item = tpl.item(d.item_id)
    with st.container(border=True):
        st.markdown(f"**{item.question.get(lang)}** {_badges(item.id)} · {tr('spread', lang)} {d.spread:.2f}")
        st.write(" · ".join(f"{plain(who)}{colon(lang)}{plain(answer_text(tpl, item.id, v, lang))}"
                            for who, v in d.values.items()))
        if d.tie:  # never silently resolved: the room decides
            st.caption(f"{term('tie', lang)}{colon(lang)}" + " / ".join(plain(answer_text(tpl, item.id, v, lang)) for v in d.tie))
        if d.dropped:
            st.caption(f"{term('dropped', lang)}{colon(lang)}"
                       + list_sep(lang).join(plain(answer_text(tpl, item.id, [v], lang)) for v in d.dropped))
        for who, text in notes_beside(item, visible):
            st.caption(f"{plain(who)}{colon(lang)}{plain(text)}")
        _missing(item.id)
        now = combined.get(item.id)
        st.caption(f"{tr('consolidated', lang)}{colon(lang)}"
                   f"{plain(answer_text(tpl, item.id, now.value if now else None, lang))}")
        if facilitating:
            c1, c2 = st.columns([1, 3])
            is_decided = c1.checkbox(tr("decided", lang), value=item.id in state.decided, key=f"decided::{item.id}")
            if is_decided != (item.id in state.decided):
                repo.set_decided(meta.id, item.id, is_decided)
                st.rerun()
            if item.kind.fixed_values and not item.kind.many_values:
                options: list[Value] = [None, *item.allowed_values(), *([NA] if item.allow_na else [])]
                current = decided_answer.value if (decided_answer := final.get(item.id)) is not None else None

                def final_label(v: Value, i: str = item.id) -> str:
                    return "—" if v is None else answer_text(tpl, i, v, lang)

                choice = c2.selectbox(tr("final_answer", lang), options, index=options.index(current),
                                      key=f"final::{item.id}", format_func=final_label)
                if choice != current:
                    repo.save_final_answer(meta.id, item.id, None if choice is None else Answer(value=choice))
                    st.rerun()

# items still hidden in a blind round: who has answered, never what
if state.blind:
    waiting_items = [it for it in tpl.items()
                     if not state.is_revealed(state.round_for(it.id), it.id)
                     and (not phase_filter or it.phase_id in phase_filter)]
    if waiting_items:
        with st.expander(f"{tr('hidden_items', lang)} ({len(waiting_items)})", expanded=facilitating):
            for it in waiting_items:
                c1, c2 = st.columns([4, 1])
                given = len(people) - len(not_answered(state, by_round, people, it.id))
                c1.markdown(f"{it.question.get(lang)} {_badges(it.id)} · "
                            f"{tr('answers_in', lang, n=given, m=len(people))}")
                if facilitating and c2.button(tr("reveal", lang), key=f"reveal::{it.id}"):
                    repo.reveal(meta.id, state.round_for(it.id), [it.id])
                    st.rerun()

# notes and free-text answers of every item the room can see, beside the item they belong to
texts = [(it, notes_beside(it, visible)) for it in tpl.items()]
texts = [(it, n) for it, n in texts if n and it.id not in {d.item_id for d in shown}
         and (show_decided or it.id not in state.decided)]
if texts:
    with st.expander(f"{tr('notes_and_texts', lang)} ({len(texts)})"):
        for it, found in texts:
            st.markdown(f"**{it.question.get(lang)}** {_badges(it.id)}")
            for who, text in found:
                st.caption(f"{plain(who)}{colon(lang)}{plain(text)}")
            if facilitating and st.checkbox(tr("decided", lang), value=it.id in state.decided,
                                            key=f"decided_text::{it.id}") != (it.id in state.decided):
                repo.set_decided(meta.id, it.id, it.id not in state.decided)
                st.rerun()

if facilitating:
    with st.expander(tr("set_final", lang)):
        ids = [it.id for it in tpl.items() if it.kind.fixed_values and not it.kind.many_values]
        pick_id = st.selectbox(term("item", lang), ids, key="final_pick",
                               format_func=lambda i: tpl.item(i).question.get(lang))
        item = tpl.item(pick_id)
        options = [*item.allowed_values(), *([NA] if item.allow_na else [])]
        val = st.selectbox(tr("final_answer", lang), options, key="final_value",
                           format_func=lambda v: answer_text(tpl, pick_id, v, lang))
        if st.button(tr("set_final", lang), key="final_save"):
            repo.save_final_answer(meta.id, pick_id, Answer(value=val))
            st.rerun()

    st.subheader(tr("mark_out_of_scope", lang))
    for ph in tpl.phases:
        out = ph.id in meta.out_of_scope
        c1, c2 = st.columns([1, 3])
        flag = c1.checkbox(ph.title.get(lang), value=out, key=f"scope::{ph.id}")
        reason = c2.text_input(tr("scope_reason", lang), value=meta.out_of_scope.get(ph.id, ""),
                               key=f"scope_reason::{ph.id}", disabled=not flag, max_chars=300)
        if flag != out or (flag and reason != meta.out_of_scope.get(ph.id, "")):
            repo.set_out_of_scope(meta.id, ph.id, reason if flag else None)
            st.rerun()
