"""Django's stock WSGI handler, as a seed project's wsgi.py has it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.stock_drf.settings")
application = get_wsgi_application()
