"""The command line behaves like a Unix tool: pipes, help, a busy port, plurals, one epoch limit, one epoch-0 figure."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys

import pytest

from app import cli, serve_cli
from app.factory import DEFAULTS
from engine import presets
from engine.trainer import MAX_EPOCHS_PER_RUN
from tests.support.liveserver import ROOT, free_port

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def command(*args):
    return [sys.executable, "-m", "app.cli", *args]


@pytest.mark.parametrize("args", [["train", "letters", "--json"], ["train", "xor-3-4-1", "--json"],
                                  ["train", "letters"]])
def test_a_reader_that_stops_after_one_line_ends_it_quietly_with_status_0(args):
    with subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=ROOT) as proc:
        first = proc.stdout.readline()
        proc.stdout.close()  # as `| head -1` does
        err = proc.stderr.read().decode()
        assert proc.wait(60) == 0
    assert err == ""
    assert first.strip()


def test_the_top_level_help_shows_the_serve_options(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--host HOST", "--port PORT", "--data DIR", "--open", "--classroom", "--teacher-token",
                   "--public-url", "--message-queue"):
        assert option in out, option
    assert "backprop-playground [serve] [options]" in out
    assert "{" + ",".join(cli.COMMANDS) + "}" in out


@pytest.fixture
def busy_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", free_port()))
        holder.listen()
        yield holder.getsockname()[1]


def test_a_busy_port_is_one_line_and_exit_2_before_any_banner_or_folder(busy_port, tmp_path):
    data = tmp_path / "data"
    done = subprocess.run(command("--port", str(busy_port), "--data", str(data)), capture_output=True, text=True,
                          env=ENV, cwd=ROOT, timeout=60)
    suggestion = serve_cli.free_port_after("127.0.0.1", busy_port)
    assert suggestion != busy_port and not serve_cli.port_in_use("127.0.0.1", suggestion)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"backprop-playground serve: error: port {busy_port} is in use; "
                           f"try --port {suggestion}\n")
    assert not data.exists()


def test_a_free_port_is_not_in_use():
    assert serve_cli.port_in_use("127.0.0.1", free_port()) is False


@pytest.mark.parametrize("epochs,said", [(0, "after 0 epochs:"), (1, "after 1 epoch:"), (2, "after 2 epochs:"),
                                         (1000, "after 1,000 epochs:")])
def test_the_closing_line_counts_epochs_in_good_english(epochs, said, capsys):
    assert cli.main(["train", "xor-3-4-1", "--epochs", str(epochs)]) == 0
    assert said in capsys.readouterr().out


def test_the_command_line_and_the_server_share_one_epoch_limit(capsys):
    assert DEFAULTS["MAX_EPOCHS"] == MAX_EPOCHS_PER_RUN
    assert cli.main(["train", "xor-3-4-1", "--epochs", str(MAX_EPOCHS_PER_RUN + 1)]) == 2
    assert capsys.readouterr().err == (f"backprop-playground train: error: Epochs (epochs): {MAX_EPOCHS_PER_RUN + 1} "
                                       f"is not a whole number from 0 to {MAX_EPOCHS_PER_RUN}\n")


def test_the_server_publishes_the_same_epoch_limit(client):
    assert client.get("/api/presets").get_json()["limits"]["epochs"] == MAX_EPOCHS_PER_RUN


def table_rows(out):
    """{epoch: loss} of the table's rows."""
    rows = re.findall(r"^\s+([\d,]+)\s+(\S+)\s+\S+\s+\S+$", out, re.M)
    return {int(e.replace(",", "")): float(loss) for e, loss in rows}


@pytest.mark.parametrize("preset", list(presets.PRESETS))
def test_the_epoch_0_loss_is_one_figure_everywhere(preset, capsys):
    """The table's epoch-0 row, ``--epochs 0``, the JSON line and the page's snapshot (``Trainer.state()``)."""
    page = presets.build({"preset": preset}).trainer.state().loss
    assert cli.main(["train", preset]) == 0
    table = table_rows(capsys.readouterr().out)[0]
    assert cli.main(["train", preset, "--epochs", "0"]) == 0
    out = capsys.readouterr().out
    zero = table_rows(out)[0]
    closing = float(re.search(r"after 0 epochs: loss (\S+),", out).group(1))
    assert cli.main(["train", preset, "--json", "--epochs", "0"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["epoch"] == 0 and first["loss"] == page
    assert table == zero == closing == float(f"{page:.6g}")


@pytest.mark.parametrize("preset", ["letters", "xor-3-4-1"])
def test_every_logged_row_is_the_network_at_the_start_of_that_epoch(preset, capsys):
    assert cli.main(["train", preset, "--json", "--epochs", "30", "--log-every", "10"]) == 0
    lines = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()[:-1]]
    setup = presets.build({"preset": preset})
    expected = []
    for e in (0, 10, 20):
        setup.trainer.run(e - setup.trainer.epoch)
        expected.append({"epoch": e, "loss": setup.trainer.state().loss, "error": setup.trainer.state().error})
    assert lines == expected
