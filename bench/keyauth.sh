#!/usr/bin/env bash
# Token load with key-based client authentication, on Clavis (ES256 tokens), beside the same server's
# client_secret_basic load in the same run: private_key_jwt (a fresh Ed25519-signed assertion per request) and
# DPoP (client_secret_basic plus a fresh Ed25519 proof per request). Every assertion and proof is used once, so
# each request also stores its jti (a database write, group-committed). Assertions live one hour (exp = iat + 3600,
# Authlib's default), so their jtis are kept an hour and counted against the client's live jtis.
# usage: bench/keyauth.sh HARNESS_DIR BENCH_JAR OUT_DIR    (bench/run.sh calls it; env SECS, WARMUP, THREADS)
set -euo pipefail
H=$1 BENCH_JAR=$2 OUT=$3
source "$H/lib/common.sh"
source "$H/peers/clavis/peer.env"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_THREADS=${THREADS:-2} BENCH_DIR
WORK=$ROOT/bench/.work/keyauth
mkdir -p "$WORK"
COUNT=${COUNT:-150000}

# The key-based runs use lib/lines.lua: one fresh line per request.
run_wrk() {
  local url=$1 c=$2 d=$3 t=${THREADS:-2}
  wrk -t"$t" -c"$c" -d"${d}s" --timeout 10s --latency -s "$ROOT/bench/lib/lines.lua" "$url"
}

ALG=ES256 "$H/peers/clavis/start.sh"
SERVER_PID=$(cat "$RUN_DIR/clavis.pid")
export SERVER_PID
trap '"$H/peers/clavis/stop.sh" >/dev/null 2>&1 || true' EXIT
# Assertions name, and DPoP proofs bind to, the token endpoint the metadata advertises (a localhost URL).
ADVERTISED=$(curl -s "${TOKEN_URL%/token}/.well-known/oauth-authorization-server" | json_get token_endpoint)

# The shared-secret baseline on this very server, for the ratio.
for conns in 16 64; do
  echo "== client_secret_basic, $conns connections"
  WARMUP=$WARMUP LABEL=clavis-keyauth-basic "$H/cc-load.sh" "$TOKEN_URL" "$CLIENT_ID" "$CLIENT_SECRET" "$SCOPE" "$conns" "$SECS" \
    | grep '^RESULT' | sed "s/^RESULT/KEYAUTH method=client_secret_basic conns=$conns/"
done

lines() { # lines MODE FILE: fresh signed material
  if [ "$1" = private_key_jwt ]; then
    java -cp "$BENCH_JAR" clavis.bench.SignedRequests assertions "$REG_URL" "$ADVERTISED" "$COUNT" "$2" > /dev/null
  else
    java -cp "$BENCH_JAR" clavis.bench.SignedRequests dpop "$ADVERTISED" "$COUNT" "$2"
  fi
}

for method in ${METHODS:-private_key_jwt dpop}; do
  if [ "$method" = dpop ]; then
    export BENCH_MODE=dpop BENCH_AUTH="$(basic_auth "$CLIENT_ID" "$CLIENT_SECRET")" BENCH_EXPECT='"token_type":"DPoP"'
  else
    export BENCH_MODE=body BENCH_AUTH="" BENCH_EXPECT=access_token
  fi
  for conns in 16 64; do
    echo "== $method, $conns connections"
    if [ "$WARMUP" != 0 ]; then
      lines "$method" "$WORK/warmup.txt"
      BENCH_LINES=$WORK/warmup.txt run_wrk "$TOKEN_URL" "$conns" "$WARMUP" | grep '^RESULT' | sed 's/^/  warm-up /'
    fi
    lines "$method" "$WORK/measured.txt"
    res=$(BENCH_LINES=$WORK/measured.txt measured_wrk "$TOKEN_URL" "$conns" "$SECS" | grep '^RESULT')
    echo "KEYAUTH method=$method conns=$conns ${res#RESULT }"
    record clavis-keyauth-$method cc "$TOKEN_URL" "$conns" "$SECS" "${res#RESULT }"
  done
done
echo "PEAK_RSS_KB=$(rss_tree_kb "$SERVER_PID")"
rm -f "$WORK"/*.txt
