"""The project's own files: translations, the compose file, the demo data."""

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import polib
import pytest
import yaml
from django.core.management import call_command

from accounts.models import User
from teams.models import ClientGroup, Membership, Role, Team

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_the_french_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_the_compiled_french_catalogue_matches_the_sources():
    # Keyed by context too: pgettext gives one msgid several translations.
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    for entry in polib.pofile(str(PO)).translated_entries():
        if not entry.msgid_plural:
            assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
                f"run `make messages`: {entry.msgid!r}"
            )


def test_every_source_string_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """Fails when someone adds a string without running `make messages` and translating.

    makemessages runs on a copy of the sources, so the test never rewrites the real file.
    """
    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed (.ci/run installs it)")
    sources = tmp_path / "src"
    for folder in (
        "config",
        "accounts",
        "teams",
        "charter",
        "indicators",
        "meetings",
        "improvement",
        "templates",
    ):
        shutil.copytree(
            ROOT / folder, sources / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    target = sources / "locale" / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "django.po")
    settings.LOCALE_PATHS = [sources / "locale"]
    monkeypatch.chdir(sources)
    call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)
    catalogue = polib.pofile(str(target / "django.po"))
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert not missing, f"run `make messages` and translate: {missing[:10]}"


def _compose_config() -> dict:
    if not shutil.which("docker-compose"):
        pytest.skip("Debian's docker-compose is not installed (.ci/run installs it)")
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_every_long_running_service_has_a_health_check():
    services = _compose_config()["services"]
    assert {"proxy", "web", "worker", "beat", "db", "redis"} <= services.keys()
    for name in ("proxy", "web", "worker", "beat", "db", "redis"):
        check = services[name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
    # The web and worker wait for a healthy database and Redis before they start.
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == depends["redis"]["condition"] == "service_healthy"


def test_browsers_reach_the_sync_web_workers_through_the_buffering_proxy():
    services = _compose_config()["services"]
    web, front = services["web"], services["proxy"]
    assert "ports" not in web  # only the proxy is published
    assert [str(p["published"]) for p in front["ports"]] == ["8000"]
    assert web["command"] == "gunicorn config.wsgi --config config/gunicorn.py"
    assert web["environment"]["WEB_WORKER_CLASS"] == "sync"
    # The proxy's address is not the client's.
    assert web["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    (mount,) = front["volumes"]
    source, target = (
        (mount["source"], mount["target"]) if isinstance(mount, dict) else mount.split(":")[:2]
    )
    assert source.endswith("deploy/nginx/cocharter.conf.template")
    assert target == "/etc/nginx/templates/default.conf.template"
    assert front["environment"]["COCHARTER_UPSTREAM"] == "web:8000"
    assert front["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_database_lives_in_a_named_volume():
    config = _compose_config()
    mounts = config["services"]["db"]["volumes"]
    sources = [m["source"] if isinstance(m, dict) else m.split(":")[0] for m in mounts]
    targets = [m["target"] if isinstance(m, dict) else m.split(":")[1] for m in mounts]
    assert "/var/lib/postgresql/data" in targets
    volume = sources[targets.index("/var/lib/postgresql/data")]
    assert volume in config["volumes"]


def test_seed_demo_creates_the_service_desk_team(db, capsys):
    call_command("seed_demo")
    team = Team.objects.get(name="Service Desk")
    assert Membership.objects.filter(team=team, role=Role.MANAGER).count() == 1
    assert Membership.objects.filter(team=team, role=Role.LEAD).count() == 1
    assert Membership.objects.filter(team=team, role=Role.MEMBER).count() == 5
    assert ClientGroup.objects.filter(team=team).count() == 2
    assert "claire@demo.cocharter.test" in capsys.readouterr().out


def test_seed_demo_if_empty_leaves_a_used_database_alone(db):
    User.objects.create_user(email="real@example.com", display_name="Real")
    call_command("seed_demo", if_empty=True)
    assert not Team.objects.exists()


def test_the_docker_build_context_leaves_out_local_state_and_secrets():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var", ".env"} <= ignored
    # The image needs the code, its templates, static files and translations.
    kept = {"config", "accounts", "teams", "templates", "static", "locale", "manage.py"}
    assert not kept & ignored


def test_the_ci_script_parses():
    result = subprocess.run(["bash", "-n", ".ci/run"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_migrations_match_the_models_for_the_whole_project(db):
    # Fails with SystemExit when a model change has no migration, or when a migration
    # froze something of this host (like its list of time zones) that differs here.
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def _install_with_a_pip_that(tmp_path, *, exit_status: int) -> subprocess.CompletedProcess:
    """Runs the Makefile's install target against a stand-in .venv whose pip prints the
    noisy warning the recipe filters, then exits with `exit_status`."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(
        "#!/bin/sh\n"
        'if [ "$2" = pip ]; then\n'
        "  echo \"WARNING: Location 'file:///x' is ignored: it is not a directory.\"\n"
        f"  echo pip-ran; exit {exit_status}\n"
        "fi\n"
    )
    python.chmod(0o755)
    return subprocess.run(
        ["make", "install"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_make_install_stops_when_pip_fails(tmp_path):
    result = _install_with_a_pip_that(tmp_path, exit_status=1)
    assert result.returncode != 0
    assert "pip-ran" in result.stdout
    assert not list((tmp_path / ".venv").glob(".installed-*"))


def test_make_install_hides_the_noisy_pip_lines_and_goes_on(tmp_path):
    result = _install_with_a_pip_that(tmp_path, exit_status=0)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING: Location" not in result.stdout + result.stderr
    assert list((tmp_path / ".venv").glob(".installed-*"))


def test_compose_runs_the_stream_server_behind_the_proxy():
    services = _compose_config()["services"]
    assert services["streams"]["command"].startswith("uvicorn streams.app:app")
    assert services["proxy"]["environment"]["COCHARTER_STREAMS_UPSTREAM"] == "streams:8001"
