"""HTTP hygiene shared by every page."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateWhenSignedIn:
    """What a signed-in person gets is theirs: `Cache-Control: private`, so no shared
    cache (a proxy, a CDN) keeps a team's page for the next visitor. Answers that chose
    their own caching (no-store, a public feed) keep it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            current = response.get("Cache-Control", "")
            if "public" not in current and "private" not in current:
                patch_cache_control(response, private=True)
        return response
