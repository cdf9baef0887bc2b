"""The README's scale-out recipe, run as written: the Procfile's two web nodes, two workers
and beat on PostgreSQL and Redis. A job's events reach clients of both web nodes, and a
worker process killed mid-job (SIGKILL) loses nothing: the job finishes once."""

import os
import re
import signal
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from flowline.core.testing import throwaway
from flowline.jobs import services
from flowline.realtime.testing import connect_client, member_token

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="the scale-out recipe needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL",
    ),
]
STARTED = re.compile(r"^\S+ system +\| (?P<name>\w+)\.1 started \(pid=(?P<pid>\d+)\)")


class Recipe(throwaway.ServerProcess):
    """`honcho start` on the project's Procfile, in a process group of its own."""

    def __init__(self, tmp_path: Path):
        db = settings.DATABASES["default"]
        self.ports = {"web1": throwaway.free_port(), "web2": throwaway.free_port()}
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "SECRET_KEY": settings.SECRET_KEY,
            "JWT_SIGNING_KEY": settings.SIMPLE_JWT["SIGNING_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "FLOWLINE_VAR_DIR": str(tmp_path),
            "WEB1_PORT": str(self.ports["web1"]),
            "WEB2_PORT": str(self.ports["web2"]),
            # the test's job kinds; a stale heartbeat after 3 s instead of 30
            "CELERY_WORKER_ARGS": "-I flowline.jobs.testing --concurrency 1",
            "FLOWLINE_JOB_STALE_SECONDS": "3",
        }
        super().__init__(throwaway.honcho_command(), env=env, log=tmp_path / "honcho.log")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def started(self) -> set[str]:
        lines = self.log_tail(size=10**6).splitlines()
        return {m["name"] for m in map(STARTED.match, lines) if m}


def test_the_procfile_recipe_runs_jobs_across_nodes_and_survives_a_killed_worker(owner, tmp_path):
    recipe = Recipe(tmp_path)
    clients = []
    try:
        # given: the recipe serving, a client on each web node
        recipe.wait_until_serving([recipe.url("web1"), recipe.url("web2")], timeout=45)
        assert recipe.started() == {"web1", "web2", "worker1", "worker2", "beat"}
        auth = {"token": member_token(owner)}
        for name in ("web1", "web2"):
            clients.append(connect_client(recipe.url(name), auth=auth, events=("task_update",)))
        # when: a job starts and a worker process takes it
        job = services.job_start(
            kind="test.wait_for_release", account_id=owner.account_id, user_id=owner.user.id
        )

        def mine(attempt):
            return lambda n, d: (
                d["id"] == str(job.id) and d["message"].startswith(f"attempt {attempt} ")
            )

        # then: clients of both nodes see it run (the worker publishes through Redis)
        first = [events.wait_for(mine(1), timeout=30)[1] for _, events in clients]
        # when: that worker process is killed without warning
        pid = int(first[0]["message"].rsplit(" ", 1)[1])
        os.kill(pid, signal.SIGKILL)
        # then: another worker process takes the job over, and it finishes once released
        clients[1][1].wait_for(mine(2), timeout=30)
        redis.Redis.from_url(settings.REDIS_URL).rpush(f"flowline:test:release:{job.id}", "go")
        done = lambda n, d: d["id"] == str(job.id) and d["status"] == "completed"  # noqa: E731
        for _, events in clients:
            events.wait_for(done, timeout=30)
        job.refresh_from_db()
        assert job.status == "completed" and job.result == {"attempt": 2}
        room = f"account_{owner.account_id}"
        finished = [d for d in clients[0][1].of("task_update") if done("", d)]
        assert [d["room"] for d in finished].count(room) == 1
    finally:
        for client, _ in clients:
            client.disconnect()
        recipe.stop()
