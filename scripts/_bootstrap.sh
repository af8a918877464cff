# Shared set-up for scripts/demo and scripts/test (sourced, not run):
# a virtualenv in .venv with the project and its development tools installed.
# Reinstalls only when pyproject.toml (or the interpreter) changed since the last install.

source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
VENV="$ROOT/.venv"
PYTHON_FOR_VENV=${PYTHON:-python3}

if ! "$PYTHON_FOR_VENV" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Hypergen needs Python 3.11 or newer; '$PYTHON_FOR_VENV' is older or missing. Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
install_venv "$VENV" "$PYTHON_FOR_VENV" dev,bench
PY="$VENV/bin/python"
export PYTHONPATH="$ROOT:$ROOT/examples${PYTHONPATH:+:$PYTHONPATH}"
