#!/bin/sh
# Times 'engram check' on a 1 GiB Engram pool with 1M objects beside 'pmempool check' (PMDK) on a
# libpmemobj pool of the same shape, two ways:
#  - process vs process (issue #8's target): wall clock of the whole command, JVM start-up included
#    for engram (through cli/bin/engram, with its start-up cache made first), median of RUNS after
#    one warm-up each;
#  - in-process, as extra information: Engram.execute("check", POOL) timed inside one JVM
#    (CheckInProcess.java) beside libpmempool's pmempool_check() API timed inside one C process
#    (pmdk_check.c, needs libpmempool-dev): the first check of the process and the median of 3*RUNS
#    after a warm-up.
# The two tools do not check the same things: pmempool check on an obj pool reads the shutdown state
# and the pool header (pmempool check -v lists exactly these two steps); engram check reads both
# header copies, runs recovery on a private mapping, walks every zone, chunk header, run bitmap and
# block header of the heap, then the object graph from the root (leaks, dangling references).
# The pool files sit in DIR (default /dev/shm, so the page cache holds them and the disk is not measured).
# Usage: bench/cli/check-vs-pmempool.sh [DIR] [RUNS]   (build first: ./mvnw -pl cli -am package -DskipTests)
# With ENGRAM_JSON / PMDK_JSON set, appends result lines for bench/run's report: check_1g_1m (process,
# the target's figure) and check_1g_1m_inprocess (in-process median, when both harnesses ran).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-/dev/shm}
runs=${2:-7}
size=$((1 << 30))
count=1000000
jar=$(ls "$root"/cli/target/engram-cli-*-all.jar | head -1)
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java_flags="--enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dkryo.unsafe=false"
engram="$root/cli/bin/engram"
epool="$dir/engram-check-bench.pool"
ppool="$dir/pmdk-check-bench.pool"
fill="$dir/pmdk_fill"
pcheck="$dir/pmdk_check"

rm -f "$epool" "$ppool"
cc -O2 -o "$fill" "$root/bench/cli/pmdk_fill.c" -lpmemobj
# shellcheck disable=SC2086  # java_flags is a list of options
"$java_home/bin/java" $java_flags -cp "$jar" "$root/bench/cli/FillPool.java" "$epool" $size $count uniform64 0 1
PMEM_IS_PMEM_FORCE=1 "$fill" "$ppool" $size $count

median() {
    sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

time_ms() {
    # one warm-up, then RUNS timed runs; prints the median in ms
    "$@" >/dev/null 2>&1 || true
    i=0
    while [ $i -lt "$runs" ]; do
        s=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; exit 1; }
        e=$(date +%s%N)
        echo $(( (e - s) / 1000000 ))
        i=$((i + 1))
    done | median
}

# The launcher makes its start-up cache on its first run for this jar and JDK; make it here, outside
# the timed runs, and say what it cost.
s=$(date +%s%N)
JAVA_HOME="$java_home" "$engram" --version >/dev/null
e=$(date +%s%N)
echo "start-up cache: ready after $(( (e - s) / 1000000 )) ms (made once per jar and JDK by cli/bin/engram; 0 cost when it was there)"

e=$(JAVA_HOME="$java_home" time_ms "$engram" check "$epool")
p=$(time_ms pmempool check "$ppool")
v=$(JAVA_HOME="$java_home" time_ms "$engram" --version)
objects=$(JAVA_HOME="$java_home" "$engram" check "$epool" --json | sed -n 's/.*"objects": \([0-9]*\).*/\1/p' | head -1)
echo "engram check:   ${e} ms (pool of $objects objects; JVM start-up alone, engram --version: ${v} ms)"
echo "pmempool check: ${p} ms"
awk -v e="$e" -v p="$p" -v v="$v" 'BEGIN { printf "ratio engram/pmempool: %.2f (target <= 0.5); excluding JVM start-up: %.2f\n", e / p, (e - v) / p }'

# In-process: the same pools, each tool's check API timed inside its own process.
inruns=$((3 * runs))
# shellcheck disable=SC2086  # java_flags is a list of options
ein=$("$java_home/bin/java" $java_flags -XX:+UseSerialGC -cp "$jar" "$root/bench/cli/CheckInProcess.java" "$epool" 10 "$inruns")
pin=
if cc -O2 -o "$pcheck" "$root/bench/cli/pmdk_check.c" -lpmempool 2>/dev/null; then
    pin=$("$pcheck" "$ppool" 10 "$inruns")
fi
field() {
    echo "$1" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p"
}
echo "in-process engram check (Engram.execute, one JVM): median $(field "$ein" median) ms, first $(field "$ein" first) ms of the process"
if [ -n "$pin" ]; then
    echo "in-process pmempool_check() (libpmempool):         median $(field "$pin" median) ms, first $(field "$pin" first) ms of the process"
    awk -v e="$(field "$ein" median)" -v p="$(field "$pin" median)" \
        'BEGIN { printf "in-process ratio engram/pmempool: %.1f (medians)\n", e / p }'
else
    echo "in-process pmempool_check(): skipped (no libpmempool.h: apt-get install libpmempool-dev)"
fi
echo "checked: pmempool (obj pool) = shutdown state + pool header; engram = both headers, lanes (recovery on a private"
echo "  mapping), every zone / chunk header / run bitmap / block header, root pointer, object graph (leaks, dangling refs)"

line() {
    printf '{"workload":"%s","unit":"ms","value":%s,"error":0,"threads":1,"mode":"forced-pmem"}\n' "$1" "$2"
}
[ -n "${ENGRAM_JSON:-}" ] && line check_1g_1m "$e" >>"$ENGRAM_JSON"
[ -n "${PMDK_JSON:-}" ] && line check_1g_1m "$p" >>"$PMDK_JSON"
if [ -n "$pin" ]; then
    [ -n "${ENGRAM_JSON:-}" ] && line check_1g_1m_inprocess "$(field "$ein" median)" >>"$ENGRAM_JSON"
    [ -n "${PMDK_JSON:-}" ] && line check_1g_1m_inprocess "$(field "$pin" median)" >>"$PMDK_JSON"
fi
rm -f "$epool" "$ppool" "$fill" "$pcheck"
