"""``backprop-playground [serve]``: its options, its URL line, and no Flask import until it runs."""
from __future__ import annotations

import subprocess
import sys

import pytest

from app import cli, serve_cli


def test_serve_is_the_default_with_loopback_defaults():
    parser = cli.build_parser()
    args = parser.parse_args(["serve"])
    assert (args.host, args.port, args.data, args.open) == ("127.0.0.1", 5000, None, False)
    args = parser.parse_args(["serve", "--host", "0.0.0.0", "--port", "8080", "--data", "/tmp/x", "--open"])
    assert (args.host, args.port, args.data, args.open) == ("0.0.0.0", 8080, "/tmp/x", True)


@pytest.mark.parametrize("argv", [["--port", "0"], ["--port", "70000"], ["--port", "http"], ["--bogus"]])
def test_bad_options_exit_2_with_one_line(argv, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("backprop-playground") and ": error: " in err and err.count("\n") == 1


@pytest.mark.parametrize("host,port,url", [
    ("127.0.0.1", 5000, "http://127.0.0.1:5000/"),
    ("0.0.0.0", 80, "http://127.0.0.1:80/"),
    ("::1", 5001, "http://[::1]:5001/"),
])
def test_the_printed_url(host, port, url):
    assert serve_cli.url_for(host, port) == url


def test_building_the_command_line_does_not_import_flask():
    code = "import sys, app.cli; app.cli.build_parser(); print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_live_server_printed_its_url(live_server):
    assert f"Backprop Playground: http://127.0.0.1:{live_server.port}/" in live_server.log()
