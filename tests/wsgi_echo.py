"""A WSGI app that answers with what reached it, for tests/test_proxy.py: the request
as gunicorn saw it behind the proxy of deploy/nginx/."""

import json

PAGE = b"<!DOCTYPE html><title>t</title>" + b"<p>Our charter, week after week.</p>" * 300


def app(environ, start_response):
    if environ["PATH_INFO"] == "/page":  # a page of HTML, as the app serves them
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [PAGE]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    # /unread answers without reading the body, as a view that refuses early does.
    unread = environ["PATH_INFO"] == "/unread"
    body = environ["wsgi.input"].read(length) if length and not unread else b""
    seen = {
        "protocol": environ["SERVER_PROTOCOL"],
        "host": environ.get("HTTP_HOST"),
        "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
        "forwarded_proto": environ.get("HTTP_X_FORWARDED_PROTO"),
        "body_bytes": len(body),
    }
    answer = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [answer]
