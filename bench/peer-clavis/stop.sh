#!/usr/bin/env bash
# Stop Clavis; first print its peak resident memory (VmHWM) for bench/report.py.
HERE=$(cd "$(dirname "$0")" && pwd); source "$HERE/../../lib/common.sh"; source "$HERE/peer.env"
if [ -f "$RUN_DIR/$PEER.pid" ]; then
  echo "PEAK_RSS_KB=$(awk '/^VmHWM/{print $2}' "/proc/$(cat "$RUN_DIR/$PEER.pid")/status" 2>/dev/null)"
fi
stop_bg $PEER
