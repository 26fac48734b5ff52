"""The deployment knobs of docs/deploy.md: the WSGI entry point's environment and websocket-only transport."""
from __future__ import annotations

import importlib

import pytest
from class_cases import TOKEN

from app.classroom.cli import QUEUE_ENV, TOKEN_ENV


@pytest.fixture
def wsgi(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPROP_PLAYGROUND_DATA", str(tmp_path / "data"))
    for name in ("CLASSROOM", "PUBLIC_URL", "TRANSPORTS"):
        monkeypatch.delenv(f"BACKPROP_PLAYGROUND_{name}", raising=False)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.delenv(QUEUE_ENV, raising=False)
    module = importlib.import_module("app.wsgi")
    made = []

    def make():
        app = module.make_app()
        made.append(app)
        return app

    yield make, monkeypatch
    for app in made + [module.app]:
        app.extensions["playground_hub"].close_all()


def test_the_wsgi_app_is_solo_by_default(wsgi, tmp_path):
    make, _ = wsgi
    app = make()
    assert app.config["DATA_DIR"] == str(tmp_path / "data") and not app.config.get("CLASSROOM")


def test_the_wsgi_app_runs_a_class_from_the_environment(wsgi, capsys):
    make, env = wsgi
    env.setenv("BACKPROP_PLAYGROUND_CLASSROOM", "1")
    env.setenv(TOKEN_ENV, TOKEN)
    env.setenv("BACKPROP_PLAYGROUND_PUBLIC_URL", "https://ai.school.example")
    room = make().config["CLASSROOM"]
    assert (room.token, room.join_page) == (TOKEN, "https://ai.school.example/join")
    err = capsys.readouterr().err
    assert room.code in err and TOKEN not in err  # the start line never shows the token


def test_a_class_under_wsgi_needs_its_token(wsgi):
    make, env = wsgi
    env.setenv("BACKPROP_PLAYGROUND_CLASSROOM", "1")
    with pytest.raises(SystemExit, match=TOKEN_ENV):
        make()


def test_websocket_only_refuses_long_polling(wsgi):
    make, env = wsgi
    env.setenv("BACKPROP_PLAYGROUND_TRANSPORTS", "websocket")
    assert make().test_client().get("/socket.io/?EIO=4&transport=polling").status_code == 400
    env.delenv("BACKPROP_PLAYGROUND_TRANSPORTS")
    assert make().test_client().get("/socket.io/?EIO=4&transport=polling").status_code == 200
