"""Server test fixtures beside tests/conftest.py's: ``other``, a second tab on the same app (a link opened there)."""
from __future__ import annotations

import pytest

from tests.conftest import SocketTestClient


@pytest.fixture
def other(app):
    """A second tab (its own session) on the test client's app: where a copied link is opened."""
    c = SocketTestClient(app)
    yield c
    c.raw.disconnect()
