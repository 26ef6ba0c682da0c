from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import CompanyEmailForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        user = form.save()
        translation.activate(user.language or translation.get_language_from_request(request))
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered on the profile of a signed-in person."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@require_http_methods(["GET", "POST"])
def company_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with the company account: the address says which organisation's provider
    to go to; the next page sends the person there (allauth's sign-in by POST)."""
    from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

    from teams import company

    form = CompanyEmailForm(request.POST or None)
    config = None
    if form.is_valid():
        config = company.for_email(form.cleaned_data["email"])
        if config is None:
            form.add_error(
                "email",
                _(
                    "No organisation signs in with its company account at this address's "
                    "domain. Sign in with your password, or ask your organisation's admin."
                ),
            )
    context = {"form": form, "config": config, "provider": OpenIDConnectProvider.id}
    return render(request, "account/company.html", context)
