"""The in-memory replay buffer (embedded mode) forgets a room nobody published to for a
day, as Redis expires its keys: each job has a room of its own, and the embedded process
kept every one of them for its whole life (about 4 KB a job, for ever)."""

from flowline.realtime.buffer import MemoryBuffer


def test_a_room_idle_for_a_day_is_forgotten_and_a_busy_one_keeps_its_ids():
    # given a finished job's room, and an account's room still in use
    now = [0.0]
    buffer = MemoryBuffer(window=500, clock=lambda: now[0])
    buffer.append("job_1", "task_update", {"status": "completed"})
    buffer.append("account_1", "task_update", {"status": "completed"})

    # when a day passes with events for the account only
    now[0] = MemoryBuffer.TTL + 1
    for _ in range(MemoryBuffer.SWEEP_EVERY):
        buffer.append("account_1", "task_update", {"status": "processing"})

    # then the job's room is gone from memory, the account's keeps counting
    assert buffer.rooms() == 1
    assert buffer.last("job_1") == 0 and buffer.since("job_1", 0) == []
    assert buffer.last("account_1") == MemoryBuffer.SWEEP_EVERY + 1
    assert [seq for seq, _, _ in buffer.since("account_1", MemoryBuffer.SWEEP_EVERY)] == [
        MemoryBuffer.SWEEP_EVERY + 1
    ]


def test_rooms_in_use_within_the_day_are_kept():
    now = [0.0]
    buffer = MemoryBuffer(window=500, clock=lambda: now[0])
    for n in range(MemoryBuffer.SWEEP_EVERY):
        now[0] = n
        buffer.append(f"job_{n}", "task_update", {})

    assert buffer.rooms() == MemoryBuffer.SWEEP_EVERY
