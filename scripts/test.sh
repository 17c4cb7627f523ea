#!/usr/bin/env bash
# Sets up .venv with the runtime and test packages, the system packages the tests need (as
# root, with apt: Debian's chromium for the browser tests, LibreOffice for the round trips of
# the downloads and the report's PDF), and runs the test suite.
# Extra arguments go to pytest (e.g. -k relatorio).
source "$(dirname "$0")/_venv.sh"
venv_with requirements-dev.lock

APT_PACKAGES=(chromium libreoffice-calc-nogui libreoffice-writer-nogui)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
if command -v dpkg-query >/dev/null; then
    for pkg in libreoffice-calc-nogui libreoffice-writer-nogui; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Instalando ${missing[*]} (apt) ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Aviso: falta ${missing[*]}; instale com 'sudo apt-get install -y ${APT_PACKAGES[*]}'" \
             "ou os testes que precisam deles serão pulados." >&2
    fi
fi

# axe-core for the browser tests' accessibility check, from npm at set-up (pinned by
# tests/e2e/package-lock.json); nothing is downloaded while the tests run.
if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]; then
    if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Instalando nodejs e npm (apt) ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    if command -v npm >/dev/null; then
        npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
    else
        echo "Aviso: falta o npm; instale com 'sudo apt-get install -y nodejs npm' ou o teste" \
             "de acessibilidade (axe-core) falhará." >&2
    fi
fi

exec .venv/bin/python -m pytest -q "$@"
