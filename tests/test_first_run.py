"""A newcomer's first `make run`: one short block on screen (the address, the demo logins,
where e-mails go), no mail from the demo data, and whatever stops it (Ctrl-C, SIGTERM, the
terminal closed) stops everything it started."""

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from improvement import services as improvement_services
from meetings import services as meeting_services
from notifications import services as outbox

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 240  # a first start migrates a new database and loads the demo


def test_the_demo_data_sends_no_mail_on_the_first_start(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    # What the beat does within its first minute.
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meetings_refresh()
        improvement_services.checkin_reminders_plan()
        outbox.reminders_dispatch_due()
    assert [m.subject for m in mailoutbox] == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ours(var_dir: Path) -> list[tuple[int, str]]:
    """Processes started by this `make run` (they carry its var directory)."""
    needle = f"COCHARTER_VAR_DIR={var_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append((int(entry.name), (entry / "cmdline").read_bytes().decode()))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("make-run-var")


def _make_run(var_dir: Path, output: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        # The newcomer's setup: no database, Redis or settings of their own.
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "EMAIL_"))
    }
    env.update(COCHARTER_VAR_DIR=str(var_dir), PORT=str(port), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as in a terminal
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = output.read_text(errors="replace")
        if "Ctrl-C stops" in text or process.poll() is not None:
            break
        time.sleep(0.5)
    return process, output.read_text(errors="replace")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
@pytest.mark.parametrize(
    "how",
    ["ctrl-c", "sigterm-to-make", "terminal-closed"],
)
def test_make_run_prints_one_block_and_stopping_it_stops_everything(var_dir, tmp_path, how):
    process, text = _make_run(var_dir, tmp_path / "output.txt")
    try:
        assert process.poll() is None, text
        url = re.search(r"Cocharter runs at (http://127\.0\.0\.1:\d+/)", text)
        assert url, text
        assert "claire@demo.cocharter.test" in text and "cocharter-demo" in text
        assert "E-mails are printed here" in text
        for noise in ("Warning", "warning", "Subject:", "Applying ", "started (pid", "!!"):
            assert noise not in text, text
        assert len(text.strip().splitlines()) <= 16, text
        started = _ours(var_dir)
        names = " ".join(cmd for _pid, cmd in started)
        assert "devserver" in names and "worker" in names and "beat" in names

        if how == "ctrl-c":  # the terminal signals its whole foreground group
            os.killpg(process.pid, signal.SIGINT)
        elif how == "sigterm-to-make":
            process.send_signal(signal.SIGTERM)
        else:
            os.killpg(process.pid, signal.SIGHUP)
        process.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _ours(var_dir) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _ours(var_dir) == []
    finally:
        for pid, _cmd in _ours(var_dir):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
