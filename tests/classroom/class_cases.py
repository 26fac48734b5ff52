"""Shared test data for the classroom tests: the teacher token, two letters, the classroom server, small helpers."""
from __future__ import annotations

import sys

from tests.support.letters import LETTER_A, LETTER_C  # noqa: F401  (re-exported)
from tests.support.liveserver import ROOT, LiveServer, free_port, wait_until  # noqa: F401  (re-exported)

TOKEN = "test-teacher-token-0123"


def make_class_app(data_dir, classroom, **config):
    from app import create_app

    return create_app({"TESTING": True, "DATA_DIR": str(data_dir), "CLASSROOM": classroom,
                       **config})


class ClassServer(LiveServer):
    """``backprop-playground --classroom`` in a subprocess on a free loopback port; ready once it has a join code."""

    code = None

    def command(self):
        return [sys.executable, "-m", "app.cli", "--classroom", "--port", str(self.port), "--data",
                str(self.data_dir), "--teacher-token", TOKEN, *self.extra]

    def ready(self):
        self.code = self.get(f"/api/classroom?token={TOKEN}")["code"]
