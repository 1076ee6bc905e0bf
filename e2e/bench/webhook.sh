#!/usr/bin/env bash
# The admission webhook on its own, over real TLS (issue 9 targets in brackets):
#   first burst: a fresh replica, the moment it reports ready, gets 12 admissions at once on 12 new
#                TLS connections (an API server's first burst after a rollout), 12 parallel
#                transfers of one curl; curl's time_total includes connect and handshake
#                [median <= 300 ms]
#   warm:        after BENCH_WARMUP seconds of load, wrk with BENCH_LATENCY_CONNECTIONS kept-alive
#                connections (well below saturation): p50 / p99 [p99 <= 5 ms]
#                and the server's own p50 / p99 of that phase (its duration histogram, bucket bounds)
#   one core:    the webhook pinned to one core (taskset -c 1), wrk on the other, BENCH_CONCURRENCY
#                kept-alive connections for BENCH_DURATION s: reviews/s [>= 2,000]
# The webhook runs the real jar in files mode without an API server (--no-kube), with the image's
# JVM flags and the chart's heap share; the review is the ReplicaSet-made pod fixture, injected with
# a legacy sidecar (full decode, injection, diff and answer). Needs wrk, curl and taskset. (hey is
# not used: its TLS client sends "host:port" as SNI, which the JDK rightly refuses.)
# Prints a table; writes e2e/target/bench/webhook.json. e2e/bench/run.sh (make bench) calls it.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in wrk curl taskset java; do
  command -v "$tool" >/dev/null || { echo "webhook bench: $tool is missing (apt-get install wrk curl)" >&2; exit 1; }
done
WEBHOOK_JAR=webhook/target/holysheep-webhook.jar
CERTS_JAR=certs/target/holysheep-certs.jar
for jar in "$WEBHOOK_JAR" "$CERTS_JAR"; do
  [ -f "$jar" ] || { echo "webhook bench: $jar missing; run mvn -q install -DskipTests" >&2; exit 1; }
done
OUT=e2e/target/bench
WORK="$OUT/webhook"
mkdir -p "$WORK"
WARMUP=${BENCH_WARMUP:-30}
DURATION=${BENCH_DURATION:-15}
LATENCY_CONNECTIONS=${BENCH_LATENCY_CONNECTIONS:-2}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
BURST=12
# what the image and the chart give the JVM (pom.xml jib entrypoint, values.yaml webhook.jvmOptions)
JVM=(-XX:+UseSerialGC -Xss512k -Xmx358m -XX:+ExitOnOutOfMemoryError ${BENCH_JVM_FLAGS:-})

pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT INT TERM

rm -rf "$WORK/tls"
java -jar "$CERTS_JAR" --service holysheep-injector --namespace holysheep --out "$WORK/tls" \
  --ip 127.0.0.1 >"$WORK/certs.log"
BODY="$WORK/review.json"
cp webhook/src/test/resources/admission/replicaset-pod-review.json "$BODY"
cat >"$WORK/post.lua" <<LUA
local f = io.open("$BODY", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

start_ns=$(date +%s%N)
taskset -c 1 java "${JVM[@]}" -jar "$WEBHOOK_JAR" serve --cert-mode files --tls-dir "$WORK/tls" \
  --no-kube --host 127.0.0.1 --port 0 --native-sidecar false --drain-delay 0s ${BENCH_WEBHOOK_FLAGS:-} \
  >"$WORK/webhook.out" 2>"$WORK/webhook.err" &
pid=$!
deadline=$((SECONDS + 90))
until grep -q '^holysheep-webhook ready' "$WORK/webhook.out"; do
  kill -0 "$pid" 2>/dev/null || { echo "webhook bench: the webhook exited" >&2; cat "$WORK/webhook.err" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "webhook bench: not ready within 90 s" >&2; exit 1; }
  sleep 0.01
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
port=$(sed -n 's/^holysheep-webhook ready port=\([0-9]*\).*/\1/p' "$WORK/webhook.out")
URL="https://127.0.0.1:$port/mutate/namespace"

quantile() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
  i = int(q * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print v[i] }'; }
run_wrk() { taskset -c 0 wrk -t1 --latency -s "$WORK/post.lua" "$@" "$URL"; }
# wrk prints "99%    1.23ms" (or us, s, m): the value in ms
wrk_ms() { awk -v p="$2" '$1 == p { v = $2; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f }' "$1"; }

scrape() { curl -sk "https://127.0.0.1:$port/metrics"; }
# a quantile (ms, upper bucket bound) of the admissions made between the two scrapes
server_quantile() { awk -v q="$1" '
  /^holysheep_webhook_admission_duration_seconds_bucket\{.*path="\/mutate\/namespace"/ {
    match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5)
    if (FILENAME ~ /before$/) { before[le] = $NF } else { after[le] = $NF; order[++n] = le } }
  END { total = after["+Inf"] - before["+Inf"]; if (total <= 0) { print "nan"; exit }
    for (i = 1; i <= n; i++) { le = order[i]; if (after[le] - before[le] >= q * total) {
      printf "%.2f", (le == "+Inf") ? 1e9 : le * 1000; exit } } }' \
    "$WORK/metrics.before" "$WORK/metrics.after"; }

# 1. the first burst, on new connections, right after the ready line: one curl process, 12
#    transfers started at once, each on its own new connection (--parallel-immediate)
: >"$WORK/burst.curl"
for i in $(seq "$BURST"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL" >>"$WORK/burst.curl"; done
taskset -c 0 curl -sk --no-progress-meter --parallel --parallel-immediate --parallel-max "$BURST" -K "$WORK/burst.curl" \
  -X POST -H 'Content-Type: application/json' --data-binary "@$BODY" \
  -w '%{http_code} %{time_total}\n' >"$WORK/burst.raw" || true
awk '$1 == 200 { printf "%.1f\n", $2 * 1000 }' "$WORK/burst.raw" >"$WORK/burst.ms"
burst_ok=$(wc -l <"$WORK/burst.ms" | tr -d ' ')
burst_median=$(quantile 0.5 <"$WORK/burst.ms")
burst_max=$(quantile 1.0 <"$WORK/burst.ms")

# 2. warm-up at full load, then latency well below saturation on kept-alive connections
run_wrk -c "$CONCURRENCY" -d "${WARMUP}s" >"$WORK/warmup.txt"
scrape >"$WORK/metrics.before"
run_wrk -c "$LATENCY_CONNECTIONS" -d "${DURATION}s" >"$WORK/warm.txt"
scrape >"$WORK/metrics.after"
# the server's own view of the same phase: its admission-duration histogram, before/after
server_p50=$(server_quantile 0.5)
server_p99=$(server_quantile 0.99)
warm_rps=$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/warm.txt")
warm_p50=$(wrk_ms "$WORK/warm.txt" 50%)
warm_p99=$(wrk_ms "$WORK/warm.txt" 99%)

# 3. throughput with the webhook on one core
run_wrk -c "$CONCURRENCY" -d "${DURATION}s" >"$WORK/throughput.txt"
rps=$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/throughput.txt")
errors=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
  /Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' \
  "$WORK/throughput.txt" "$WORK/warm.txt")
tp_p99=$(wrk_ms "$WORK/throughput.txt" 99%)
rss_kb=$(ps -o rss= -p "$pid" | tr -d ' ')
load=$(cut -d' ' -f1-3 /proc/loadavg)

verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { if (v == "nan") { print "no data"; exit }
  ok = (dir == "le") ? (v + 0 <= t) : (v + 0 >= t); print ok ? "met" : "not met" }'; }
row() { printf '%-48s %10s %9s %8s\n' "$@"; }
printf '\nwebhook admission bench (%s, load average %s, %s cores)\n' "$(date -u +%FT%TZ)" "$load" "$(nproc)"
row metric measured target status
row "first $BURST parallel after ready, median (ms)" "$burst_median" "<= 300" "$(verdict "$burst_median" 300 le)"
row "first $BURST parallel after ready, max (ms)" "$burst_max" "" ""
row "warm p50, $LATENCY_CONNECTIONS connections (ms)" "$warm_p50" "" ""
row "warm p99, $LATENCY_CONNECTIONS connections (ms)" "$warm_p99" "<= 5" "$(verdict "$warm_p99" 5 le)"
row "  same phase, server side p50 / p99 (ms, bucket)" "$server_p50 / $server_p99" "" ""
row "reviews/s, webhook on one core, $CONCURRENCY conns" "$rps" ">= 2000" "$(verdict "$rps" 2000 ge)"
row "p99 at $CONCURRENCY connections, one core (ms)" "$tp_p99" "" ""
row "start to ready line (ms)" "$ready_ms" "" ""
row "RSS after the load (MiB)" "$((rss_kb / 1024))" "" ""
row "errors and non-200 answers" "$errors" "0" "$( [ "$errors" = 0 ] && echo met || echo 'not met')"

cat >"$OUT/webhook.json" <<JSON
{
  "date": "$(date -u +%FT%TZ)",
  "loadAverage": "$load",
  "cores": $(nproc),
  "java": "$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')",
  "jvmFlags": "${JVM[*]}",
  "firstBurst": {"parallel": $BURST, "answered200": $burst_ok, "medianMs": $burst_median, "maxMs": $burst_max},
  "warm": {"connections": $LATENCY_CONNECTIONS, "reviewsPerSecond": $warm_rps, "p50Ms": $warm_p50, "p99Ms": $warm_p99,
           "serverP50MsBucket": "$server_p50", "serverP99MsBucket": "$server_p99"},
  "oneCore": {"connections": $CONCURRENCY, "seconds": $DURATION, "reviewsPerSecond": $rps, "p99Ms": $tp_p99},
  "errorsAndNon200": $errors,
  "startToReadyMs": $ready_ms,
  "rssAfterLoadMiB": $((rss_kb / 1024)),
  "targets": {"firstBurstMedianMs": 300, "warmP99Ms": 5, "reviewsPerSecond": 2000}
}
JSON
echo "wrote $OUT/webhook.json"
