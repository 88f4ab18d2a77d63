#!/usr/bin/env bash
# Generic client-credentials token-endpoint load test (any OAuth 2.0 server).
# Private copy of ../shared/bench/cc-load.sh for bench/compare.sh: the lines that mention EXTRA_FORM are its only change.
# usage: cc-load.sh TOKEN_URL CLIENT_ID CLIENT_SECRET [SCOPE] [CONNECTIONS=16] [SECONDS=15]
# env:   THREADS=2  wrk threads          WARMUP=5   warm-up seconds before the measured run (0 = none)
#        LABEL=...  tag for results TSV   RESULTS=results/results.tsv
#        CHECK=1    first do one request with curl, print the token and decode its JWT header/claims
#        AUTH=basic (client_secret_basic) | post (client_id/client_secret in the form body)
#        SERVER_PID=pid   also report the server's CPU ms per OK response (process + children) and machine busy %
#        EXTRA_FORM=a=b&c=d   appended verbatim (encode it yourself) to the token request body, the check included
#        EXTRA_FORM_BODY=...  instead of grant_type=client_credentials&scope=...: another grant's body (encoded)
# Every run is bounded: wrk -d SECONDS stops by itself. Only use loopback URLs.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
[ $# -ge 3 ] || { sed -n 2,10p "$0"; exit 2; }
URL=$1 ID=$2 SECRET=$3 SCOPE=${4:-} CONNS=${5:-16} SECS=${6:-15}
case "$URL" in http://127.*|http://localhost*|http://\[::1\]*) ;; *) echo "refusing non-loopback URL $URL" >&2; exit 2;; esac

FORM="grant_type=client_credentials${SCOPE:+&scope=$(python3 -c 'import sys,urllib.parse as u;print(u.quote(sys.argv[1]))' "$SCOPE")}"
FORM=${EXTRA_FORM_BODY:-$FORM}  # EXTRA_FORM_BODY: another grant (a token exchange, say), client authentication as usual
if [ "${AUTH:-basic}" = post ]; then
  export BENCH_AUTH=""
  FORM="$FORM&client_id=$ID&client_secret=$SECRET"
else
  export BENCH_AUTH="$(basic_auth "$ID" "$SECRET")"
fi
FORM="$FORM${EXTRA_FORM:+&$EXTRA_FORM}"  # EXTRA_FORM: another request variant, same body otherwise
export BENCH_BODY="$FORM" BENCH_CTYPE=application/x-www-form-urlencoded BENCH_OK_STATUS=200 BENCH_EXPECT=access_token

if [ "${CHECK:-1}" = 1 ]; then
  echo "== check: one token request"
  resp=$(curl -s -w '\n%{http_code}' -H "Authorization: $BENCH_AUTH" -d "$FORM" "$URL")
  code=$(tail -n1 <<<"$resp"); body=$(sed '$d' <<<"$resp")
  echo "  HTTP $code  body: ${body:0:200}..."
  [ "$code" = 200 ] || { echo "check failed: HTTP $code" >&2; exit 1; }
  tok=$(json_get access_token <<<"$body")
  [ -n "$tok" ] || { echo "check failed: no access_token" >&2; exit 1; }
  echo "  sample token: $tok"
  decode_jwt "$tok"
fi

if [ "${WARMUP:-5}" != 0 ]; then
  echo "== warm-up ${WARMUP:-5}s, $CONNS connections"
  run_wrk "$URL" "$CONNS" "${WARMUP:-5}" | grep '^RESULT' | sed 's/^/  warm-up /'
fi
echo "== measured: ${THREADS:-2} threads, $CONNS connections, ${SECS}s"
out=$(measured_wrk "$URL" "$CONNS" "$SECS")
echo "$out"
res=$(grep '^RESULT' <<<"$out" | sed 's/^RESULT //')
record "${LABEL:-adhoc}" cc "$URL" "$CONNS" "$SECS" "$res"
