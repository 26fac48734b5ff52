"""Security: same-origin sockets, no pickle, safe names, a loopback default, teacher tokens, dependency floors.

The cross-origin connect itself (refused over a raw websocket and over long-polling) is in
test_hardening_wire.py; here the server's CORS setting is checked in both modes.
"""
from __future__ import annotations

import ast
import html
import inspect
import os
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import create_app, validate
from app.classroom import identity as classroom
from app.cli import build_parser
from app.extensions import socketio
from tests.hardening.harness import ROOT
from tests.hardening.wire import Wire

TOKEN = "Teacher-token_for.hardening~tests"  # 8–128 URL-safe characters
WRONG = "Wrong-token_guessed.by~a-student"
SKIP_DIRS = {".git", "node_modules", "vendor", "__pycache__", ".venv", "build", "dist"}


def python_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP_DIRS & set(path.relative_to(ROOT).parts):
            yield path


# -- no pickle ---------------------------------------------------------------------------------------------
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib", "shelve", "marshal", "jsonpickle"}


def unsafe_uses(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in UNSAFE_MODULES:
                yield f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "allow_pickle" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    yield f"{path.relative_to(ROOT)}:{node.lineno} allow_pickle"
            func = ast.unparse(node.func)
            if func in ("torch.load", "yaml.load", "yaml.unsafe_load", "pd.read_pickle", "pandas.read_pickle"):
                yield f"{path.relative_to(ROOT)}:{node.lineno} {func}"


def test_no_pickle_anywhere():
    files = list(python_files())
    assert len(files) > 50
    found = [use for path in files for use in unsafe_uses(path)]
    assert found == []
    declared = set(re.findall(r'^\s*"([A-Za-z0-9_.-]+)', (ROOT / "pyproject.toml").read_text(), re.M))
    assert not {d.lower() for d in declared} & {m.lower() for m in UNSAFE_MODULES}


def test_the_scan_would_see_pickle(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nfrom joblib import load\nimport numpy as np\nnp.load('x', allow_pickle=True)\n")
    original = ROOT
    try:
        globals()["ROOT"] = tmp_path
        assert len(list(unsafe_uses(bad))) == 3
    finally:
        globals()["ROOT"] = original


# -- names ---------------------------------------------------------------------------------------------------
def safe_name(name):
    return (html.escape(name, quote=True) == name and "/" not in name and "\\" not in name
            and not name.startswith(".") and name == name.strip() and name.isprintable() and 1 <= len(name) <= 64
            and os.path.basename(name) == name)


@settings(max_examples=500, database=None, derandomize=True)
@given(st.text(max_size=80) | st.sampled_from(["..", ".", "../x", "a/../b", "<script>", "a&b", "x'y", 'x"y',
                                               "a\x00b", "C:\\x", " x ", "ok name", "a..b", "é"]))
def test_a_stored_name_is_inert_in_html_and_paths(name):
    try:
        clean = validate.name("name", name)
    except validate.Invalid as exc:
        assert exc.field == "name" and exc.message.startswith("name: ")
        return
    assert safe_name(clean)


@pytest.mark.parametrize("path", ["/api/models/..%2F..%2Fetc%2Fpasswd", "/api/models/%2Fetc%2Fpasswd",
                                  "/api/models/a%3Cscript%3E", "/api/models/.hidden", "/api/models/a%00b"])
def test_a_model_path_that_is_not_a_name_is_refused(strict_server, path):
    assert strict_server.status(path) in (400, 404)


@settings(max_examples=300, database=None, derandomize=True)
@given(st.text(max_size=300))
def test_a_student_display_name_is_inert_in_html(raw):
    name = classroom.clean_name(raw)
    assert name is None or (html.escape(name, quote=False) == name and "<" not in name and len(name) <= 24)


# -- bind, CORS, dependencies --------------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [[], ["serve"], ["serve", "--classroom"]])
def test_the_default_bind_is_loopback(argv):
    parser = build_parser()
    args = parser.parse_args(argv or ["serve"])
    assert args.host == "127.0.0.1"


def test_the_running_server_listens_on_loopback_only(strict_server):
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) == strict_server.port:  # 0A: LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing else (no 0.0.0.0, no ::)


@pytest.mark.parametrize("config", [{}, {"CLASSROOM": classroom.Classroom.make(TOKEN)}], ids=["solo", "classroom"])
def test_sockets_stay_same_origin(tmp_path, config):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), **config})
    assert socketio.server.eio.cors_allowed_origins is None  # python-engineio's default: the page's own origin only
    app.extensions["playground_hub"].close_all()


def test_dependencies_are_at_versions_without_known_advisories():
    def parse(v):
        return tuple(int(p) for p in re.findall(r"\d+", v)[:3])

    assert parse(version("python-socketio")) >= (5, 16, 2)
    assert parse(version("python-engineio")) >= (4, 13, 2)
    pyproject = (ROOT / "pyproject.toml").read_text()  # (tomllib is 3.11+; the project supports 3.10)
    # the floors; the ceilings after them are app/compat.py's (tests/server/test_compat.py)
    assert re.search(r'"python-socketio>=5\.16\.2[,"]', pyproject)
    assert re.search(r'"python-engineio>=4\.13\.2[,"]', pyproject)


# -- teacher tokens ------------------------------------------------------------------------------------------
def token_comparisons(path):
    """``==``/``!=`` comparisons in ``path`` with something named like a token on either side."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
            sides = [node.left, *node.comparators]
            if any("token" in ast.unparse(s).lower() and not isinstance(s, ast.Constant) for s in sides):
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}"


def test_teacher_tokens_are_compared_in_constant_time():
    found = [c for path in (ROOT / "app").glob("*.py") for c in token_comparisons(path)]
    assert found == []
    assert "hmac.compare_digest" in inspect.getsource(classroom.same_secret)
    assert classroom.same_secret(TOKEN, TOKEN) and not classroom.same_secret(WRONG, TOKEN)
    assert not classroom.same_secret(None, TOKEN) and not classroom.same_secret(["x"], TOKEN)


@pytest.fixture(scope="module")
def class_server(server_factory):
    """A classroom server whose teacher token comes from the environment (so it is not in ``ps`` either)."""
    return server_factory(args=["--classroom"], env={"BACKPROP_PLAYGROUND_TEACHER_TOKEN": TOKEN})


def test_teacher_tokens_are_never_logged(class_server, no_new_tracebacks):
    s = class_server
    with no_new_tracebacks(s):
        assert s.status(f"/api/classroom?token={WRONG}") == 403
        assert s.status("/api/classroom", headers={"X-Teacher-Token": WRONG}) == 403
        assert s.status(f"/api/classroom?token={TOKEN}") == 200
        details = s.get("/api/classroom", headers={"X-Teacher-Token": TOKEN})
        assert s.post("/api/examples", {"dataset": "letters", "label": "A", "input": [0] * 30})[0] == 403
        with pytest.raises(ConnectionRefusedError):
            Wire(s.port, auth={"token": WRONG})
        with pytest.raises(ConnectionRefusedError):
            Wire(s.port, auth={"code": "WRONG1"})
        teacher = Wire(s.port, auth={"token": TOKEN})
        student = Wire(s.port, auth={"code": details["code"], "name": "<b>Ada</b>"})
        assert teacher.call("configure", {"preset": "letters"})["ok"] is True
        assert student.call("configure", {"preset": "letters"})["ok"] is False  # students may not drive
        teacher.close()
        student.close()
    log = s.log()
    assert log.count(TOKEN) == 1 and "Teacher" in log.splitlines()[[TOKEN in line for line in
                                                                     log.splitlines()].index(True)]
    assert WRONG not in log  # refused guesses are not written down either
    assert TOKEN.encode() not in Path(f"/proc/{s.proc.pid}/cmdline").read_bytes()
