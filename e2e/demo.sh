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
#   8. the sidecar's metrics are printed;
#   9. the central gateway: an app's sidecar with no key calls the gateway (TLS, ServiceAccount token
#      checked with a stand-in for the Kubernetes TokenReview API), which holds the key and calls the
#      simulator; a call without a token is refused. Every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

SIDECAR_JAR=sidecar/target/holysheep-sidecar.jar
WEBHOOK_JAR=webhook/target/holysheep-webhook.jar
SIMULATOR_JAR=e2e/target/holysheep-simulator.jar
CERTS_JAR=certs/target/holysheep-certs.jar
SIDECAR_TEST_JAR=$(ls sidecar/target/holysheep-sidecar-*-tests.jar 2>/dev/null | head -1)
DEMO_DIR=.demo
PRIMARY_PORT=${DEMO_PRIMARY_PORT:-18181}
FALLBACK_PORT=${DEMO_FALLBACK_PORT:-18182}
PROXY_PORT=${DEMO_PROXY_PORT:-18180}
ADMIN_PORT=${DEMO_ADMIN_PORT:-18189}
GATEWAY_PORT=${DEMO_GATEWAY_PORT:-18443}
GATEWAY_ADMIN_PORT=${DEMO_GATEWAY_ADMIN_PORT:-18491}
KUBE_PORT=${DEMO_KUBE_PORT:-18492}
APP_PROXY_PORT=${DEMO_APP_PROXY_PORT:-18280}
APP_ADMIN_PORT=${DEMO_APP_ADMIN_PORT:-18289}
PROXY="http://127.0.0.1:${PROXY_PORT}/v1"
ADMIN="http://127.0.0.1:${ADMIN_PORT}"
JAVA_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k)

for jar in "$SIDECAR_JAR" "$WEBHOOK_JAR" "$SIMULATOR_JAR" "$CERTS_JAR" "$SIDECAR_TEST_JAR"; do
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
for p in "$PRIMARY_PORT" "$FALLBACK_PORT" "$PROXY_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$GATEWAY_ADMIN_PORT" "$KUBE_PORT" "$APP_PROXY_PORT" "$APP_ADMIN_PORT"; do
  port_free "$p" || { echo "demo: port $p is in use; set the DEMO_*_PORT variables at the top of e2e/demo.sh" >&2; exit 1; }
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

bold "9. The central gateway: the app's namespace holds no key"
GW="$DEMO_DIR/gateway"
rm -rf "$GW"; mkdir -p "$GW/tls" "$GW/gateway-sa" "$GW/app-pod"
java "${JAVA_OPTS[@]}" -jar "$CERTS_JAR" --service holysheep-gateway --namespace holysheep-system \
  --out "$GW/tls" --dns localhost --ip 127.0.0.1 >/dev/null
echo "demo-gateway-serviceaccount-token" >"$GW/gateway-sa/token"
# A stand-in for the Kubernetes API (TokenReview, namespace labels); it also writes the app pod's
# projected ServiceAccount token (audience holysheep-gateway), as the kubelet would.
java "${JAVA_OPTS[@]}" -cp "$SIDECAR_JAR:$SIDECAR_TEST_JAR" ai.holysheep.k8s.sidecar.testing.FakeKubeApiServer \
  --port "$KUBE_PORT" --caller-token-file "$GW/gateway-sa/token" --labelled-namespace my-app \
  --mint "$GW/app-pod/token=my-app:chat-api" >"$DEMO_DIR/kube-api.log" 2>&1 &
pids+=($!)
deadline=$((SECONDS + 20))
until [ -s "$GW/app-pod/token" ]; do
  [ $SECONDS -lt $deadline ] || { echo "demo: the stand-in API server did not start" >&2; cat "$DEMO_DIR/kube-api.log" >&2; exit 1; }
  sleep 0.1
done
printf 'baseUrl: http://127.0.0.1:%s/v1\ntimeout: 2s\n' "$PRIMARY_PORT" >"$GW/config.yaml"
HOLYSHEEP_API_KEY=sk-demo-held-by-the-gateway-only \
  java "${JAVA_OPTS[@]}" -jar "$SIDECAR_JAR" gateway --config "$GW/config.yaml" \
  --listen "127.0.0.1:${GATEWAY_PORT}" --admin-listen "127.0.0.1:${GATEWAY_ADMIN_PORT}" \
  --tls-cert "$GW/tls/tls.crt" --tls-key "$GW/tls/tls.key" \
  --kube-api "http://127.0.0.1:${KUBE_PORT}" --kube-token-file "$GW/gateway-sa/token" >"$DEMO_DIR/gateway.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:${GATEWAY_ADMIN_PORT}/ready" 20
grep -m1 'holysheep-gateway ready' "$DEMO_DIR/gateway.log" | sed 's/^/  /'
echo "  What the webhook injects for holysheep.ai/upstream: gateway (offline inject of examples/tutorial/app.yaml):"
java "${JAVA_OPTS[@]}" -jar "$WEBHOOK_JAR" inject -f examples/tutorial/app.yaml --native-sidecar true \
  --upstream gateway --gateway-url "https://localhost:${GATEWAY_PORT}/v1" --gateway-ca "$GW/tls/ca.crt" >"$GW/injected.yaml"
sed -n '/^ *volumes:/,$p' "$GW/injected.yaml" | sed 's/^/    /'
echo "    no Secret: the sidecar's key is the pod's projected token, its config names the gateway and inlines its CA"
# The app's sidecar as injected; the token file is where the kubelet would have mounted it.
{
  echo "baseUrl: https://localhost:${GATEWAY_PORT}/v1"
  echo "apiKeyFile: $PWD/$GW/app-pod/token"
  echo "timeout: 5s"
  echo "caPem: |"
  sed 's/^/  /' "$GW/tls/ca.crt"
} >"$GW/app-sidecar.yaml"
env -u HOLYSHEEP_API_KEY -u HOLYSHEEP_API_KEY_1 java "${JAVA_OPTS[@]}" -jar "$SIDECAR_JAR" --config "$GW/app-sidecar.yaml" \
  --listen "127.0.0.1:${APP_PROXY_PORT}" --admin-listen "127.0.0.1:${APP_ADMIN_PORT}" >"$DEMO_DIR/app-sidecar.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:${APP_ADMIN_PORT}/ready" 20
echo "  the app's pod holds: $(ls "$GW/app-pod") (its ServiceAccount token), no API key"
curl -sS -D "$DEMO_DIR/headers" -o "$DEMO_DIR/body" -H 'content-type: application/json' \
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' \
  "http://127.0.0.1:${APP_PROXY_PORT}/v1/chat/completions"
printf '  app -> sidecar -> gateway -> simulator: HTTP %s  %s\n' \
  "$(head -1 "$DEMO_DIR/headers" | awk '{print $2}')" \
  "$(sed -n 's/.*"content":"\([^"]*\)".*/\1/p' "$DEMO_DIR/body" | head -1)"
echo "  a call to the gateway without a token (HTTP $(curl -sS -o "$DEMO_DIR/body" -w '%{http_code}' --cacert "$GW/tls/ca.crt" "https://localhost:${GATEWAY_PORT}/v1/models")):"
sed 's/^/    /' "$DEMO_DIR/body"; echo
echo "  the gateway's metrics by calling namespace:"
curl -fsS "http://127.0.0.1:${GATEWAY_ADMIN_PORT}/metrics" | grep -E '^holysheep_gateway_requests_total' | sed 's/^/    /'

bold "Done: every process started by the demo is being stopped"
