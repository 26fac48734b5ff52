"""tests/support: the helpers every suite, benchmark and script shares say what the engine and the launcher say."""
from __future__ import annotations

import math
import subprocess
import sys

import pytest

from engine.datasets import LETTER_PIXELS
from tests.support import browser, letters, liveserver, stats


@pytest.mark.parametrize("label", ["A", "B", "C"])
def test_the_letters_are_the_engines(label):
    assert letters.LETTERS[label] == list(LETTER_PIXELS[label])
    assert getattr(letters, f"LETTER_{label}") == list(LETTER_PIXELS[label])


@pytest.mark.parametrize("values,q,expected", [
    ([3, 1, 2], 0.0, 1),
    ([3, 1, 2], 0.5, 2),
    ([3, 1, 2], 0.99, 3),
    (list(range(100)), 0.99, 99),
    (list(range(100)), 0.5, 50),
])
def test_percentile_is_the_nearest_rank_from_below(values, q, expected):
    assert stats.percentile(values, q) == expected


def test_percentile_of_nothing_is_nan():
    assert math.isnan(stats.percentile([], 0.5))


def test_the_launcher_runs_the_real_command_line_from_the_repository_root(tmp_path):
    server = liveserver.LiveServer(tmp_path / "data", tmp_path / "log", "--host", "127.0.0.1")
    assert server.command() == [sys.executable, "-m", "app.cli", "serve", "--port", str(server.port), "--data",
                                str(tmp_path / "data"), "--host", "127.0.0.1"]
    assert (liveserver.ROOT / "pyproject.toml").is_file()


def test_the_old_import_paths_still_give_the_shared_helpers():
    import liveserver as old  # tests/liveserver.py, kept for tests written before tests/support

    assert old.LiveServer is liveserver.LiveServer and old.wait_until is liveserver.wait_until


def test_one_set_of_chromium_flags():
    assert browser.CHROMIUM == "/usr/bin/chromium"
    assert "--no-sandbox" in browser.ARGS and len(set(browser.ARGS)) == len(browser.ARGS)


@pytest.mark.parametrize("module", ["bench.bench_server", "bench.bench_engine", "bench.bench_page",
                                    "bench.bench_classroom", "bench.soak", "scripts.screenshots",
                                    "scripts.lesson_screenshots", "bench.bench_capture", "scripts.screenshots_runs"])
def test_bench_and_scripts_import_the_shared_helpers_as_modules(module):
    run = subprocess.run([sys.executable, "-m", module, "--help"], cwd=liveserver.ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage:")
