#!/usr/bin/env bash
# make bench: the sidecar hop measured against a direct call and against nginx as a reverse proxy,
# all in one invocation on this machine, so the figures are ratios that survive a change of machine.
#   latency:    hey at a fixed 1,000 requests/s (10 workers x 100 rps), p50/p99 of a JSON chat call
#   throughput: wrk, 1 thread, 50 connections; the proxy under test pinned to one core (taskset -c 1),
#               the load generator and the simulator on the other core
#   footprint:  sidecar RSS when idle after start, and time from process start to its ready line
#   JVMs are warmed to steady state first (BENCH_WARMUP seconds of load); the cold figure is reported
# Needs wrk, hey, nginx (Debian packages: `apt-get install wrk hey nginx`). Results go to stdout and
# to e2e/target/bench/results.md; docs/BENCHMARKS.md records a run with its command.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in wrk hey nginx taskset curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk hey nginx)" >&2; exit 1; }
done
SIDECAR_JAR=sidecar/target/holysheep-sidecar.jar
SIMULATOR_JAR=e2e/target/holysheep-simulator.jar
OUT=e2e/target/bench
mkdir -p "$OUT"
SIM_PORT=${BENCH_SIM_PORT:-18281}
SIDECAR_PORT=${BENCH_SIDECAR_PORT:-18282}
SIDECAR_ADMIN=${BENCH_SIDECAR_ADMIN:-18283}
NGINX_PORT=${BENCH_NGINX_PORT:-18284}
DURATION=${BENCH_DURATION:-15}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -f "$OUT/nginx/nginx.pid" ]; then kill "$(cat "$OUT/nginx/nginx.pid" 2>/dev/null)" 2>/dev/null || true; fi
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_for() { local deadline=$((SECONDS + $2)); until curl -fsS -o /dev/null "$1" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || { echo "bench: $1 not up within $2 s" >&2; exit 1; }; sleep 0.05; done; }

BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'
echo "$BODY" >"$OUT/body.json"
cat >"$OUT/post.lua" <<EOF
wrk.method = "POST"
wrk.body   = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
EOF

# The simulator (the upstream) shares core 0 with the load generators.
taskset -c 0 java -XX:+UseSerialGC -jar "$SIMULATOR_JAR" --name bench --port "$SIM_PORT" >"$OUT/sim.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$SIM_PORT/v1/models" 30

# The sidecar, on core 1. Its class-data-sharing archive comes from a training run first (what an
# image build step does with the image's own JDK): it cuts start-up time and idle RSS.
SIDECAR_JVM=(-XX:+UseSerialGC -Xss512k -XX:SharedArchiveFile="$OUT/sidecar.jsa")
rm -f "$OUT/sidecar.jsa"
HOLYSHEEP_API_KEY=sk-bench java -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$OUT/sidecar.jsa" -jar "$SIDECAR_JAR" \
  --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 >"$OUT/cds-training.log" 2>&1 &
training=$!
deadline=$((SECONDS + 30))
until grep -q 'holysheep-sidecar ready' "$OUT/cds-training.log"; do
  [ $SECONDS -lt $deadline ] || { echo "bench: CDS training run did not start" >&2; exit 1; }; sleep 0.05; done
kill -TERM "$training"; wait "$training" || true

start_ns=$(date +%s%N)
HOLYSHEEP_CONFIG="{\"baseUrl\":\"http://127.0.0.1:$SIM_PORT/v1\"}" HOLYSHEEP_API_KEY=sk-bench \
  taskset -c 1 java "${SIDECAR_JVM[@]}" \
  -jar "$SIDECAR_JAR" --listen "127.0.0.1:$SIDECAR_PORT" --admin-listen "127.0.0.1:$SIDECAR_ADMIN" >"$OUT/sidecar.log" 2>&1 &
sidecar_pid=$!
pids+=($sidecar_pid)
deadline=$((SECONDS + 30))
until grep -q 'holysheep-sidecar ready' "$OUT/sidecar.log"; do
  [ $SECONDS -lt $deadline ] || { echo "bench: sidecar not ready" >&2; cat "$OUT/sidecar.log" >&2; exit 1; }
  sleep 0.01
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
idle_rss_kb=$(ps -o rss= -p "$sidecar_pid" | tr -d ' ')

# nginx on core 1 with one worker, keep-alive to the upstream, buffering off as for SSE.
mkdir -p "$OUT/nginx/tmp"
cat >"$OUT/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $PWD/$OUT/nginx/nginx.pid;
error_log $PWD/$OUT/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $PWD/$OUT/nginx/tmp/body;
  proxy_temp_path $PWD/$OUT/nginx/tmp/proxy;
  fastcgi_temp_path $PWD/$OUT/nginx/tmp/fastcgi;
  uwsgi_temp_path $PWD/$OUT/nginx/tmp/uwsgi;
  scgi_temp_path $PWD/$OUT/nginx/tmp/scgi;
  upstream sim { server 127.0.0.1:$SIM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer sk-bench";
      proxy_buffering off;
    }
  }
}
EOF
taskset -c 1 nginx -c "$PWD/$OUT/nginx/nginx.conf" -p "$PWD/$OUT/nginx" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$NGINX_PORT/v1/models" 10

declare -A URL=(
  [direct]="http://127.0.0.1:$SIM_PORT/v1/chat/completions"
  [sidecar]="http://127.0.0.1:$SIDECAR_PORT/v1/chat/completions"
  [nginx]="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
)
declare -A P50 P99 RPS

# A JVM on one core needs tens of seconds of load before its JIT settles (thousands of Netty and
# Vert.x methods queue for C2); a sidecar lives for hours, so its steady state is what counts.
# The first-minute figure is reported too.
WARMUP=${BENCH_WARMUP:-45}
echo "bench: warming up the JVMs for ${WARMUP}s (the sidecar path also warms the simulator) ..."
taskset -c 0 wrk -t1 -c50 -d"${WARMUP}s" -s "$OUT/post.lua" "${URL[sidecar]}" >"$OUT/wrk-warmup.txt"
cold_rps=$(awk '/Requests\/sec/{print $2}' "$OUT/wrk-warmup.txt")
for target in direct nginx; do
  taskset -c 0 wrk -t1 -c50 -d10s -s "$OUT/post.lua" "${URL[$target]}" >/dev/null
done

for target in direct sidecar nginx; do
  echo "bench: $target latency at 1,000 rps for ${DURATION}s ..."
  taskset -c 0 hey -z "${DURATION}s" -c 10 -q 100 -m POST -T application/json -D "$OUT/body.json" \
    "${URL[$target]}" >"$OUT/hey-$target.txt"
  P50[$target]=$(awk '/ 50% in /{print $3*1000}' "$OUT/hey-$target.txt")
  P99[$target]=$(awk '/ 99% in /{print $3*1000}' "$OUT/hey-$target.txt")
  non200=$(grep -E '^\s+\[[0-9]+\]' "$OUT/hey-$target.txt" | grep -v '\[200\]' || true)
  [ -z "$non200" ] || { echo "bench: $target answered non-200: $non200" >&2; exit 1; }
done

for target in direct sidecar nginx; do
  echo "bench: $target throughput for ${DURATION}s ..."
  taskset -c 0 wrk -t1 -c50 -d"${DURATION}s" -s "$OUT/post.lua" "${URL[$target]}" >"$OUT/wrk-$target.txt"
  RPS[$target]=$(awk '/Requests\/sec/{print $2}' "$OUT/wrk-$target.txt")
  if grep -q 'Non-2xx' "$OUT/wrk-$target.txt"; then echo "bench: $target had non-2xx answers" >&2; exit 1; fi
done
loaded_rss_kb=$(ps -o rss= -p "$sidecar_pid" | tr -d ' ')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN{ printf "%+.2f", a - b }'; }
{
  echo "| metric | direct | nginx | sidecar | sidecar vs direct | sidecar vs nginx |"
  echo "|---|---|---|---|---|---|"
  echo "| p50 latency at 1k rps (ms) | ${P50[direct]} | ${P50[nginx]} | ${P50[sidecar]} | $(diff_ms "${P50[sidecar]}" "${P50[direct]}") ms | $(diff_ms "${P50[sidecar]}" "${P50[nginx]}") ms |"
  echo "| p99 latency at 1k rps (ms) | ${P99[direct]} | ${P99[nginx]} | ${P99[sidecar]} | $(diff_ms "${P99[sidecar]}" "${P99[direct]}") ms | $(diff_ms "${P99[sidecar]}" "${P99[nginx]}") ms |"
  echo "| throughput, proxy on one core (req/s) | ${RPS[direct]} | ${RPS[nginx]} | ${RPS[sidecar]} | $(ratio "${RPS[sidecar]}" "${RPS[direct]}")x | $(ratio "${RPS[sidecar]}" "${RPS[nginx]}")x |"
  echo
  echo "Sidecar: ready ${ready_ms} ms after process start (JVM start included, CDS archive); RSS $((idle_rss_kb / 1024)) MiB idle, $((loaded_rss_kb / 1024)) MiB after the load; ${cold_rps} req/s averaged over its first ${WARMUP} s (JIT warm-up)."
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(nginx -v 2>&1), $(date -u +%Y-%m-%d)."
} | tee "$OUT/results.md"
