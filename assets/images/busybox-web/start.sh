#!/bin/sh
if [ -n "$FAIL_WITH" ]; then echo "$FAIL_WITH" >&2; exit 3; fi
if [ -n "$HANG" ]; then echo "hanging without listening"; exec sleep 3600; fi
exec httpd -f -v -p "${HUBDECK_WEB_PORT:-8888}" -h /www
