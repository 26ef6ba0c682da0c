from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import company, overview, selectors, services
from .forms import (
    ClientGroupForm,
    CompanySignInForm,
    DepartmentForm,
    InvitationForm,
    OrganisationForm,
    RoleForm,
    TeamForm,
)
from .models import CompanySignIn, Invitation, Membership, Role
from .selectors import LEADS_AND_MANAGERS, MANAGERS, membership_get, org_member_get


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_for_user(user=request.user))
    admin_of = [
        m.organisation
        for m in request.user.org_memberships.select_related("organisation").filter(is_admin=True)
    ]
    # The cross-team dashboard is for whoever steers: leads, managers, org admins.
    steers = bool(admin_of) or any(m.role in LEADS_AND_MANAGERS for m in memberships)
    return render(
        request,
        "teams/home.html",
        {
            "memberships": memberships,
            "invitations": selectors.invitations_for_user(user=request.user),
            "admin_of": admin_of,
            "shows_indicators_across_teams": steers,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if form.is_valid():
        try:
            organisation = services.organisation_create(
                name=form.cleaned_data["name"], admin=request.user
            )
            messages.success(request, _("Your organisation is ready. Create its first team."))
            return redirect("teams:organisation", organisation.slug)
        except ValidationError as error:
            form.add_error("name", error)
    return render(request, "teams/organisation_form.html", {"form": form})


@login_required
@require_GET
def organisation_detail(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    return render(request, "teams/organisation.html", _organisation_context(request, organisation))


def _organisation_context(request: HttpRequest, organisation, **extra) -> dict:
    return {
        "organisation": organisation,
        "teams": selectors.organisation_teams(organisation=organisation, user=request.user),
        "people": selectors.organisation_people(organisation=organisation),
        "departments": organisation.departments.all(),
        "department_form": DepartmentForm(),
        **extra,
    }


@login_required
@require_POST
def department_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.department_create(organisation=organisation, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
    if form.errors:  # the page again, with what was typed and why it was refused
        context = _organisation_context(request, organisation, department_form=form)
        return render(request, "teams/organisation.html", context)
    messages.success(request, _("Department added."))
    return redirect("teams:organisation", organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    form = TeamForm(request.POST or None, organisation=organisation)
    if form.is_valid():
        try:
            team = services.team_create(
                organisation=organisation,
                creator=request.user,
                name=form.cleaned_data["name"],
                time_zone=form.cleaned_data["time_zone"],
                department=form.cleaned_data["department"],
            )
            messages.success(request, _("Team created. Invite your colleagues to join it."))
            return redirect("teams:members", team.slug)
        except ValidationError as error:
            form.add_error("name", error)
    return render(request, "teams/team_form.html", {"form": form, "organisation": organisation})


@login_required
@require_GET
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The team's overview: a panel per practice and the person's next step."""
    membership = membership_get(user=request.user, team_slug=slug)
    team = membership.team
    panels = overview.panels_for(team=team, membership=membership, user=request.user)
    for panel in panels:
        panel.render(request, team=team, membership=membership)
    return render(
        request,
        "teams/team.html",
        {
            "team": team,
            "membership": membership,
            "panels": panels,
            "next_step": overview.next_step(panels),
            "members": selectors.team_members(team=team),
            "client_groups": team.client_groups.all(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    team = membership.team
    form = TeamForm(request.POST or None, instance=team, organisation=team.organisation)
    if form.is_valid():
        form.save()
        messages.success(request, _("Team settings saved."))
        return redirect("teams:team", team.slug)
    return render(request, "teams/team_settings.html", {"form": form, "team": team})


@login_required
@require_http_methods(["GET", "POST"])
def client_group_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    form = ClientGroupForm(request.POST or None, team=team)
    if form.is_valid():
        try:
            services.client_group_create(team=team, **form.cleaned_data)
            messages.success(request, _("Client group added."))
            return redirect("teams:team", team.slug)
        except ValidationError as error:
            form.add_error("name", error)
    return render(request, "teams/client_group_form.html", {"form": form, "team": team})


@login_required
@require_http_methods(["GET", "POST"])
def client_group_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    group = get_object_or_404(team.client_groups, pk=pk)
    form = ClientGroupForm(request.POST or None, instance=group, team=team)
    if form.is_valid():
        form.save()
        messages.success(request, _("Client group saved."))
        return redirect("teams:team", team.slug)
    return render(
        request, "teams/client_group_form.html", {"form": form, "team": team, "group": group}
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_group_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    group = get_object_or_404(team.client_groups, pk=pk)
    if request.method == "POST":
        try:
            services.client_group_delete(group=group)
            messages.success(request, _("Client group %(name)s removed.") % {"name": group.name})
            return redirect("teams:team", team.slug)
        except ValidationError:
            pass  # surveys hold answers: the page, drawn from the data, says so
    return render(
        request,
        "teams/client_group_remove.html",
        {"team": team, "group": group, "usage": selectors.client_group_usage(group=group)},
    )


def _members_context(membership: Membership, invite_form: InvitationForm | None = None) -> dict:
    team = membership.team
    return {
        "team": team,
        "membership": membership,
        "members": selectors.team_members(team=team),
        "invitations": selectors.team_open_invitations(team=team),
        "invite_form": invite_form or InvitationForm(),
        "role_choices": Membership._meta.get_field("role").choices,
    }


@login_required
@require_GET
def members(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    return render(request, "teams/members.html", _members_context(membership))


@login_required
@require_POST
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug, roles=MANAGERS)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                team=membership.team, invited_by=request.user, **form.cleaned_data
            )
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            form = None
        except ValidationError as error:
            form.add_error("email", error)
    if form is None and not request.htmx:
        return redirect("teams:members", slug)
    template = "teams/members.html#invitations" if request.htmx else "teams/members.html"
    return render(request, template, _members_context(membership, form))


def _manager_invitation(request: HttpRequest, slug: str, pk: int) -> Invitation:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    return get_object_or_404(team.invitations, pk=pk)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = _manager_invitation(request, slug, pk)
    try:
        services.invitation_resend(invitation=invitation)
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("teams:members", slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = _manager_invitation(request, slug, pk)
    try:
        services.invitation_revoke(invitation=invitation)
        messages.success(request, _("Invitation revoked."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("teams:members", slug)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    target = get_object_or_404(team.memberships, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(membership=target, role=form.cleaned_data["role"])
            messages.success(request, _("Role of %(name)s changed.") % {"name": target.user})
        except ValidationError as error:
            messages.error(request, error.messages[0])
    if request.user == target.user and form.is_valid() and form.cleaned_data["role"] != "manager":
        return redirect("teams:team", slug)
    return redirect("teams:members", slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = membership_get(user=request.user, team_slug=slug, roles=MANAGERS).team
    target = get_object_or_404(team.memberships.select_related("user"), pk=pk)
    if request.method == "POST":
        try:
            services.membership_remove(membership=target)
            messages.success(
                request, _("%(name)s no longer belongs to the team.") % {"name": target.user}
            )
            return redirect("teams:members", slug)
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return render(request, "teams/member_remove.html", {"team": team, "target": target})


@login_required
@require_http_methods(["GET", "POST"])
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get(user=request.user, team_slug=slug)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
            messages.success(request, _("You left %(team)s.") % {"team": membership.team})
            return redirect("home")
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return render(request, "teams/team_leave.html", {"team": membership.team})


@require_GET
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_open(token=token)
    if not request.user.is_authenticated and invitation.is_open:
        # Following the link proves the address: allauth then skips e-mail confirmation.
        from allauth.account.adapter import get_adapter

        get_adapter(request).stash_verified_email(request, invitation.email)
        request.session["invitation_email"] = invitation.email
    return render(request, "teams/invitation.html", {"invitation": invitation})


@login_required
@require_POST
def invitation_answer(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    invitation = selectors.invitation_get_open(token=token)
    try:
        if answer == "accept":
            services.invitation_accept(invitation=invitation, user=request.user)
            messages.success(request, _("Welcome to %(team)s!") % {"team": invitation.team})
            return redirect("teams:team", invitation.team.slug)
        services.invitation_decline(invitation=invitation, user=request.user)
        messages.info(request, _("Invitation declined."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("teams:invitation", token)
    return redirect("home")


@login_required
@require_POST
def organisation_admin(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    member = get_object_or_404(organisation.members.select_related("user"), pk=pk)
    try:
        services.organisation_admin_set(member=member, is_admin=request.POST.get("is_admin") == "1")
        messages.success(request, _("Rights of %(name)s updated.") % {"name": member.user})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("teams:organisation", organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def company_sign_in(request: HttpRequest, org_slug: str) -> HttpResponse:
    """An organisation admin connects (or changes, or removes) the company sign-in."""
    organisation = org_member_get(user=request.user, org_slug=org_slug).organisation
    config = CompanySignIn.objects.select_related("app").filter(organisation=organisation).first()
    if request.method == "POST" and "remove" in request.POST:
        company.settings_remove(organisation=organisation)
        messages.success(request, _("Company sign-in removed: people sign in with a password."))
        return redirect("teams:company_sign_in", organisation.slug)
    initial = {"default_role": Role.MEMBER, "password_allowed": True}
    if config:
        initial = {
            "name": config.app.name,
            "issuer": config.app.settings.get("server_url", ""),
            "client_id": config.app.client_id,
            "domains": config.domains,
            "default_team": config.default_team_id,
            "default_role": config.default_role,
            "password_allowed": config.password_allowed,
            "mfa_required": config.mfa_required,
        }
    form = CompanySignInForm(
        request.POST or None,
        initial=initial,
        organisation=organisation,
        has_secret=config is not None,
    )
    if form.is_valid():
        try:
            company.settings_save(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Company sign-in saved."))
            return redirect("teams:company_sign_in", organisation.slug)
    context = {
        "organisation": organisation,
        "config": config,
        "form": form,
        "callback": request.build_absolute_uri(
            reverse(
                "openid_connect_callback", kwargs={"provider_id": company.provider_id(organisation)}
            )
        ),
    }
    return render(request, "teams/company_sign_in.html", context)
