#!/usr/bin/env bash
# make bench: what the sidecar costs a pod, measured in a pod's shoes, beside nginx and a direct call,
# all in one invocation so that the comparisons survive a busy or different machine.
#
# The sidecar runs as the image runs it: sidecar/target/image (the jlinked runtime, the jar, the AOT
# cache and the argument file that is the image's entrypoint; built by sidecar/image/build.sh). It and
# nginx (one worker, keep-alive upstream, buffering off as for SSE) each run in a cgroup with the
# sidecar's default requests/limits from the chart ("pod limits"), or on one free core (cpuset of
# BENCH_PROXY_CPU, no quota). The upstream simulator and the load generators run on the other core.
# Figures and targets: docs/BENCHMARKS.md. Output: a table on stdout and in e2e/target/bench/results.md,
# e2e/target/bench/results.json, raw data under e2e/target/bench/raw/.
#
# Knobs (environment): BENCH_STARTS (start-up samples per setting, 3), BENCH_FIRST_MINUTE (s, 60),
# BENCH_WINDOW (s, 15), BENCH_WARMUP (s of full load before steady state, 30), BENCH_DURATION (s per
# steady-state run, 10), BENCH_STREAMS (1000), BENCH_CPU_LIMIT / BENCH_CPU_REQUEST / BENCH_MEMORY_LIMIT
# (Kubernetes quantities; default: the chart's sidecar.resources), BENCH_PROXY_CPU (1),
# BENCH_LOAD_CPU (0), BENCH_CGROUPS=off (taskset only), BENCH_QUICK=1 (short smoke run).
set -euo pipefail
cd "$(dirname "$0")/../.."
source e2e/bench/lib/cgroup.sh
source e2e/bench/lib/common.sh
source sidecar/image/command.sh

OUT=e2e/target/bench
RAW=$OUT/raw
IMAGE_ROOT=${BENCH_IMAGE_ROOT:-sidecar/target/image}
SIMULATOR_JAR=e2e/target/holysheep-simulator.jar
SIM_PORT=${BENCH_SIM_PORT:-18281}
SIDECAR_PORT=${BENCH_SIDECAR_PORT:-18282}
SIDECAR_ADMIN=${BENCH_SIDECAR_ADMIN:-18283}
NGINX_PORT=${BENCH_NGINX_PORT:-18284}
PROXY_CPU=${BENCH_PROXY_CPU:-1}
LOAD_CPU=${BENCH_LOAD_CPU:-0}
STARTS=${BENCH_STARTS:-3}
FIRST_MINUTE=${BENCH_FIRST_MINUTE:-60}
WINDOW=${BENCH_WINDOW:-15}
WARMUP=${BENCH_WARMUP:-30}
DURATION=${BENCH_DURATION:-10}
STREAMS=${BENCH_STREAMS:-1000}
REST=${BENCH_REST:-3}
FIRST_REQUESTS=${BENCH_FIRST_REQUESTS:-10000}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  STARTS=1 FIRST_MINUTE=15 WARMUP=5 DURATION=3 STREAMS=200 FIRST_REQUESTS=2000
fi

require_tools wrk hey nginx curl ss taskset
rm -rf "$RAW" "$OUT"/results.* "$OUT"/webhook.json
mkdir -p "$RAW"
[ -f "$IMAGE_ROOT/app/holysheep-sidecar.args" ] || die "$IMAGE_ROOT is not built: run make bench (or make image-root)"
[ -f "$SIMULATOR_JAR" ] || die "$SIMULATOR_JAR missing: run make build"
for port in "$SIM_PORT" "$SIDECAR_PORT" "$SIDECAR_ADMIN" "$NGINX_PORT"; do
  port_free "$port" || die "port $port is in use (set BENCH_*_PORT)"
done

read -r CPU_LIMIT_M CPU_REQUEST_M MEMORY_LIMIT < <(pod_resources)
cg_init
trap 'bench_cleanup' EXIT INT TERM
T0=$EPOCHREALTIME

fact bench.date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
fact bench.commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')"
fact machine.cpus "$(nproc)"
fact machine.cpu "$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
fact machine.kernel "$(uname -r)"
fact machine.memory_mib "$(awk '/^MemTotal/{printf "%d", $2/1024}' /proc/meminfo)"
fact cgroups "$CG_MODE"
fact pod.cpu_limit_m "$CPU_LIMIT_M"
fact pod.cpu_request_m "$CPU_REQUEST_M"
fact pod.memory_limit_bytes "$MEMORY_LIMIT"
fact sidecar.runtime "$("$IMAGE_ROOT/opt/java/bin/java" -version 2>&1 | sed -n 2p)"
fact sidecar.args "$(grep -v '^#' "$IMAGE_ROOT/app/holysheep-sidecar.args" | tr '\n' ' ')"
fact nginx.version "$(nginx -v 2>&1 | sed 's/.*: //')"
fact tools "hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null || echo '?'), wrk $(dpkg-query -W -f='${Version}' wrk 2>/dev/null || echo '?')"
load_fact start

# ---- the upstream and the two proxies ---------------------------------------------------------
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'
STREAM_BODY='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hello"}]}'
printf '%s' "$BODY" >"$RAW/body.json"
printf '%s' "$STREAM_BODY" >"$RAW/stream.json"
write_wrk_script "$RAW/post.lua" "$BODY"

echo "bench: upstream simulator on core $LOAD_CPU"
taskset -c "$LOAD_CPU" java -XX:+UseSerialGC -jar "$SIMULATOR_JAR" --name bench --port "$SIM_PORT" >"$RAW/sim.log" 2>&1 &
SIM_PID=$!
wait_http 127.0.0.1 "$SIM_PORT" /v1/models 60 || die "simulator not up: $(cat "$RAW/sim.log")"

sidecar_argfile "$IMAGE_ROOT" "$RAW/sidecar.args"
write_nginx_conf "$RAW/nginx"
declare -A URL=(
  [direct]="http://127.0.0.1:$SIM_PORT/v1/chat/completions"
  [sidecar]="http://127.0.0.1:$SIDECAR_PORT/v1/chat/completions"
  [nginx]="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
)
declare -A READY_PORT=([sidecar]=$SIDECAR_ADMIN [nginx]=$NGINX_PORT)
declare -A PROXY_PORT=([sidecar]=$SIDECAR_PORT [nginx]=$NGINX_PORT)

# start_proxy NAME SETTING: a fresh process in a fresh cgroup (pod limits, or one free core);
# sets STARTED_MS (fork to first 200 from its readiness endpoint) and STARTED_CPU_MS.
start_proxy() {
  local name=$1 setting=$2
  cg_destroy "$name"; cg_create "$name"
  if [ "$setting" = pod ]; then
    cg_limit "$name" "$CPU_LIMIT_M" "$CPU_REQUEST_M" "$MEMORY_LIMIT"
  else
    cg_limit "$name" 0 "$CPU_REQUEST_M" "$MEMORY_LIMIT" "$PROXY_CPU"
  fi
  local t0=$EPOCHREALTIME pid
  case $name in
    sidecar)
      ( cg_exec sidecar env HOLYSHEEP_CONFIG="{\"baseUrl\":\"http://127.0.0.1:$SIM_PORT/v1\"}" \
          HOLYSHEEP_API_KEY=sk-bench HOLYSHEEP_SECRETS_DIR="$RAW/no-secrets" \
          "$IMAGE_ROOT/opt/java/bin/java" @"$RAW/sidecar.args" \
          --listen "127.0.0.1:$SIDECAR_PORT" --admin-listen "127.0.0.1:$SIDECAR_ADMIN" ) \
        >>"$RAW/sidecar.out" 2>>"$RAW/sidecar.err" & ;;
    nginx)
      ( cg_exec nginx nginx -c "$PWD/$RAW/nginx/nginx.conf" -p "$PWD/$RAW/nginx" ) >>"$RAW/nginx.out" 2>&1 & ;;
  esac
  pid=$!
  disown "$pid" # killed with its cgroup (cg_destroy); no job report in the output
  cg_track "$name" "$pid"
  PROXY_PID[$name]=$pid
  wait_http 127.0.0.1 "${READY_PORT[$name]}" /ready 60 || die "$name not ready within 60 s: $(tail -5 "$RAW/$name".*)"
  STARTED_MS=$(elapsed_ms "$t0")
  STARTED_CPU_MS=$(( $(cg_cpu_ns "$name") / 1000000 ))
  STARTED_THROTTLED=$(cg_throttled "$name")
}
declare -A PROXY_PID=()

# memory_fact KEY NAME: RSS of the processes in NAME, the cgroup's usage and the kubelet's working set.
memory_fact() {
  local key=$1 name=$2 usage inactive rss=0 pid
  read -r usage inactive < <(cg_memory "$name")
  for pid in $(cg_pids "$name"); do rss=$((rss + $(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0))); done
  fact "$key.rss_kib" "$rss"
  [ "$CG_MODE" = taskset ] && return 0 # no cgroup, no working set
  fact "$key.usage_bytes" "$usage"
  fact "$key.working_set_bytes" "$((usage - inactive))"
}

# ---- 1. start-up and memory at rest -------------------------------------------------------------
for name in sidecar nginx; do
  for setting in pod free; do
    for i in $(seq 1 "$STARTS"); do
      start_proxy "$name" "$setting"
      fact "$name.start.$setting.$i.ready_ms" "$STARTED_MS"
      fact "$name.start.$setting.$i.cpu_ms" "$STARTED_CPU_MS"
      fact "$name.start.$setting.$i.throttled_periods" "$STARTED_THROTTLED"
      sleep "$REST"
      [ "$setting" = pod ] && memory_fact "$name.rest.$i" "$name"
      echo "bench: $name start ($setting) #$i: ready in $STARTED_MS ms, $STARTED_CPU_MS ms CPU"
    done
  done
  cg_destroy "$name"
done
load_fact after_starts

# ---- 2. the first minute at 50 req/s, against a direct call at the same moment ------------------
for name in sidecar nginx; do
  start_proxy "$name" pod
  echo "bench: $name first ${FIRST_MINUTE}s after ready at 50 req/s (pod limits), direct calls alongside ..."
  throttled0=$(cg_throttled "$name")
  taskset -c "$LOAD_CPU" hey -z "${FIRST_MINUTE}s" -c 10 -q 5 -m POST -T application/json -D "$RAW/body.json" \
    -o csv "${URL[$name]}" >"$RAW/first-$name.csv" &
  proxied=$!
  taskset -c "$LOAD_CPU" hey -z "${FIRST_MINUTE}s" -c 10 -q 5 -m POST -T application/json -D "$RAW/body.json" \
    -o csv "${URL[direct]}" >"$RAW/first-$name-direct.csv"
  wait "$proxied"
  fact "$name.first_minute.throttled_periods" "$(( $(cg_throttled "$name") - throttled0 ))"
  cg_destroy "$name"
done
load_fact after_first_minute

# ---- 3. CPU for the first 10k requests, then the same process moves to one free core and warms up ----
for name in sidecar nginx; do
  start_proxy "$name" pod
  cpu0=$(cg_cpu_ns "$name")
  t0=$EPOCHREALTIME
  taskset -c "$LOAD_CPU" hey -n "$FIRST_REQUESTS" -c 10 -m POST -T application/json -D "$RAW/body.json" \
    "${URL[$name]}" >"$RAW/first-requests-$name.txt"
  fact "$name.first_requests.count" "$FIRST_REQUESTS"
  fact "$name.first_requests.cpu_ms" "$(( ($(cg_cpu_ns "$name") - cpu0) / 1000000 ))"
  fact "$name.first_requests.wall_ms" "$(elapsed_ms "$t0")"
  fact "$name.first_requests.non200" "$(non200_summary "$RAW/first-requests-$name.txt")"
  echo "bench: $name first $FIRST_REQUESTS requests: $(fact_value "$name.first_requests.cpu_ms") ms CPU"
  cg_limit "$name" 0 "$CPU_REQUEST_M" "$MEMORY_LIMIT" "$PROXY_CPU"
  warm=$WARMUP; [ "$name" = nginx ] && warm=$(( WARMUP < 5 ? WARMUP : 5 ))
  echo "bench: $name warm-up, ${warm}s of full load on one core ..."
  taskset -c "$LOAD_CPU" wrk -t1 -c50 -d"${warm}s" -s "$RAW/post.lua" "${URL[$name]}" >"$RAW/warmup-$name.txt"
done
load_fact after_warmup

# ---- 4. steady state on one free core: 1k and 5k req/s, then saturation -------------------------
for rate in 1000 5000; do
  workers=$((rate / 100))
  for target in direct nginx sidecar; do
    echo "bench: $target at $rate req/s for ${DURATION}s ..."
    [ "$target" = direct ] || cpu0=$(cg_cpu_ns "$target")
    taskset -c "$LOAD_CPU" hey -z "${DURATION}s" -c "$workers" -q 100 -m POST -T application/json -D "$RAW/body.json" \
      -o csv "${URL[$target]}" >"$RAW/steady-$rate-$target.csv"
    # CPU per request: unlike latency, hardly moved by what else runs on the machine
    [ "$target" = direct ] || fact "$target.steady.$rate.cpu_ms" "$(( ($(cg_cpu_ns "$target") - cpu0) / 1000000 ))"
  done
  load_fact "after_$rate"
done
for target in direct nginx sidecar; do
  echo "bench: $target saturation for ${DURATION}s ..."
  taskset -c "$LOAD_CPU" wrk -t1 -c50 -d"${DURATION}s" -s "$RAW/post.lua" "${URL[$target]}" >"$RAW/saturation-$target.txt"
  fact "$target.saturation.rps" "$(awk '/Requests\/sec/{print $2}' "$RAW/saturation-$target.txt")"
  fact "$target.saturation.non2xx" "$(awk '/Non-2xx/{print $NF}' "$RAW/saturation-$target.txt")"
done
load_fact after_saturation

# ---- 5. memory at rest after the load, and with open streams -----------------------------------
sleep "$REST"
for name in sidecar nginx; do memory_fact "$name.rest_after_load" "$name"; done
# Stream events are 5 s apart, so streams stay open about 35 s; they are measured once every app
# connection is open and the proxy's upstream connections stop growing (a proxy may cap them).
for name in sidecar nginx; do
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$SIM_PORT/_sim/fault" \
    -d '{"eventDelay":"5s","path":"/v1/chat/completions"}'
  echo "bench: $name with $STREAMS open streams ..."
  taskset -c "$LOAD_CPU" hey -n "$STREAMS" -c "$STREAMS" -t 0 -m POST -T application/json -D "$RAW/stream.json" \
    "${URL[$name]}" >"$RAW/streams-$name.txt" 2>&1 &
  streams=$!
  open=$(wait_connections "${PROXY_PORT[$name]}" "$STREAMS" 30)
  upstream=$(wait_upstream_settled "$name" "$STREAMS" 20)
  fact "$name.streams.open" "$open"
  fact "$name.streams.upstream_connections" "$upstream"
  memory_fact "$name.streams" "$name"
  kill "$streams" 2>/dev/null || true
  wait "$streams" 2>/dev/null || true
  curl -fsS -o /dev/null -X DELETE "http://127.0.0.1:$SIM_PORT/_sim/fault"
  wait_connections_below "${PROXY_PORT[$name]}" 5 30 >/dev/null || true
done
load_fact end
fact bench.seconds "$(( $(elapsed_ms "$T0") / 1000 ))"

bench_cleanup

# ---- 6. the webhook's admission figures (e2e/bench/webhook.sh, when present) --------------------
if [ -f e2e/bench/webhook.sh ]; then
  echo "bench: webhook admission (e2e/bench/webhook.sh) ..."
  bash e2e/bench/webhook.sh || echo "bench: WARNING: e2e/bench/webhook.sh failed; its figures are missing" >&2
fi

java -cp "$SIMULATOR_JAR" ai.holysheep.k8s.e2e.bench.BenchReport --dir "$OUT"
