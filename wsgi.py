"""WSGI entry point for gunicorn: ``gunicorn -c gunicorn.conf.py`` (see docs/deploy.md).

With ``SUICHA_ENV=production`` the app refuses to start without SECRET_KEY and
DATABASE_URL (server/production.py).
"""

import sys

from server import create_app
from server.production import ConfigError

try:
    app = create_app()
except ConfigError as exc:  # the reason, not a traceback (gunicorn preloads this module)
    print(exc, file=sys.stderr)
    raise SystemExit(3) from None
