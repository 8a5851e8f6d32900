#!/bin/sh
# Starts the classic notebook server under the base URL the hub assigns (JUPYTERHUB_SERVICE_PREFIX),
# with the token from JUPYTER_TOKEN (read by the server itself), like the public Jupyter images do.
set -e
exec jupyter notebook --no-browser --ip=0.0.0.0 \
  --port="${HUBDECK_WEB_PORT:-8888}" \
  --NotebookApp.base_url="${JUPYTERHUB_SERVICE_PREFIX:-/}" \
  --notebook-dir=/home/jovyan "$@"
