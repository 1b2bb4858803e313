#!/bin/sh
# Times 'engram check' on a 1 GiB Engram pool with 1M objects beside 'pmempool check' (PMDK) on a
# libpmemobj pool of the same shape. Wall-clock per run, whole process (JVM start-up included for
# engram), median of RUNS after one warm-up each; the pool files sit in DIR (default /dev/shm, so
# the page cache holds them and the disk is not measured).
# Usage: bench/cli/check-vs-pmempool.sh [DIR] [RUNS]   (build first: ./mvnw -pl cli -am package -DskipTests)
# With ENGRAM_JSON / PMDK_JSON set, also appends the two medians as result lines for bench/run's report.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-/dev/shm}
runs=${2:-7}
size=$((1 << 30))
count=1000000
jar=$(ls "$root"/cli/target/engram-cli-*-all.jar | head -1)
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
engram="$root/cli/bin/engram"
epool="$dir/engram-check-bench.pool"
ppool="$dir/pmdk-check-bench.pool"
fill="$dir/pmdk_fill"

rm -f "$epool" "$ppool"
cc -O2 -o "$fill" "$root/bench/cli/pmdk_fill.c" -lpmemobj
"$java_home/bin/java" --enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
    -Dkryo.unsafe=false -cp "$jar" "$root/bench/cli/FillPool.java" "$epool" $size $count uniform64 0 1
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

e=$(JAVA_HOME="$java_home" time_ms "$engram" check "$epool")
p=$(time_ms pmempool check "$ppool")
v=$(JAVA_HOME="$java_home" time_ms "$engram" --version)
objects=$("$engram" check "$epool" --json | sed -n 's/.*"objects": \([0-9]*\).*/\1/p' | head -1)
echo "engram check:   ${e} ms (pool of $objects objects; JVM start-up alone, engram --version: ${v} ms)"
echo "pmempool check: ${p} ms"
awk -v e="$e" -v p="$p" -v v="$v" 'BEGIN { printf "ratio engram/pmempool: %.2f (target <= 0.5); excluding JVM start-up: %.2f\n", e / p, (e - v) / p }'
line() {
    printf '{"workload":"check_1g_1m","unit":"ms","value":%s,"error":0,"threads":1,"mode":"forced-pmem"}\n' "$1"
}
[ -n "${ENGRAM_JSON:-}" ] && line "$e" >>"$ENGRAM_JSON"
[ -n "${PMDK_JSON:-}" ] && line "$p" >>"$PMDK_JSON"
rm -f "$epool" "$ppool" "$fill"
