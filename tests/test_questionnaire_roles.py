"""A respondent sees the items of his role first: the template's owning roles (item, section or phase
`roles:`) against the role he named when joining. The real page through AppTest, on SQLite."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from support import create, join, new_app, ok

from checklists import load_all

IT_ITEM, SALES_ITEM = "team.roles.it_lead", "team.roles.sales_lead"


def _team_page(name: str, role: str) -> tuple[AppTest, object]:
    templates, _ = load_all()
    tpl = templates["sales_funnel"]
    aid = create(new_app(lang="en"), template="sales_funnel", facilitator="Fiona")
    at = join(new_app(lang="en", a=aid), name, role)
    return ok(at.switch_page("ui/phases/team.py").run()), tpl


def _order(at: AppTest, tpl) -> list[str]:
    """The team phase's items in the order the page draws their labels (each label carries its number)."""
    labels = [m.value for m in at.markdown]
    found = []
    for text in labels:
        for it in tpl.phase("team").items:
            if f"**{tpl.question_number(it.id)}** **{it.question.en}**" in text:
                found.append(it.id)
    return found


def test_an_it_respondent_sees_his_roles_items_first_with_their_template_numbers(app_env):
    at, tpl = _team_page("Ian", "IT")
    team = [it.id for it in tpl.phase("team").items]
    assert team.index(SALES_ITEM) < team.index(IT_ITEM)  # the template asks the sales lead first
    order = _order(at, tpl)
    own = [i for i in team if "it" in tpl.owner_roles(tpl.item(i))]
    # the IT items first (in template order), then the others (in template order)
    assert order == own + [i for i in team if i not in own]
    assert order.index(IT_ITEM) < order.index(SALES_ITEM)
    others = len(team) - len(own)
    assert any(f"The {len(own)} items of your role (IT) come first; {others} other items follow." == c.value
               for c in at.caption)
    # one click away: only the role's items, the others counted
    at.toggle(key="only_mine::team").set_value(True)
    ok(at.run())
    assert _order(at, tpl) == own and SALES_ITEM not in _order(at, tpl)
    assert any(f"{others} items of other roles are hidden" in c.value for c in at.caption)
    at.toggle(key="only_mine::team").set_value(False)
    assert _order(ok(at.run()), tpl) == order

    # must NOT happen: a respondent without a role (or one no template role matches) gets a reordered page
    for role in ("", "Astronaut"):
        plain, _ = _team_page(f"Pat{role}", role)
        assert _order(plain, tpl) == team
        assert not [t for t in plain.toggle if t.key == "only_mine::team"]
