"""The live-server launcher now lives in ``tests/support/liveserver.py``; these names stay importable from here."""
from tests.support.liveserver import ROOT, LiveServer, free_port, serving, wait_until  # noqa: F401
