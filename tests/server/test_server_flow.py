"""SnapshotGate: at most ``window`` snapshots unacknowledged; while full, only the newest waits."""
from __future__ import annotations

import pytest

from app.flow import SnapshotGate


class FakeViewer:
    """Records what the gate sends and holds the ack callbacks, as a browser would."""

    def __init__(self):
        self.sent, self.callbacks = [], []

    def send(self, payload, callback):
        self.sent.append(payload)
        self.callbacks.append(callback)

    def ack_oldest(self):
        self.callbacks.pop(0)()


@pytest.fixture
def viewer():
    return FakeViewer()


@pytest.fixture
def gate(viewer):
    return SnapshotGate(viewer.send, window=2)


def test_sends_up_to_the_window_then_holds_only_the_newest(gate, viewer):
    for epoch in range(6):
        gate.offer({"epoch": epoch})
    assert [p["epoch"] for p in viewer.sent] == [0, 1]
    assert gate.stats() == {"sent": 2, "acked": 0, "replaced": 3, "skipped": 0, "in_flight": 2,
                            "max_in_flight": 2}
    viewer.ack_oldest()
    assert [p["epoch"] for p in viewer.sent] == [0, 1, 5]
    viewer.ack_oldest()
    viewer.ack_oldest()
    assert len(viewer.sent) == 3 and gate.in_flight == 0 and gate.ready


def test_a_slow_viewer_never_has_more_than_the_window_in_flight(gate, viewer):
    for epoch in range(1000):
        gate.offer({"epoch": epoch})
        if epoch % 100 == 0:
            viewer.ack_oldest()
    assert gate.max_in_flight == 2
    assert len(viewer.sent) == 12  # 2, plus one per ack
    assert viewer.sent[-1]["epoch"] == 900  # what was newest when the last ack came


def test_a_superseded_frame_hands_its_curve_and_boundary_on(gate, viewer):
    gate.offer({"epoch": 0})
    gate.offer({"epoch": 1})
    gate.offer({"epoch": 2, "curve": "c2", "boundary": "b2"})
    gate.offer({"epoch": 3, "curve": "c3"})
    gate.offer({"epoch": 4})
    viewer.ack_oldest()
    assert viewer.sent[-1] == {"epoch": 4, "curve": "c3", "boundary": "b2"}


def test_reset_opens_the_window_and_ignores_late_acks(gate, viewer):
    gate.offer({"epoch": 0})
    gate.offer({"epoch": 1})
    gate.reset()
    assert gate.ready
    gate.offer({"epoch": 2})
    viewer.ack_oldest()  # an ack for a frame from before the reset
    assert gate.in_flight == 1 and gate.stats()["acked"] == 0


def test_the_gate_never_mutates_a_shared_frame(viewer):
    other = FakeViewer()
    a, b = SnapshotGate(viewer.send), SnapshotGate(other.send)
    frame = {"epoch": 1, "curve": "c"}
    for g in (a, b):
        g.offer(frame)
    assert viewer.sent[0] is frame and other.sent[0] is frame and frame == {"epoch": 1, "curve": "c"}
