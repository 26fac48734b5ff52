# Sourced by scripts/run and scripts/test: the checkout's virtualenv, .venv (git-ignored), made once and reused.
# Sets VENV and VPY (its python).  The Python that makes it is $PYTHON, else python3: any Python >= 3.10, including
# a Debian or Ubuntu one that refuses system-wide `pip install` (PEP 668): nothing is installed outside .venv.
VENV="$PWD/.venv"
VPY="$VENV/bin/python"

venv_fail() {
  echo "error: $*" >&2
  exit 1
}

ensure_venv() {
  if [ -x "$VPY" ] && "$VPY" -m pip --version >/dev/null 2>&1; then
    return 0
  fi
  local py="${PYTHON:-python3}"
  command -v "$py" >/dev/null || venv_fail "$py not found; install Python 3.10 or newer (or set PYTHON=/path/to/python3)"
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || venv_fail "$("$py" -V 2>&1) is too old; Backprop Playground needs Python 3.10 or newer (set PYTHON=...)"
  echo "Creating the virtualenv .venv with $("$py" -V 2>&1) ($(command -v "$py"))"
  rm -rf "$VENV"
  if ! "$py" -m venv "$VENV" >/dev/null 2>&1 || ! "$VPY" -m pip --version >/dev/null 2>&1; then
    rm -rf "$VENV"
    venv_fail "$py cannot create a virtualenv with pip (its venv/ensurepip module is missing).
  On Debian or Ubuntu: sudo apt-get install python3-venv   (then run this command again)"
  fi
  "$VPY" -m pip install --quiet --disable-pip-version-check --upgrade pip  # an old ensurepip's pip lacks --python
}

pip_install() {  # pip_install ARGS...: quietly, into .venv
  # (without setuptools' notes to package authors: `project.license` as a table, editable flat layouts)
  PYTHONWARNINGS=ignore::UserWarning "$VPY" -m pip install --quiet --disable-pip-version-check "$@"
}
