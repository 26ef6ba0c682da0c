"""Every improvement URL refuses the methods it does not serve with 405."""

import pytest
from django.urls import reverse

from tests.improvement.access import CASES

POST_ONLY = {name for name, case in CASES.items() if case.method == "post"}


@pytest.fixture
def world(team, manager, lead, member, outsider):
    from types import SimpleNamespace

    return SimpleNamespace(team=team, manager=manager, lead=lead, member=member, outsider=outsider)


@pytest.mark.parametrize("name", sorted(CASES))
def test_unserved_methods_get_405(name, world, manager_client):
    url = reverse(name, kwargs=CASES[name].kwargs(world))
    assert manager_client.delete(url).status_code == 405
    if name in POST_ONLY:
        assert manager_client.get(url).status_code == 405
