#!/usr/bin/env bash
# Start the bare server for the harness's startup.sh; prints STARTUP_S. env: FLOOR_JAR (required), JAVA_OPTS
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); source "$HERE/../../lib/common.sh"; source "$HERE/peer.env"
# shellcheck disable=SC2086
start_bg $PEER java ${JAVA_OPTS:-} -jar "$FLOOR_JAR" $PORT
await_ready $PEER "$TOKEN_URL" "$CLIENT_ID" "$CLIENT_SECRET" "$SCOPE" 60
