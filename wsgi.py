"""WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app`."""

from elearn import create_app, warm_up

app = create_app()
# Once, here: gunicorn (preload_app) forks its workers from this process, so none configures or compiles again.
warm_up(app)
