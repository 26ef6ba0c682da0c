"""Streams in the deployment files: the proxy passes them through unbuffered, compose
runs the stream server, and `make run` starts it only where Redis is configured."""

from pathlib import Path

from honcho.environ import parse_procfile

from config.devrun import streams_setup

ROOT = Path(__file__).resolve().parents[2]


def test_the_proxy_passes_streams_through_unbuffered_for_hours():
    site = (ROOT / "deploy/nginx/cocharter.conf.template").read_text()
    block = site.split("location /streams/ {", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://cocharter_streams;" in block
    assert "proxy_buffering off;" in block
    assert "proxy_read_timeout 1h;" in block
    assert "server ${COCHARTER_STREAMS_UPSTREAM}" in site


def test_every_procfile_starts_the_stream_server():
    for name in ("Procfile", "Procfile.dev"):
        processes = parse_procfile((ROOT / name).read_text()).processes
        assert "uvicorn streams.app:app" in processes["streams"], name


def test_make_run_opens_streams_beside_the_web_server_with_redis():
    processes = parse_procfile((ROOT / "Procfile.dev").read_text()).processes
    env, kept = streams_setup({"REDIS_URL": "redis://localhost/0"}, processes, "127.0.0.1", "8000")
    assert "streams" in kept
    assert env["STREAMS_PORT"] == "9000"
    assert env["STREAMS_URL"] == "http://127.0.0.1:9000/streams/"


def test_make_run_without_redis_polls():
    processes = parse_procfile((ROOT / "Procfile.dev").read_text()).processes
    env, kept = streams_setup({}, processes, "127.0.0.1", "8000")
    assert "streams" not in kept
    assert env["STREAMS_URL"] == ""
