#!/usr/bin/env bash
# make demo: the whole product on one machine, no cluster and no key.
#   1. the offline injector turns an example Deployment into an injected one (what the webhook does);
#   2. two simulated OpenAI-compatible upstreams (primary, fallback) and the real sidecar start;
#   3. real requests (JSON and streamed) go through the sidecar;
#   4. a completion slower than `timeout` runs on exactly one upstream (never billed twice);
#   5. a deterministic error in a stream's first event (context length) reaches the app as a 400
#      with the upstream's message, and is not retried elsewhere;
#   6. the primary dies: traffic continues on the fallback and the primary's breaker opens;
#   7. the primary comes back: a health check half-opens the breaker and traffic returns to it;
#   8. the sidecar's metrics are printed. Every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

SIDECAR_JAR=sidecar/target/holysheep-sidecar.jar
WEBHOOK_JAR=webhook/target/holysheep-webhook.jar
SIMULATOR_JAR=e2e/target/holysheep-simulator.jar
DEMO_DIR=.demo
PRIMARY_PORT=${DEMO_PRIMARY_PORT:-18181}
FALLBACK_PORT=${DEMO_FALLBACK_PORT:-18182}
PROXY_PORT=${DEMO_PROXY_PORT:-18180}
ADMIN_PORT=${DEMO_ADMIN_PORT:-18189}
PROXY="http://127.0.0.1:${PROXY_PORT}/v1"
ADMIN="http://127.0.0.1:${ADMIN_PORT}"
JAVA_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k)

for jar in "$SIDECAR_JAR" "$WEBHOOK_JAR" "$SIMULATOR_JAR"; do
  [ -f "$jar" ] || { echo "demo: $jar is missing; run 'make demo' (it builds first) or 'make build'" >&2; exit 1; }
done
command -v curl >/dev/null || { echo "demo: curl is needed to send requests" >&2; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PRIMARY_PORT" "$FALLBACK_PORT" "$PROXY_PORT" "$ADMIN_PORT"; do
  port_free "$p" || { echo "demo: port $p is in use; set DEMO_PRIMARY_PORT/DEMO_FALLBACK_PORT/DEMO_PROXY_PORT/DEMO_ADMIN_PORT" >&2; exit 1; }
done

# wait_for URL SECONDS: poll until the URL answers 2xx, bounded.
wait_for() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "demo: $1 did not come up within $2 s" >&2; return 1; }
    sleep 0.1
  done
}

start_simulator() { # name port
  java "${JAVA_OPTS[@]}" -jar "$SIMULATOR_JAR" --name "$1" --port "$2" --event-delay 50ms \
    >"$DEMO_DIR/sim-$1.log" 2>&1 &
  pids+=($!)
  eval "${1}_pid=$!"
  wait_for "http://127.0.0.1:$2/v1/models" 20
}

chat() { # prints the serving upstream and the attempts of one JSON chat completion
  curl -sS -D "$DEMO_DIR/headers" -o "$DEMO_DIR/body" -H 'content-type: application/json' \
    -H 'authorization: Bearer sk-app-has-no-real-key' \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' "$PROXY/chat/completions"
  local status upstream attempts content
  status=$(head -1 "$DEMO_DIR/headers" | awk '{print $2}')
  upstream=$(grep -i '^x-holysheep-upstream:' "$DEMO_DIR/headers" | tr -d '\r' | awk '{print $2}')
  attempts=$(grep -i '^x-holysheep-attempts:' "$DEMO_DIR/headers" | tr -d '\r' | awk '{print $2}')
  content=$(sed -n 's/.*"content":"\([^"]*\)".*/\1/p' "$DEMO_DIR/body" | head -1)
  printf '  HTTP %s  upstream=%-9s attempts=%s  %s\n' "$status" "${upstream:--}" "${attempts:--}" "$content"
}

sim_fault() { # port json: set a fault on a simulator (its admin API, as the chaos suite uses it)
  curl -fsS -o /dev/null -H 'content-type: application/json' -d "$2" "http://127.0.0.1:$1/_sim/fault"
}

sim_chats() { # port: chat completions the simulator received so far (health checks left out)
  curl -fsS "http://127.0.0.1:$1/_sim/requests" | { grep -o '"path":"/v1/chat/completions"' || true; } | wc -l
}

breaker() { # prints the breaker state of one upstream from /status
  curl -fsS "$ADMIN/status" | tr -d ' \n' | sed -n "s/.*\"name\":\"$1\"[^}]*\"breaker\":\"\([a-z-]*\)\".*/\1/p"
}

mkdir -p "$DEMO_DIR"

bold "1. Injection: the webhook's pure function, run offline on examples/deployment.yaml"
java "${JAVA_OPTS[@]}" -jar "$WEBHOOK_JAR" inject -f examples/deployment.yaml --native-sidecar true >"$DEMO_DIR/injected.yaml"
echo "  What injection added (diff of the Deployment before and after):"
diff -U1 examples/deployment.yaml "$DEMO_DIR/injected.yaml" | sed -n '3,$p' \
  | awk '{ if (length($0) > 110) $0 = substr($0, 1, 107) "..."; print "    " $0 }' || true

bold "2. Two simulated upstreams (primary :$PRIMARY_PORT, fallback :$FALLBACK_PORT) and the real sidecar (:$PROXY_PORT)"
start_simulator primary "$PRIMARY_PORT"
start_simulator fallback "$FALLBACK_PORT"
cat >"$DEMO_DIR/config.yaml" <<EOF
baseUrl: http://127.0.0.1:${PRIMARY_PORT}/v1
timeout: 2s
circuitBreaker: {enabled: true, failureThreshold: 3, resetTimeout: 3s}
healthCheck: {enabled: true, interval: 1s, endpoint: /models}
fallbacks:
  - name: fallback
    baseUrl: http://127.0.0.1:${FALLBACK_PORT}/v1
    apiKeySecretRef: {name: holysheep-fallback, key: api-key}
EOF
HOLYSHEEP_API_KEY=sk-demo-primary HOLYSHEEP_API_KEY_1=sk-demo-fallback \
  java "${JAVA_OPTS[@]}" -jar "$SIDECAR_JAR" --config "$DEMO_DIR/config.yaml" \
  --listen "127.0.0.1:${PROXY_PORT}" --admin-listen "127.0.0.1:${ADMIN_PORT}" >"$DEMO_DIR/sidecar.log" 2>&1 &
pids+=($!)
wait_for "$ADMIN/ready" 20
grep -m1 'holysheep-sidecar ready' "$DEMO_DIR/sidecar.log" | sed 's/^/  /'

bold "3. The app calls $PROXY with its usual SDK and a placeholder key"
chat
chat
echo "  streamed (events arrive one by one):"
curl -sSN -H 'content-type: application/json' \
  -d '{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Count"}]}' \
  "$PROXY/chat/completions" | while IFS= read -r line; do
    case "$line" in
      data:\ \[DONE\]) echo "    data: [DONE]" ;;
      data:*) delta=$(sed -n 's/.*"delta":{[^}]*"content":"\([^"]*\)".*/\1/p' <<<"$line")
              usage=$(sed -n 's/.*"usage":{\([^}]*\)}.*/\1/p' <<<"$line")
              echo "    data: {…\"delta\":{\"content\":\"$delta\"}…}${usage:+  usage: $usage}" ;;
    esac
  done

bold "4. A completion slower than timeout (2s) runs on one upstream only: no hedge, no second bill"
sim_fault "$PRIMARY_PORT" '{"headerDelay":"3s","times":1,"path":"/v1/chat/completions"}'
before=$(sim_chats "$FALLBACK_PORT")
started=$SECONDS
chat
echo "  took about $((SECONDS - started)) s; chat completions the fallback received meanwhile: $(( $(sim_chats "$FALLBACK_PORT") - before ))"

bold "5. A context-length error in a stream's first event reaches the app as a 400, not retried"
sim_fault "$PRIMARY_PORT" '{"errorObject":"error","errorCode":"context_length_exceeded","times":1,"path":"/v1/chat/completions"}'
before=$(sim_chats "$FALLBACK_PORT")
curl -sS -D "$DEMO_DIR/headers" -o "$DEMO_DIR/body" -H 'content-type: application/json' \
  -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"a very long prompt"}]}' \
  "$PROXY/chat/completions"
echo "  HTTP $(head -1 "$DEMO_DIR/headers" | awk '{print $2}')  $(sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$DEMO_DIR/body" | cut -c1-90)..."
echo "  chat completions the fallback received meanwhile: $(( $(sim_chats "$FALLBACK_PORT") - before ))"

bold "6. The primary dies: requests fail over to the fallback, the primary's breaker opens"
kill "$primary_pid"; wait "$primary_pid" 2>/dev/null || true
for _ in 1 2 3 4; do chat; done
echo "  breaker of primary: $(breaker primary)"

bold "7. The primary comes back: a health check half-opens the breaker, a request closes it"
start_simulator primary "$PRIMARY_PORT"
deadline=$((SECONDS + 20))
until [ "$(breaker primary)" = "half-open" ] || [ "$(breaker primary)" = "closed" ]; do
  [ $SECONDS -lt $deadline ] || { echo "demo: primary did not recover within 20 s" >&2; exit 1; }
  sleep 0.2
done
echo "  breaker of primary: $(breaker primary)"
chat
echo "  breaker of primary: $(breaker primary)"

bold "8. Metrics (GET $ADMIN/metrics, excerpt)"
curl -fsS "$ADMIN/metrics" | grep -E '^holysheep_(requests_total|failovers_total|circuit_state|upstream_healthy|upstream_attempts_total|tokens_total)' | head -n 30 | sed 's/^/  /'

bold "Done: every process started by the demo is being stopped"
