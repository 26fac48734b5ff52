"""An installed wheel serves the whole page: built from the checkout, installed in a fresh virtualenv, run from /tmp.

The module builds an sdist from a copy of the checkout, a wheel from that sdist (so both carry the page), and
installs the wheel into a new virtualenv with this interpreter's pip.  The virtualenv gets no copy of the
dependencies: a ``.pth`` file points it at the site-packages this test runs with (Flask, NumPy, ... are already
importable here), so the test needs no network, yet ``app`` and ``engine`` come from the wheel alone.  The server
is the wheel's ``backprop-playground`` command, started in an empty directory outside the checkout with no
PYTHONPATH; the test fetches ``/`` and every file the page references (index.html's links and scripts, every
module the JavaScript imports, statically or dynamically, and every ``url()`` in the CSS), each of which must
be 200.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.support.liveserver import ROOT, free_port, wait_until

pytestmark = pytest.mark.live

SKIP_COPY = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "node_modules",
                                   "tests", "docs", "bench", ".pytest_cache", ".ruff_cache", "data")
VERSION = "0.1.0"
LINKS = re.compile(r"""(?:src|href)="(/[^"]*)\"""")
JS_PATHS = re.compile(r"""['"]((?:\.{1,2}/|/static/)[^'"\s]+\.(?:m?js|css))['"]""")
CSS_URLS = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
FONT_SRC = re.compile(r"src\s*:([^;}]+)")


def run(*args, cwd=None):
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def dependency_dirs():
    """The site-packages this test runs with, where Flask, NumPy and the rest are installed."""
    return [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and os.path.isdir(p)]


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    """(sdist, wheel) built from a copy of the checkout, the wheel from the sdist."""
    base = tmp_path_factory.mktemp("dist")
    src = base / "checkout"
    shutil.copytree(ROOT, src, ignore=SKIP_COPY)
    run(sys.executable, "setup.py", "-q", "sdist", "-d", base / "sdist", cwd=src)
    (sdist,) = (base / "sdist").glob("*.tar.gz")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", base / "wheel",
        sdist, cwd=base)
    (wheel,) = (base / "wheel").glob("*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def venv(dists, tmp_path_factory):
    """A fresh virtualenv with the wheel installed; returns its bin directory."""
    env = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", "--without-pip", env)
    python = env / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", dists[1])
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    (Path(site) / "playground_test_deps.pth").write_text("\n".join(dependency_dirs()) + "\n")
    return env / "bin"


@pytest.fixture(scope="module")
def server(venv, tmp_path_factory):
    """The wheel's ``backprop-playground`` on a free loopback port, started from an empty directory."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    port = free_port()
    log = open(elsewhere / "server.log", "w")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.Popen([venv / "backprop-playground", "--port", str(port), "--data", str(elsewhere / "data")],
                            cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    ready = wait_until(lambda: proc.poll() is not None or status(url + "/api/health")[0] == 200, timeout=60)
    assert ready and proc.poll() is None, (elsewhere / "server.log").read_text()
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


def status(url):
    """(HTTP status, body bytes); (0, b'') if nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, b""
    except OSError:
        return 0, b""


def references(path, body):
    """The absolute URL paths a page, a script or a stylesheet at ``path`` refers to."""
    text = body.decode("utf-8", errors="replace")
    if path.endswith(".css"):
        # a font's ``src`` lists fallbacks and a browser fetches the first it supports (woff2, the one vendored)
        found = [CSS_URLS.findall(src)[0] for src in FONT_SRC.findall(text) if CSS_URLS.search(src)]
        found += CSS_URLS.findall(FONT_SRC.sub("", text))
        found = [u for u in found if not u.startswith(("data:", "#"))]
    elif path.endswith((".js", ".mjs")):
        found = JS_PATHS.findall(text)
    else:
        found = [u for u in LINKS.findall(text) if not u.startswith("//")]
    return {urllib.parse.urljoin(path, u).split("?")[0].split("#")[0] for u in found}


def crawl(base):
    """{path: status} for ``/`` and everything reachable from it through the page's references."""
    seen, todo = {}, ["/"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        code, body = status(base + path)
        seen[path] = code
        if code == 200:
            todo.extend(references(path, body) - seen.keys())
    return seen


def test_the_sdist_and_the_wheel_carry_the_page_and_the_licences(dists):
    sdist, wheel = dists
    page = sorted(str(p.relative_to(ROOT)) for d in ("templates", "static") for p in (ROOT / d).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)
    with zipfile.ZipFile(wheel) as z:
        in_wheel = set(z.namelist())
    with tarfile.open(sdist) as t:
        in_sdist = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert [p for p in page if f"app/{p}" not in in_wheel] == []
    assert [p for p in page if p not in in_sdist] == []
    assert {"static/vendor/VERSIONS.txt", "static/vendor/katex/LICENSE", "static/vendor/socket.io/LICENSE"} <= set(page)
    assert "LICENSE" in in_sdist
    assert any(n.endswith(".dist-info/LICENSE") for n in in_wheel)


def test_the_installed_app_is_the_wheels_not_the_checkouts(venv, tmp_path):
    found = run(venv / "python", "-c", "import app, engine; print(app.__file__); print(engine.__file__)",
                cwd=tmp_path).split()
    assert all(Path(f).is_relative_to(venv.parent) for f in found), found


def test_the_installed_server_serves_the_page_and_every_asset_it_references(server):
    fetched = crawl(server)
    assert {p: c for p, c in fetched.items() if c != 200} == {}
    assert {"/", "/static/main.js", "/static/vendor/socket.io/socket.io.esm.min.js",
            "/static/vendor/katex/katex.mjs", "/static/vendor/katex/katex.min.css", "/static/equations/equations.js",
            "/static/css/base.css"} <= fetched.keys()
    assert sum(p.startswith("/static/vendor/katex/fonts/") for p in fetched) == 20  # every font KaTeX's CSS names
    code, body = status(server + "/api/health")
    assert code == 200 and b'"version":"%s"' % VERSION.encode() in body.replace(b" ", b"")
