"""Serve Django's sync stack from ASGI in one hop per request, on a fixed pool of threads.

Django's own ASGIHandler runs sync views and middleware through asgiref: a new thread
for every request (ThreadSensitiveContext), several loop/thread hops per request (the
request_started signal, each sync/async boundary in the middleware chain, closing the
response) and, since database connections are per thread, a new connection per request
whatever CONN_MAX_AGE says. Flowline's API is sync code, so this handler does what a
threaded WSGI server does instead: the event loop reads the body, one call into a pool
thread runs the request from the request_started signal to the closed response, the loop
sends the bytes. Pool threads live as long as the process, so persistent database
connections (CONN_MAX_AGE) and cache clients are reused, and each thread keeps its own
context the way a WSGI thread keeps its thread-locals (the tenant context is still
cleared after every request by TenantContextMiddleware).

Streaming responses (static and media files) are read chunk by chunk in the pool. The
request/response objects, middleware and views are Django's: behaviour is the same.

URL resolution is remembered per path: Django's resolver tries the router's patterns one
regex at a time (about 6% of a list request's CPU with every app's routes); a path that
resolved once resolves the same way until the URLconf changes (the cache lives on the
resolver object, which Django rebuilds when ROOT_URLCONF changes). Bounded; 404s are
not kept.

The heap is frozen once loaded (`gc.freeze()` after the URLconf and every app are
imported): a full garbage collection walks every tracked object, about 310,000 once all
apps are loaded, which took 0.7 s on this machine and stalled every request in flight,
once every few thousand requests: that, not the average cost, was the p99 of the
benchmark (0.3-0.9 s). Frozen objects are never collected, which is what module-level
objects want anyway; what requests allocate is collected as before. On by default,
off under the test settings; FLOWLINE_GC_FREEZE=false|true decides otherwise.

Views that hash a password (log in, sign up, change or reset it, accept an invitation:
Argon2, about 0.2 s of CPU and 100 MiB each) say so with `hashes_passwords = True` and
run on a small pool of their own (`password_threads`, FLOWLINE_PASSWORD_THREADS, default
2). In the mixed load (benchmarks/mixed_load.py) 200 users logging in took all 8 request
threads into Argon2 at once: every other request queued behind them for up to a minute,
and the process held 800 MiB of hash memory. Now a burst of logins waits for itself and
the rest of the API keeps answering; at most `password_threads` hashes run at a time.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse
from django.urls import ResolverMatch, get_resolver, set_script_prefix, set_urlconf

_thread = threading.local()
_DONE = object()
_RESOLVED_PATHS = 4096
_heap_frozen = False


def _freeze_by_default() -> bool:
    """FLOWLINE_GC_FREEZE when set; otherwise on, except under the test settings: a test
    run builds handlers mid-run with fixtures alive (connections, live servers), and what
    is frozen then is never collected, so their finalizers would never run."""
    value = os.environ.get("FLOWLINE_GC_FREEZE")
    if value is not None:
        return value.strip().lower() in ("1", "true", "yes", "on")
    from django.conf import settings

    return not str(settings.SETTINGS_MODULE).endswith(".test")


def freeze_loaded_heap() -> None:
    """Import the URLconf (every app's views and serializers), then move everything alive
    into the permanent generation, once per process."""
    global _heap_frozen
    if _heap_frozen:
        return
    _heap_frozen = True
    get_resolver().url_patterns  # noqa: B018 (imports every route's module)
    gc.collect()
    gc.freeze()


def _in_thread_context(fn, *args):
    """Run `fn` in the pool thread's own, long-lived context (WSGI thread semantics)."""
    ctx = getattr(_thread, "context", None)
    if ctx is None:
        ctx = _thread.context = contextvars.Context()
    return ctx.run(fn, *args)


class PooledASGIHandler(ASGIHandler):
    """Django over ASGI with the sync middleware chain, in a pool of `threads` threads."""

    def __init__(
        self, threads: int = 8, *, password_threads: int = 2, freeze_heap: bool | None = None
    ):
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="django")
        self.password_executor = ThreadPoolExecutor(
            max_workers=password_threads, thread_name_prefix="django-password"
        )
        if freeze_heap is None:
            freeze_heap = _freeze_by_default()
        if freeze_heap:
            freeze_loaded_heap()

    @staticmethod
    def _known_match(resolver, path: str) -> ResolverMatch:
        """The path's match, remembered on the resolver (Resolver404 is not kept)."""
        cache = resolver.__dict__.get("_flowline_matches")
        if cache is None:
            cache = resolver.__dict__.setdefault("_flowline_matches", {})
        known = cache.get(path)
        if known is None:
            known = resolver.resolve(path)  # Resolver404 propagates, nothing is kept
            if len(cache) >= _RESOLVED_PATHS:
                cache.clear()
            cache[path] = known
        return known

    def resolve_request(self, request):
        urlconf = getattr(request, "urlconf", None)
        if urlconf is not None:
            set_urlconf(urlconf)
        known = self._known_match(get_resolver(urlconf), request.path_info)
        # A copy per request: middleware and views may touch its kwargs.
        match = object.__new__(ResolverMatch)
        match.__dict__.update(known.__dict__)
        match.kwargs = dict(known.kwargs)
        match.args = tuple(known.args)
        request.resolver_match = match
        return match

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)

    async def _run(self, fn, *args, executor=None):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor or self.executor, _in_thread_context, fn, *args)

    def _executor_for(self, scope):
        """The password pool for views that hash passwords, the request pool otherwise.
        Resolved with the default URLconf (a middleware's per-request URLconf is not
        known yet): a path it does not know goes to the request pool."""
        script_name = get_script_prefix(scope)  # the path_info ASGIRequest will have
        path = scope["path"].removeprefix(script_name) if script_name else scope["path"]
        try:
            view = self._known_match(get_resolver(), path).func
        except Exception:  # Resolver404 and the like: Django answers it in the pool
            return self.executor
        view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
        if getattr(view_class, "hashes_passwords", False):
            return self.password_executor
        return self.executor

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        executor = self._executor_for(scope)
        try:
            response = await self._run(self._respond, scope, body_file, executor=executor)
            if response.streaming:
                try:
                    await self._send_streaming(response, send)
                finally:
                    await self._run(response.close, executor=executor)
            else:
                await self.send_response(response, send)
        finally:
            body_file.close()

    def _respond(self, scope, body_file):
        """Everything Django does for one request, in one pool thread."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            # The body is bytes already: close now (request_finished, connection
            # housekeeping) in the thread that served the request.
            response.close()
        return response

    async def _send_streaming(self, response, send):
        """Status and headers as Django's send_response() builds them, then the parts."""
        headers = [
            (
                header.encode("ascii") if isinstance(header, str) else bytes(header),
                value.encode("latin1") if isinstance(value, str) else bytes(value),
            )
            for header, value in response.items()
        ]
        headers += [
            (b"Set-Cookie", c.output(header="").encode("ascii").strip())
            for c in response.cookies.values()
        ]
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )
        if response.is_async:
            async for part in response:
                await self._send_chunks(part, send)
        else:
            iterator = iter(response)
            while (part := await self._run(next, iterator, _DONE)) is not _DONE:
                await self._send_chunks(part, send)
        await send({"type": "http.response.body"})

    async def _send_chunks(self, part, send):
        for chunk, _ in self.chunk_bytes(part):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
