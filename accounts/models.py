import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Files of the tz database that name no place: the host's own zone, a placeholder and
# the rules template. The posix/ and right/ copies duplicate the real names.
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA zones people can choose, sorted: `Europe/Paris`, `UTC`..."""
    return tuple(
        sorted(
            tz
            for tz in zoneinfo.available_timezones()
            if tz not in _NOT_PLACES and not tz.startswith(("posix/", "right/"))
        )
    )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(tz, tz) for tz in time_zone_names()]


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("%(value)s is not a time zone."), code="invalid_time_zone", params={"value": value}
        )


class TimeZoneField(models.CharField):
    """An IANA time zone name, offered as a list and checked against the zones Python
    knows. Not `choices`: those would freeze this host's tz database into migrations,
    which would then differ from one machine to the next."""

    default_validators = [validate_time_zone]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # A list, whatever text widget the admin would give a CharField.
        kwargs.pop("widget", None)
        return models.Field.formfield(
            self, form_class=forms.ChoiceField, choices=time_zone_choices, **kwargs
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; the display name is what teammates see."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    time_zone = TimeZoneField(_("time zone"), default="Europe/Paris")
    anonymous_by_default = models.BooleanField(
        _("leave my name off what I contribute, by default"),
        default=False,
        help_text=_(
            "Each gap-analysis answer and each observation starts with “anonymous” ticked; "
            "you can still change it every time."
        ),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.display_name or self.email
