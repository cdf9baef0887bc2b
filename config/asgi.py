"""ASGI entry point: Django and the Socket.IO server (at /api/socket.io) in one app.

`uvicorn config.asgi:application`. In embedded mode its startup also starts the
in-process Celery worker and scheduler.

Django's HTTP requests go through `PooledASGIHandler`: the whole sync request in one hop
into a fixed pool of FLOWLINE_WEB_THREADS threads (default 8), so persistent database
connections are reused; views that hash passwords have FLOWLINE_PASSWORD_THREADS of their
own (default 2). FLOWLINE_ASGI_HANDLER=django selects Django's stock handler.
"""

import os

import django
import socketio

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup(set_prefix=False)

if os.environ.get("FLOWLINE_ASGI_HANDLER", "pooled") == "django":
    from django.core.handlers.asgi import ASGIHandler

    django_application = ASGIHandler()
else:
    from flowline.core.asgi import PooledASGIHandler

    django_application = PooledASGIHandler(
        threads=int(os.environ.get("FLOWLINE_WEB_THREADS", "8")),
        password_threads=int(os.environ.get("FLOWLINE_PASSWORD_THREADS", "2")),
    )

from flowline.realtime.server import on_shutdown, on_startup, sio  # noqa: E402

application = socketio.ASGIApp(
    sio,
    django_application,
    socketio_path="api/socket.io",
    on_startup=on_startup,
    on_shutdown=on_shutdown,
)
