"""The shared heartbeat renews a lease while the block runs, and stops with it."""

import threading

from flowline.core.heartbeat import beating


def test_beats_while_the_block_runs_and_stops_after():
    # given
    beats: list[int] = []
    third = threading.Event()

    def beat():
        beats.append(1)
        if len(beats) >= 3:
            third.set()

    # when: a long step runs
    with beating(beat, every=0.01, name="test-heartbeat"):
        assert third.wait(timeout=10), "the heartbeat never beat three times"
    # then: its thread is gone with the block
    assert not [t for t in threading.enumerate() if t.name == "test-heartbeat"]


def test_a_failing_beat_does_not_stop_the_heartbeat():
    calls: list[int] = []
    second = threading.Event()

    def beat():
        calls.append(1)
        if len(calls) >= 2:
            second.set()
        raise ConnectionError("database blip")

    with beating(beat, every=0.01):
        assert second.wait(timeout=10)
