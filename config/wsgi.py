"""The WSGI application (gunicorn ``config.wsgi:application``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their models) lives as long as the process: moved out of
# the collector's reach, a full collection no longer walks it. Measured in process at 100,000 people
# (docs/benchmarks.md): without this, about one request in 200 paid a full collection of 114–135 ms.
gc.collect()
gc.freeze()
