"""``backprop-playground`` with app config overrides from ``PLAYGROUND_CONFIG`` (JSON).

Usage, from the repository root: ``PLAYGROUND_CONFIG='{"PING_INTERVAL": 1}' python3 -m tests.hardening.serve_with serve
--port ...``.

The hardening tests and bench/soak.py need servers the CLI has no flags for (a
short ping, a wide message limit so huge payloads reach the validators, rate
limits off).  This sets ``app.factory.DEFAULTS`` from the JSON in
``PLAYGROUND_CONFIG`` and then runs the real command line, so everything else
(the Werkzeug server, logging, the store) is exactly what users run.
"""
from __future__ import annotations

import json
import os
import sys

if __name__ == "__main__":
    from app import cli, factory

    factory.DEFAULTS.update(json.loads(os.environ.get("PLAYGROUND_CONFIG", "{}")))
    sys.exit(cli.main(sys.argv[1:]))
