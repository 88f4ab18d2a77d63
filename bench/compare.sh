#!/usr/bin/env bash
# Two builds of Clavis measured side by side in one run on this shared machine, so that a change's cost is quoted as
# medians and ratios of figures taken together rather than against an older BENCHMARKS.md.
# usage: bench/compare.sh BEFORE_REF AFTER_REF              two builds (git refs of this repository), the same requests
#        KIND=form EXTRA_FORM='resource=https://orders.example.com' bench/compare.sh REF
#                                                            one build, token requests without ("before") and with
#                                                            ("after") EXTRA_FORM, both against the same server
#        KIND=exchange bench/compare.sh REF                  one build: client credentials ("before") beside token
#                                                            exchange (RFC 8693, "after") of a token the same client got
# env:   ROUNDS=3 ALGS="ES256 EdDSA RS256" SECS=15 (measured s) WARMUP=20 (s before each measured run) CONNS=64
#        REG=1: registration load after the token load on the REG_ALG=ES256 runs (refs only)
#        EXTRA_FORM (refs: sent by both; form: the variant)  BEFORE_FORM (form: the baseline's extra, none by default)
#        PORT=9005 JAVA_OPTS CLAVIS_ARGS (start.sh's)  SHARED_BENCH=../shared/bench (copied under bench/.work/compare)
#        COMPARE_OUT (where the results go; bench/run.sh puts its same-server comparisons in its own results)
# Each round runs every algorithm; in each, both sides (before then after in odd rounds, after then before in even
# ones). refs: each side is its own server (its ref's jar, started by its ref's bench/peer-clavis/start.sh, a fresh
# database), warmed up, measured, stopped. form: one server per algorithm and round, warmed with both variants,
# then each variant warmed up again and measured.
# Output: bench/results/compare-STAMP/ or COMPARE_OUT (report.md, raw.tsv, logs/); the report is printed at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
KIND=${KIND:-refs}
usage() { sed -n 4,13p "$0" >&2; exit 2; }
case "$KIND" in
  refs) [ $# = 2 ] || usage; REF_BEFORE=$1 REF_AFTER=$2 ;;
  form) [ $# = 1 ] && [ -n "${EXTRA_FORM:-}" ] || usage; REF_BEFORE=$1 REF_AFTER=$1 ;;
  exchange) [ $# = 1 ] || usage; REF_BEFORE=$1 REF_AFTER=$1; export CLAVIS_ARGS="--as.bench.token-exchange=true ${CLAVIS_ARGS:-}" ;;
  *) usage ;;
esac
export SECS=${SECS:-15} WARMUP=${WARMUP:-20} THREADS=2 CHECK=1
ROUNDS=${ROUNDS:-3} ALGS=${ALGS:-"ES256 EdDSA RS256"} CONNS=${CONNS:-64} REG=${REG:-1} REG_ALG=${REG_ALG:-ES256}
[ "$KIND" != refs ] && REG=0
CMD="KIND=$KIND ROUNDS=$ROUNDS ALGS=\"$ALGS\" SECS=$SECS WARMUP=$WARMUP CONNS=$CONNS REG=$REG REG_ALG=$REG_ALG\
${EXTRA_FORM:+ EXTRA_FORM='$EXTRA_FORM'}${BEFORE_FORM:+ BEFORE_FORM='$BEFORE_FORM'}${CLAVIS_ARGS:+ CLAVIS_ARGS='$CLAVIS_ARGS'}\
${JAVA_OPTS:+ JAVA_OPTS='$JAVA_OPTS'} bench/compare.sh $*"
W=$ROOT/bench/.work/compare
H=$W/harness
OUT=${COMPARE_OUT:-$ROOT/bench/results/compare-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/logs"
command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }

# build REF -> the worktree (bench/.work/compare/<commit>) whose target/clavis.jar is exactly REF; built once per commit
build() {
  local sha dir
  sha=$(git -C "$ROOT" rev-parse --verify "$1^{commit}")
  dir=$W/${sha:0:12}
  if [ ! -f "$dir/target/clavis.jar" ]; then
    git -C "$ROOT" worktree prune
    [ -e "$dir/.git" ] || git -C "$ROOT" worktree add -q --detach "$dir" "$sha" >&2
    (cd "$dir" && ./build.sh) > "$dir.build.log" 2>&1 || { tail -30 "$dir.build.log" >&2; echo "build of $1 failed" >&2; exit 1; }
  fi
  echo "$dir"
}
echo "== build: $REF_BEFORE and $REF_AFTER, each in its own worktree under $W"
declare -A DIR JAR FORM REF BODY
DIR[before]=$(build "$REF_BEFORE"); DIR[after]=$(build "$REF_AFTER")
REF[before]=$REF_BEFORE REF[after]=$REF_AFTER
if [ "$KIND" = form ]; then FORM[before]=${BEFORE_FORM:-} FORM[after]=$EXTRA_FORM
else FORM[before]=${EXTRA_FORM:-} FORM[after]=${EXTRA_FORM:-}; fi
EXCHANGE="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"

echo "== the harness: cc-load.sh and reg-load.sh from $SHARED (cc-load.sh is bench/lib's copy), one peer folder per side"
rm -rf "$H" && mkdir -p "$H/peers"
cp -a "$SHARED/cc-load.sh" "$SHARED/reg-load.sh" "$SHARED/lib" "$H/"
grep -v EXTRA_FORM "$ROOT/bench/lib/cc-load.sh" | cmp -s - "$SHARED/cc-load.sh" \
  || echo "warning: $SHARED/cc-load.sh changed since bench/lib/cc-load.sh was copied from it; using the copy" >&2
cp "$ROOT/bench/lib/cc-load.sh" "$H/cc-load.sh"
for side in before after; do
  JAR[$side]=${DIR[$side]}/target/clavis.jar
  src=${DIR[$side]}/bench/peer-clavis
  [ -f "$src/start.sh" ] || { echo "warning: ${REF[$side]} has no bench/peer-clavis; using this checkout's" >&2; src=$ROOT/bench/peer-clavis; }
  mkdir -p "$H/peers/clavis-$side" && cp "$src"/* "$H/peers/clavis-$side/"
done
export RESULTS=$OUT/results.tsv

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "kind: $KIND"
  for side in before after; do
    echo "$side: ${REF[$side]} = $(git -C "$ROOT" log -1 --format='%h %s' "${REF[$side]}")"
    if [ "$KIND" = exchange ] && [ "$side" = after ]; then echo "$side token request: $EXCHANGE&subject_token=<a token of the same client>"
    else echo "$side token request: grant_type=client_credentials&scope=...${FORM[$side]:+&${FORM[$side]}}"; fi
  done
  echo "command: $CMD"
} > "$OUT/machine.txt"
printf 'round\talg\tside\tkind\tloadavg\tresult\n' > "$OUT/raw.tsv"

RUNNING=""
start() { # start SIDE ALG LOG: that side's build with its own start.sh, a fresh database; sets SERVER_PID
  RUNNING=clavis-$1
  CLAVIS_JAR=${JAR[$1]} ALG=$2 FRESH=1 "$H/peers/$RUNNING/start.sh" > "$3" 2>&1 \
    || { echo "start of $1 ($2) failed:" >&2; tail -20 "$3" >&2; exit 1; }
  export SERVER_PID; SERVER_PID=$(cat "$H/.cache/run/clavis.pid")
}
stop() { # stop SIDE ROUND ALG: stop the server; record its peak resident memory (refs only: one server per side)
  local kb
  kb=$("$H/peers/$RUNNING/stop.sh" 2>&1 | sed -n 's/^PEAK_RSS_KB=//p'); RUNNING=""
  [ "$KIND" = refs ] && row "$2" "$3" "$1" rss "peak_rss_mib=$(( ${kb:-0} / 1024 ))"
  return 0
}
trap '[ -z "$RUNNING" ] || "$H/peers/$RUNNING/stop.sh" > /dev/null 2>&1 || true' EXIT
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$(cut -d' ' -f1 /proc/loadavg)" "$5" >> "$OUT/raw.tsv"; }
result() { # result LOG ROUND ALG SIDE KIND: the measured RESULT line of LOG into raw.tsv (FAILED if none)
  local res; res=$(grep '^RESULT' "$1" | tail -1 | sed 's/^RESULT //') || true
  row "$2" "$3" "$4" "$5" "${res:-FAILED see ${1#"$OUT"/}}"
  echo "  $4 $5: ${res:-FAILED, see $1}" | sed -E 's/ (requests|duration_s|rps|p90_ms|max_ms|ok|sock_err|statuses)=[^ ]*//g'
}
tokens() { # tokens SIDE ROUND ALG [prewarm]: warm-up and measured token load on the running server (prewarm: WARMUP s, not kept)
  local log=$OUT/logs/r$2-$3-$1-tokens${4:+-$4}.txt
  ( source "$H/peers/$RUNNING/peer.env"
    [ -z "${4:-}" ] || { SECS=$WARMUP WARMUP=0 RESULTS=/dev/null; }
    EXTRA_FORM=${FORM[$1]} EXTRA_FORM_BODY=${BODY[$1]:-} LABEL=$1-$3 "$H/cc-load.sh" "$TOKEN_URL" "$CLIENT_ID" "$CLIENT_SECRET" "$SCOPE" "$CONNS" "$SECS" ) \
    > "$log" 2>&1 || true
  [ -n "${4:-}" ] || result "$log" "$2" "$3" "$1" tokens
}
registrations() { # registrations SIDE ROUND ALG: warm-up and measured registration load on the running server
  local log=$OUT/logs/r$2-$3-$1-registrations.txt
  ( source "$H/peers/$RUNNING/peer.env"
    OK_STATUS=${REG_OK_STATUS:-201} LABEL=$1-$3 "$H/reg-load.sh" "$REG_URL" "$CONNS" "$SECS" "$REG_BODY" ) > "$log" 2>&1 || true
  result "$log" "$2" "$3" "$1" registrations
}

for round in $(seq 1 "$ROUNDS"); do
  sides="before after"; [ $((round % 2)) = 0 ] && sides="after before"
  for alg in $ALGS; do
    echo "== round $round/$ROUNDS, $alg: $sides ($(date -u +%T), loadavg $(cut -d' ' -f1 /proc/loadavg))"
    if [ "$KIND" != refs ]; then
      start after "$alg" "$OUT/logs/r$round-$alg-start.txt"
      if [ "$KIND" = exchange ]; then # the subject: a token of the bench client, living longer than the round
        subject=$( source "$H/peers/$RUNNING/peer.env"; curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$TOKEN_URL" \
          | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' )
        [ -n "$subject" ] || { echo "no subject token from the server" >&2; exit 1; }
        BODY[after]="$EXCHANGE&subject_token=$subject"
      fi
      # Both variants' paths warm before either is measured: else the first measured gets the colder JVM.
      for side in $sides; do tokens "$side" "$round" "$alg" prewarm; done
      for side in $sides; do tokens "$side" "$round" "$alg"; done
      stop after "$round" "$alg"
    else
      for side in $sides; do
        start "$side" "$alg" "$OUT/logs/r$round-$alg-$side-start.txt"
        tokens "$side" "$round" "$alg"
        if [ "$REG" = 1 ] && [ "$alg" = "$REG_ALG" ]; then registrations "$side" "$round" "$alg"; fi
        stop "$side" "$round" "$alg"
      done
    fi
  done
done

python3 "$ROOT/bench/compare_report.py" "$OUT" > "$OUT/report.md"
cat "$OUT/report.md"
echo "== wrote $OUT/report.md"
