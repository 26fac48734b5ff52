"""The seed scripts' loops now live in ``tests/support/seeds.py`` (shared with bench/bench_engine.py)."""
from tests.support.seeds import FFNN, seed_000, seed_001, seed_002, seed_002_net, seed_003  # noqa: F401
