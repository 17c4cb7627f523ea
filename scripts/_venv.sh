# Sourced by demo.sh and test.sh: a virtual environment in .venv with the locked packages.
# Usage: venv_with LOCKFILE  (requirements.lock for the dashboard, requirements-dev.lock for tests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}

venv_with() {
    local lock=$1
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "PMAS Monitor precisa do Python 3.11 ou mais novo ($PYTHON não serve)." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        if ! "$PYTHON" -m venv .venv 2>/dev/null; then
            rm -rf .venv
            if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
                apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
                "$PYTHON" -m venv .venv
            else
                echo "Não foi possível criar o ambiente virtual: instale o pacote python3-venv" >&2
                echo "(Debian/Ubuntu: sudo apt-get install python3-venv) e rode de novo." >&2
                exit 1
            fi
        fi
    fi
    # Reinstall only when the lock changed since the last run.
    local stamp=.venv/.instalado-$(basename "$lock")
    local sum
    sum=$(sha256sum "$lock" | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
        echo "Instalando as dependências ($lock) em .venv ..."
        .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
        .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
        echo "$sum" > "$stamp"
    fi
}
