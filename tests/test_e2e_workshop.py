"""A blind workshop round in real headless chromium against `streamlit run app.py`, with three browser
contexts: Ann facilitates (her link holds the facilitator key), Bob answers, Cy watches the room view.

Must happen: before the reveal nobody sees another's answer or the spread; after it Bob does; the room
view shows answers arriving and, after the reveal, the distribution, without a reload; round-2 answers
are stored beside round 1 (checked in the database). Must NOT happen: any of it showing before its reveal.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support import BROWSER_WAIT_MS, MINI, app_in_chromium

import storage
from checklists import load_template

pytestmark = pytest.mark.browser

WAIT_MS = BROWSER_WAIT_MS
GOALS = "strategy.goals.defined"
Q_GOALS = "Are the business goals defined?"


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    with app_in_chromium(tmp_path_factory.mktemp("e2e_workshop"),
                         {"READINESS_PUBLIC_URL": "http://192.0.2.10:8501"}) as (url, db, browser):
        yield url, db, browser


def settled(page) -> None:
    """Connected and not running (a moment first, for a click's rerun to start)."""
    from playwright.sync_api import expect

    page.wait_for_timeout(200)
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
    expect(app).to_have_attribute("data-test-script-state", "notRunning")


def opened(page, url: str, marker: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    settled(page)
    expect(page.get_by_text(marker).first).to_be_visible()
    settled(page)


def body(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def choose(page, option: str) -> None:
    page.get_by_role("radiogroup", name=Q_GOALS).get_by_text(option, exact=True).click()
    settled(page)


def wait_for(check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the database never held what the page showed"
        time.sleep(0.2)


def test_blind_round_reveal_and_round_two_across_three_browsers(room):
    from playwright.sync_api import expect

    url, db, browser = room
    repo = storage.open_repository(f"sqlite:///{db}")
    key = storage.new_secret()
    aid = repo.create_assessment(load_template(Path(MINI)), "Example Co", "CRM", "en", "Ann", facilitator_key=key)
    ann_me, bob_me, cy_me = repo.join_as(aid, "Ann"), repo.join_as(aid, "Bob"), repo.join_as(aid, "Cy")

    def link(me, page_name: str, facilitator: bool = False) -> str:
        return (f"{url}/{page_name}?lang=en&a={aid}&who={me.name}&t={me.token}"
                + (f"&f={key}" if facilitator else ""))

    ann, bob, cy = (browser.new_context().new_page() for _ in range(3))
    for p in (ann, bob, cy):
        p.set_default_timeout(WAIT_MS)

    # Cy puts the room view on the projector once; it is never reloaded in this test
    opened(cy, link(cy_me, "room"), "Answers arriving per phase")
    expect(cy.get_by_text(f"http://192.0.2.10:8501/?a={aid}&lang=en")).to_be_visible()
    expect(cy.get_by_text("Strategy: 0/6")).to_be_visible()
    expect(cy.get_by_test_id("stImage")).to_have_count(1)  # the QR code

    # Ann opens round 1 from the workshop page
    opened(ann, link(ann_me, "workshop", facilitator=True), "Rounds")
    ann.get_by_role("button", name="Open round 1 (blind answers)").click()
    settled(ann)
    expect(ann.get_by_text("Round 1 is open")).to_be_visible()

    # both answer, blind
    opened(ann, link(ann_me, "strategy", facilitator=True), "Overall progress")
    choose(ann, "Yes")
    opened(bob, link(bob_me, "strategy"), "Overall progress")
    choose(bob, "No")
    wait_for(lambda: {n: a.get(GOALS) and a[GOALS].value for n, a in repo.load_answers(aid).items()}
             == {"Ann": "yes", "Bob": "no", "Cy": None})

    # the room view counts the answers as they arrive, by itself
    expect(cy.get_by_text("Strategy: 2/6")).to_be_visible()
    assert "Revealed answers (0)" in body(cy)

    # must NOT happen: Bob, or the facilitator, seeing Ann's answer or the spread on any page
    for who, me, fac in ((bob, bob_me, False), (ann, ann_me, True)):
        opened(who, link(me, "workshop", fac), "Discussion agenda")
        text = body(who)
        assert "Ann: Yes" not in text and "Spread" not in text, text
        assert "Discussion agenda: disagreements (0)" in text
        opened(who, link(me, "results", fac), "Overall score")
        expect(who.get_by_test_id("stMetricValue").first).to_have_text("—")  # no answer counted yet
        opened(who, link(me, "room", fac), "Revealed answers")
        assert "Revealed answers (0)" in body(who) and "█" not in body(who)

    # Ann reveals everything: Bob now sees both answers and the spread; the room view shows them unreloaded
    opened(ann, link(ann_me, "workshop", facilitator=True), "Rounds")
    ann.get_by_role("button", name="Reveal all").click()
    settled(ann)
    opened(bob, link(bob_me, "workshop"), "Discussion agenda")
    expect(bob.get_by_text("Ann: Yes · Bob: No")).to_be_visible()
    expect(bob.get_by_text("Spread 1.00").first).to_be_visible()
    expect(cy.get_by_text("Revealed answers (1)")).to_be_visible()
    expect(cy.get_by_text(Q_GOALS)).to_be_visible()

    # a second round on the disputed item: Bob answers again, stored beside his round-1 answer
    opened(ann, link(ann_me, "workshop", facilitator=True), "Rounds")
    ann.get_by_role("button", name="Open round 2 after the discussion (1 items)").click()
    settled(ann)
    opened(bob, link(bob_me, "strategy"), "Overall progress")
    expect(bob.get_by_role("radiogroup", name=Q_GOALS).get_by_role("radio", name="Unanswered")).to_be_checked()
    choose(bob, "Yes")
    wait_for(lambda: repo.load_answers(aid, round=2)["Bob"].get(GOALS) is not None)
    assert repo.load_answers(aid, round=1)["Bob"][GOALS].value == "no"  # must NOT be overwritten
    assert repo.load_answers(aid, round=2)["Bob"][GOALS].value == "yes"
    # must NOT happen: round 2 showing before its reveal, nor Ann's open workshop page offering it as new
    opened(cy, link(cy_me, "workshop"), "Discussion agenda")
    assert "Bob: No" in body(cy) and "Bob: Yes" not in body(cy)
    ann.wait_for_timeout(7_000)  # the page's own refresh (every 5 s) has looked at least once
    expect(ann.get_by_text("New answers or reveals have arrived")).to_have_count(0)

    # Ann reveals round 2: Cy's open workshop page says so by itself and shows it on request
    ann.get_by_role("button", name="Reveal all").click()
    settled(ann)
    expect(cy.get_by_text("New answers or reveals have arrived")).to_be_visible()
    cy.get_by_role("button", name="Update the agenda").click()
    settled(cy)
    expect(cy.get_by_text("Round 2: how the spread changed")).to_be_visible()
