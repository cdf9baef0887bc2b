"""ASGI entry point: Django and the Socket.IO server (at /api/socket.io) in one app.

`uvicorn config.asgi:application`. In embedded mode its startup also starts the
in-process Celery worker and scheduler.
"""

import os

import socketio
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

django_application = get_asgi_application()

from flowline.realtime.server import on_shutdown, on_startup, sio  # noqa: E402

application = socketio.ASGIApp(
    sio,
    django_application,
    socketio_path="api/socket.io",
    on_startup=on_startup,
    on_shutdown=on_shutdown,
)
