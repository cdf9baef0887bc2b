"""Views that hash a password run on threads of their own: a burst of logins leaves the
rest of the API answering. The mixed load (benchmarks/mixed_load.py) found all 8 request
threads of a web process inside Argon2 at once, and every other request queued behind
them until its client gave up."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from flowline.core.testing.members import PASSWORD
from flowline.realtime.testing import live_asgi_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class HeldHasher(MD5PasswordHasher):
    """The test settings' MD5, holding every check until the test lets it go (a slow
    Argon2 check, without the wait on the clock)."""

    release = threading.Event()
    entered = threading.Semaphore(0)
    lock = threading.Lock()
    running = 0
    most = 0

    def verify(self, password, encoded):
        held = type(self)
        with held.lock:
            held.running += 1
            held.most = max(held.most, held.running)
        held.entered.release()
        try:
            held.release.wait(timeout=30)
            return super().verify(password, encoded)
        finally:
            with held.lock:
                held.running -= 1


@pytest.fixture
def held_hasher(settings):
    HeldHasher.release = threading.Event()
    HeldHasher.entered = threading.Semaphore(0)
    HeldHasher.running = HeldHasher.most = 0
    settings.PASSWORD_HASHERS = [f"{__name__}.HeldHasher"]
    yield HeldHasher
    HeldHasher.release.set()


def test_a_burst_of_logins_leaves_the_api_answering(owner, held_hasher):
    # given more logins in flight than the web process has request threads (8)
    logins = 12
    body = {"email": owner.user.email, "password": PASSWORD}
    bearer = {"Authorization": owner.client._credentials["HTTP_AUTHORIZATION"]}
    with live_asgi_server() as base_url, ThreadPoolExecutor(logins) as clients:
        try:
            sent = [
                clients.submit(httpx.post, f"{base_url}/api/v1/auth/login/", json=body, timeout=60)
                for _ in range(logins)
            ]
            assert held_hasher.entered.acquire(timeout=30), "no login reached the hasher"
            # when a signed-in user asks for something else meanwhile
            me = httpx.get(f"{base_url}/api/v1/auth/me/", headers=bearer, timeout=10)
        finally:
            held_hasher.release.set()
        answers = [future.result() for future in sent]

    # then it is answered while the logins wait, and every login still succeeds
    assert me.status_code == 200, me.text
    assert [a.status_code for a in answers] == [200] * logins
    # and the hashes ran on the password threads alone (2), never on all 8 at once
    assert held_hasher.most <= 2
