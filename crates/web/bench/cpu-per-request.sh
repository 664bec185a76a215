#!/bin/bash
# Server CPU per request: the server's user+system time (from /proc/PID/stat) over one `wrk`
# run, divided by the requests served, beside wrk's latency percentiles. Unlike latency, this
# hardly depends on what else the machine runs, so it compares builds on a shared machine.
#
# usage: crates/web/bench/cpu-per-request.sh PID PATHS_FILE PORT SECONDS
set -euo pipefail
pid=$1 paths=$2 port=$3 secs=$4
here=$(cd "$(dirname "$0")" && pwd)
ticks=$(getconf CLK_TCK)
t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
out=$(PATHS=$paths wrk -t2 -c16 -d"${secs}s" --latency -s "$here/paths.lua" "http://127.0.0.1:$port")
t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
n=$(echo "$out" | grep -oE '^ +[0-9]+ requests' | grep -oE '[0-9]+')
echo "$out" | grep -E '^ +(50|75|90|99)%|Requests/sec|non-2xx'
awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$ticks" \
    'BEGIN { printf "server cpu per request: %.2f ms (%d requests)\n", (b - a) * 1000 / hz / n, n }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
