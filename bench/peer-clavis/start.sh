#!/usr/bin/env bash
# Start Clavis for the harness; prints STARTUP_S. env: CLAVIS_JAR (required), PORT=9005, ALG=RS256|PS256|ES256|EdDSA,
# JAVA_OPTS, FRESH=1 (a new database; 0 keeps the one from the last start), CLAVIS_DB_DIR,
# CLAVIS_ARGS (more --key=value arguments, e.g. for a request variant that needs configuration)
# The registration load comes from one address and registers far more than the defaults allow an anonymous
# address (a burst of 200, 600 a minute, 10,000 clients), and the key-based load (bench/keyauth.sh) sends one client's
# one-hour assertions by the hundred thousand, more live jtis than one client may hold by default (100,000): the
# benchmark lifts those limits explicitly. The live jtis are still counted, as in production.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); source "$HERE/../../lib/common.sh"; source "$HERE/peer.env"
DB_DIR=${CLAVIS_DB_DIR:-$BENCH_DIR/.cache/clavis}
mkdir -p "$DB_DIR"
[ "${FRESH:-1}" = 1 ] && rm -f "$DB_DIR"/bench.db*
# shellcheck disable=SC2086
start_bg $PEER java ${JAVA_OPTS:-} -jar "$CLAVIS_JAR" --config=/dev/null --server.port=$PORT \
  --store.url=jdbc:sqlite:$DB_DIR/bench.db --server.access-log=false \
  --as.$AS.scopes=$SCOPE --as.$AS.signing-alg=${ALG:-RS256} \
  --as.$AS.client.$CLIENT_ID.secret=$CLIENT_SECRET \
  --throttle.registration-burst=1000000 --throttle.registrations-per-minute=60000000 --as.$AS.registration.max-clients=0 \
  --as.$AS.client-assertion.max-live-jtis=1000000000 ${CLAVIS_ARGS:-}
await_ready $PEER "$TOKEN_URL" "$CLIENT_ID" "$CLIENT_SECRET" "$SCOPE" 60
