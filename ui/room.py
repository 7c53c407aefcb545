"""The room view, for the projector: the join link and its QR code, who has joined, answers arriving per
phase (refreshing by itself), and after a reveal the distribution of answers per item. Large type; it
shows counts and revealed answers only, never an answer still hidden in a blind round."""

from __future__ import annotations

import io

import segno
import streamlit as st

from scoring import term
from services import room_answers, room_assessment
from ui.common import open_page, repository
from ui.i18n import tr
from ui.room_figures import room_agreement, room_range, show_range
from ui.text import plain
from ui.workshop_views import PUBLIC_URL_ENV, distribution, participant_link, phase_progress, public_base

REFRESH_SECONDS = 3

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()

st.markdown("""<style>
.stApp [data-testid="stMarkdownContainer"] p, .stApp [data-testid="stMarkdownContainer"] li { font-size: 1.5rem; }
.stApp h1 { font-size: 3rem; }
.stApp [data-testid="stCode"] code { font-size: 1.4rem; }
</style>""", unsafe_allow_html=True)

st.title(tr("room_title", lang))
st.markdown(f"**{plain(meta.organisation)}**" + (f" · {plain(meta.project)}" if meta.project else ""))
base = public_base(st.context.url)
link = participant_link(base, meta.id, lang)
left, right = st.columns([3, 2])
with left:
    st.markdown(f"### {tr('room_join', lang)}")
    st.code(link, language=None, wrap_lines=True)
    if base.local:
        st.caption(tr("public_url_hint", lang, env=PUBLIC_URL_ENV))
with right:
    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=8, border=2)
    st.image(png.getvalue(), caption=tr("room_scan", lang), width=280)


def _bar(n: int, most: int) -> str:
    return "█" * max(1, round(12 * n / most)) if most else ""


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    """Everything that changes while the room answers; no widget inside, so a refresh disturbs nobody."""
    state = repo.round_state(meta.id)
    by_round = repo.load_rounds(meta.id)
    people = sorted(by_round.get(1, {}))
    st.markdown(f"### {tr('room_joined', lang, n=len(people))}")
    st.markdown(" · ".join(f"**{plain(p)}**" for p in people) or "—")
    if state.blind:
        st.info(tr("room_blind", lang, n=state.current))
    st.markdown(f"### {tr('room_live', lang)}")
    for pid, given, expected in phase_progress(tpl, state, by_round, people, meta.out_of_scope):
        st.progress(given / expected if expected else 0.0,
                    text=tr("room_phase_progress", lang, phase=tpl.phase(pid).title.get(lang), a=given, n=expected))
    visible = room_answers(repo, meta.id, tpl)
    show_range(tpl, room_range(tpl, room_assessment(repo, meta.id, tpl)), lang, "room")
    agreed = room_agreement(tpl, visible)
    if agreed is not None and agreed.respondents >= 2:
        a = agreed.overall.ordinal_alpha
        st.metric(term("alpha", lang), "—" if a is None else f"{a:.2f}")
    items = [it for it in tpl.items() if (state.is_revealed(state.round_for(it.id), it.id) if state.blind
                                          else any(it.id in per for per in visible.values()))]
    shown = [(it, counts) for it in items if (counts := distribution(tpl, it, visible, lang))]
    st.markdown(f"### {tr('room_revealed', lang, n=len(shown))}")
    if not shown:
        st.caption(tr("room_nothing_revealed", lang))
    for it, counts in shown:
        most = max(n for _, n in counts)
        with st.container(border=True):
            st.markdown(f"**{it.question.get(lang)}**")
            st.markdown("\n".join(f"- {plain(label)} :blue[{_bar(n, most)}] **{n}**" for label, n in counts))


live()
