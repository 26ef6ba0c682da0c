import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x8#k2!production-like-secret-with-enough-entropy-4f9a0c7e1b3d5",
    "DJANGO_ALLOWED_HOSTS": "cocharter.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cocharter",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://cocharter.example.com",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "REDIS"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_pages_carry_a_strict_content_security_policy(member_client):
    response = member_client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


# The policy allows scripts and styles only from our own files ('self'), so anything
# inline in a template would be blocked in the browser, silently.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_INLINE_PATTERNS = {
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "style= attribute": re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.IGNORECASE),
    "on*= handler": re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on handler": re.compile(r"\shx-on", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def inline_code_in(html: str) -> list[str]:
    """What a strict Content-Security-Policy would block in this template text."""
    found = []
    for attributes, body in _SCRIPT.findall(html):
        if not re.search(r"\ssrc\s*=", " " + attributes, re.IGNORECASE):
            found.append("<script> without src")
        elif body.strip():
            found.append("<script src> with an inline body")
    found += [name for name, pattern in _INLINE_PATTERNS.items() if pattern.search(html)]
    return found


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script defer>go()</script><img src="a.png">',
        '<script src="a.js">alert(1)</script>',
        "<style>p { color: red }</style>",
        '<p class="x" style="color: red">',
        '<button type="button" onclick="go()">',
        '<body\n  onload="go()">',
        '<a hx-on:click="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_the_inline_code_check_catches(html):
    assert inline_code_in(html)


def test_the_inline_code_check_accepts_files_and_plain_words():
    html = (
        '<script src="/static/app.js" defer></script>\n'
        '<link rel="stylesheet" href="/static/app.css">\n'
        "<p>Carry on=strong, the styles are in style.css</p>"
    )
    assert inline_code_in(html) == []


def test_templates_have_no_inline_script_or_style():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert any("allauth" in path.parts for path in templates)
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in templates
        if (found := inline_code_in(path.read_text()))
    }
    assert not offenders


def test_the_admin_is_only_for_staff(member_client, client, django_user_model):
    assert member_client.get("/admin/").status_code == 302
    staff = django_user_model.objects.create_user(
        email="staff@example.com", is_staff=True, is_superuser=True
    )
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_sessions_end_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 12
    assert "accounts.middleware.SessionTouchMiddleware" in settings.MIDDLEWARE


@pytest.fixture
def clocked_sessions(settings):
    """Sessions in a process-local cache whose expiry follows time.time(), so a travelling
    clock (time-machine) ages them; Redis would count real seconds."""
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.SESSION_CACHE_ALIAS = "sessions"


def test_a_busy_session_is_written_at_most_once_a_minute(
    client, settings, db, monkeypatch, clocked_sessions
):
    """Live pages poll every 2 s: each poll must not rewrite the session."""
    from django.contrib.sessions.backends.cache import SessionStore

    settings.SESSION_COOKIE_AGE = 3600
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(UserFactory())
        saves = []
        real_save = SessionStore.save
        monkeypatch.setattr(
            SessionStore, "save", lambda self, *a, **k: saves.append(1) or real_save(self, *a, **k)
        )
        for _ in range(10):
            assert client.get(reverse("home")).status_code == 200
            clock.shift(2)
        assert len(saves) <= 1
        clock.shift(60)
        client.get(reverse("home"))
    assert len(saves) <= 2 and saves


def test_a_session_idle_for_longer_than_the_timeout_is_logged_out(
    client, settings, db, clocked_sessions
):
    settings.SESSION_COOKIE_AGE = 60
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(UserFactory())
        assert client.get(reverse("home")).status_code == 200
        clock.shift(61)
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_session_in_use_outlives_the_timeout(client, settings, db, clocked_sessions):
    settings.SESSION_COOKIE_AGE = 60
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(UserFactory())
        for _ in range(4):  # 160 s in all, each request within 60 s of the one before
            clock.shift(40)
            assert client.get(reverse("home")).status_code == 200


def test_the_admin_login_form_does_not_check_passwords_itself(client, db):
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": "staff@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_admin_logins_are_refused_after_repeated_wrong_passwords(client, db):
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    login_url = client.get("/admin/login/?next=/admin/").url
    for _ in range(5):
        client.post(login_url, {"login": "staff@example.com", "password": "wrong"})
    response = client.post(login_url, {"login": "staff@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_staff_reach_the_admin_through_the_allauth_login(client, db):
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    login_url = client.get("/admin/login/?next=/admin/").url
    response = client.post(login_url, {"login": "staff@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_signed_in_non_staff_cannot_open_the_admin_login(member_client):
    assert member_client.get("/admin/login/").status_code == 403


def test_a_developers_manage_command_needs_no_environment():
    """Without a secret, manage.py uses the development defaults, as `make run` does;
    the production settings above still refuse to start without one."""
    result = _manage("check", env={"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stdout + result.stderr
