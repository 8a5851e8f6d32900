#!/bin/sh
# FAIL_WITH / HANG let tests make a workspace crash or never answer.
if [ -n "$FAIL_WITH" ]; then echo "$FAIL_WITH" >&2; exit 3; fi
if [ -n "$HANG" ]; then echo "hanging without listening"; exec sleep 3600; fi
# As PID 1, httpd would ignore SIGTERM and every stop would wait for the kill timeout.
httpd -f -v -p "${HUBDECK_WEB_PORT:-8888}" -h /www &
pid=$!
trap 'kill "$pid"; wait "$pid"; exit 0' TERM INT
wait "$pid"
