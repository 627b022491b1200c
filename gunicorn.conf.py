"""gunicorn settings for production (`make serve-prod`; docs/deploy.md).

Everything can be overridden from the environment; the defaults suit one
2-core host behind nginx on the same machine.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "wsgi:app"
bind = os.environ.get("SUICHA_BIND", "127.0.0.1:8000")
# Sync work is I/O-bound (PostgreSQL, fsync of evidence): a few processes with
# threads each beat many single-threaded processes on a 2-core host.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("SUICHA_THREADS", "8"))
# A 64 MiB blob chunk over a slow county line can take a while.
timeout = int(os.environ.get("SUICHA_TIMEOUT", "120"))
graceful_timeout = 30  # SIGTERM/SIGHUP: finish in-flight uploads first
keepalive = 5
# gunicorn refuses a request line past 4 KiB itself, with an English page; 0 lets
# lines up to 1 MiB through to the app, which refuses one past 16 KiB in Chinese
# (414, server/errors.py MAX_URL_BYTES).
limit_request_line = 0
# Recycle workers now and then (memory held by Pillow decodes), staggered.
max_requests = 5000
max_requests_jitter = 500
# The app writes one JSON line per request itself (server/security.py).
accesslog = None
errorlog = "-"
# X-Forwarded-* are interpreted by ProxyFix in the app (SUICHA_PROXIES hops).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The master imports the app once and forks the workers from it: a worker boots in
# milliseconds, so a reload (SIGHUP) or a recycled worker does not stall requests for
# the seconds an import takes on a busy host. Nothing connects to the database during
# import; post_fork drops the (empty) pool anyway so no connection is ever shared.
# Code changes need a full restart (SIGTERM + start), not SIGHUP.
preload_app = True


def post_fork(server, worker) -> None:
    from server.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
