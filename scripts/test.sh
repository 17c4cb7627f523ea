#!/usr/bin/env bash
# Sets up .venv with the runtime and test packages, the system packages the tests need (as
# root, with apt: Debian's chromium for the browser tests), and runs the test suite.
# Extra arguments go to pytest (e.g. -k relatorio).
source "$(dirname "$0")/_venv.sh"
venv_with requirements-dev.lock

APT_PACKAGES=(chromium)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Instalando ${missing[*]} (apt) ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Aviso: falta ${missing[*]}; instale com 'sudo apt-get install -y ${APT_PACKAGES[*]}'" \
             "ou os testes no navegador serão pulados." >&2
    fi
fi

exec .venv/bin/python -m pytest -q "$@"
