# Sourced by e2e/bench/run.sh: run a process "in a pod's shoes", i.e. in a cgroup with a container's
# CPU and memory requests/limits, the way the kubelet sets them up, and read what the kubelet reads.
#
#   cg_init                         detect cgroup v2 / v1 / none; sets CG_MODE (v2|v1|taskset)
#   cg_create NAME                  a fresh cgroup (nested under this shell's own cgroups)
#   cg_limit NAME CPU_LIMIT_M CPU_REQUEST_M MEM_LIMIT_BYTES [CPUS]
#                                   CPU_LIMIT_M 0 = no quota; CPUS "" = every core; applies at once,
#                                   also to processes already inside (a pod resized in place)
#   cg_exec NAME CMD...             exec CMD inside NAME (use in a subshell or with &)
#   cg_cpu_ns NAME                  CPU time used by everything in NAME, in nanoseconds
#   cg_throttled NAME               CFS periods in which NAME was throttled
#   cg_memory NAME                  "USAGE_BYTES INACTIVE_FILE_BYTES": working set = usage - inactive file
#   cg_destroy NAME                 kill what is left inside, remove it
#
# Without usable cgroups (not root, read-only /sys/fs/cgroup) it falls back to taskset: CPU is
# pinned instead of throttled, there is no memory limit and no working set; it says so loudly.
# The mapping is the kubelet's: quota = limit x period (100 ms), cpu.shares = request x 1024 (v1),
# cpu.weight from shares as the kubelet converts it (v2), memory.limit_in_bytes / memory.max = limit.

CG_PERIOD_US=100000
CG_PREFIX="holysheep-bench-$$"
declare -A CG_DIR=()   # "NAME/controller" -> directory

cg_warn() { echo "bench: WARNING: $*" >&2; }

# The cgroup this shell is in, for a v1 controller (or "" for the v2 unified hierarchy).
cg_self_path() {
  local controller=$1
  if [ -z "$controller" ]; then awk -F: '$1 == "0" {print $3}' /proc/self/cgroup; return; fi
  awk -F: -v c="$controller" '{ n = split($2, cs, ","); for (i = 1; i <= n; i++) if (cs[i] == c) print $3 }' /proc/self/cgroup
}

# Mount point of a v1 controller.
cg_v1_mount() {
  awk -v c="$1" '$0 ~ / - cgroup / { n = split($NF, opts, ","); for (i = 1; i <= n; i++) if (opts[i] == c) print $5 }' /proc/self/mountinfo | head -1
}

cg_init() {
  CG_MODE=taskset
  local probe
  if [ -n "${BENCH_CGROUPS:-}" ] && [ "$BENCH_CGROUPS" = off ]; then
    cg_warn "BENCH_CGROUPS=off: no cgroups; the proxy is pinned with taskset, CPU limits and memory working set are not measured"
    return
  fi
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    CG_V2_ROOT=/sys/fs/cgroup
    # v2 "no internal processes": controllers can be delegated only to a cgroup that holds no
    # process, so the bench's cgroups hang off a parent of their own next to this shell's cgroup.
    local self; self=$(cg_self_path "")
    CG_V2_BASE="$CG_V2_ROOT${self%/*}/$CG_PREFIX"
    [ "${self%/*}" = "" ] && CG_V2_BASE="$CG_V2_ROOT/$CG_PREFIX"
    echo "+cpu +memory +cpuset" >"${CG_V2_BASE%/*}/cgroup.subtree_control" 2>/dev/null || true
    if mkdir -p "$CG_V2_BASE" 2>/dev/null && echo "+cpu +memory +cpuset" >"$CG_V2_BASE/cgroup.subtree_control" 2>/dev/null; then
      CG_MODE=v2
      return
    fi
    rmdir "$CG_V2_BASE" 2>/dev/null || true
    cg_warn "cgroup v2 at $CG_V2_ROOT but cannot delegate cpu, memory, cpuset under ${CG_V2_BASE%/*} (root needed); falling back to taskset"
    return
  fi
  local c ok=1
  for c in cpu cpuacct cpuset memory; do
    CG_V1_MOUNT[$c]=$(cg_v1_mount "$c")
    [ -n "${CG_V1_MOUNT[$c]}" ] || ok=0
  done
  if [ $ok = 1 ]; then
    probe="${CG_V1_MOUNT[memory]}$(cg_self_path memory)/$CG_PREFIX-probe"
    probe=${probe//\/\//\/}
    if mkdir "$probe" 2>/dev/null; then
      rmdir "$probe"
      CG_MODE=v1
      return
    fi
  fi
  cg_warn "no writable cgroup v1 (cpu, cpuacct, cpuset, memory) or v2 hierarchy (root needed); falling back to taskset: CPU limits are not applied and the working set is not measured"
}
declare -A CG_V1_MOUNT=()

cg_create() {
  local name=$1 c dir
  case $CG_MODE in
    v2)
      dir="$CG_V2_BASE/$name"
      mkdir -p "$dir"
      CG_DIR[$name/v2]=$dir ;;
    v1)
      for c in cpu cpuacct cpuset memory; do
        dir="${CG_V1_MOUNT[$c]}$(cg_self_path "$c")/$CG_PREFIX/$name"
        dir=${dir//\/\//\/}
        mkdir -p "$dir"
        CG_DIR[$name/$c]=$dir
      done
      # A v1 cpuset starts empty and refuses tasks until cpus and mems are set: inherit the parent's.
      local parent=${CG_DIR[$name/cpuset]%/*}
      cat "${parent%/*}/cpuset.cpus" >"$parent/cpuset.cpus" 2>/dev/null || true
      cat "${parent%/*}/cpuset.mems" >"$parent/cpuset.mems" 2>/dev/null || true
      cat "$parent/cpuset.cpus" >"${CG_DIR[$name/cpuset]}/cpuset.cpus"
      cat "$parent/cpuset.mems" >"${CG_DIR[$name/cpuset]}/cpuset.mems" ;;
    taskset) CG_DIR[$name/taskset]="" ;;
  esac
}

# All cores the machine lets this shell use, e.g. "0-1".
cg_all_cpus() { taskset -pc $$ | awk -F': ' '{print $2}'; }

cg_limit() {
  local name=$1 limit_m=$2 request_m=$3 mem=$4 cpus=${5:-}
  [ -n "$cpus" ] || cpus=$(cg_all_cpus)
  local quota=-1
  [ "$limit_m" -gt 0 ] && quota=$((limit_m * CG_PERIOD_US / 1000))
  local shares=$((request_m * 1024 / 1000)); [ $shares -lt 2 ] && shares=2
  case $CG_MODE in
    v2)
      local dir=${CG_DIR[$name/v2]} weight
      # the kubelet's conversion of cpu.shares to cpu.weight
      weight=$(( 1 + ((shares - 2) * 9999) / 262142 ))
      if [ "$quota" -gt 0 ]; then echo "$quota $CG_PERIOD_US" >"$dir/cpu.max"; else echo "max $CG_PERIOD_US" >"$dir/cpu.max"; fi
      echo "$weight" >"$dir/cpu.weight"
      echo "$cpus" >"$dir/cpuset.cpus"
      echo "$mem" >"$dir/memory.max"
      echo 0 >"$dir/memory.swap.max" 2>/dev/null || true ;;
    v1)
      echo "$CG_PERIOD_US" >"${CG_DIR[$name/cpu]}/cpu.cfs_period_us"
      echo "$quota" >"${CG_DIR[$name/cpu]}/cpu.cfs_quota_us"
      echo "$shares" >"${CG_DIR[$name/cpu]}/cpu.shares"
      echo "$cpus" >"${CG_DIR[$name/cpuset]}/cpuset.cpus"
      echo "$mem" >"${CG_DIR[$name/memory]}/memory.limit_in_bytes" ;;
    taskset)
      # no quota without cgroups: a CPU limit becomes one pinned core
      [ "$limit_m" -gt 0 ] && cpus=${BENCH_PROXY_CPU:-1}
      CG_DIR[$name/taskset]=$cpus
      # processes already running follow the new pinning
      local pid
      for pid in ${CG_PIDS[$name]:-}; do taskset -a -pc "$cpus" "$pid" >/dev/null 2>&1 || true; done ;;
  esac
}
declare -A CG_PIDS=()

cg_exec() {
  local name=$1; shift
  case $CG_MODE in
    v2) echo $BASHPID >"${CG_DIR[$name/v2]}/cgroup.procs" ;;
    v1) local c; for c in cpu cpuacct cpuset memory; do echo $BASHPID >"${CG_DIR[$name/$c]}/cgroup.procs"; done ;;
    taskset)
      local cpus=${CG_DIR[$name/taskset]:-1}
      exec taskset -c "$cpus" "$@" ;;
  esac
  exec "$@"
}

# Remember a pid started with cg_exec (needed only by the taskset fallback's accounting).
cg_track() { CG_PIDS[$1]="${CG_PIDS[$1]:-} $2"; }

cg_cpu_ns() {
  local name=$1
  case $CG_MODE in
    v2) awk '$1 == "usage_usec" {printf "%d\n", $2 * 1000}' "${CG_DIR[$name/v2]}/cpu.stat" ;;
    v1) cat "${CG_DIR[$name/cpuacct]}/cpuacct.usage" ;;
    taskset)
      local pid total=0 ticks; ticks=$(getconf CLK_TCK)
      for pid in ${CG_PIDS[$name]:-}; do
        [ -r "/proc/$pid/stat" ] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
      done
      echo $((total * 1000000000 / ticks)) ;;
  esac
}

cg_throttled() {
  local name=$1
  case $CG_MODE in
    v2) awk '$1 == "nr_throttled" {print $2}' "${CG_DIR[$name/v2]}/cpu.stat" ;;
    v1) awk '$1 == "nr_throttled" {print $2}' "${CG_DIR[$name/cpu]}/cpu.stat" ;;
    taskset) echo 0 ;;
  esac
}

# usage and inactive file pages, the kubelet's working set being the difference (cadvisor).
cg_memory() {
  local name=$1
  case $CG_MODE in
    v2) echo "$(cat "${CG_DIR[$name/v2]}/memory.current") $(awk '$1 == "inactive_file" {print $2}' "${CG_DIR[$name/v2]}/memory.stat")" ;;
    v1) echo "$(cat "${CG_DIR[$name/memory]}/memory.usage_in_bytes") $(awk '$1 == "total_inactive_file" {print $2}' "${CG_DIR[$name/memory]}/memory.stat")" ;;
    taskset) echo "0 0" ;;
  esac
}

cg_pids() {
  local name=$1
  case $CG_MODE in
    v2) cat "${CG_DIR[$name/v2]}/cgroup.procs" ;;
    v1) cat "${CG_DIR[$name/memory]}/cgroup.procs" ;;
    taskset) local p; for p in ${CG_PIDS[$name]:-}; do [ -d "/proc/$p" ] && echo "$p"; done ;;
  esac
}

cg_destroy() {
  local name=$1 pid dir key
  for pid in $(cg_pids "$name" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  for key in "${!CG_DIR[@]}"; do
    [ "${key%%/*}" = "$name" ] || continue
    dir=${CG_DIR[$key]}
    if [ -n "$dir" ] && [ -d "$dir" ]; then
      local i; for i in 1 2 3 4 5 6 7 8 9 10; do rmdir "$dir" 2>/dev/null && break; sleep 0.1; done
    fi
    unset "CG_DIR[$key]"
  done
  unset "CG_PIDS[$name]"
}

# Remove the bench's parent cgroups (after every cg_destroy).
cg_cleanup() {
  local c dir
  case $CG_MODE in
    v2) rmdir "$CG_V2_BASE" 2>/dev/null || true ;;
    v1)
      for c in cpu cpuacct cpuset memory; do
        dir="${CG_V1_MOUNT[$c]}$(cg_self_path "$c")/$CG_PREFIX"
        rmdir "${dir//\/\//\/}" 2>/dev/null || true
      done ;;
  esac
}
