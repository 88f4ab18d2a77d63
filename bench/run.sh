#!/usr/bin/env bash
# Clavis and its peers side by side, one server at a time, on this machine; then BENCHMARKS.md.
# usage: bench/run.sh            everything (about 35 minutes)
#        PEERS="node-oidc" bench/run.sh      only some peers ("" for none)
# env:   SECS=15 (measured seconds per run)  WARMUP=30 (seconds of warm-up before each, for every server alike: a JVM needs about that long to compile its hot path)
#        SHARED_BENCH=../shared/bench (the load harness and the peers)
# Needs: JDK 17, Maven, python3, curl, wrk (installed with apt-get when missing), node/npm for node-oidc, and
# Temurin 25 in /usr/lib/jvm for Keycloak (see ../shared/bench/README.md). All traffic stays on 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/$STAMP
PEERS=${PEERS-"node-oidc mock-oauth2 spring-as keycloak"}
export SECS=${SECS:-15} WARMUP=${WARMUP:-30} CHECK=1 THREADS=2
mkdir -p "$OUT"
echo "results in $OUT"

command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }

echo "== build: the jar, and the benchmark programs"
(cd "$ROOT" && ./build.sh && mvn -q -B install -DskipTests && mvn -q -B -f bench/jmh/pom.xml clean package)
BENCH_JAR=$ROOT/bench/jmh/target/benchmarks.jar
export CLAVIS_JAR=$ROOT/target/clavis.jar
FLOOR=$ROOT/bench/.work/floor
rm -rf "$FLOOR" && mkdir -p "$FLOOR/classes"
javac -d "$FLOOR/classes" "$ROOT/bench/floor/BareServer.java" && jar --create --file "$FLOOR/bare-server.jar" --main-class BareServer -C "$FLOOR/classes" .
export FLOOR_JAR=$FLOOR/bare-server.jar

echo "== the harness: a private copy of $SHARED, with Clavis as one more peer"
H=$ROOT/bench/.work/harness
mkdir -p "$H"
cp -a "$SHARED/." "$H/"
rm -rf "$H/results" && mkdir -p "$H/results" "$H/peers/clavis" "$H/peers/floor"
cp "$ROOT"/bench/peer-clavis/* "$H/peers/clavis/"
cp "$ROOT"/bench/peer-floor/* "$H/peers/floor/"
export RESULTS=$OUT/results.tsv

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "command: bench/run.sh (SECS=$SECS WARMUP=$WARMUP PEERS=\"$PEERS\")"
} > "$OUT/machine.txt"

echo "== CPU per signature, Clavis's own signer, one thread"
java -cp "$BENCH_JAR" clavis.bench.SignatureCost 5 RS256 ES256 EdDSA | tee "$OUT/signatures.txt"

echo "== Clavis: token load per algorithm (registration load with ES256)"
for alg in ES256 EdDSA RS256; do
  reg=0; [ "$alg" = ES256 ] && reg=1
  # RS256's target compares its CPU per token with one signature's: measured right beside the load, with both
  # cores busy as they are under it (one idle thread runs faster per signature than a loaded machine does).
  [ "$alg" = RS256 ] && SIGNING_THREADS=2 java -cp "$BENCH_JAR" clavis.bench.SignatureCost 5 RS256 | tee -a "$OUT/signatures.txt"
  TAG=clavis-$alg ALG=$alg REG=$reg "$H/run-peer.sh" clavis 1 > "$OUT/clavis-$alg.txt" 2>&1 || true
  [ "$alg" = RS256 ] && SIGNING_THREADS=2 java -cp "$BENCH_JAR" clavis.bench.SignatureCost 5 RS256 | tee -a "$OUT/signatures.txt"
  grep -A6 'SUMMARY' "$OUT/clavis-$alg.txt" || tail -20 "$OUT/clavis-$alg.txt"
done

echo "== Clavis: key-based client authentication (private_key_jwt, DPoP) beside client_secret_basic, ES256 tokens"
"$ROOT/bench/keyauth.sh" "$H" "$BENCH_JAR" "$OUT" > "$OUT/keyauth.txt" 2>&1 || true
grep -E 'KEYAUTH|PEAK' "$OUT/keyauth.txt" || tail -20 "$OUT/keyauth.txt"

echo "== Clavis: one server, two token requests side by side (bench/compare.sh, ES256, alternated rounds)"
# RFC 8707: the same client credentials request with one resource parameter (the token then names that API in aud).
COMPARE_OUT=$OUT/resource KIND=form ROUNDS=2 ALGS=ES256 SHARED_BENCH=$SHARED EXTRA_FORM='resource=https%3A%2F%2Forders.example.com' \
  CLAVIS_ARGS='--as.bench.api.orders.uri=https://orders.example.com --as.bench.api.orders.scopes=api.read' \
  "$ROOT/bench/compare.sh" HEAD > "$OUT/resource.txt" 2>&1 || true
# RFC 8693: token exchange of a token the same client got, beside client credentials.
COMPARE_OUT=$OUT/exchange KIND=exchange ROUNDS=2 ALGS=ES256 SHARED_BENCH=$SHARED "$ROOT/bench/compare.sh" HEAD > "$OUT/exchange.txt" 2>&1 || true
grep -h -A3 '^| measure' "$OUT/resource/report.md" "$OUT/exchange/report.md" 2>/dev/null || tail -5 "$OUT/resource.txt" "$OUT/exchange.txt"

echo "== Clavis: memory under the 64-connection token load"
TAG=clavis-EdDSA-xmx64m JAVA_OPTS="-Xmx64m" ALG=EdDSA CONNS=64 REG=0 "$H/run-peer.sh" clavis 1 > "$OUT/clavis-EdDSA-xmx64m.txt" 2>&1 || true
TAG=clavis-EdDSA-xmx64m-serialgc JAVA_OPTS="-Xmx64m -XX:+UseSerialGC" ALG=EdDSA CONNS=64 REG=0 "$H/run-peer.sh" clavis 1 \
  > "$OUT/clavis-EdDSA-xmx64m-serialgc.txt" 2>&1 || true
# Not a target: where G1's peak goes. The same load without the C2 compiler, whose working memory (tens of MiB
# while it compiles the hot path) stays resident in the C heap.
TAG=clavis-EdDSA-xmx64m-c1 JAVA_OPTS="-Xmx64m -XX:TieredStopAtLevel=1" ALG=EdDSA CONNS=64 REG=0 "$H/run-peer.sh" clavis 1 \
  > "$OUT/clavis-EdDSA-xmx64m-c1.txt" 2>&1 || true
grep -h PEAK_RSS "$OUT"/clavis-*.txt || true

echo "== Clavis: java -jar to first token with an existing database (first run creates it)"
FRESH=1 "$H/peers/clavis/start.sh" > /dev/null 2>&1 && "$H/peers/clavis/stop.sh" > /dev/null 2>&1
FRESH=0 "$H/startup.sh" clavis 5 | tee "$OUT/startup-clavis.txt"
echo "== the floor: a bare JDK HttpServer answering a constant (bench/floor/BareServer.java), measured the same way"
"$H/startup.sh" floor 5 | tee "$OUT/startup-floor.txt"

echo "== embedded: in-process start to first token, in-memory store, a fresh JVM each"
# Clavis with Config.builder()'s defaults and navikt's mock-oauth2-server 6.0.2 (bench/embedded/MockOAuth2Start.java,
# on its own class path of the jars Maven Central has for it), measured the same way and alternated; then Clavis per
# algorithm.
MOCK=$ROOT/bench/.work/embedded-mock
rm -rf "$MOCK/classes" && mkdir -p "$MOCK/classes"
[ -f "$MOCK/lib/mock-oauth2-server-6.0.2.jar" ] || mvn -q -B -f "$ROOT/bench/embedded/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$MOCK/lib"
javac -d "$MOCK/classes" -cp "$MOCK/lib/*" "$ROOT/bench/embedded/MockOAuth2Start.java"
{
  for i in 1 2 3 4 5; do
    java -cp "$BENCH_JAR" clavis.bench.EmbeddedStart 2>/dev/null | grep EMBEDDED_START
    java -cp "$MOCK/lib/*:$MOCK/classes" clavis.bench.MockOAuth2Start 2>/dev/null | grep EMBEDDED_START
  done
  for alg in EdDSA RS256; do
    for i in 1 2 3; do java -cp "$BENCH_JAR" clavis.bench.EmbeddedStart "$alg" 2>/dev/null | grep EMBEDDED_START; done
  done
} | tee "$OUT/embedded.txt"

for peer in $PEERS; do
  echo "== peer: $peer"
  "$H/run-peer.sh" "$peer" 1 > "$OUT/peer-$peer.txt" 2>&1 || echo "$peer failed: see $OUT/peer-$peer.txt"
  grep -A8 'SUMMARY' "$OUT/peer-$peer.txt" || tail -20 "$OUT/peer-$peer.txt"
done

echo "== JMH: the token path's parts"
java -jar "$BENCH_JAR" TokenPathBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1 -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.txt" 2>&1 || true
tail -25 "$OUT/jmh.txt"

echo "== CPU per signature again, at the end: the machine is shared and noisy, so the report uses both"
java -cp "$BENCH_JAR" clavis.bench.SignatureCost 5 RS256 ES256 EdDSA | tee -a "$OUT/signatures.txt"

python3 "$ROOT/bench/report.py" "$OUT" > "$ROOT/BENCHMARKS.md"
echo "== wrote BENCHMARKS.md from $OUT"
