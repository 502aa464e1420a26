import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brug.settings")
application = get_wsgi_application()

# Each web process flushes its own buffer of page views: see brug/core/background.py.
from brug.core.background import start_view_flusher  # noqa: E402

start_view_flusher()
