"""What the workshop page and the room view show, as plain functions (no Streamlit) so tests can check
them: the participants' link, progress per phase, who has not answered, the distribution of a revealed
item's answers, notes and free-text answers, and the rounds' convergence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import settings
from checklists import OPTION_STATES, Item, Template
from scoring import ByRespondent, Convergence, RoundState, convergence, counts_for_progress, value_label
from settings import public_url

PUBLIC_URL_ENV = settings.PUBLIC_URL_ENV
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


@dataclass(frozen=True)
class PublicBase:
    """The address participants open. `local` when it only works on this machine (no public address
    is configured and the browser is on localhost): the page then says how to set one."""

    url: str
    local: bool


def public_base(browser_url: str | None, env: dict[str, str] | None = None) -> PublicBase:
    """READINESS_PUBLIC_URL when set (e.g. http://192.168.1.20:8501); else the address the browser
    used to reach the app, which is only right when it is not this machine's own (localhost)."""
    configured = public_url(env)
    if configured:
        return PublicBase(configured, False)
    parts = urlsplit(browser_url or "")
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    path = parts.path.rstrip("/")
    # the page's own path (/workshop, /room) is not part of the app's address; a prefix before it is
    path = path.rsplit("/", 1)[0] if path.count("/") >= 1 and path else ""
    return PublicBase(base + path, (parts.hostname or "") in _LOCAL_HOSTS)


def participant_link(base: PublicBase, assessment_id: str, lang: str) -> str:
    """The link everyone in the room opens to join: the assessment and its language, nothing personal
    (no name, token or facilitator key)."""
    return f"{base.url}/?{urlencode({'a': assessment_id, 'lang': lang})}"


def questions(tpl: Template, phase_id: str | None = None) -> list[Item]:
    """The items a room answers (free text included: it is what the room discusses)."""
    return [it for it in tpl.items() if phase_id is None or it.phase_id == phase_id]


def _answered(by_round: dict[int, ByRespondent], state: RoundState, who: str, item_id: str) -> bool:
    a = by_round.get(state.round_for(item_id), {}).get(who, {}).get(item_id)
    return a is not None and a.is_answered


def phase_progress(tpl: Template, state: RoundState, by_round: dict[int, ByRespondent],
                   people: list[str], out_of_scope: dict[str, str] | None = None) -> list[tuple[str, int, int]]:
    """Per phase: (phase id, answers given in the round open for each item, answers expected), counting
    scored questions only. Says how far the room is, never what anyone answered."""
    out: list[tuple[str, int, int]] = []
    for ph in tpl.phases:
        if ph.id in (out_of_scope or {}):
            continue
        items = [it for it in ph.items if counts_for_progress(it)
                 and (state.current < 2 or state.round_for(it.id) == state.current)]
        given = sum(_answered(by_round, state, who, it.id) for it in items for who in people)
        out.append((ph.id, given, len(items) * len(people)))
    return out


def not_answered(state: RoundState, by_round: dict[int, ByRespondent], people: list[str], item_id: str) -> list[str]:
    """Who has not answered this item in the round open for it (a name, never an answer)."""
    return [who for who in people if not _answered(by_round, state, who, item_id)]


def distribution(tpl: Template, item: Item, answers: ByRespondent, lang: str) -> list[tuple[str, int]]:
    """The revealed answers of one item as (label, how many), in the item's own order of values: options,
    scale levels, statuses; numbers and texts each as given. Nobody's name."""
    given = [a.value for per in answers.values() if (a := per.get(item.id)) is not None and a.is_answered]
    if item.kind.mapping_value:  # option by option: each option's state counted apart, in the item's order
        pairs: Counter = Counter((o, st) for v in given if isinstance(v, dict) for o, st in v.items())
        names = {o.id: o.label.get(lang) for o in item.options or []}
        ids, states = list(names), list(OPTION_STATES)
        ordered = sorted(pairs.items(), key=lambda p: (ids.index(p[0][0]) if p[0][0] in ids else len(ids),
                                                       states.index(p[0][1]) if p[0][1] in states else len(states)))
        sep = "：" if lang == "zh" else ": "
        return [(f"{names.get(o, o)}{sep}{OPTION_STATES[st].get(lang) if st in OPTION_STATES else st}", n)
                for (o, st), n in ordered]
    counts: Counter = Counter()
    originals: dict = {}  # a counting key → the value it stands for (an option-state answer is a dict)
    for v in given:
        for one in (v if isinstance(v, list) else [v]):
            key = (tuple(sorted(one.items())) if isinstance(one, dict)
                   else one if not isinstance(one, float) or not one.is_integer() else int(one))
            originals.setdefault(key, one)
            counts[key] += 1
    allowed = item.allowed_values()
    if item.kind.agreement_level == "ordinal":  # the best answer first, as the room reads a scale
        allowed = sorted(allowed, key=lambda v: -(item.kind.score(item, v) or 0.0))
    order: list = [*allowed, "na"] if allowed else sorted(
        counts, key=lambda v: (isinstance(v, str), v if not isinstance(v, str) else 0, str(v)))
    return [(value_label(tpl, item, originals.get(v, v), lang), counts[v]) for v in order if counts.get(v)]


def notes_beside(item: Item, answers: ByRespondent) -> list[tuple[str, str]]:
    """(who, text): each person's free-text answer and note on this item, as the room discusses them."""
    out = []
    for who, per in sorted(answers.items()):
        a = per.get(item.id)
        if a is None:
            continue
        if item.kind.free_text and isinstance(a.value, str) and a.value.strip() and a.value != "na":
            out.append((who, a.value))
        if a.note:
            out.append((who, a.note))
        if a.is_na and a.reason:
            out.append((who, a.reason))
    return out


def convergences(tpl: Template, state: RoundState, by_round: dict[int, ByRespondent],
                 threshold: float) -> dict[int, Convergence]:
    """Each later round against the answers before it, over the items revealed in that round only (an
    unrevealed round-2 answer must not show through its spread)."""
    out = {}
    for number in sorted(n for n in state.rounds if n > 1):
        items = tuple(i for i in state.rounds[number] or () if state.is_revealed(number, i))
        if items:
            out[number] = convergence(tpl, by_round, number, threshold, items=items)
    return out
