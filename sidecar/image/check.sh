#!/usr/bin/env bash
# make image-check: builds the sidecar image with Jib as `make images` does, but into a tar and on an
# empty base (no registry is needed), then runs it the way a container runtime would: its layers
# unpacked into a root file system, mounted read-only, /tmp an empty tmpfs (the pod's emptyDir), the
# image's Entrypoint, Env and User, in a private mount and pid namespace with chroot. The glibc the
# distroless base brings is stood in for by this machine's (only the libraries the runtime links).
# JDK_JAVA_OPTIONS=-XX:AOTMode=on makes the JVM refuse to start if it rejects the AOT cache at the
# image's own paths (/app, /opt/java). Then one proxied request goes through it to a simulator.
# Needs root (unshare, mount, chroot), the image tree (make image-root) and Maven Central for Jib.
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN=${MVN:-mvn -B -ntp}
SIMULATOR_JAR=e2e/target/holysheep-simulator.jar
WORK=sidecar/target/image-check
PORT=${CHECK_PORT:-18381}
ADMIN=${CHECK_ADMIN_PORT:-18382}
SIM_PORT=${CHECK_SIM_PORT:-18383}
die() { echo "image-check: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (unshare, mount, chroot)"
[ -f sidecar/target/image/app/holysheep-sidecar.aot ] || die "no image tree: run make image-root"

rm -rf "$WORK"; mkdir -p "$WORK/layers" "$WORK/rootfs"
$MVN -q -pl sidecar com.google.cloud.tools:jib-maven-plugin:buildTar -Dsidecar.image.base=scratch \
  -Djib.outputPaths.tar="$PWD/$WORK/image.tar"
tar -xf "$WORK/image.tar" -C "$WORK/layers"
config="$WORK/layers/$(sed -n 's/.*"Config":"\([^"]*\)".*/\1/p' "$WORK/layers/manifest.json")"
for layer in $(sed -n 's/.*"Layers":\[\([^]]*\)\].*/\1/p' "$WORK/layers/manifest.json" | tr -d '"' | tr ',' ' '); do
  tar --warning=no-unknown-keyword -xzf "$WORK/layers/$layer" -C "$WORK/rootfs"
done
# The image's process: entrypoint, environment, user, exactly as Jib wrote them.
mapfile -t entrypoint < <(sed -n 's/.*"Entrypoint":\[\([^]]*\)\].*/\1/p' "$config" | tr ',' '\n' | tr -d '"')
mapfile -t env < <(sed -n 's/.*"Env":\[\([^]]*\)\].*/\1/p' "$config" | tr ',' '\n' | tr -d '"')
user=$(sed -n 's/.*"User":"\([^"]*\)".*/\1/p' "$config")
[ "${entrypoint[0]}" = /opt/java/bin/java ] || die "unexpected entrypoint: ${entrypoint[*]}"
[ -x "$WORK/rootfs/opt/java/bin/java" ] || die "/opt/java/bin/java is not executable in the image"

# Stand-in for the base image: the C libraries the runtime links against, at the same paths.
for lib in $(ldd "$WORK"/rootfs/opt/java/bin/java "$WORK"/rootfs/opt/java/lib/server/libjvm.so "$WORK"/rootfs/opt/java/lib/*.so 2>/dev/null \
  | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u); do
  mkdir -p "$WORK/rootfs$(dirname "$lib")"; cp -L "$lib" "$WORK/rootfs$lib"
done
mkdir -p "$WORK/rootfs/proc" "$WORK/rootfs/tmp" "$WORK/rootfs/etc"
echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" >"$WORK/rootfs/etc/passwd"

java -XX:+UseSerialGC -jar "$SIMULATOR_JAR" --port "$SIM_PORT" >"$WORK/sim.log" 2>&1 &
sim=$!
# The sidecar is pid 1 of its own pid namespace and the child of unshare (box): killing unshare alone
# leaves it running (unshare --kill-child does not help: chroot --userspec changes the uid, which
# clears the parent-death signal), so the trap kills it by its parent's id; the namespace goes with it.
stop_box() {
  [ -n "${box:-}" ] || return 0
  local child
  for child in $(ps -o pid= --ppid "$box"); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$box" 2>/dev/null || true
}
trap 'kill $sim 2>/dev/null || true; stop_box' EXIT
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "http://127.0.0.1:$SIM_PORT/v1/models" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || die "simulator not up"; sleep 0.2; done

env_args=()
for e in "${env[@]}"; do env_args+=("$e"); done
env_args+=("HOLYSHEEP_CONFIG={\"baseUrl\":\"http://127.0.0.1:$SIM_PORT/v1\"}" HOLYSHEEP_API_KEY=sk-image-check
  JDK_JAVA_OPTIONS=-XX:AOTMode=on HOLYSHEEP_PROXY_PORT="$PORT" HOLYSHEEP_ADMIN_PORT="$ADMIN")
rootfs=$(cd "$WORK/rootfs" && pwd)
unshare --mount --pid --fork bash -c '
  set -e
  rootfs=$1; shift
  mount --make-rprivate /
  mount --bind "$rootfs" "$rootfs"
  mount -o remount,bind,ro "$rootfs"
  mount -t proc proc "$rootfs/proc"
  mount -t tmpfs -o size=16m,mode=1777 tmpfs "$rootfs/tmp"
  exec "$@"
' check "$rootfs" env -i "${env_args[@]}" chroot --userspec="$user" "$rootfs" "${entrypoint[@]}" \
  >"$WORK/sidecar.out" 2>"$WORK/sidecar.err" &
box=$!
deadline=$((SECONDS + 60))
until grep -q '^holysheep-sidecar ready' "$WORK/sidecar.out" 2>/dev/null; do
  kill -0 "$box" 2>/dev/null || die "the image's sidecar exited: $(cat "$WORK/sidecar.err")"
  [ $SECONDS -lt $deadline ] || die "the image's sidecar not ready within 60 s: $(cat "$WORK/sidecar.err")"
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN/ready" || die "/ready is not 200"
answer=$(curl -fsS "http://127.0.0.1:$PORT/v1/chat/completions" -H 'content-type: application/json' \
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}') || die "a proxied call failed"
grep -q 'Simulated answer' <<<"$answer" || die "unexpected answer: $answer"
if grep -q '\[aot' "$WORK/sidecar.err"; then die "the JVM warns about the AOT cache: $(grep '\[aot' "$WORK/sidecar.err")"; fi
echo "image-check: the image starts as uid $user on a read-only root, accepts its AOT cache (-XX:AOTMode=on) and proxies: $(head -1 "$WORK/sidecar.out")"
