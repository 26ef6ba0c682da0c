"""Every form of the app, fuzzed through its real view (issue 25).

The forms are found, not listed: every `forms.Form` / `ModelForm` subclass defined in
the project's apps must show on a page of the access matrix (tests/<app>/access.py) or of
SCENES below, or test_every_form_of_the_project_is_fuzzed fails. A form another engineer
adds later is fuzzed as soon as a page shows it.

For each form, the page that shows it is opened as the first person it is for (a
manager first), the form is read from the page (its action, whether htmx sends it, its
hidden inputs) and from the Form instance the view built (its fields, their choices),
then Hypothesis posts generated data, valid and not, to the form's action. Each example
runs in a transaction rolled back afterwards, and asserts:
- never a server error;
- when the form is invalid: nothing was saved (every table of the project reads the
  same before and after), the answer re-renders the form with each error after its
  field (before the next field), and every text the person typed is still there.
"""

import datetime
import html
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.test_url_access import CASES

from .form_scenes import SCENES

EXAMPLES = 8
PROJECT_APPS = [
    config.name
    for config in apps.get_app_configs()
    if str(config.path).startswith(str(django_settings.BASE_DIR))
    and ".venv" not in str(config.path)
]
TEXT_INPUTS = {"text", "email", "number", "date", "time", "search", "url", "tel", "datetime-local"}


# Which forms the project has ----------------------------------------------------------


def project_form_classes() -> set[type]:
    """Every Form class defined in a project app's module (its forms.py or elsewhere)."""
    import importlib
    import pkgutil

    for name in PROJECT_APPS:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PROJECT_APPS:
                found.add(sub)
    return found


# What a page shows ---------------------------------------------------------------------


@dataclass
class HtmlForm:
    action: str
    htmx: bool
    method: str = "post"
    names: set[str] = field(default_factory=set)
    # The controls a person types in (text boxes, text areas, files), by name.
    typed: set[str] = field(default_factory=set)
    hidden: dict[str, str] = field(default_factory=dict)
    # What a press of the form's first submit button sends (for the probe).
    button: dict[str, str] = field(default_factory=dict)


class FormReader(HTMLParser):
    """The POST forms of a page: action, htmx or not, control names, hidden values."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url, self.forms, self.current = page_url, [], None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            post = (a.get("method") or "").lower() == "post" or "hx-post" in a
            action = a.get("hx-post") or a.get("hx-get") or a.get("action") or self.page_url
            method = "post" if post else "get"
            self.current = HtmlForm(html.unescape(action), "hx-post" in a, method)
            self.forms.append(self.current)
        elif self.current and tag in ("input", "select", "textarea", "button") and a.get("name"):
            self.current.names.add(a["name"])
            kind = a.get("type") or "text"
            if tag == "textarea" or tag == "input" and kind in TEXT_INPUTS | {"file"}:
                self.current.typed.add(a["name"])
            if tag == "input" and a.get("type") == "hidden":
                self.current.hidden[a["name"]] = a.get("value") or ""
            if tag == "button" and not self.current.button:
                self.current.button = {a["name"]: a.get("value") or ""}

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.current = None


class Controls(HTMLParser):
    """The values a re-rendered page holds, per control name, and where each control
    and each text sits in the page (to find errors next to their fields). Only the
    controls of forms sent to `action` count: a page holds other forms (the language
    menu has a `language` select of its own)."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.values: dict[str, list[str]] = {}
        self.events: list[tuple[str, str]] = []  # ("control", name) or ("text", data)
        self._textarea: str | None = None
        self._form_action: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "form":
            self._form_action = html.unescape(
                a.get("hx-post") or a.get("hx-get") or a.get("action") or self.action
            )
        if self._form_action not in (None, self.action):
            return
        if tag in ("input", "select", "textarea") and name:
            self.events.append(("control", name))
            if tag == "input" and (a.get("type") or "text") in TEXT_INPUTS:
                self.values.setdefault(name, []).append(a.get("value") or "")
            if tag == "textarea":
                self._textarea = name
                self.values.setdefault(name, []).append("")

    def handle_endtag(self, tag) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self._form_action = None

    def handle_data(self, data) -> None:
        if self._textarea:
            self.values[self._textarea][-1] += data
        elif data.strip():
            self.events.append(("text", data))


# Where each form shows -------------------------------------------------------------------


@dataclass
class Target:
    form_class: type
    page: str  # URL name or scene name
    role: str
    url: str
    html_form: HtmlForm
    instance: forms.BaseForm


class Recorder:
    """Every Form instance built while it is active, in order."""

    def __init__(self) -> None:
        self.instances: list[forms.BaseForm] = []

    def __enter__(self):
        original = forms.BaseForm.__init__
        recorder = self

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            recorder.instances.append(self)

        self._original, forms.BaseForm.__init__ = original, init
        return self

    def __exit__(self, *exc) -> None:
        forms.BaseForm.__init__ = self._original


def _best_html_form(instance: forms.BaseForm, html_forms: list[HtmlForm]) -> HtmlForm | None:
    names = {instance.add_prefix(name) for name in instance.fields}
    scored = [(len(names & f.names), f) for f in html_forms]
    score, best = max(scored, key=lambda pair: pair[0], default=(0, None))
    return best if score else None


ROLE_ORDER = ("manager", "lead", "member", "outsider", "anonymous")


def _pages() -> Iterator[tuple[str, object]]:
    for name, case in sorted(CASES.items()):
        if case.method == "get":
            yield name, case
    yield from sorted(SCENES.items())


def find_targets(world, people) -> dict[type, Target]:
    """Opens every page of the matrix (and the scenes) and keeps, per form class, the
    first page that shows it with a form to post."""
    targets: dict[type, Target] = {}
    for name, case in _pages():
        if name in SCENES:
            role, url = case(world)
        else:
            role = next((r for r in ROLE_ORDER if case.expected[r] == 200), None)
            if role is None:
                continue
            url = reverse(name, kwargs=case.kwargs(world))
        with Recorder() as recorder:
            response = people[role].get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        reader = FormReader(url)
        reader.feed(response.content.decode())
        matched = []
        for instance in recorder.instances:
            cls = type(instance)
            if cls.__module__.split(".")[0] not in PROJECT_APPS:
                continue
            html_form = _best_html_form(instance, reader.forms)
            if html_form is not None:
                matched.append(html_form)
                targets.setdefault(cls, Target(cls, name, role, url, html_form, instance))
        # A form a view builds only when it receives it (a button's form: a vote, a
        # move, a role): posting what the page holds, once, shows which class it is.
        for html_form in reader.forms:
            if html_form in matched or html_form.method != "post":
                continue
            if html_form.action in SESSION_ACTIONS:
                continue
            for instance in _probe(people[role], html_form):
                cls = type(instance)
                if cls.__module__.split(".")[0] in PROJECT_APPS:
                    targets.setdefault(cls, Target(cls, name, role, url, html_form, instance))
    return targets


# Forms whose effect outlives a rolled-back transaction (the session, a cookie).
SESSION_ACTIONS = {reverse("account_logout"), reverse("accounts:set_language")}


def _probe(client: Client, html_form: HtmlForm) -> list[forms.BaseForm]:
    headers = {"HX-Request": "true"} if html_form.htmx else {}
    with transaction.atomic(), Recorder() as recorder:
        client.post(html_form.action, {**html_form.hidden, **html_form.button}, headers=headers)
        transaction.set_rollback(True)
    return [i for i in recorder.instances if i.is_bound]


# What to type ----------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
    max_size=80,
)
JUNK = st.one_of(
    TEXT,
    st.sampled_from(
        ["", " ", "0", "-1", "1e999", "NaN", "inf", "١٢", "99999999999999999999", "null", "\x00"]
    ),
)
TODAY = datetime.date.today()


def _choice_values(f: forms.Field) -> list[str]:
    values = []
    for value, label in getattr(f, "choices", ()):
        if isinstance(label, list | tuple):  # an optgroup
            values += [str(getattr(v, "value", v)) for v, _label in label]
        else:
            values.append(str(getattr(value, "value", value)))
    return values


def _dates() -> st.SearchStrategy:
    near = st.integers(-1200, 1200).map(lambda n: (TODAY + datetime.timedelta(days=n)).isoformat())
    anywhere = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(
        lambda d: d.isoformat()
    )
    return st.one_of(near, anywhere, JUNK)


def _numbers(f: forms.Field) -> st.SearchStrategy:
    low = getattr(f, "min_value", None)
    high = getattr(f, "max_value", None)
    inside = st.integers(
        int(low) if low is not None else -1000, int(high) if high is not None else 1000
    ).map(str)
    return st.one_of(
        inside,
        st.integers(-(10**15), 10**15).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=4).map(str),
        JUNK,
    )


def _csv() -> st.SearchStrategy:
    cell = st.one_of(TEXT.map(lambda t: t.replace(",", " ").replace("\n", " ")), _dates())
    row = st.lists(cell, min_size=1, max_size=5).map(",".join)
    header = st.sampled_from(["indicator,period,value,note", "indicator;period;value", "x,y"])
    body = st.tuples(header, st.lists(row, max_size=6)).map(lambda hr: "\n".join([hr[0], *hr[1]]))
    return st.one_of(body.map(str.encode), st.binary(max_size=300))


def field_strategy(f: forms.Field) -> st.SearchStrategy:
    """Data for one field: values it takes and values it must refuse. None leaves the
    field out of the request, as a browser does for an unticked box."""
    if isinstance(f, forms.FileField):
        return _csv().map(lambda data: SimpleUploadedFile("values.csv", data, "text/csv"))
    if isinstance(f, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "", "true", "false", "unknown", None])
    if isinstance(f, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        values = _choice_values(f)
        good = st.lists(st.sampled_from(values), max_size=4, unique=True) if values else st.just([])
        return st.one_of(good, st.lists(JUNK, max_size=3), st.none())
    if isinstance(f, forms.ChoiceField | forms.ModelChoiceField):
        values = _choice_values(f)
        good = st.sampled_from(values) if values else JUNK
        return st.one_of(good, good, JUNK, st.none())
    if isinstance(f, forms.DateField):
        return _dates()
    if isinstance(f, forms.TimeField):
        return st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), JUNK)
    if isinstance(f, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return _numbers(f)
    if isinstance(f, forms.EmailField):
        return st.one_of(st.emails(), JUNK)
    max_length = getattr(f, "max_length", None) or 300
    long_text = st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
        min_size=max_length - 2,
        max_size=max_length + 5,
    )
    return st.one_of(TEXT, TEXT, long_text, JUNK, st.none())


def form_data(target: Target) -> st.SearchStrategy:
    instance = target.instance
    strategies = {
        instance.add_prefix(name): field_strategy(f)
        for name, f in instance.fields.items()
        if not isinstance(f.widget, forms.HiddenInput) or name not in ("nonce",)
    }
    return st.fixed_dictionaries(strategies)


# What must hold --------------------------------------------------------------------------


def project_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    )


def fingerprint(tables: list[str]) -> dict[str, str]:
    """Every row of every project table, hashed per table (PostgreSQL)."""
    with connection.cursor() as cursor:
        parts = [
            f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f"FROM {connection.ops.quote_name(table)} t)"
            for table in tables
        ]
        cursor.execute(f"SELECT {', '.join(parts)}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def typed_errors(form: forms.BaseForm, typed: set[str]) -> bool:
    """Whether the refusal concerns what the person typed (`typed`: the names of the
    page's text boxes): a typed field, or the whole form when it has typed fields."""
    refused = {form.add_prefix(name) for name in form.errors if name != "__all__"}
    return bool(typed & refused) or (bool(typed) and "__all__" in form.errors)


def _printable(value: str) -> bool:
    return all(c in "\t\n" or c.isprintable() or c == " " for c in value)


def error_problems(form: forms.BaseForm, content: str, action: str, typed: set[str]) -> list[str]:
    """Errors of typed fields (or of the whole form) missing from the page, or not after
    their field and before the next."""
    page = Controls(action)
    page.feed(content)
    events = page.events
    visible = {form.add_prefix(name) for name, f in form.fields.items() if not f.widget.is_hidden}
    problems = []
    for name, errors in form.errors.items():
        if name != "__all__" and form.add_prefix(name) not in typed:
            continue  # a choice the page offered, or a value it wrote itself: tampered
        for error in errors:
            texts = [i for i, (kind, data) in enumerate(events) if kind == "text" and error in data]
            if not texts:
                problems.append(f"{name}: error {error!r} is not on the page")
                continue
            if name == "__all__" or form.add_prefix(name) not in visible:
                continue
            html_name = form.add_prefix(name)
            controls = [
                i for i, (kind, n) in enumerate(events) if kind == "control" and n == html_name
            ]
            if not controls:
                continue  # the page renders that field its own way (checked by its tests)
            last = controls[-1]
            following = [
                i
                for i, (kind, n) in enumerate(events)
                if kind == "control" and i > last and n in visible and n != html_name
            ]
            limit = following[0] if following else len(events)
            if not any(last < i < limit for i in texts):
                problems.append(f"{name}: error {error!r} is not next to its field")
    return problems


def kept_problems(form: forms.BaseForm, data: dict, content: str, action: str) -> list[str]:
    page = Controls(action)
    page.feed(content)
    problems = []
    for name, f in form.fields.items():
        html_name = form.add_prefix(name)
        typed = data.get(html_name)
        if not isinstance(typed, str) or not typed or not _printable(typed):
            continue
        if isinstance(f.widget, forms.PasswordInput) or f.widget.is_hidden:
            continue
        shown = page.values.get(html_name)
        if shown is None:
            continue  # not a text box (a select, radios): nothing typed to keep
        # A textarea's first newline is not part of its value (HTML drops it); an input's is.
        if not any(typed in (value, value.removeprefix("\n")) for value in shown):
            problems.append(f"{name}: typed {typed[:40]!r}, the page shows {shown[0][:40]!r}")
    return problems


# The tests -----------------------------------------------------------------------------------


@pytest.fixture
def world(team, manager, lead, member, outsider):
    return SimpleNamespace(team=team, manager=manager, lead=lead, member=member, outsider=outsider)


# Forms that are no page's: the sign-up form's extra fields, which allauth merges into a
# form of its own.
NOT_ON_A_PAGE = {"accounts.forms.SignupForm"}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__name__}"


def fuzz(target: Target, client: Client, tables: list[str]) -> None:
    """Posts generated data to one form; raises what Hypothesis found."""
    headers = {"HX-Request": "true"} if target.html_form.htmx else {}
    action = target.html_form.action
    send = client.post if target.html_form.method == "post" else client.get

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        # No shrinking: a failure is reported as generated, which keeps the suite fast.
        phases=(Phase.explicit, Phase.generate),
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_data(target))
    def post(data):
        payload = {**target.html_form.hidden}
        payload.update({k: v for k, v in data.items() if v is not None})
        note(f"{target.html_form.method.upper()} {action} as {target.role}: {payload!r}")
        with transaction.atomic():
            before = fingerprint(tables)
            with Recorder() as recorder:
                response = send(action, payload, headers=headers)
            assert response.status_code < 500
            bound = [
                i
                for i in recorder.instances
                if isinstance(i, target.form_class) and i.is_bound and i._errors
            ]
            if bound and target.html_form.method == "post":
                form = bound[-1]
                assert fingerprint(tables) == before, "an invalid form saved something"
                typed = target.html_form.typed
                if not typed_errors(form, typed):
                    # Only a choice the page offered (a button, a menu) was refused: a
                    # browser sends those as offered, so nothing typed can be lost.
                    transaction.set_rollback(True)
                    return
                assert response.status_code == 200, (
                    f"an invalid form answered {response.status_code}: what was typed is lost"
                )
                content = response.content.decode()
                problems = error_problems(form, content, action, typed)
                problems += kept_problems(form, payload, content, action)
                assert not problems, problems
            transaction.set_rollback(True)

    post()


def test_every_form_is_found_and_survives_generated_input(world, people):
    """One test for all forms, so that the pages are opened once: each form's failure
    is reported with the request that caused it."""
    started = time.monotonic()
    targets = find_targets(world, people)
    print(f"pages read in {time.monotonic() - started:.1f} s")
    missing = {_name(c) for c in project_form_classes() - targets.keys()} - NOT_ON_A_PAGE
    assert not missing, (
        "show these forms on a page of the access matrix, or add a scene to "
        f"tests/form_scenes.py: {sorted(missing)}"
    )
    tables = project_tables()
    failures = {}
    only = os.environ.get("FUZZ_FORMS", "")  # e.g. FUZZ_FORMS=MeetingForm while fixing one
    for cls, target in sorted(targets.items(), key=lambda pair: _name(pair[0])):
        if only and not any(part in _name(cls) for part in only.split(",")):
            continue
        started = time.monotonic()
        try:
            fuzz(target, people[target.role], tables)
        except Exception as error:  # noqa: BLE001 - every form's failure is reported
            notes = "\n".join(getattr(error, "__notes__", []))
            failures[_name(cls)] = f"{type(error).__name__}: {error}\n{notes}"
        print(f"{_name(cls)}: {time.monotonic() - started:.1f} s")
    assert not failures, "\n\n".join(f"{name}:\n{why}" for name, why in failures.items())
