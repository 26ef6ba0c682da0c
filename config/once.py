"""Sent twice, saved once: a form that creates something (an observation, an idea, a
gap-analysis answer) carries a token of its own, and the second arrival of the same token
(a double tap, Back then Send, a retry after a dropped answer) saves nothing and says so.

The form mixes in `SentOnce`; the view asks `is_repeat(request, form)` once the form is
valid, and `forget(form)` if saving then failed, so that sending again is not refused.
Tokens are kept a day in the cache (Redis in production: SET NX, atomic across workers).
Anonymous survey answers have their own visit nonce (indicators.views.survey_public).
"""

import secrets

from django import forms
from django.core.cache import cache
from django.http import HttpRequest

FIELD = "once"
KEEP_SECONDS = 24 * 60 * 60


class SentOnce(forms.BaseForm):
    """A hidden token, new for each blank form a page shows; kept when a form re-renders
    with errors, so the corrected send still counts once. A model form editing what
    exists has none: saving the same change twice changes nothing."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.once_key = None
        if getattr(getattr(self, "instance", None), "pk", None) is not None:
            return
        self.fields[FIELD] = forms.CharField(
            required=False, max_length=64, widget=forms.HiddenInput
        )
        if not self.is_bound:
            self.initial[FIELD] = secrets.token_urlsafe(16)


def is_repeat(request: HttpRequest, form: SentOnce) -> bool:
    """True when this very form was already sent and saved. Takes the token out of the
    cleaned data either way, so the data can go to a service as it is."""
    token = form.cleaned_data.pop(FIELD, "")
    if not token:
        return False  # a client that sends no token (an old page) is not refused
    form.once_key = f"once:{request.user.pk}:{token}"
    return not cache.add(form.once_key, True, KEEP_SECONDS)


def forget(form: SentOnce) -> None:
    """Saving failed after all: the same form may be sent again."""
    if form.once_key:
        cache.delete(form.once_key)
