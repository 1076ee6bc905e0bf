#!/usr/bin/env bash
# Builds sidecar/target/image/, the files the sidecar image adds to its distroless base (Jib copies the
# directory to / as it is; see sidecar/pom.xml), and that `make bench` runs and measures:
#   /opt/java                     a jlinked Temurin 25 runtime (the modules below, no debug symbols)
#   /app/holysheep-sidecar.jar    the sidecar, with the file time Jib gives it in the image (1970-01-01T00:00:01Z)
#   /app/holysheep-sidecar.args   the JVM command line: the entrypoint is `/opt/java/bin/java @/app/holysheep-sidecar.args`
#   /app/holysheep-sidecar.aot    the AOT cache (JEP 483/514/515) trained with exactly that runtime, jar and
#                                 command line on TrainingWorkload's traffic
# Then it proves the cache is accepted: the tree is copied elsewhere (the image moves it to /) and started
# with -XX:AOTMode=on, under which the JVM refuses to start rather than ignore a cache it cannot use.
# Needs JDK 25 (JAVA25_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64) and both jars (`make build`).
set -euo pipefail
cd "$(dirname "$0")/../.."
source sidecar/image/command.sh

JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SIDECAR_JAR=sidecar/target/holysheep-sidecar.jar
SIMULATOR_JAR=e2e/target/holysheep-simulator.jar
ROOT=${IMAGE_ROOT:-sidecar/target/image}
# The argument file (an experiment may build a variant tree from another one; see e2e/bench/ab.sh)
ARGS=${IMAGE_ARGS:-sidecar/image/holysheep-sidecar.args}
WORK=$ROOT-build
# jdeps' list for the jar without java.compiler (Vert.x's compile-from-source verticles) and java.desktop
# (java.beans for Jackson's and SnakeYAML's optional bean support; it drags in AWT and X11 libraries the
# distroless base does not have). `make image-check` runs the sidecar's tests on this runtime.
MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.jfr,jdk.management,jdk.unsupported
# Heap sizing during training as in a pod with the default memory limit (MaxRAMPercentage applies to it).
TRAINING_MAX_RAM=${TRAINING_MAX_RAM:-256m}
# Libraries the distroless cc base provides; the runtime may need nothing else.
BASE_LIBS='^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libgcc_s\.so\.1|libstdc\+\+\.so\.6|libz\.so\.1)$'

die() { echo "image: $*" >&2; exit 1; }
[ -x "$JAVA25_HOME/bin/jlink" ] || die "JDK 25 not found at $JAVA25_HOME (set JAVA25_HOME; Temurin 25: https://adoptium.net, Debian/Ubuntu package temurin-25-jdk from packages.adoptium.net)"
[ -f "$SIDECAR_JAR" ] && [ -f "$SIMULATOR_JAR" ] || die "$SIDECAR_JAR or $SIMULATOR_JAR missing: run make build first"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

rm -rf "$ROOT" "$WORK"
mkdir -p "$ROOT/app" "$ROOT/opt" "$WORK"

echo "image: jlink $MODULES"
"$JAVA25_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --output "$ROOT/opt/java"
# What the runtime links against must be in the base image.
runtime=$(cd "$ROOT/opt/java" && pwd)
# (the runtime's own libraries find each other through $ORIGIN or the launcher)
extra=$(for f in "$runtime/bin/java" "$runtime"/lib/server/libjvm.so "$runtime"/lib/*.so; do ldd "$f"; done \
  | awk '{print $1}' | grep -v -E "$BASE_LIBS" | grep -v -x -F -f <(cd "$runtime/lib" && ls ./*.so server/*.so | xargs -n1 basename) \
  | sort -u || true)
[ -z "$extra" ] || die "the runtime needs libraries the distroless base lacks: $extra"

cp "$SIDECAR_JAR" "$ROOT/app/holysheep-sidecar.jar"
touch -d @1 "$ROOT/app/holysheep-sidecar.jar"
cp "$ARGS" "$ROOT/app/holysheep-sidecar.args"

# Two upstreams, so fail-over paths are trained too.
start_sim() { # NAME -> sets SIM_URL
  java -XX:+UseSerialGC -jar "$SIMULATOR_JAR" --name "$1" --port 0 >"$WORK/sim-$1.log" 2>&1 &
  pids+=($!)
  local deadline=$((SECONDS + 60))
  until SIM_URL=$(sed -n 's/.* listening on \(http[^ ]*\)\/v1$/\1/p' "$WORK/sim-$1.log" 2>/dev/null) && [ -n "$SIM_URL" ]; do
    [ $SECONDS -lt $deadline ] || die "simulator $1 did not start: $(cat "$WORK/sim-$1.log")"
    sleep 0.1
  done
}
start_sim primary; primary=$SIM_URL
start_sim secondary; secondary=$SIM_URL

# The training run: the image's command line, with the cache as output instead of input.
sidecar_argfile "$ROOT" "$WORK/training.args" training
export HOLYSHEEP_API_KEY=sk-training HOLYSHEEP_API_KEY_1=sk-training-fallback HOLYSHEEP_SECRETS_DIR="$WORK/no-secrets"
export HOLYSHEEP_CONFIG="{\"baseUrl\":\"$primary/v1\",\"fallbacks\":[{\"name\":\"secondary\",\"baseUrl\":\"$secondary/v1\",\"apiKeySecretRef\":{\"name\":\"fallback\",\"key\":\"api-key\"}}]}"
echo "image: training the AOT cache"
"$ROOT/opt/java/bin/java" -XX:MaxRAM="$TRAINING_MAX_RAM" @"$WORK/training.args" \
  --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 >"$WORK/training.out" 2>"$WORK/training.err" &
training=$!
pids+=($training)
deadline=$((SECONDS + 120))
until grep -q '^holysheep-sidecar ready' "$WORK/training.out" 2>/dev/null; do
  kill -0 "$training" 2>/dev/null || die "training sidecar exited: $(cat "$WORK/training.err")"
  [ $SECONDS -lt $deadline ] || die "training sidecar not ready within 120 s"
  sleep 0.1
done
proxy=$(sed -n 's/^holysheep-sidecar ready proxy=\([^ ,]*\).*/\1/p' "$WORK/training.out")
admin=$(sed -n 's/^holysheep-sidecar ready .* admin=\([^ ]*\).*/\1/p' "$WORK/training.out")
java -cp "$SIMULATOR_JAR" ai.holysheep.k8s.e2e.bench.TrainingWorkload \
  --proxy "http://$proxy" --admin "http://$admin" --primary "$primary"
kill -TERM "$training"
# The JVM writes the cache at exit (after the sidecar's drain window), in a child JVM.
deadline=$((SECONDS + 180))
while kill -0 "$training" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || die "training sidecar did not exit within 180 s"
  sleep 0.2
done
wait "$training" || die "training sidecar exited non-zero: $(tail -5 "$WORK/training.err")"
[ -s "$ROOT/app/holysheep-sidecar.aot" ] || die "no AOT cache written: $(tail -5 "$WORK/training.err") $(tail -5 "$WORK/training.out")"

# Accepted where the image puts it? The tree moves (here: to a sibling directory; in the image: to /),
# and -XX:AOTMode=on turns any rejection into a failed start with the JVM's reason.
relocated="$WORK/relocated"
cp -a "$ROOT" "$relocated"
sidecar_argfile "$relocated" "$WORK/verify.args"
"$relocated/opt/java/bin/java" -XX:AOTMode=on @"$WORK/verify.args" \
  --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 >"$WORK/verify.out" 2>"$WORK/verify.err" &
verify=$!
pids+=($verify)
deadline=$((SECONDS + 60))
until grep -q '^holysheep-sidecar ready' "$WORK/verify.out" 2>/dev/null; do
  kill -0 "$verify" 2>/dev/null || die "the runtime rejects the AOT cache: $(cat "$WORK/verify.err" "$WORK/verify.out")"
  [ $SECONDS -lt $deadline ] || die "verification sidecar not ready within 60 s"
  sleep 0.1
done
kill -KILL "$verify"
wait "$verify" 2>/dev/null || true
if grep -q '\[aot' "$WORK/verify.err"; then die "the JVM warns about the AOT cache: $(grep '\[aot' "$WORK/verify.err")"; fi
rm -rf "$relocated"
echo "image: $ROOT ready: runtime $(du -sh "$ROOT/opt/java" | cut -f1), AOT cache $(du -sh "$ROOT/app/holysheep-sidecar.aot" | cut -f1), accepted with -XX:AOTMode=on"
