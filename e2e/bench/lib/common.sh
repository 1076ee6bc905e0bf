# Sourced by e2e/bench/run.sh: tools, facts, waiting, the nginx baseline's configuration.
# Expects RAW (raw output directory) and the port variables of run.sh.

die() { echo "bench: $*" >&2; exit 1; }

# Installs what is missing with apt-get when root, else says how.
require_tools() {
  local tool missing=() packages=()
  declare -A package=([wrk]=wrk [hey]=hey [nginx]=nginx [curl]=curl [ss]=iproute2 [taskset]=util-linux)
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { missing+=("$tool"); packages+=("${package[$tool]:-$tool}"); }
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing ${packages[*]} (apt-get) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null; } \
      || die "apt-get could not install ${packages[*]}"
    return 0
  fi
  die "missing ${missing[*]}: install them (Debian/Ubuntu: sudo apt-get install ${packages[*]}; macOS cannot run this bench: it needs Linux cgroups)"
}

port_free() { ! (exec 2>/dev/null; exec 3<>"/dev/tcp/127.0.0.1/$1"); }

# Raw facts, one `key=value` per line, read by BenchReport.
fact() { printf '%s=%s\n' "$1" "$2" >>"$RAW/facts.txt"; }
fact_value() { sed -n "s/^$1=//p" "$RAW/facts.txt" | tail -1; }
load_fact() { fact "load.$1" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

# Milliseconds since an $EPOCHREALTIME value.
elapsed_ms() { local now=$EPOCHREALTIME; echo $(( (${now/./} - ${1/./}) / 1000 )); }

# A sleep that starts no process (a read that times out on a pipe nobody writes).
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }

# wait_http HOST PORT PATH SECONDS: polls until PATH answers 200 (an HTTP/1.1 GET over bash's /dev/tcp,
# no process per attempt, so the poll costs the machine next to nothing).
wait_http() {
  local deadline=$((SECONDS + $4)) fd line
  while [ $SECONDS -lt "$deadline" ]; do
    if { exec {fd}<>"/dev/tcp/$1/$2"; } 2>/dev/null; then
      printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$3" "$1" >&"$fd" 2>/dev/null || true
      line=
      IFS= read -r -t 2 -u "$fd" line || true
      exec {fd}>&-
      [[ $line == "HTTP/1."?" 200"* ]] && return 0
    fi
    nap 0.005
  done
  return 1
}

# Pod limits: BENCH_* overrides, else the chart's sidecar.resources, else the webhook's defaults.
# Prints "CPU_LIMIT_MILLI CPU_REQUEST_MILLI MEMORY_LIMIT_BYTES".
pod_resources() {
  local values=charts/holysheep-injector/values.yaml java=webhook/src/main/java/ai/holysheep/k8s/webhook/inject/ProxyResources.java
  local cpu_limit cpu_request memory_limit
  cpu_limit=$(yaml_sidecar_resource limits cpu); cpu_request=$(yaml_sidecar_resource requests cpu)
  memory_limit=$(yaml_sidecar_resource limits memory)
  [ -n "$cpu_limit" ] || cpu_limit=$(sed -n 's/.*DEFAULT_CPU_LIMIT = "\(.*\)";/\1/p' "$java")
  [ -n "$cpu_request" ] || cpu_request=$(sed -n 's/.*DEFAULT_CPU_REQUEST = "\(.*\)";/\1/p' "$java")
  [ -n "$memory_limit" ] || memory_limit=$(sed -n 's/.*DEFAULT_MEMORY_LIMIT = "\(.*\)";/\1/p' "$java")
  cpu_limit=${BENCH_CPU_LIMIT:-$cpu_limit}; cpu_request=${BENCH_CPU_REQUEST:-$cpu_request}
  memory_limit=${BENCH_MEMORY_LIMIT:-$memory_limit}
  echo "$(cpu_milli "$cpu_limit") $(cpu_milli "$cpu_request") $(memory_bytes "$memory_limit")"
}

# The value at sidecar.resources.<section>.<key> of the chart's values.yaml (two-space indentation).
yaml_sidecar_resource() {
  awk -v section="$1" -v key="$2" '
    /^[^ #]/ { top = $1 }
    top == "sidecar:" && /^  resources:/ { in_res = 1; next }
    in_res && /^  [^ #]/ { in_res = 0 }
    in_res && $0 ~ "^    " section ":" { in_sec = 1; next }
    in_res && /^    [^ #]/ { in_sec = 0 }
    in_res && in_sec && $0 ~ "^      " key ":" { v = $2; gsub(/"/, "", v); print v; exit }
  ' charts/holysheep-injector/values.yaml
}

cpu_milli() {
  case $1 in
    *m) echo "${1%m}" ;;
    *.*) awk -v c="$1" 'BEGIN { printf "%d", c * 1000 }' ;;
    *) echo $(( $1 * 1000 )) ;;
  esac
}

memory_bytes() {
  case $1 in
    *Ki) echo $(( ${1%Ki} * 1024 )) ;;
    *Mi) echo $(( ${1%Mi} * 1024 * 1024 )) ;;
    *Gi) echo $(( ${1%Gi} * 1024 * 1024 * 1024 )) ;;
    *M) echo $(( ${1%M} * 1000 * 1000 )) ;;
    *G) echo $(( ${1%G} * 1000 * 1000 * 1000 )) ;;
    *) echo "$1" ;;
  esac
}

write_wrk_script() {
  cat >"$1" <<EOF
wrk.method = "POST"
wrk.body   = '$2'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-app-placeholder"
EOF
}

# nginx as the sidecar would be without its logic: one worker, a keep-alive pool to the upstream, the
# key set, buffering off (as SSE needs), /ready answered by nginx itself.
write_nginx_conf() {
  local dir=$1
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile 16384;
pid $PWD/$dir/nginx.pid;
error_log $PWD/$dir/error.log warn;
daemon off;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $PWD/$dir/tmp/body;
  proxy_temp_path $PWD/$dir/tmp/proxy;
  fastcgi_temp_path $PWD/$dir/tmp/fastcgi;
  uwsgi_temp_path $PWD/$dir/tmp/uwsgi;
  scgi_temp_path $PWD/$dir/tmp/scgi;
  upstream sim { server 127.0.0.1:$SIM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /ready { return 200; }
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer sk-bench";
      proxy_buffering off;
      proxy_read_timeout 600s;
    }
  }
}
EOF
}

# "[503] 12 responses; ..." from hey's summary, or "" when every answer was a 200.
non200_summary() { grep -E '^\s+\[[0-9]+\]' "$1" | grep -v '\[200\]' | tr -s ' \t' ' ' | paste -sd';' - || true; }

established() { ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l; }

# wait_connections PORT N SECONDS: waits until N connections to PORT are open; prints how many were.
wait_connections() {
  local deadline=$((SECONDS + $3)) n
  while n=$(established "$1"); [ "$n" -lt "$2" ] && [ $SECONDS -lt "$deadline" ]; do nap 0.2; done
  echo "$n"
}

wait_connections_below() {
  local deadline=$((SECONDS + $3)) n
  while n=$(established "$1"); [ "$n" -ge "$2" ] && [ $SECONDS -lt "$deadline" ]; do nap 0.2; done
  echo "$n"
}

# Connections the proxy NAME holds to the upstream.
upstream_connections() {
  local pids; pids=$(cg_pids "$1" | paste -sd'|' -)
  [ -n "$pids" ] || { echo 0; return; }
  ss -Htnp state established "( dport = :$SIM_PORT )" 2>/dev/null | grep -c -E "pid=($pids)," || true
}

# wait_upstream_settled NAME N SECONDS: waits until NAME holds N upstream connections, or their number
# has not grown for a second; prints it.
wait_upstream_settled() {
  local deadline=$((SECONDS + $3)) n last=-1 still=0
  while n=$(upstream_connections "$1"); [ "$n" -lt "$2" ] && [ $SECONDS -lt "$deadline" ]; do
    if [ "$n" -eq "$last" ]; then still=$((still + 1)); [ $still -ge 5 ] && break; else still=0; fi
    last=$n
    nap 0.2
  done
  echo "$n"
}

BENCH_CLEANED=0
bench_cleanup() {
  [ "$BENCH_CLEANED" = 1 ] && return 0
  BENCH_CLEANED=1
  cg_destroy sidecar 2>/dev/null || true
  cg_destroy nginx 2>/dev/null || true
  [ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  cg_cleanup 2>/dev/null || true
}
