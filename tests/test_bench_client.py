"""The load generator's HTTP client (bench/harness.py): what `make bench` measures
with must read every answer right, or the figures are wrong."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.harness import Client


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"Hello, ", b"world"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/nothing":
            self.send_response(204)
            self.end_headers()
        elif self.path == "/close":
            self._answer(b"bye", close=True)
        else:
            self._answer(self.headers.get("X-Echo", "").encode() or b"ok")

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers["Content-Length"])))

    def _answer(self, body: bytes, close: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Vote", "cast")
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        if close:
            self.close_connection = True


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def client(server):
    with Client(f"http://127.0.0.1:{server.server_port}", {"X-Echo": "fixed"}) as client:
        yield client


def test_it_keeps_the_connection_alive_between_requests(client):
    answers = [client.get("/") for _ in range(3)]
    assert [a.content for a in answers] == [b"fixed"] * 3
    assert client.connections_opened == 1


def test_it_sends_a_form_and_reads_headers_whatever_their_case(client):
    response = client.post("/", data={"keyword": 7})
    assert response.content == b"keyword=7"
    assert response.headers.get("x-vote") == response.headers["X-Vote"] == "cast"
    assert "CONTENT-LENGTH" in response.headers


def test_a_header_of_the_request_replaces_the_clients_own(client):
    assert client.get("/", headers={"X-Echo": "mine"}).content == b"mine"


def test_it_reads_chunked_and_empty_answers(client):
    assert client.get("/chunked").content == b"Hello, world"
    assert client.get("/nothing").status_code == 204
    assert client.get("/").content == b"fixed"
    assert client.connections_opened == 1


def test_it_opens_a_new_connection_after_the_server_closed_one(client):
    assert client.get("/close").content == b"bye"
    assert client.get("/").content == b"fixed"
    assert client.connections_opened == 2


def test_it_sends_again_when_the_server_dropped_the_idle_connection(server, monkeypatch):
    monkeypatch.setattr(_Handler, "timeout", 0.2)  # the server's keep-alive timeout
    with Client(f"http://127.0.0.1:{server.server_port}", {}) as client:
        assert client.get("/").status_code == 200
        time.sleep(0.5)
        assert client.get("/").content == b"ok"
        assert client.connections_opened == 2
