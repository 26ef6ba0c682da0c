"""django-csp's middleware, building each header string once instead of per response.

django-csp copies the policy out of the settings and joins it into a header on every
response: a tenth of the CPU of an unchanged workshop poll (204) and a twentieth of a vote
(measured by instruction count). Here the policy is the same for every response, so a
response that asks for nothing of its own gets the header built for the first one.
Anything django-csp lets a view or a template change (the decorators @csp, @csp_update,
@csp_replace and @csp_exempt, a nonce, excluded URL prefixes) goes through django-csp
unchanged, as does everything in DEBUG.
"""

from functools import cache

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What a decorator leaves on a response for django-csp to read.
_PER_RESPONSE = tuple(
    f"_csp_{kind}{suffix}"
    for kind in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)
_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


@cache
def _headers() -> tuple[tuple[str, str], ...] | None:
    """The (header, value) pairs of the settings' policies; None if a policy excludes URL
    prefixes (then django-csp decides per request)."""
    pairs = []
    for name, header, report_only in zip(
        _SETTINGS, (HEADER, HEADER_REPORT_ONLY), (False, True), strict=True
    ):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
        value = build_policy(report_only=report_only)
        if value:
            pairs.append((header, value))
    return tuple(pairs)


@receiver(setting_changed)
def _policy_changed(*, setting: str, **kwargs) -> None:
    if setting in _SETTINGS:
        _headers.cache_clear()


class CSPMiddleware(middleware.CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        headers = _headers()
        if (
            headers is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        for header, value in headers:
            if header not in response:
                response[header] = value
        # As django-csp does: a nonce asked for after this point could not be in the header.
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
