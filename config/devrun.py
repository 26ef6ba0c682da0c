"""`make run`'s last step: runs Procfile.dev (web, streams, worker, beat) through honcho, prints one
short block once the web answers (the address, the demo logins, where e-mails go), and
stops everything it started however it is stopped.

    python -m config.devrun [--procfile Procfile.dev]

Why not `honcho start`: honcho starts each process in a session of its own, so a
hang-up (the terminal closed) killed honcho and left the web server, the worker and beat
running, and so did honcho or make being killed outright. Here:
- Ctrl-C, SIGTERM and SIGHUP stop the processes through honcho (SIGTERM, SIGKILL after
  honcho's five seconds);
- this process gets SIGTERM when its parent (make) dies, however it dies (Linux);
- every process started carries a marker in its environment; whatever still carries it
  when honcho is done (a worker's pool child orphaned by a SIGKILL...) is killed.
"""

import argparse
import os
import signal
import socket
import sys
import threading
import time
import uuid
from pathlib import Path

from honcho.environ import expand_processes, parse_procfile
from honcho.manager import Manager
from honcho.printer import Printer

MARKER = "COCHARTER_DEVRUN"
# honcho's return codes after SIGINT and SIGTERM; a process stopped by SIGTERM or SIGHUP.
STOPPED_ON_PURPOSE = {130, 143, -15, -1}
BASE_DIR = Path(__file__).resolve().parent.parent


class QuietPrinter(Printer):
    """honcho's printer, without its "web.1 started (pid=...)" lines on every start."""

    def write(self, message):
        if message.name == "system" and "started (pid=" in str(message.data):
            return
        super().write(message)


def _die_with_parent() -> None:
    """Asks Linux for SIGTERM when the parent process (make) ends."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent was already gone before the request
        os.kill(os.getpid(), signal.SIGTERM)


def marked_processes(run_id: str) -> list[int]:
    """Processes still carrying this run's marker in their environment (Linux)."""
    found = []
    needle = f"{MARKER}={run_id}".encode()
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _kill_leftovers(run_id: str) -> None:
    for pid in marked_processes(run_id):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def banner(url: str, logins: list[tuple[str, str]], password: str) -> str:
    lines = ["", f"  Cocharter runs at {url}", ""]
    if logins:
        lines.append(f"  Demo logins (password: {password}):")
        width = max(len(email) for email, _who in logins)
        lines += [f"    {email.ljust(width)}  {who}" for email, who in logins]
        lines.append("")
    lines += [
        "  E-mails are printed here, in this terminal (EMAIL_URL sends them elsewhere).",
        "  Ctrl-C stops the web server, the worker and beat.",
        "",
    ]
    return "\n".join(lines)


def _demo_logins() -> tuple[list[tuple[str, str]], str]:
    """The demo's logins, when the database holds the demo."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connections

    from accounts.models import User
    from teams import demo

    try:
        there = User.objects.filter(email__endswith="@" + demo.DEMO_DOMAIN).exists()
    finally:
        connections.close_all()
    return (demo.logins(), demo.DEMO_PASSWORD) if there else ([], "")


def _announce_when_ready(host: str, port: int, text: str, stop: threading.Event) -> None:
    """Prints the block once the web server listens (so that it comes last on screen);
    a connection, not a request, which the server would log."""
    while not stop.is_set():
        try:
            with socket.create_connection((host, port), timeout=2):
                break
        except OSError:
            stop.wait(0.5)
    else:
        return
    print(text, flush=True)


def streams_setup(env: dict, processes: dict, host: str, port: str) -> tuple[dict, dict]:
    """With Redis, the stream server runs beside the web server (STREAMS_PORT, by default
    the web's port + 1000) and pages open their streams there; without Redis it does not
    run and pages poll."""
    if not env.get("STREAMS_REDIS_URL", env.get("REDIS_URL")):
        return {**env, "STREAMS_URL": ""}, {k: v for k, v in processes.items() if k != "streams"}
    streams_port = env.get("STREAMS_PORT") or str(int(port) + 1000)
    url = env.get("STREAMS_URL") or f"http://{host}:{streams_port}/streams/"
    return {**env, "STREAMS_PORT": streams_port, "STREAMS_URL": url}, processes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procfile", default=str(BASE_DIR / "Procfile.dev"))
    args = parser.parse_args(argv)
    _die_with_parent()

    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    run_id = uuid.uuid4().hex
    env = {**os.environ, MARKER: run_id, "HOST": host, "PORT": port}
    processes = parse_procfile(Path(args.procfile).read_text()).processes
    env, processes = streams_setup(env, processes, host, port)

    manager = Manager(QuietPrinter(sys.stdout))
    for params in expand_processes(processes, env=env):
        # Every process gets the web server's port, as in the Procfile.
        manager.add_process(params.name, params.cmd, env={**params.env, "PORT": port})

    main_pid = os.getpid()

    def hang_up(signum, frame):
        # honcho reads each process's output in a forked helper, which inherits this
        # handler: only this process stops the others.
        if os.getpid() == main_pid:
            manager.terminate()

    signal.signal(signal.SIGHUP, hang_up)
    sys.path.insert(0, str(BASE_DIR))
    logins, password = _demo_logins()
    url = f"http://{host}:{port}/"
    stop = threading.Event()
    threading.Thread(
        target=_announce_when_ready,
        args=(host, int(port), banner(url, logins, password), stop),
        daemon=True,
    ).start()
    try:
        manager.loop()
    finally:
        stop.set()
        # honcho has stopped what it started; anything orphaned on the way goes too.
        time.sleep(0.2)
        _kill_leftovers(run_id)
    # Stopped on purpose (Ctrl-C, SIGTERM, a hang-up) is a success: make stays quiet.
    return 0 if manager.returncode in STOPPED_ON_PURPOSE else manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
