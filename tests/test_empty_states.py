"""An empty screen says what it is for and offers the first action, for each role."""

import re

import pytest
from django.urls import reverse

EMPTY = re.compile(r'<div class="empty">(.*?)</div>\s*</div>', re.S)

PAGES = [
    ("charter:workshops", "manager", "Start a workshop"),
    ("charter:workshops", "member", "Log a client contact"),
    ("charter:observations", "member", "Log an observation"),
    ("charter:charter", "member", "See the workshops"),
    ("improvement:checkin", "member", "See the workshops"),
    ("improvement:checkin_team", "member", "See the workshops"),
    ("improvement:board", "member", "Add an idea"),
    ("improvement:follow_up", "member", "Add an idea"),
    ("improvement:gap_list", "manager", "Start a meeting"),
    ("improvement:gap_list", "member", "See the ideas"),
    ("indicators:list", "member", "Propose an indicator"),
    ("indicators:dashboard", "member", "Propose an indicator"),
    ("meetings:list", "manager", "Schedule the steering meeting"),
    ("meetings:list", "member", "Open the dashboard"),
    ("meetings:history", "member", "See the coming meetings"),
    ("coaching:home", "manager", "Open a one-to-one"),
    ("coaching:home", "member", "Back to the team"),
]


@pytest.mark.parametrize(("name", "who", "action"), PAGES)
def test_an_empty_screen_says_what_it_is_for_and_offers_the_first_action(
    people, team, name, who, action
):
    page = people[who].get(reverse(name, args=[team.slug])).content.decode()
    blocks = EMPTY.findall(page)
    assert blocks, f"{name} shows no empty state"
    block = blocks[0]
    assert re.search(r'<p class="empty-purpose">\s*\S', block)
    assert re.search(rf'<a class="button" href="/[^"]*">{re.escape(action)}</a>', block), block
