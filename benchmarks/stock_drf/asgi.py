"""Django's stock ASGI handler, as a seed project's asgi.py has it."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.stock_drf.settings")
application = get_asgi_application()
