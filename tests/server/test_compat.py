"""app/compat.py: the library internals it patches, checked against the versions it was written for."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import compat

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_installed_libraries_are_the_ones_compat_was_written_for():
    problems = compat.mismatches()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name,version,ok", [
    ("python-engineio", "4.15.1", True),
    ("python-engineio", "4.0", True),
    ("python-engineio", "5.0", False),
    ("python-engineio", "3.14.2", False),
    ("python-socketio", "5.18.1", True),
    ("python-socketio", "6.0.0rc1", False),
    ("flask-socketio", "5.7.0", True),
    ("simple-websocket", "1.1.0", True),
    ("simple-websocket", "2.0", False),
])
def test_a_version_outside_the_series_is_named_with_what_to_do(name, version, ok):
    message = compat.mismatch(name, version)
    if ok:
        assert message is None
    else:
        series = ".".join(map(str, compat.WRITTEN_FOR[name])) + ".x"
        assert message == (f"app/compat.py was written for {name} {series}; you have {version}: check each patch "
                           f"listed in its docstring, then update WRITTEN_FOR and the ceiling in pyproject.toml")


def test_mismatches_lists_only_the_libraries_out_of_their_series():
    installed = {"python-engineio": "5.0", "python-socketio": "5.18.1", "flask-socketio": "5.7.0",
                 "simple-websocket": "1.1.0"}
    assert compat.mismatches(installed) == [compat.mismatch("python-engineio", "5.0")]


def _requirements():
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]


@pytest.mark.parametrize("name", sorted(compat.WRITTEN_FOR))
def test_pyproject_caps_each_patched_library_below_the_next_series(name):
    want = compat.WRITTEN_FOR[name]
    ceiling = ".".join(map(str, want[:-1] + (want[-1] + 1,)))
    pattern = re.compile(rf"^{re.escape(name)}(\[[a-z]+\])?>=[0-9.]+,<([0-9.]+)$", re.IGNORECASE)
    found = [pattern.match(r.split(";")[0].replace(" ", "")) for r in _requirements()
             if re.match(rf"^{re.escape(name)}\b", r, re.IGNORECASE)]
    assert found, f"{name} is not a dependency in pyproject.toml"
    assert [m and m.group(2) for m in found] == [ceiling] * len(found)


def test_the_docstring_lists_every_patch_it_offers():
    offered = ["driver_websocket", "set_driver_websocket", "ping_wait_of", "message_handler",
               "set_message_handler", "send_packet", "packet_head", "QueueManager"]
    for name in offered:
        assert f"``{name}``" in compat.__doc__, name
        assert hasattr(compat, name)
