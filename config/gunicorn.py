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
