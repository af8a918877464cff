# Functions shared by the scripts (sourced, not run): virtualenvs with the project installed, and
# the Debian packages the tests need.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# install_venv [--fresh] DIR PYTHON EXTRAS [PIP_ARGS...]
# A virtualenv in DIR, made with PYTHON, holding the project (editable) with EXTRAS ("dev,bench").
# PIP_ARGS go to pip install (a constraints file, --upgrade). It installs only when pyproject.toml,
# the interpreter, PIP_ARGS or a requirements/constraints file they name changed since the last
# install; with --fresh it then starts from an empty virtualenv, so nothing of an older resolution
# stays behind.
install_venv() {
  local fresh=""
  if [ "$1" = "--fresh" ]; then
    fresh=1
    shift
  fi
  local venv=$1 python=$2 extras=$3
  shift 3
  local stamp="$venv/.hypergen-installed" want
  want=$(
    {
      cat "$ROOT/pyproject.toml"
      "$python" -c 'import sys; print(sys.executable, sys.version)'
      printf '%s\n' "$@"
      local arg previous=""
      for arg in "$@"; do
        case $previous in -c | -r | --constraint | --requirement) cat "$arg" ;; esac
        previous=$arg
      done
    } | sha256sum | cut -d' ' -f1
  )
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
    return 0
  fi
  if [ ! -x "$venv/bin/python" ] || [ -n "$fresh" ]; then
    echo "Creating the virtualenv in $venv"
    "$python" -m venv --clear "$venv"
  fi
  echo "Installing Hypergen[$extras] into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" -e "$ROOT[$extras]"
  echo "$want" > "$stamp"
}

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

# What the browser, deployment and Redis tests run: chromium, nginx, and a Redis.
ensure_test_services() {
  ensure_debian_package /usr/bin/chromium chromium
  ensure_debian_package /usr/sbin/nginx nginx   # The deployment test puts nginx in front of two workers.
  # The multi-process tests use REDIS_URL, else a Redis on 127.0.0.1:6379, else a private
  # redis-server; the chaos tests always start private ones too (to restart them).
  ensure_debian_package /usr/bin/redis-server redis-server
  ensure_client_modules
}

# The client's own unit tests (tests/unit/test_client_js.py) import its npm dependencies
# (morphdom): install them from package-lock.json when they are missing or the lock changed.
ensure_client_modules() {
  local client="$ROOT/client" stamp="$ROOT/client/node_modules/.hypergen-installed" want
  command -v npm >/dev/null || ensure_debian_package /usr/bin/npm npm
  want=$(sha256sum "$client/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "Installing the client's npm packages (npm ci in client/)"
  (cd "$client" && npm ci --no-audit --no-fund --loglevel=error) >/dev/null
  echo "$want" > "$stamp"
}
