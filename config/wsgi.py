"""The WSGI application (gunicorn ``config.wsgi:application``)."""

import gc
import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # A wrong or missing setting (config/settings.py names it): one line, as manage.py prints it. Exit
    # code 3 is gunicorn's "worker failed to boot", which stops the server instead of restarting workers.
    print(f"Configuration error: {error}", file=sys.stderr, flush=True)
    raise SystemExit(3) from None

# Everything loaded so far (Django, the apps, their models) lives as long as the process: moved out of
# the collector's reach, a full collection no longer walks it. Measured in process at 100,000 people
# (docs/benchmarks.md): without this, about one request in 200 paid a full collection of 114–135 ms.
gc.collect()
gc.freeze()
