"""nginx with the site of deploy/nginx/, started the way docker-compose.yml's `proxy`
runs it, for `make bench` and for the test of that site (tests/test_proxy.py)."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "cocharter.conf.template"


def nginx() -> str | None:
    """nginx's path: Debian puts it in /usr/sbin, which is not on every PATH."""
    return shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")


def site(listen: str, upstream: str, streams: str | None = None) -> str:
    """The site with its ${COCHARTER_*} filled in, as the nginx image does it. Without a
    stream server, /streams/ goes to `upstream` too."""
    values = {
        "COCHARTER_LISTEN": listen,
        "COCHARTER_UPSTREAM": upstream,
        "COCHARTER_STREAMS_UPSTREAM": streams or upstream,
    }
    return re.sub(r"\$\{(COCHARTER_\w+)\}", lambda m: values[m.group(1)], TEMPLATE.read_text())


def start(port: int, upstream: str, folder: Path, streams: str | None = None) -> subprocess.Popen:
    """nginx on 127.0.0.1:`port` in front of `upstream` (host:port), its files in
    `folder`. Around the site, what the nginx image's own nginx.conf sets that matters
    here, without the access log. Returns once it answers; the caller stops it."""
    (folder / "cocharter.conf").write_text(site(f"127.0.0.1:{port}", upstream, streams))
    # Started by root, nginx's workers would run as `nobody`, who cannot reach files in
    # a folder of root's (a large request body goes to a file).
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    include {folder}/cocharter.conf;
}}
"""
    )
    command = [nginx(), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"]
    process = subprocess.Popen(command)
    wait_until_up(port, process, "nginx")
    return process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, name: str) -> None:
    """Returns once GET /healthz on `port` answers 200; stops `process` if it never does."""
    for _ in range(100):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{name} did not start on port {port}")
