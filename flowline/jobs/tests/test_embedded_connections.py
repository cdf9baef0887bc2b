"""Starting and stopping the embedded worker gives back every database connection it
took: a server restarted many times (as the live tests do) must not drain the pool."""

import pytest
from django.db import connection

from flowline.realtime.testing import live_asgi_server

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's"
    ),
]


def _in_use() -> int:
    stats = connection.pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


def test_a_server_started_and_stopped_hands_its_connections_back():
    # given: the connections this test holds
    connection.ensure_connection()
    before = _in_use()

    # when: a server with its embedded worker and scheduler starts and stops twice
    for _ in range(2):
        with live_asgi_server():
            pass

    # then: none of their connections is still taken from the pool
    assert _in_use() == before
