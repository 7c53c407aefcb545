"""The workshop page and the room view, driven by AppTest on a real SQLite file: a blind round, reveals,
a second round on the disputed item, decided items, notes beside items, who has not answered, the
participants' link and the room view. Each "must happen" has its "must NOT happen" beside it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from support import MINI, create, field, join, link, new_app, ok, open_details

import storage
from checklists import load_template
from scoring import RoundState
from ui.workshop_views import PublicBase, distribution, participant_link, public_base

GOALS = "strategy.goals.defined"
MATURITY = "strategy.goals.maturity"


def page(at: AppTest, name: str) -> AppTest:
    return ok(at.switch_page(f"ui/{name}.py").run())


def texts(at: AppTest) -> str:
    """Everything the page says in text (markdown, captions, subheaders, metrics, code, tables)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [c.value for c in at.code]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def button(at: AppTest, key: str) -> AppTest:
    return ok(at.button(key=key).click().run())


def _room(app_env) -> tuple[str, AppTest, AppTest, AppTest]:
    """Ann facilitates (her link holds the key); Bob and Cy join with the participants' link."""
    ann = new_app(lang="en")
    aid = create(ann)
    bob = join(new_app(lang="en", a=aid), "Bob", "IT")
    cy = join(new_app(lang="en", a=aid), "Cy", "Sales")
    return aid, ann, bob, cy


def _answer(at: AppTest, value: str, note: str | None = None) -> None:
    page(at, "phases/strategy")
    field(at.radio, f"v::{GOALS}").set_value(value).run()
    if note is not None:
        open_details(at, GOALS)  # the note lives in the item's guidance and evidence box
        field(at.text_input, f"n::{GOALS}").input(note).run()
    ok(at)


def test_a_blind_round_hides_answers_from_everyone_until_the_facilitator_reveals(app_env):
    aid, ann, bob, cy = _room(app_env)
    page(ann, "workshop")
    assert "No round has been opened" in texts(ann)
    button(ann, "round_open_1")
    assert storage.open_repository().round_state(aid).current == 1
    _answer(ann, "yes", note="plan on page 3")
    _answer(bob, "no")

    # must NOT happen: Bob (or the facilitator) seeing Ann's answer, her note or the spread anywhere
    for who in (bob, ann):
        page(who, "workshop")
        seen = texts(who)
        assert "Ann: Yes" not in seen and "plan on page 3" not in seen and "Spread" not in seen
        assert "Discussion agenda: disagreements (0)" in seen
        assert "Items not revealed yet" in [e.label.split(" (")[0] for e in who.expander]
        page(who, "results")
        assert next(m.value for m in who.metric if m.label == "Overall score") == "—"  # no answer counted
        page(who, "room")
        assert "Nothing revealed yet." in texts(who)
    page(ann, "workshop")
    assert "1 of 3 answered" not in texts(ann) and "2 of 3 answered" in texts(ann)  # counts, not answers
    assert "Not answered by" not in texts(ann)  # (no agenda item yet: nothing to show beside)
    assert not [b for b in bob.button if (b.key or "").startswith("reveal")]  # only the facilitator reveals
    page(bob, "workshop")
    assert not [b for b in bob.button if (b.key or "").startswith("reveal")]

    # the facilitator reveals the item: now the room sees both answers, the note, the spread, who is missing
    page(ann, "workshop")
    button(ann, f"reveal::{GOALS}")
    page(bob, "workshop")
    seen = texts(bob)
    assert "Ann: Yes" in seen and "Bob: No" in seen and "Spread 1.00" in seen
    assert "Ann: plan on page 3" in seen and "Not answered by: Cy" in seen
    page(bob, "room")
    assert "- Yes :blue[████████████] **1**" in texts(bob) and "- No :blue[████████████] **1**" in texts(bob)
    # a revealed answer is final in its round: Ann's change is refused, her "yes" stays
    _answer(ann, "partial")
    assert any("its answer there is final" in w.value for w in ann.warning)  # said, not silently dropped
    assert field(ann.radio, f"v::{GOALS}").value == "yes"  # the page shows what is stored
    assert storage.open_repository().load_answers(aid, round=1)["Ann"][GOALS].value == "yes"


def test_round_two_on_the_disputed_item_is_stored_apart_and_shows_the_convergence(app_env):
    aid, ann, bob, cy = _room(app_env)
    page(ann, "workshop")
    button(ann, "round_open_1")
    _answer(ann, "yes")
    _answer(bob, "no")
    page(ann, "workshop")
    button(ann, "reveal_all")
    page(ann, "workshop")
    assert ann.multiselect(key="next_round_items::1").value == [GOALS]  # the disputed item, and only it
    button(ann, "round_open_next")
    repo = storage.open_repository()
    assert repo.round_state(aid).rounds == {1: None, 2: (GOALS,)}

    # Bob answers again: his round-2 page starts blank; his round-1 "no" is kept beside
    page(bob, "phases/strategy")
    assert field(bob.radio, f"v::{GOALS}").value == "__unset__"
    assert field(bob.radio, f"v::{MATURITY}").value == "__unset__"
    hint = "Answer again after the discussion (your answer in the round before: No)."
    assert [c.value for c in bob.caption if hint in c.value] == [f":violet-badge[Round 2] {hint}"]  # once: GOALS
    field(bob.radio, f"v::{GOALS}").set_value("yes").run()
    _answer(ann, "yes")
    assert repo.load_answers(aid, round=1)["Bob"][GOALS].value == "no"
    assert repo.load_answers(aid, round=2)["Bob"][GOALS].value == "yes"

    # must NOT happen: round 2 showing through before its reveal (the room still sees round 1)
    page(cy, "workshop")
    assert "Bob: No" in texts(cy) and "Bob: Yes" not in texts(cy)
    assert "Round 2: how the spread changed" not in texts(cy)
    page(ann, "workshop")
    button(ann, "reveal_all")
    page(cy, "workshop")
    seen = texts(cy)
    assert "Round 2: how the spread changed" in seen
    assert "Disputed items that converged 1/1" in seen
    assert "1.00 → 0.00" in seen
    assert "Bob: No" not in seen  # converged: no longer on the agenda


def test_decided_items_leave_the_agenda_and_the_filter_shows_them(app_env):
    aid, ann, bob, _cy = _room(app_env)
    _answer(ann, "yes")  # no round opened: answers are shown as they come, as before rounds existed
    _answer(bob, "no")
    page(ann, "workshop")
    assert "Discussion agenda: disagreements (1)" in texts(ann)
    assert not [b for b in ann.button if b.key == "ws_refresh"]  # a page just drawn offers nothing new
    assert ":red-badge[MUST]" in texts(ann) and ":blue-badge[Strategy]" in texts(ann)
    ann.checkbox(key=f"decided::{GOALS}").check().run()
    ok(ann)
    assert storage.open_repository().round_state(aid).decided == {GOALS}
    page(ann, "workshop")
    assert "Discussion agenda: disagreements (0)" in texts(ann)  # must NOT stay on the agenda
    assert "1 decided item(s) left the agenda" in texts(ann)
    ann.toggle(key="show_decided").set_value(True).run()
    assert "Discussion agenda: disagreements (1)" in texts(ann) and ":green-badge[Decided]" in texts(ann)
    page(bob, "workshop")
    assert not [c for c in bob.checkbox if (c.key or "").startswith("decided::")]  # the facilitator's call


def test_the_participants_link_carries_the_language_and_the_public_address(app_env, monkeypatch):
    ann = new_app(lang="zh")
    aid = create(ann)
    monkeypatch.setenv("READINESS_PUBLIC_URL", "http://192.0.2.10:8501/")
    page(ann, "workshop")
    codes = [c.value for c in ann.code]
    assert f"http://192.0.2.10:8501/?a={aid}&lang=zh" in codes
    # must NOT happen: the link built from localhost, or carrying a person's token or the facilitator key
    assert not [c for c in codes if "localhost" in c or "f=" in c or "t=" in c]
    assert "localhost" not in texts(ann)
    page(ann, "home")  # the home page's links too: the public address and the language
    assert f"http://192.0.2.10:8501/?a={aid}&lang=zh" in [c.value for c in ann.code]
    monkeypatch.delenv("READINESS_PUBLIC_URL")
    page(ann, "workshop")
    assert "READINESS_PUBLIC_URL" in texts(ann)  # the page says how to set a public address


def test_public_base_and_link_rules():
    assert public_base("http://localhost:8501/workshop?a=x", {}) == PublicBase("http://localhost:8501", True)
    assert public_base("http://10.0.0.5:8501/workshop", {}) == PublicBase("http://10.0.0.5:8501", False)
    assert public_base("http://localhost:8501/room", {"READINESS_PUBLIC_URL": "http://room.example:80/"}) == \
        PublicBase("http://room.example:80", False)
    assert public_base(None, {}).local
    link_ = participant_link(PublicBase("http://h:1", False), "abc_-1", "en")
    assert link_ == "http://h:1/?a=abc_-1&lang=en"


def test_distribution_counts_in_the_items_own_order():
    from scoring import Answer

    tpl = load_template(MINI)
    answers = {"A": {GOALS: Answer(value="no")}, "B": {GOALS: Answer(value="yes")}, "C": {GOALS: Answer(value="no")},
               "D": {}}
    assert distribution(tpl, tpl.item(GOALS), answers, "en") == [("Yes", 1), ("No", 2)]
    multi = tpl.item("data.sources.inventory")
    got = distribution(tpl, multi, {"A": {multi.id: Answer(value=["legacy", "spreadsheets"])},
                                    "B": {multi.id: Answer(value=["legacy"])}}, "zh")
    assert got == [("表格", 1), ("旧系统", 2)]
    assert distribution(tpl, tpl.item(GOALS), {"A": {}}, "en") == []
    # an option-state list: each option's state counted apart (never the whole mapping as one value)
    from checklists import load_all

    funnel = load_all()[0]["sales_funnel"]
    item = next(it for it in funnel.items() if it.kind.mapping_value)
    first, second = (o.id for o in item.options[:2])
    got = distribution(funnel, item, {"A": {item.id: Answer(value={first: "in_place", second: "missing"})},
                                      "B": {item.id: Answer(value={first: "in_place"})}}, "en")
    label = {o.id: o.label.get("en") for o in item.options}
    assert got == [(f"{label[first]}: In place", 2), (f"{label[second]}: Not in place", 1)]


def test_the_room_view_shows_the_join_link_its_qr_code_and_who_joined_in_both_languages(app_env, monkeypatch):
    monkeypatch.setenv("READINESS_PUBLIC_URL", "http://192.0.2.10:8501")
    aid, ann, bob, cy = _room(app_env)
    page(bob, "room")
    seen = texts(bob)
    assert f"http://192.0.2.10:8501/?a={aid}&lang=en" in seen
    assert "Joined: 3" in seen and "**Ann** · **Bob** · **Cy**" in seen
    assert len(bob.get("image")) == 1  # the QR code
    assert "Strategy: 0/6" in [p.proto.text for p in bob.get("progress")]
    _answer(ann, "yes")
    page(bob, "room")
    assert "Strategy: 1/6" in [p.proto.text for p in bob.get("progress")]
    zh = ok(new_app(**{**link(cy), "lang": "zh"}).switch_page("ui/room.py").run())
    assert "已加入：3 人" in texts(zh) and "Joined" not in texts(zh)
    assert RoundState() == storage.open_repository().round_state(aid)  # looking opens no round


def test_the_rooms_figures_agreement_role_divergence_and_score_range(app_env):
    from scoring import score_range
    from services import room_assessment

    aid, ann, bob, cy = _room(app_env)  # Ann: Facilitator, Bob: IT, Cy: Sales
    page(ann, "workshop")
    button(ann, "round_open_1")
    _answer(bob, "no")
    _answer(cy, "yes")
    page(ann, "workshop")
    # must NOT happen: the divergence between roles or the range showing the hidden answers
    assert "Divergence between roles" not in texts(ann)
    assert "Score range 0 – 100" in texts(ann)  # nothing revealed: every completion is still possible
    button(ann, "reveal_all")
    page(ann, "workshop")
    seen = texts(ann)
    assert "Divergence between roles (1)" in seen
    assert "Are the business goals defined?" in seen and "IT 0.00 ↔ Sales 1.00" in seen
    assert "Agreement (Krippendorff's alpha)" in seen
    repo = storage.open_repository()
    tpl = load_template(MINI)
    rng = score_range(tpl, room_assessment(repo, aid, tpl))
    shown = f"Score range {rng.low:g} – {rng.high:g}"
    assert shown in seen  # the core's numbers, as computed
    # the same numbers as the offline room (scoring.room_result, behind `cli.py workshop`) for these answers
    from scoring import room_result

    people = {p.name: p.role for p in repo.list_respondents(aid)}
    meta = repo.get_assessment_meta(aid)
    offline = room_result(tpl, repo.load_answers(aid), people, method=meta.settings.method,
                          threshold=meta.settings.spread_threshold)
    assert (offline.range.low, offline.range.high) == (rng.low, rng.high)
    alpha = next(df.value for df in ann.dataframe if "ordinal" in df.value.columns)
    overall = offline.agreement.overall.ordinal_alpha
    assert alpha.iloc[0]["ordinal"] == ("—" if overall is None else f"{overall:.2f}")
    assert [d.item_id for d in offline.role_divergence] == [GOALS]
    page(cy, "results")
    assert shown in texts(cy) and "The next questions that matter" in texts(cy)
    page(cy, "room")
    assert shown in texts(cy)
