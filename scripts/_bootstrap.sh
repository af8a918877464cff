# Shared set-up for scripts/demo and scripts/test (sourced, not run):
# a virtualenv in .venv with the project and its development tools installed.
# Reinstalls only when pyproject.toml changed since the last install.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PYTHON_FOR_VENV=${PYTHON:-python3}

if ! "$PYTHON_FOR_VENV" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Hypergen needs Python 3.11 or newer; '$PYTHON_FOR_VENV' is older or missing. Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating the virtualenv in $VENV"
  "$PYTHON_FOR_VENV" -m venv "$VENV"
fi
_stamp="$VENV/.hypergen-installed"
_want=$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)
if [ ! -f "$_stamp" ] || [ "$(cat "$_stamp")" != "$_want" ]; then
  echo "Installing Hypergen and its development tools into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[dev,bench]"
  echo "$_want" > "$_stamp"
fi
PY="$VENV/bin/python"
export PYTHONPATH="$ROOT:$ROOT/examples${PYTHONPATH:+:$PYTHONPATH}"

# Install a Debian package when its command is missing (as root, or through sudo).
ensure_debian_package() {
  local command_path=$1 package=$2
  [ -x "$command_path" ] && return 0
  echo "Installing Debian's $package (for $command_path)"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  [ -x "$command_path" ] || { echo "Could not install $package; install it and try again." >&2; exit 1; }
}
