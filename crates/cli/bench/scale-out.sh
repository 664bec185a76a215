#!/bin/sh
# Scale-out throughput (BENCHMARKS.md "Scale-out"): articles/s of `parallax ingest` into a
# new SQLite file, and of the queue (`ingest --db postgres://` then N `parallax worker
# --drain` started together, timed until the last exits) with N = 1, 2, 4, against one
# throwaway PostgreSQL server (initdb + pg_ctl in WORK, loopback, default settings).
#
# usage: crates/cli/bench/scale-out.sh PARALLAX_BINARY ARTICLES_DIR WORK_DIR
# Prints one line per run: wall seconds, articles/s, CPU seconds (user+sys of every parallax
# process of the run, from /usr/bin/time; and of the PostgreSQL server's processes, from the
# postmaster's reaped-children times in /proc) and the 1-minute load average before and after.
# SYNC_COMMIT=off runs the workers' sessions with `synchronous_commit = off` (commits do not
# wait for the WAL flush), to see how much of a worker's time is commit latency.
set -eu
BIN=$(realpath "$1"); ARTICLES=$(realpath "$2"); WORK=$3
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
export PARALLAX_EMBEDDINGS=off PARALLAX_NO_FETCH=1
unset PARALLAX_DB || true
rm -rf "$WORK"; mkdir -p "$WORK"; WORK=$(realpath "$WORK")
AS=""
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS="runuser -u postgres --"; fi
$AS "$PGBIN/initdb" -D "$WORK/pg" -U parallax --auth=trust -E UTF8 >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$AS "$PGBIN/pg_ctl" -D "$WORK/pg" -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1" \
    -l "$WORK/pg.log" -w start >/dev/null
trap '$AS "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
PM=$(head -1 "$WORK/pg/postmaster.pid")
TICK=$(getconf CLK_TCK)
# CPU seconds of the server's exited processes (backends end when their client disconnects).
pgcpu() { awk -v t="$TICK" '{printf "%.1f", ($16 + $17) / t}' "/proc/$PM/stat"; }
OPTS=""
if [ "${SYNC_COMMIT:-on}" = off ]; then OPTS="?options=-c%20synchronous_commit%3Doff"; fi
cpu() { awk '{u+=$1; s+=$2} END {printf "%.1f", u+s}' "$@"; }

# SQLite: one process analysing on both cores.
l0=$(load); t0=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o "$WORK/t-sqlite" "$BIN" ingest --no-embeddings --db "$WORK/s.db" "$ARTICLES" >/dev/null 2>"$WORK/sqlite.err" || true
t1=$(date +%s.%N)
stored=$(sqlite3 "$WORK/s.db" 'SELECT COUNT(*) FROM articles' 2>/dev/null || echo "?")
echo "sqlite ingest: $stored articles; wall $(echo "$t1 - $t0" | bc) s; $(echo "scale=1; $stored / ($t1 - $t0)" | bc) articles/s; cpu $(cpu "$WORK/t-sqlite") s; load $l0 -> $(load)"

for W in 1 2 4; do
    DB=w$W
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U parallax "$DB"
    URL="postgres://parallax@127.0.0.1:$PORT/$DB$OPTS"
    l0=$(load); c0=$(pgcpu); t0=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$WORK/t-enq$W" "$BIN" ingest --db "$URL" "$ARTICLES" >/dev/null 2>"$WORK/enq$W.err" || true
    t1=$(date +%s.%N)
    i=0; pids=""
    while [ $i -lt $W ]; do
        /usr/bin/time -f '%U %S' -o "$WORK/t-w$W-$i" "$BIN" worker --no-embeddings --drain --db "$URL" 2>"$WORK/w$W-$i.err" &
        pids="$pids $!"; i=$((i + 1))
    done
    for p in $pids; do wait "$p"; done
    # The postmaster reaps the workers' backends just after they exit.
    t2=$(date +%s.%N); sleep 2; c1=$(pgcpu)
    stored=$(psql -h 127.0.0.1 -p "$PORT" -U parallax -d "$DB" -Atc "SELECT COUNT(*) FROM articles WHERE seq IS NOT NULL")
    dirty=$(psql -h 127.0.0.1 -p "$PORT" -U parallax -d "$DB" -Atc "SELECT COUNT(*) FROM stories WHERE dirty = 1")
    echo "queue, $W worker(s): $stored articles ($dirty stories left dirty); enqueue $(echo "$t1 - $t0" | bc) s (cpu $(cpu "$WORK/t-enq$W") s); workers wall $(echo "$t2 - $t1" | bc) s; $(echo "scale=1; $stored / ($t2 - $t1)" | bc) articles/s; enqueue+workers $(echo "scale=1; $stored / ($t2 - $t0)" | bc) articles/s; worker cpu $(cpu "$WORK"/t-w$W-*) s; server cpu $(echo "$c1 - $c0" | bc) s; load $l0 -> $(load)"
done
