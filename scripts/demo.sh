#!/usr/bin/env bash
# Sets up .venv with the runtime packages and opens the dashboard on the example data.
# Extra arguments go to `streamlit run` (e.g. --server.port 8502).
source "$(dirname "$0")/_venv.sh"
venv_with requirements.lock
echo "Abrindo o painel em http://localhost:8501 (dados de exemplo até a primeira importação)."
exec .venv/bin/python -m streamlit run dashboard.py "$@"
