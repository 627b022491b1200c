"""WSGI entry point for gunicorn: ``gunicorn -c gunicorn.conf.py`` (see docs/deploy.md).

With ``SUICHA_ENV=production`` the app refuses to start without SECRET_KEY and
DATABASE_URL (server/production.py).
"""

from server import create_app

app = create_app()
