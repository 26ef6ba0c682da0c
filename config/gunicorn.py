"""gunicorn's settings wherever the app is served: Dockerfile, docker-compose.yml,
Procfile and `make bench` all start `gunicorn config.wsgi -c config/gunicorn.py`.

Sync workers by default, each serving one request at a time, behind the buffering
proxy of deploy/nginx/: a request goes to whichever process is free. With gthread
workers each browser's kept-alive connection stays with the process that accepted it,
and when 50 phones tap at the same instant one process can be left with most of them
while the others idle (`make bench`, run alternately: vote p95 62-100 ms for sync
workers behind nginx, 97-109 ms for gthread). Without such a proxy in front (a
platform whose router does not buffer), set WEB_WORKER_CLASS=gthread.
"""

import os
import socket

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
threads = int(os.environ.get("WEB_THREADS", "1"))
# The app is loaded once, in the master, and the workers forked from it share its
# memory: config/wsgi.py builds the long-lived objects and freezes them out of the
# garbage collector's way, so those pages stay shared (`make bench`: 186-211 MB for the
# master and 3 workers, against 260-273 MB loading the app in each). Nothing opens a
# connection while loading (tests/test_wsgi.py), so no worker inherits one. A code
# change needs a restart, not a HUP.
preload_app = True
# The proxy logs every request; the app's own log keeps warnings and errors.
accesslog = None
# gunicorn's control socket (for gunicornc) goes to one path in $HOME: nothing here uses
# it, and two servers on one machine (make bench, the tests) would take it from each other.
control_socket_disable = True


# After each answer gunicorn half-closes the connection and waits for the peer to close
# its side (util.close_graceful, RFC 9112 section 9.6): request bytes the app left unread
# would otherwise turn the close into a reset, which can cut the answer short. A sync
# worker takes no other request meanwhile, and behind the proxy that wait is a round trip
# through nginx's event loop, long when 50 phones tap at once. nginx sends the whole
# request before it reads the answer, so when nothing is left unread there is nothing for
# a reset to be about: this hook (gunicorn calls it after each answer, before closing)
# then shuts the reading side, and gunicorn's close finds the end at once instead of
# waiting. Otherwise gunicorn lingers as it always does. What it buys (`make bench`, six
# runs of each alternately): 5.5 ms of machine CPU per first tap of the workshop burst
# against 6.1 lingering; vote p95 62-142 ms against 87-158. Tests: tests/test_proxy.py.
def post_request(worker, req, environ, resp) -> None:
    if resp is None or not resp.should_close():
        return  # a kept-alive connection (gthread) goes on
    try:
        unread = resp.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        unread = b""  # nothing waiting, the peer still connected
    except (OSError, ValueError):  # a broken connection; a TLS socket takes no flags
        return
    if unread == b"":
        try:
            resp.sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass
