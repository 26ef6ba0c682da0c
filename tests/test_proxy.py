"""How the app is served: gunicorn's settings (config/gunicorn.py) and the nginx site in
front of it (deploy/nginx/), run for real on a small WSGI app that echoes what reached it."""

import gzip
import http.client
import inspect
import json
import os
import runpy
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn import util

from bench import proxy
from tests import wsgi_echo

ROOT = Path(__file__).resolve().parent.parent


def _gunicorn_settings(**env) -> dict:
    names = ("PORT", "WEB_CONCURRENCY", "WEB_WORKER_CLASS", "WEB_THREADS")
    saved = {name: os.environ.pop(name, None) for name in names}
    os.environ.update(env)
    try:
        return runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def test_web_processes_are_sync_workers_by_default():
    conf = _gunicorn_settings()
    assert (conf["bind"], conf["workers"], conf["worker_class"], conf["threads"]) == (
        "0.0.0.0:8000",
        3,
        "sync",
        1,
    )
    assert conf["accesslog"] is None  # the proxy logs requests
    assert conf["preload_app"] is True  # the workers share the app's memory
    assert conf["control_socket_disable"] is True


def test_the_environment_sizes_the_web_processes():
    conf = _gunicorn_settings(
        PORT="9000", WEB_CONCURRENCY="5", WEB_WORKER_CLASS="gthread", WEB_THREADS="4"
    )
    assert (conf["bind"], conf["workers"], conf["worker_class"], conf["threads"]) == (
        "0.0.0.0:9000",
        5,
        "gthread",
        4,
    )


def test_the_site_template_is_filled_in_like_the_nginx_image_does():
    site = proxy.site("8000", "web:8000")
    assert "listen 8000 default_server;" in site
    assert "server web:8000 fail_timeout=0;" in site
    assert "${" not in site  # nothing left for nginx to choke on
    assert "$http_x_forwarded_proto" in site  # nginx's own variables stay


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """nginx with the site of deploy/nginx/ in front of gunicorn with config/gunicorn.py."""
    if not proxy.nginx():
        pytest.skip("nginx is not installed (.ci/run installs Debian's nginx-light)")
    app_port, front_port = proxy.free_port(), proxy.free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "tests.wsgi_echo:app", "--config", "config/gunicorn.py"]
        + ["--bind", f"127.0.0.1:{app_port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT,
    )
    try:
        proxy.wait_until_up(app_port, server, "gunicorn")
        nginx = proxy.start(front_port, f"127.0.0.1:{app_port}", tmp_path_factory.mktemp("nginx"))
    except RuntimeError:
        server.kill()
        raise
    yield front_port
    for process in (nginx, server):
        process.terminate()
        process.wait(timeout=10)


def _send(connection, method="GET", body=None, headers=None, path="/anything"):
    connection.request(method, path, body=body, headers=headers or {})
    answer = connection.getresponse()
    return answer, json.loads(answer.read())


def test_the_proxy_passes_the_host_the_scheme_and_the_client_address(front):
    connection = http.client.HTTPConnection("127.0.0.1", front, timeout=10)
    answer, seen = _send(connection, headers={"Host": "cocharter.example.com"})
    assert answer.status == 200
    assert seen["host"] == "cocharter.example.com"  # ALLOWED_HOSTS and absolute links
    assert seen["forwarded_proto"] == "http"  # nothing in front said otherwise
    assert seen["forwarded_for"] == "127.0.0.1"  # TRUSTED_PROXY_COUNT=1 reads it


def test_a_tls_terminator_in_front_keeps_its_scheme_and_its_place_in_the_chain(front):
    connection = http.client.HTTPConnection("127.0.0.1", front, timeout=10)
    _answer, seen = _send(
        connection, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    )
    assert seen["forwarded_proto"] == "https"
    assert seen["forwarded_for"] == "203.0.113.7, 127.0.0.1"


def test_browsers_keep_their_connection_and_each_request_reaches_a_free_worker(front):
    connection = http.client.HTTPConnection("127.0.0.1", front, timeout=10)
    for _ in range(3):
        answer, seen = _send(connection)
        assert not answer.will_close  # kept alive between the browser and the proxy
        # ... and one request per upstream connection, so no worker holds a browser.
        assert seen["protocol"] == "HTTP/1.0"


def test_html_is_compressed_for_browsers_that_accept_it(front):
    connection = http.client.HTTPConnection("127.0.0.1", front, timeout=10)
    connection.request("GET", "/page", headers={"Accept-Encoding": "gzip, br"})
    answer = connection.getresponse()
    body = answer.read()
    assert answer.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in answer.getheader("Vary", "")
    assert gzip.decompress(body) == wsgi_echo.PAGE
    assert len(body) < len(wsgi_echo.PAGE) / 10
    connection.request("GET", "/page")  # a client that does not accept gzip
    plain = connection.getresponse()
    assert plain.getheader("Content-Encoding") is None
    assert plain.read() == wsgi_echo.PAGE


def test_an_import_file_over_the_apps_limit_still_reaches_the_app(front):
    """The app refuses CSV files above 2 MB with a message of its own: nginx's default
    limit (1 MB) would answer first with a bare error page."""
    connection = http.client.HTTPConnection("127.0.0.1", front, timeout=10)
    body = b"x" * (3 * 1024 * 1024)
    answer, seen = _send(connection, "POST", body, {"Content-Type": "text/csv"})
    assert answer.status == 200
    assert seen["body_bytes"] == len(body)


def test_an_answer_given_before_the_request_was_read_still_arrives_whole(front):
    """The worker lingers on such a connection (config/gunicorn.py) rather than reset it."""
    connection = http.client.HTTPConnection("127.0.0.1", front, timeout=10)
    body = b"x" * 20_000
    for _ in range(3):
        answer, seen = _send(connection, "POST", body, {"Content-Type": "text/csv"}, "/unread")
        assert answer.status == 200
        assert seen["body_bytes"] == 0


@pytest.fixture
def connection_pair():
    """Both ends of a TCP connection: the web process's and the proxy's."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        proxy_end = socket.create_connection(listener.getsockname())
        worker_end, _address = listener.accept()
    yield worker_end, proxy_end
    proxy_end.close()
    worker_end.close()


def _answer_and_close(worker_end, *, read_request: bool) -> float:
    if read_request:
        worker_end.recv(65536)
    worker_end.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    started = time.monotonic()
    # What a gunicorn worker does after each answer: our hook, then its own close.
    answer = SimpleNamespace(sock=worker_end, should_close=lambda: True)
    _gunicorn_settings()["post_request"](None, None, {}, answer)
    util.close_graceful(worker_end)
    return time.monotonic() - started


def _read_to_the_end(sock) -> bytes:
    sock.settimeout(5)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_worker_that_read_the_whole_request_closes_at_once(connection_pair):
    worker_end, proxy_end = connection_pair
    proxy_end.sendall(b"GET / HTTP/1.0\r\n\r\n")
    time.sleep(0.05)  # the request is in the worker's buffer
    # gunicorn's own close waits up to 2 s here, until the proxy closes its side.
    assert _answer_and_close(worker_end, read_request=True) < 0.5
    assert _read_to_the_end(proxy_end).endswith(b"\r\n\r\nok")


def test_a_worker_that_left_the_request_unread_lingers_and_the_answer_arrives(connection_pair):
    worker_end, proxy_end = connection_pair
    proxy_end.sendall(b"POST / HTTP/1.0\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000)
    time.sleep(0.05)
    closing = threading.Thread(
        target=_answer_and_close, args=(worker_end,), kwargs={"read_request": False}
    )
    closing.start()
    assert _read_to_the_end(proxy_end).endswith(b"\r\n\r\nok")  # no reset
    proxy_end.close()
    closing.join(timeout=5)
    assert not closing.is_alive()


def test_a_kept_alive_connection_is_left_open(connection_pair):
    worker_end, proxy_end = connection_pair
    answer = SimpleNamespace(sock=worker_end, should_close=lambda: False)
    _gunicorn_settings()["post_request"](None, None, {}, answer)
    proxy_end.sendall(b"GET / HTTP/1.1\r\n\r\n")
    worker_end.settimeout(5)
    assert worker_end.recv(65536).startswith(b"GET /")


def test_every_worker_class_calls_the_hook_before_it_closes():
    """If gunicorn stops calling post_request before util.close_graceful, the hook above
    does nothing (the workers still close properly, only slower)."""
    from gunicorn.workers import gthread, sync

    for worker in (sync, gthread):
        source = inspect.getsource(worker)
        assert "self.cfg.post_request(self, req, environ, resp)" in source
        assert "util.close_graceful(" in source


PROBE = """
import django
django.setup()
from allauth.core.internal.httpkit import get_client_ip
from django.test import RequestFactory
request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="{chain}")
print(get_client_ip(request))
"""


@pytest.mark.parametrize(
    ("count", "chain", "client"),
    [
        ("0", "198.51.100.1", "10.0.0.9"),  # no proxy of ours: the header is the client's to write
        ("1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # compose's nginx
        ("2", "203.0.113.7, 10.0.0.5", "203.0.113.7"),  # a load balancer in front of it
    ],
)
def test_sign_in_rate_limits_count_the_same_proxies_as_the_surveys(count, chain, client):
    """allauth limits sign-in attempts by address: behind the proxy without this, every
    visitor would share the proxy's address and one visitor's typos would lock out all."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "TRUSTED_PROXY_COUNT": count}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(chain=chain)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout.strip() == client
