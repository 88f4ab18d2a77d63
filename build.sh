#!/usr/bin/env bash
# Clavis build entry point.
#   ./build.sh            build target/clavis.jar (self-contained: run it with java -jar)
#   ./build.sh run [...]  build when sources changed, then run with ./config.properties; extra args are --key=value
#   ./build.sh test       run every test
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
    mvn -B test "$@"
    ;;
  *)
    echo "usage: ./build.sh [build|run [--key=value ...]|test]" >&2
    exit 2
    ;;
esac
