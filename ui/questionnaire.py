"""One phase of the questionnaire: it shows what is stored and stores what a person changes, whatever
path they took to get here.

- Every widget of an item is drawn from the stored answer. Its key carries a generation that changes
  only when the stored answer changed elsewhere (another tab, another door), and the language; so a
  page switch, a filter, a `depends_on` parent hiding and showing its children, the language switch
  or a new session all show exactly what is stored.
- A change is found by comparing each widget with what it was drawn with, not by callbacks: a
  coalesced rerun or a session that began after a server restart still delivers it.
- Only the fields a person changed are written, with the version the page showed: a change made in
  an older tab never overwrites a newer answer; the page says so and shows the stored one.
- Every change goes through this session's queue before the database; a write the database refuses
  stays queued, is re-sent every few seconds without a refresh, and the page says it is not saved yet.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any, cast

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from checklists import NA, OPTION_STATES, UNEXAMINED, Item, NumberType, OptionStatesType, Template, is_shown
from scoring import (
    NOTE_MAX,
    REASON_MAX,
    TEXT_MAX,
    Answer,
    Confidence,
    answer_progress,
    counts_for_progress,
    normalise_value,
    refusal_text,
    term,
)
from scoring import value_label as answer_words
from storage import (
    AnswerConflict,
    AnswerLocked,
    InvalidInput,
    StorageError,
    StorageFault,
    StorageUnavailable,
    StoredAnswer,
)
from ui.common import PAGES, Context, context, joined, open_page, repository, templates
from ui.faults import show_fault
from ui.i18n import colon, tr
from ui.rounds_view import asked_again, round_hint
from ui.text import plain

log = logging.getLogger("readiness.ui")
UNSET = "__unset__"
RETRY_SECONDS = 3
# widget kind → the answer field it edits
FIELDS = {"v": "value", "na": "value", "n": "note", "r": "reason", "c": "confidence"}


@dataclass
class Shown:
    """What an item's widgets were drawn with: the generation in their keys, the language, the stored
    version the page shows, and each widget's value as the page knows it."""

    gen: int
    lang: str
    version: int
    drawn: dict[str, Any]
    scope: str = ""  # the assessment, so another assessment's widgets are never taken for these


@dataclass
class Sheet:
    """This session's record of one respondent's page of one assessment."""

    respondent: int
    template_id: str
    scope: str
    shown: dict[str, Shown] = field(default_factory=dict)
    # item id → (the fields changed, the version they were made over); not yet stored
    queue: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    last_try: float = 0.0
    fault: StorageError | None = None  # why the queue is not empty
    # every answer of this person as the page knows it (stored, with what is queued): the progress
    # figures and which items are shown, without a database read on a click that redraws one item
    mine: dict[str, Answer] = field(default_factory=dict)
    page: set[str] = field(default_factory=set)  # the items the last whole-page run drew


@dataclass(frozen=True)
class Index:
    """A template's items by id with their numbers ("2.14"): one lookup per item, not a scan."""

    items: dict[str, Item]
    numbers: dict[str, str]


_INDEXES: dict[int, tuple[Template, Index]] = {}


def index(tpl: Template) -> Index:
    """The template's index, built once per loaded template (templates are cached, so few)."""
    held = _INDEXES.get(id(tpl))
    if held is None or held[0] is not tpl:
        numbers = {it.id: f"{p}.{i}" for p, ph in enumerate(tpl.phases, start=1)
                   for i, it in enumerate(ph.items, start=1)}
        held = (tpl, Index({it.id: it for it in tpl.items()}, numbers))
        _INDEXES[id(tpl)] = held
    return held[1]


def _sheet_key(assessment_id: str | None) -> str:
    return f"questionnaire::{assessment_id}"


def _key(kind: str, item_id: str, s: Shown) -> str:
    return f"{kind}::{item_id}::{s.scope}.{s.gen}::{s.lang}"


# -- answers <-> widget values ---------------------------------------------------------------

def _options(tpl: Template, item: Item) -> list[Any]:
    inline_na = [NA] if item.allow_na and item.kind.widget.na == "option" else []
    return [UNSET, *item.allowed_values(), *inline_na]


def widget_values(tpl: Template, item: Item, a: Answer) -> dict[str, Any]:
    """The widgets' values that show answer `a` (only values the widgets can hold)."""
    v = a.value
    out: dict[str, Any] = {"n": a.note or "", "c": a.confidence.value if a.confidence else UNSET,
                           "r": a.reason or ""}
    widget = item.kind.widget
    if widget.na != "option":
        out["na"] = v == NA
    if widget.kind == "multiselect":
        ids = item.allowed_values()
        out["v"] = [i for i in ids if isinstance(v, list) and i in v]
    elif widget.kind == "number":
        out["v"] = cast(NumberType, item.kind).field_value(item, v)  # the number widget is the number type's
    elif widget.kind == "text":
        out["v"] = v if isinstance(v, str) and v != NA else ""
    elif widget.kind == "option_states":
        out["v"] = cast(OptionStatesType, item.kind).states(item, None if v == NA else v)
    else:
        out["v"] = v if v in _options(tpl, item) else UNSET
    return out


def answer_fields(item: Item, w: dict[str, Any], kinds: set[str]) -> dict[str, Any]:
    """The answer fields that widgets of `kinds` now say (the inverse of widget_values)."""
    out: dict[str, Any] = {}
    if kinds & {"v", "na"}:
        raw = w.get("v")
        widget = item.kind.widget
        if widget.na != "option" and w.get("na"):
            value: Any = NA
        elif raw is None or raw == UNSET:
            value = None
        elif widget.kind == "multiselect":
            value = [i for i in item.allowed_values() if i in raw] or None
        elif widget.kind == "number":
            value = int(raw) if float(raw).is_integer() else float(raw)
        elif widget.kind == "text":
            value = str(raw).strip() or None
        elif widget.kind == "option_states":
            value = {i: state for i, state in raw.items() if state != UNEXAMINED} or None
        else:
            value = raw
        out["value"] = value
    if "n" in kinds:
        out["note"] = (w.get("n") or "").strip() or None
    if "r" in kinds:
        out["reason"] = (w.get("r") or "").strip() or None
    if "c" in kinds:
        c = w.get("c")
        out["confidence"] = Confidence(c) if c and c != UNSET else None
    return out


def _apply(a: Answer, changes: dict[str, Any]) -> Answer:
    return a.model_copy(update=changes)


# -- the write path ----------------------------------------------------------------------------

def _read_widgets(item: Item, s: Shown) -> dict[str, Any]:
    """The values the browser sent for the widgets this page drew last time (those still drawn)."""
    ss = st.session_state
    out = {}
    for kind in FIELDS:
        k = _key(kind, item.id, s)
        if k in ss:
            out[kind] = ss[k]
    if item.kind.widget.kind == "option_states":  # one widget per option: the answer is all of them
        parts = {o.id: ss[_part_key(item.id, o.id, s)] for o in item.options or [] if _part_key(item.id, o.id, s) in ss}
        if parts:
            out["v"] = {**s.drawn.get("v", {}), **parts}
    return out


def _part_key(item_id: str, part: str, s: Shown) -> str:
    return f"{_key('v', item_id, s)}::{part}"


def _collect(sheet: Sheet, tpl: Template) -> dict[str, dict[str, Any]]:
    """Queue every field a person changed since the page was drawn (no database needed); a value the
    item refuses (a number out of its bounds) is not queued and the page says why. The items that
    changed, with their changed fields (empty for a refused value)."""
    found: dict[str, dict[str, Any]] = {}
    items = index(tpl).items
    for item_id, s in sheet.shown.items():
        item = items[item_id]
        got = _read_widgets(item, s)
        changed = {k for k, v in got.items() if v != s.drawn.get(k)}
        if not changed:
            continue
        found[item_id] = {}
        fields = answer_fields(item, {**s.drawn, **got}, changed)
        try:
            normalise_value(item, fields.get("value"))
        except ValueError as e:
            st.session_state.setdefault("questionnaire_refused", []).append(refusal_text(e, s.lang))
            sheet.shown[item_id] = replace(s, gen=s.gen + 1)  # drawn anew with what it showed before
            continue
        s.drawn.update(got)
        queued, base = sheet.queue.get(item_id, ({}, s.version))
        sheet.queue[item_id] = ({**queued, **fields}, base)
        found[item_id] = fields
    return found


def _flush(sheet: Sheet, assessment_id: str, lang: str) -> bool:
    """Send the queue, oldest first; stop at the first outage. True when the queue is empty."""
    repo = repository()
    sheet.last_try = time.monotonic()
    for item_id in list(sheet.queue):
        changes, base = sheet.queue[item_id]
        try:
            stored = repo.update_answer(assessment_id, sheet.respondent, item_id, changes, expected_version=base)
        except (StorageUnavailable, StorageFault) as e:
            log.warning("save of %s kept in the session: %s", item_id, e)
            sheet.fault = e
            return False
        except AnswerConflict as e:
            log.info("change of %s refused: changed elsewhere since it was shown (or revealed)", item_id)
            del sheet.queue[item_id]
            _redraw(sheet, item_id, cast(StoredAnswer, e.current))  # a conflict carries the stored answer
            if isinstance(e, AnswerLocked):  # revealed to the room in this round: its answer is final
                st.session_state.setdefault("questionnaire_locked", []).append(item_id)
            else:
                sheet.notices.append(item_id)
            continue
        except (InvalidInput, StorageError) as e:
            log.warning("change of %s refused: %s", item_id, e)
            del sheet.queue[item_id]
            sheet.shown.pop(item_id, None)
            st.session_state.setdefault("questionnaire_refused", []).append(str(e))
            continue
        del sheet.queue[item_id]
        if item_id in sheet.shown:
            sheet.shown[item_id].version = stored.version
    sheet.fault = None  # the database took every write: no earlier fault is still the reason
    return True


def _redraw(sheet: Sheet, item_id: str, stored: StoredAnswer) -> None:
    """New widgets (a new generation) showing `stored`, the next time the item is drawn."""
    s = sheet.shown.get(item_id)
    if s is not None:
        tpl = templates()[sheet.template_id]
        drawn = widget_values(tpl, index(tpl).items[item_id], stored.answer)
        sheet.shown[item_id] = Shown(s.gen + 1, s.lang, stored.version, drawn, scope=s.scope)


@st.fragment(run_every=RETRY_SECONDS)
def _retry(assessment_id: str, lang: str) -> None:
    """While answers wait in this session, re-send them every few seconds and say so truthfully."""
    sheet: Sheet | None = st.session_state.get(_sheet_key(assessment_id))
    if sheet is None or not sheet.queue:
        return
    if time.monotonic() - sheet.last_try >= RETRY_SECONDS - 0.5 and _flush(sheet, assessment_id, lang):
        st.toast(tr("pending_saved", lang))
        st.rerun(scope="app")
    if isinstance(sheet.fault, StorageFault):  # not temporary: say what it is (and log its cause)
        show_fault(sheet.fault, lang, "saving answers")
    st.warning(tr("not_saved_yet", lang, n=len(sheet.queue)))


# -- drawing -----------------------------------------------------------------------------------

def _label(tpl: Template, item: Item, lang: str, s: Shown) -> str:
    """The question with its number ("2.14", as the report and exports number it), the must badge and,
    when the item holds a note, a note badge (the note itself is folded away under the guidance)."""
    must = f" :red-badge[{tr('must_badge', lang)}]" if item.criticality.value == "must" else ""
    note = f" :blue-badge[✎ {tr('has_note', lang)}]" if (s.drawn.get("n") or "").strip() else ""
    return f"**{index(tpl).numbers[item.id]}** **{item.question.get(lang)}**{must}{note}"


def _answer_widget(tpl: Template, item: Item, lang: str, s: Shown, on: dict[str, Any]) -> dict[str, Any]:
    d = s.drawn
    label = item.question.get(lang)
    common: dict[str, Any] = dict(key=_key("v", item.id, s), label_visibility="collapsed", **on)
    opts = _options(tpl, item)
    unanswered = tr("unanswered", lang)
    got: dict[str, Any] = {}
    widget = item.kind.widget

    def words(v: Any) -> str:
        return unanswered if v == UNSET else answer_words(tpl, item, v, lang)

    if widget.na == "option":
        got["v"] = st.radio(label, opts, index=opts.index(d["v"]), horizontal=widget.horizontal,
                            format_func=words, **common)
        return got
    na = bool(d.get("na"))
    if widget.kind == "radio":
        got["v"] = st.radio(label, opts, index=opts.index(d["v"]), horizontal=widget.horizontal, disabled=na,
                            format_func=words, **common)
    elif widget.kind == "multiselect":
        names = {o.id: o.label.get(lang) for o in item.options or []}
        got["v"] = st.multiselect(label, list(names), default=d["v"], format_func=lambda i: names[i], disabled=na,
                                  placeholder=unanswered, **common)
    elif widget.kind == "number" and item.number:
        unit = item.number.unit.get(lang)
        target = (f" · {tr('target', lang)} {item.number.target:g} {unit}"
                  if item.number.target is not None else "")
        got["v"] = st.number_input(f"{label} ({unit})", value=d["v"], disabled=na,
                                   placeholder=f"{unit}{target}", **cast(NumberType, item.kind).field(item), **common)
        st.caption(item.kind.allowed(item).get(lang))
    elif widget.kind == "option_states":
        states = list(OPTION_STATES)
        got["v"] = {o.id: st.radio(o.label.get(lang), states, index=states.index(d["v"][o.id]), horizontal=True,
                                   disabled=na, format_func=lambda v: OPTION_STATES[v].get(lang),
                                   key=_part_key(item.id, o.id, s), **on)
                    for o in item.options or []}
    else:
        got["v"] = st.text_area(label, value=d["v"], max_chars=max(TEXT_MAX, len(d["v"])), height=80,
                                disabled=na, **common)
    if item.allow_na and widget.na == "checkbox":  # under the answer (no column: the item's box stays one block)
        got["na"] = st.checkbox(term("na", lang), value=na, key=_key("na", item.id, s), **on)
    return got


def _details(item: Item, lang: str, s: Shown, on: dict[str, Any]) -> dict[str, Any]:
    d = s.drawn
    got: dict[str, Any] = {}
    # the note and basis widgets exist only while their box is open: every keyed widget on a page
    # costs each other one on every run (Streamlit), so a closed box costs one widget, not three
    # (a reason for n/a is drawn whenever n/a is chosen)
    box = st.expander(tr("guidance", lang), key=f"x::{item.id}::{s.scope}", on_change="rerun")
    with box:
        if box.open:  # the guidance too: a page of closed boxes is a page of short boxes for the browser
            st.markdown(item.guidance.get(lang))
            if item.evidence:
                st.caption(f"{tr('evidence_prompt', lang)}{colon(lang)}{item.evidence.get(lang)}")
            c1, c2 = st.columns([3, 1])
            got["n"] = c1.text_input(tr("note", lang), value=d["n"], key=_key("n", item.id, s), live="1s",
                                     max_chars=max(NOTE_MAX, len(d["n"])), **on)
            confidences = [UNSET, *(c.value for c in Confidence)]
            got["c"] = c2.selectbox(tr("confidence", lang), confidences, index=confidences.index(d["c"]),
                                    key=_key("c", item.id, s), format_func=lambda v: "—" if v == UNSET else term(v, lang),
                                    **on)
        if d.get("na") or d.get("v") == NA:
            got["r"] = st.text_input(tr("reason_na", lang), value=d["r"], key=_key("r", item.id, s), live="1s",
                                     max_chars=max(REASON_MAX, len(d["r"])), **on)
            if item.criticality.value == "must" and not d["r"].strip():
                st.caption(f":orange[{tr('must_na_needs_reason', lang)}]")
    return got


def _sheet_for(ctx: Context, respondent: int, tpl: Template) -> Sheet:
    ss = st.session_state
    sheet = ss.get(_sheet_key(ctx.assessment_id))
    if sheet is None or sheet.respondent != respondent or sheet.template_id != tpl.id:
        sheet = Sheet(respondent, tpl.id, (ctx.assessment_id or "")[:8])
        ss[_sheet_key(ctx.assessment_id)] = sheet
    return sheet


def _reconcile(sheet: Sheet, tpl: Template, stored: dict[str, StoredAnswer], item: Item, lang: str) -> Shown:
    """The item's Shown for this run: new if never drawn, a new generation if the stored answer
    changed elsewhere (telling the person if their own change there was refused)."""
    now = stored.get(item.id, StoredAnswer(answer=Answer(), version=0))
    queued = sheet.queue.get(item.id)
    s = sheet.shown.get(item.id)
    if s is None:
        answer = _apply(now.answer, queued[0]) if queued else now.answer
        s = Shown(0, lang, now.version, widget_values(tpl, item, answer), scope=sheet.scope)
    elif queued is None and (now.version != s.version or (
            now.version == 0 and Answer(**answer_fields(item, s.drawn, set(FIELDS))) != now.answer)):
        # changed elsewhere (versions only grow; an answer stored before versions existed is 0)
        s = Shown(s.gen + 1, lang, now.version, widget_values(tpl, item, now.answer), scope=sheet.scope)
    elif s.lang != lang:
        s = replace(s, lang=lang)
    sheet.shown[item.id] = s
    return s


def render(phase_id: str) -> None:
    _store_pending(phase_id)
    ctx, meta, tpl = open_page()
    lang = ctx.lang
    who = joined(ctx)
    if who is None:
        st.info(tr("join", lang))
        st.page_link(PAGES["home"], label=tr("join", lang), query_params=ctx.params(who=None, t=None))
        return
    sheet = _sheet_for(ctx, who.id, tpl)
    _show_notices(sheet, tpl, lang)

    phase = tpl.phase(phase_id)
    st.title(phase.title.get(lang))
    if phase.description:
        st.caption(phase.description.get(lang))
    try:
        stored = repository().load_respondent_answers(meta.id, who.id)
        again = asked_again(repository(), meta.id, who.id)  # workshop rounds: items asked again
        role = _my_role(tpl, meta.id, who.id)  # the template role this person named when joining
    except StorageError as e:
        if not show_fault(e, lang, "reading answers"):
            raise
        st.stop()
    mine = {k: v.answer for k, v in stored.items()}
    for item_id, (changes, _) in sheet.queue.items():
        mine[item_id] = _apply(mine.get(item_id, Answer()), changes)
    mine = {k: a for k, a in mine.items() if a != Answer()}

    if phase_id in meta.out_of_scope:
        st.warning(f"{tr('phase_out_of_scope', lang)}{colon(lang)}{plain(meta.out_of_scope[phase_id])}")

    items_by_id = index(tpl).items
    values = {k: a.value for k, a in mine.items()}
    shown = [it for it in phase.items if is_shown(it, values, items_by_id)]
    questions = [it for it in shown if counts_for_progress(it)]
    answered = [it for it in questions if it.id in mine and mine[it.id].is_answered]  # for the filter below
    sheet.mine = mine
    _progress(meta.id, phase_id, meta.out_of_scope, lang)
    only_open = st.toggle(tr("only_unanswered", lang), key=f"only_open::{phase_id}")
    hidden_by, waiting = _hidden(phase.items, shown, values)
    if hidden_by:
        st.caption(tr("hidden_count", lang, n=hidden_by))
    if waiting:
        st.caption(tr("follow_up_count", lang, n=waiting))

    sections = {s.id: s.title.get(lang) for s in phase.sections}
    visible = [it for it in shown if not (only_open and it in answered)]
    if only_open and not [it for it in visible if counts_for_progress(it)]:
        st.success(tr("all_answered", lang))
    own = _owned(tpl, shown, role)
    if own:  # the items of this person's role first (others one click away), numbers unchanged
        visible = _role_first(tpl, visible, own, shown, role, phase_id, lang)
    parts = _parts(visible)
    part = _part_choice(parts, phase_id, lang)
    first_drawn = _draw_items(sheet, tpl, stored, parts[part], own, sections, again, lang, (meta.id, phase_id))
    sheet.page = {it.id for it in parts[part]}
    _page_end(parts, part, phase_id, lang)
    _next_links(tpl, phase_id, ctx)
    _first_draw_changes(sheet, meta.id, lang, first_drawn)


def _store_pending(phase_id: str) -> None:
    """What the person changed, stored before anything reads the database; then go where they clicked."""
    ctx = context()
    sheet: Sheet | None = st.session_state.get(_sheet_key(ctx.assessment_id))
    if sheet is not None and ctx.assessment_id and sheet.template_id in templates():
        # what the person changed, before anything reads the database: an outage cannot lose it
        carried = bool(sheet.queue)  # changes an earlier run could not store
        late = _collect(sheet, templates()[sheet.template_id]) and _overtaken(phase_id)
        if sheet.queue and not _flush(sheet, ctx.assessment_id, ctx.lang):
            _retry(ctx.assessment_id, ctx.lang)
        elif carried:
            st.toast(tr("pending_saved", ctx.lang))
        if late and not sheet.queue:  # stored: now go where the person clicked
            st.switch_page(PAGES[late], query_params=ctx.params())


def _show_notices(sheet: Sheet, tpl: Template, lang: str) -> None:
    """Refused saves, answers changed elsewhere and locked answers since the last run."""
    for problem in st.session_state.pop("questionnaire_refused", []):
        st.error(f"{tr('not_saved', lang)}{colon(lang)}{plain(problem)}")
    for item_id in sheet.notices:
        st.warning(tr("changed_elsewhere", lang, item=tpl.item(item_id).question.get(lang)))
    for item_id in st.session_state.pop("questionnaire_locked", []):
        st.warning(tr("answer_locked", lang, item=tpl.item(item_id).question.get(lang)))
    sheet.notices.clear()


def _draw_items(sheet: Sheet, tpl: Template, stored: dict[str, StoredAnswer], visible: list[Item], own: set[str],
                sections: dict[str, str], again: Any, lang: str,
                where: tuple[str, str]) -> list[tuple[Item, Shown, dict[str, Any]]]:
    """The visible items under their section headings (own role's first), each its own fragment (`where`
    is the assessment and the phase); the ones drawn for the first time."""
    current_section = None
    first_drawn: list[tuple[Item, Shown, dict[str, Any]]] = []
    crossed = False
    for it in visible:
        if own and it.id not in own and not crossed:  # where the other roles' items begin
            crossed, current_section = True, None
            st.divider()
            st.markdown(f"**{tr('other_roles_items', lang)}**")
        if it.section_id in sections and it.section_id != current_section:
            current_section = it.section_id
            st.subheader(sections[current_section])
        new = it.id not in sheet.shown
        s = _reconcile(sheet, tpl, stored, it, lang)
        box = st.fragment(key=_box_key(it.id))(_item_box)
        got = box(*where, it.id, again.get(it.id) if it.id in again else None, lang)
        if new:
            first_drawn.append((it, s, got))
    return first_drawn


PART_ITEMS = 30  # a longer phase is shown this many items at a time: a page the browser redraws quickly


def _parts(visible: list[Item]) -> list[list[Item]]:
    """The visible items in parts of PART_ITEMS, in page order (at least one part, maybe empty)."""
    return [visible[i:i + PART_ITEMS] for i in range(0, len(visible), PART_ITEMS)] or [[]]


def _part_words(parts: list[list[Item]], k: int) -> dict[str, Any]:
    return {"first": sum(len(p) for p in parts[:k]) + 1, "last": sum(len(p) for p in parts[:k + 1]),
            "n": sum(len(p) for p in parts)}


def _phase_part_key(phase_id: str) -> str:
    return f"part::{phase_id}"


def _part_choice(parts: list[list[Item]], phase_id: str, lang: str) -> int:
    """Which part of a long phase is shown (every answer stays stored; each part shows its own)."""
    if len(parts) < 2:
        return 0
    options = list(range(len(parts)))
    key = _phase_part_key(phase_id)
    if st.session_state.get(key) not in options:  # fewer parts than before (a filter): the first
        st.session_state[key] = 0
    return int(st.selectbox(tr("phase_part", lang), options, key=key,
                            format_func=lambda k: tr("phase_part_range", lang, **_part_words(parts, k))))


def _page_end(parts: list[list[Item]], part: int, phase_id: str, lang: str) -> None:
    """Under the last item: the way on to the next part of a long phase; and the page's reconnect timer."""
    _reconnect_timer()
    if part + 1 >= len(parts):
        return

    def go() -> None:
        st.session_state[_phase_part_key(phase_id)] = part + 1

    words = _part_words(parts, part + 1)
    st.button(tr("phase_part_next", lang, first=words["first"], last=words["last"]), on_click=go,
              key=f"next_part::{phase_id}")


def _box_key(item_id: str) -> str:
    return f"item::{item_id}"


def _item_box(assessment_id: str, phase_id: str, item_id: str, again: Any, lang: str) -> dict[str, Any]:
    """One item's box, the body of its own fragment: a change to it redraws this box (and the progress
    figures), not the page. Drawn from what the page knows of it (`Sheet.shown`); the widgets' values."""
    sheet: Sheet | None = st.session_state.get(_sheet_key(assessment_id))
    s = sheet.shown.get(item_id) if sheet is not None else None
    tpl = templates().get(sheet.template_id) if sheet is not None else None
    if s is None or tpl is None:
        return {}
    item = index(tpl).items[item_id]
    on: dict[str, Any] = dict(on_change=_changed, args=(assessment_id, phase_id, item_id))
    with st.container(border=True):
        st.markdown(_label(tpl, item, lang, s))
        if again is not None:
            round_hint(tpl, item_id, again, lang)
        got = _answer_widget(tpl, item, lang, s, on)
        got.update(_details(item, lang, s, on))
    return got


def _changed(assessment_id: str, phase_id: str, item_id: str) -> None:
    """A widget of one item changed, in a run of that item's fragment alone: store the change now, then
    redraw only that item and the progress figures; the whole page when the change shows or hides
    other items, or the page has something to say (a refused or conflicting save, an outage). In a
    whole-page run this does nothing: the page's own start stores every change, as always."""
    run = get_script_run_ctx()
    sheet: Sheet | None = st.session_state.get(_sheet_key(assessment_id))
    if run is None or not run.fragment_ids_this_run or sheet is None or sheet.template_id not in templates():
        return
    tpl = templates()[sheet.template_id]
    before = _layout(tpl, phase_id, sheet.mine)
    changed = _collect(sheet, tpl)
    for changed_id, fields in changed.items():
        sheet.mine[changed_id] = _apply(sheet.mine.get(changed_id, Answer()), fields)
    if sheet.queue:
        _flush(sheet, assessment_id, st.session_state.get("ctx_lang", "en"))
    ss = st.session_state
    if (set(changed) - {item_id} or sheet.queue or _changed_elsewhere(sheet, assessment_id)
            or sheet.notices or item_id not in sheet.shown
            or ss.get("questionnaire_refused") or ss.get("questionnaire_locked")
            or ss.get(f"only_open::{phase_id}") or _layout(tpl, phase_id, sheet.mine) != before):
        st.rerun()  # the whole page
    st.rerun([_box_key(item_id), "progress"])


def _changed_elsewhere(sheet: Sheet, assessment_id: str) -> bool:
    """Whether an answer drawn on this page changed elsewhere (another tab, another door) since it was
    drawn, as a whole-page run would find: then the whole page runs and shows it. Also brings the
    page's answers (for the progress figures) up to date. A read that fails runs the whole page too."""
    try:
        stored = repository().load_respondent_answers(assessment_id, sheet.respondent)
    except StorageError:
        return True
    sheet.mine = {k: v.answer for k, v in stored.items()}
    for queued_id, (changes, _) in sheet.queue.items():
        sheet.mine[queued_id] = _apply(sheet.mine.get(queued_id, Answer()), changes)
    for item_id in sheet.page & sheet.shown.keys():
        now = stored.get(item_id)
        if item_id not in sheet.queue and (now.version if now else 0) != sheet.shown[item_id].version:
            return True
    return False


def _layout(tpl: Template, phase_id: str, mine: dict[str, Answer]) -> tuple[tuple[str, ...], tuple[int, int]]:
    """Which items of the phase are shown, and the counts of the hidden ones the page states."""
    items = index(tpl).items
    values = {k: a.value for k, a in mine.items() if a != Answer()}
    phase = tpl.phase(phase_id)
    shown = [it for it in phase.items if is_shown(it, values, items)]
    return tuple(it.id for it in shown), _hidden(phase.items, shown, values)


@st.fragment(key="progress")
def _progress(assessment_id: str, phase_id: str, out_of_scope: dict[str, str], lang: str) -> None:
    """The phase's and the whole questionnaire's progress, from the answers the page knows: its own
    fragment, redrawn with the item an answer changed."""
    sheet: Sheet | None = st.session_state.get(_sheet_key(assessment_id))
    tpl = templates().get(sheet.template_id) if sheet is not None else None
    if sheet is None or tpl is None:
        return
    mine = {k: a for k, a in sheet.mine.items() if a != Answer()}
    # progress is the result's completion (scoring.answer_progress): n/a and out-of-scope leave it
    done = answer_progress(tpl, mine, phase_id=phase_id, out_of_scope=out_of_scope)
    st.progress(done.answered / done.applicable if done.applicable else 1.0,
                text=f"{tr('progress', lang)}{colon(lang)}" + tr("phase_progress", lang, a=done.answered, n=done.applicable))
    _overall_progress(tpl, mine, out_of_scope, lang)


@st.fragment(run_every=3600)
def _reconnect_timer() -> None:
    """Draws nothing. A page with a timer fragment asks a restarted server for a whole-page run as soon
    as it reconnects (the browser does so only then), so the new process holds this page's fragments,
    and the fallback of `ui.reruns`, before the person's next click."""


def _my_role(tpl: Template, assessment_id: str, respondent_id: int) -> str | None:
    """The template role (`Template.role_of`) this respondent named when joining; None without one (or
    for a template without roles, which costs no query)."""
    if not tpl.roles:
        return None
    me = next((r for r in repository().list_respondents(assessment_id) if r.id == respondent_id), None)
    return tpl.role_of(me.role) if me is not None else None


def _owned(tpl: Template, shown: list[Item], role: str | None) -> set[str]:
    """The shown items this role owns, when it owns some but not all of them (else nothing to reorder)."""
    own = {it.id for it in shown if role and role in tpl.owner_roles(it)}
    return own if 0 < len(own) < len(shown) else set()


def _role_first(tpl: Template, visible: list[Item], own: set[str], shown: list[Item], role: str | None,
                phase_id: str, lang: str) -> list[Item]:
    """The role's items first, then the others, each in template order; with the toggle, the role's only."""
    name = next((r.label.get(lang) for r in tpl.roles if r.id == role), role or "")
    only_mine = st.toggle(tr("only_my_role", lang, role=name), key=f"only_mine::{phase_id}")
    others = len(shown) - len(own)
    if only_mine:
        st.caption(tr("other_roles_hidden", lang, m=others))
        return [it for it in visible if it.id in own]
    st.caption(tr("my_role_first", lang, role=name, n=len(own), m=others))
    return [it for it in visible if it.id in own] + [it for it in visible if it.id not in own]


def _overtaken(phase_id: str) -> str | None:
    """The page a person clicked to, when this run of `phase_id` only happened because the browser sent
    a typed text's commit after the click on a link to another page (the commit names the page the
    text was typed on, and the later request wins): that page, else None. A change to this page's
    widgets cannot arrive after another page ran unless it was sent from before the click."""
    ss = st.session_state
    before = ss.get("page_by_hash", {}).get(ss.get("page_hash_before"))
    return before if before and before != phase_id else None


def _hidden(items: list[Item], shown: list[Item], values: dict[str, Any]) -> tuple[int, int]:
    """Of the items not shown: how many an answer given hides, and how many wait for an answer
    not given yet (follow-up questions, not "hidden by earlier answers" before anything is answered)."""
    ids = {it.id for it in shown}
    hidden = [it for it in items if it.id not in ids]
    by_answer = [it for it in hidden if any(values.get(c.item) is not None for c in it.depends_on)]
    return len(by_answer), len(hidden) - len(by_answer)


def _first_draw_changes(sheet: Sheet, assessment_id: str, lang: str,
                        first_drawn: list[tuple[Item, Shown, dict[str, Any]]]) -> None:
    """A widget drawn for the first time in this session that does not show what it was drawn with
    holds a change the browser kept from before this session began (a server restart, a long
    network drop): store it like any other change."""
    found = False
    for it, s, got in first_drawn:
        changed = {k for k, v in got.items() if v != s.drawn.get(k)}
        if changed:
            fields = answer_fields(it, {**s.drawn, **got}, changed)
            s.drawn.update(got)
            sheet.queue[it.id] = (fields, s.version)
            found = True
    if found:
        _flush(sheet, assessment_id, lang)
        st.rerun()


def _overall_progress(tpl: Template, mine: dict[str, Answer], out_of_scope: dict[str, str], lang: str) -> None:
    done = answer_progress(tpl, mine, out_of_scope=out_of_scope)
    st.caption(f"{tr('overall_progress', lang)}{colon(lang)}{done.answered}/{done.applicable}")


def _next_links(tpl: Template, phase_id: str, ctx: Context) -> None:
    ids: list[str] = [p.id for p in tpl.phases]
    i = ids.index(phase_id)
    cols = st.columns(2)
    if i + 1 < len(ids):
        cols[0].page_link(PAGES[ids[i + 1]], label=f"→ {tpl.phases[i + 1].title.get(ctx.lang)}",
                          query_params=ctx.params())
    cols[1].page_link(PAGES["results"], label=f"→ {tr('open_results', ctx.lang)}", query_params=ctx.params())
