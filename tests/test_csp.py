import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.csp import CSPMiddleware

HEADER = "Content-Security-Policy"


def _answer(view, middleware=CSPMiddleware):
    request = RequestFactory().get("/somewhere/")
    return request, middleware(view)(request)


def _plain(request):
    return HttpResponse("hello")


def test_a_response_gets_the_header_django_csp_would_build():
    _request, ours = _answer(_plain)
    _request, theirs = _answer(_plain, DjangoCSPMiddleware)
    assert "script-src 'self'" in ours[HEADER]
    assert sorted(ours[HEADER].split("; ")) == sorted(theirs[HEADER].split("; "))


def test_a_page_served_by_the_app_carries_the_policy(client):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response.headers[HEADER]
    assert "frame-ancestors 'none'" in response.headers[HEADER]


def test_a_view_that_changes_its_policy_still_gets_its_own():
    view = csp_update({"img-src": ["https://maps.example.com"]})(_plain)
    _request, response = _answer(view)
    assert "https://maps.example.com" in response[HEADER]
    _request, again = _answer(_plain)
    assert "https://maps.example.com" not in again[HEADER]


def test_an_exempt_view_gets_no_policy():
    _request, response = _answer(csp_exempt()(_plain))
    assert HEADER not in response


def test_a_nonce_asked_for_by_the_page_is_in_its_header():
    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    policy = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        request, response = _answer(view)
    assert f"'nonce-{request._csp_nonce}'" in response[HEADER]


def test_a_nonce_asked_for_after_the_header_is_written_fails_loudly():
    request, _response = _answer(_plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_changed_setting_changes_the_header():
    _request, before = _answer(_plain)
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        _request, during = _answer(_plain)
    _request, after = _answer(_plain)
    assert during[HEADER] == "default-src 'none'"
    assert after[HEADER] == before[HEADER]


def test_excluded_url_prefixes_are_left_to_django_csp():
    policy = {"EXCLUDE_URL_PREFIXES": ["/somewhere/"], "DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        _request, response = _answer(_plain)
    assert HEADER not in response
