import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brug.settings")
application = get_asgi_application()

# Refuse oversized bodies (chunked ones too) while they stream in: see brug/core/bodylimit.py.
from brug.core.bodylimit import BodySizeLimit  # noqa: E402

application = BodySizeLimit(application)

# Each web process flushes its own buffer of page views: see brug/core/background.py.
from brug.core.background import start_view_flusher  # noqa: E402

start_view_flusher()
