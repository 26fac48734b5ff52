"""What tests, benchmarks and scripts share: one live-server launcher, one recording client, one browser setup,
the letters from ``engine.datasets``, percentiles.

Import it as ``tests.support`` with the repository root on ``sys.path``:

* pytest: ``pyproject.toml`` sets ``pythonpath = ["."]``;
* ``bench/`` and ``scripts/``: run them as modules from the repository root, e.g.
  ``python3 -m bench.bench_server`` or ``python3 -m scripts.screenshots`` (``-m`` puts the current folder first).

Modules: ``liveserver`` (``LiveServer``, ``serving``, ``free_port``, ``wait_until``), ``clients`` (``Recorder``),
``browser`` (``CHROMIUM``, ``ARGS``, ``launch``, ``launched``), ``letters`` (``LETTER_A`` … ``LETTER_C``,
``LETTERS``), ``seeds`` (the seed scripts' loops: the reference for tests/engine and the baseline of
bench/bench_engine.py), ``stats`` (``percentile``), ``fixtures`` (``each_closed``), ``shown`` (``count``: a count as
the page prints it).  Nothing here is imported by
``app/`` or ``engine/``.
"""
