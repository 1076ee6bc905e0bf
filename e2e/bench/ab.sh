#!/usr/bin/env bash
# A/B of sidecar image trees on start-up and memory at rest, for trying a lever (a JVM flag, a
# runtime, a code change) against the current image in the same minutes on the same busy machine:
#   bash e2e/bench/ab.sh ROOT_A ROOT_B [...]      (each ROOT laid out as sidecar/target/image)
# Build a variant tree with e.g. IMAGE_ROOT=sidecar/target/ab/x IMAGE_ARGS=/tmp/x.args bash sidecar/image/build.sh.
# The trees start in turn (A B A B ...) BENCH_AB_ROUNDS times (default 7) in a cgroup with the pod
# limits; prints the median and the spread of: ready (ms), CPU to ready (ms), RSS and working set
# (MiB) BENCH_REST seconds after ready. BENCH_AB_SETTING=free runs on one free core instead.
# BENCH_AB_MODE=steady: each start is on one free core against the simulator, warmed up with
# BENCH_WARMUP (20) s of full load, then measured at 1,000 req/s for BENCH_DURATION (10) s: CPU per
# request (us), p99 (ms), and RSS / working set after that load.
set -euo pipefail
cd "$(dirname "$0")/../.."
source e2e/bench/lib/cgroup.sh
source e2e/bench/lib/common.sh
source sidecar/image/command.sh
[ $# -ge 1 ] || die "usage: ab.sh IMAGE_ROOT [IMAGE_ROOT ...]"
RAW=e2e/target/bench-ab
mkdir -p "$RAW"; rm -f "$RAW"/*
ROUNDS=${BENCH_AB_ROUNDS:-7}
REST=${BENCH_REST:-3}
PORT=${BENCH_AB_PORT:-18291}
ADMIN=${BENCH_AB_ADMIN:-18292}
read -r CPU_LIMIT_M CPU_REQUEST_M MEMORY_LIMIT < <(pod_resources)
MODE=${BENCH_AB_MODE:-start}
SIM_PORT=${BENCH_AB_SIM_PORT:-18293}
UPSTREAM=http://127.0.0.1:9/v1
cg_init
trap 'cg_destroy ab 2>/dev/null; cg_cleanup; [ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null' EXIT
if [ "$MODE" = steady ]; then
  BENCH_AB_SETTING=free
  taskset -c "${BENCH_LOAD_CPU:-0}" java -XX:+UseSerialGC -jar e2e/target/holysheep-simulator.jar --port "$SIM_PORT" >"$RAW/sim.log" 2>&1 &
  SIM_PID=$!
  wait_http 127.0.0.1 "$SIM_PORT" /v1/models 60 || die "simulator not up"
  UPSTREAM=http://127.0.0.1:$SIM_PORT/v1
  printf '%s' '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}' >"$RAW/body.json"
  write_wrk_script "$RAW/post.lua" "$(cat "$RAW/body.json")"
fi
for i in $(seq 1 $#); do sidecar_argfile "${!i}" "$RAW/$i.args"; done
load_fact start
for round in $(seq 1 "$ROUNDS"); do
  for i in $(seq 1 $#); do
    root=${!i}
    cg_destroy ab; cg_create ab
    if [ "${BENCH_AB_SETTING:-pod}" = pod ]; then cg_limit ab "$CPU_LIMIT_M" "$CPU_REQUEST_M" "$MEMORY_LIMIT"
    else cg_limit ab 0 "$CPU_REQUEST_M" "$MEMORY_LIMIT" "${BENCH_PROXY_CPU:-1}"; fi
    t0=$EPOCHREALTIME
    ( cg_exec ab env HOLYSHEEP_CONFIG="{\"baseUrl\":\"$UPSTREAM\"}" HOLYSHEEP_API_KEY=sk-ab \
        HOLYSHEEP_SECRETS_DIR="$RAW/none" "$root/opt/java/bin/java" @"$RAW/$i.args" \
        --listen "127.0.0.1:$PORT" --admin-listen "127.0.0.1:$ADMIN" ) >>"$RAW/$i.out" 2>>"$RAW/$i.err" &
    cg_track ab $!
    disown $!
    wait_http 127.0.0.1 "$ADMIN" /ready 60 || die "$root not ready: $(tail -3 "$RAW/$i.err")"
    fact "$i.$round.ready_ms" "$(elapsed_ms "$t0")"
    fact "$i.$round.cpu_ms" "$(( $(cg_cpu_ns ab) / 1000000 ))"
    if [ "$MODE" = steady ]; then
      url=http://127.0.0.1:$PORT/v1/chat/completions
      taskset -c "${BENCH_LOAD_CPU:-0}" wrk -t1 -c50 -d"${BENCH_WARMUP:-20}s" -s "$RAW/post.lua" "$url" >/dev/null
      cpu0=$(cg_cpu_ns ab)
      taskset -c "${BENCH_LOAD_CPU:-0}" hey -z "${BENCH_DURATION:-10}s" -c 10 -q 100 -m POST -T application/json \
        -D "$RAW/body.json" -o csv "$url" >"$RAW/$i.$round.csv"
      n=$(grep -c ',200,' "$RAW/$i.$round.csv")
      fact "$i.$round.cpu_us_per_request" "$(( ($(cg_cpu_ns ab) - cpu0) / 1000 / n ))"
      fact "$i.$round.p99_ms" "$(cut -d, -f1 "$RAW/$i.$round.csv" | grep '^[0-9]' | sort -n | awk '{v[NR]=$1} END {print v[int(NR*0.99)]*1000}')"
    fi
    sleep "$REST"
    read -r usage inactive < <(cg_memory ab)
    pid=$(cg_pids ab | head -1)
    fact "$i.$round.rss_kib" "$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")"
    fact "$i.$round.working_set_bytes" "$((usage - inactive))"
  done
done
cg_destroy ab
load_fact end
stat() { # KEY DIVISOR -> "median (min-max)"
  local i=$1 key=$2 div=$3
  sed -n "s/^$i\.[0-9]*\.$key=//p" "$RAW/facts.txt" | sort -n | awk -v d="$div" '{v[NR]=$1/d} END {printf "%.1f (%.1f-%.1f)", v[int((NR+1)/2)], v[1], v[NR]}'
}
echo "setting: ${BENCH_AB_SETTING:-pod} (cpu ${CPU_LIMIT_M}m, memory $((MEMORY_LIMIT / 1048576)) MiB), $ROUNDS rounds, load $(fact_value load.start) -> $(fact_value load.end)"
printf '%-34s %-20s %-20s %-20s %-20s' tree "ready ms" "cpu ms" "RSS MiB" "working set MiB"
[ "$MODE" = steady ] && printf ' %-20s %-20s' "us CPU/request" "p99 ms"
echo
for i in $(seq 1 $#); do
  printf '%-34s %-20s %-20s %-20s %-20s' "${!i}" "$(stat "$i" ready_ms 1)" "$(stat "$i" cpu_ms 1)" "$(stat "$i" rss_kib 1024)" "$(stat "$i" working_set_bytes 1048576)"
  [ "$MODE" = steady ] && printf ' %-20s %-20s' "$(stat "$i" cpu_us_per_request 1)" "$(stat "$i" p99_ms 1)"
  echo
done
