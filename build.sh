#!/usr/bin/env bash
# Clavis build entry point.
#   ./build.sh            build target/clavis.jar (self-contained: run it with java -jar)
#   ./build.sh run [...]  build when sources changed, then run with ./config.properties; extra args are --key=value
#   ./build.sh test       run every test, then build the jar and run its own tests (*IT) against it
#                         (with a throwaway PostgreSQL cluster when PostgreSQL is installed)
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/clavis.jar

require() {
  for tool in java javac mvn; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "build.sh: '$tool' not found; install a JDK 17+ and Maven (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
      exit 1
    fi
  done
}

build() {
  require
  mvn -B -q package -DskipTests
}

stale() {
  [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]
}

# Runs "$@" with CLAVIS_TEST_POSTGRES_URL pointing at a throwaway PostgreSQL cluster (initdb in a temp folder,
# a free port, stopped and removed at exit), unless one is given or PostgreSQL is not installed.
with_postgres() {
  if [ -n "${CLAVIS_TEST_POSTGRES_URL:-}" ]; then "$@"; return; fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "build.sh: PostgreSQL is not installed, so its tests are skipped (Debian: apt-get install postgresql)" >&2
    "$@"; return
  fi
  local dir port run=()
  dir=$(mktemp -d /tmp/clavis-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; run=(runuser -u postgres --); fi  # initdb refuses root
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U clavis --auth=trust -E UTF8 > "$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start > /dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  # shellcheck disable=SC2064
  trap "${run[*]} '$bin/pg_ctl' -D '$dir/data' -m fast stop > /dev/null 2>&1; rm -rf '$dir'" EXIT
  echo "build.sh: PostgreSQL on 127.0.0.1:$port for the tests" >&2
  CLAVIS_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=clavis" "$@"
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
  build) build ;;
  run)
    if stale; then build; fi
    exec java -jar "$JAR" "$@"
    ;;
  test)
    require
    with_postgres mvn -B verify "$@"
    ;;
  *)
    echo "usage: ./build.sh [build|run [--key=value ...]|test]" >&2
    exit 2
    ;;
esac
