# Sourced by sidecar/image/build.sh and e2e/bench/run.sh: the image's JVM command line for a copy of
# the image tree at ROOT (sidecar/target/image), so that what is trained and measured is the image's.
#
#   sidecar_argfile ROOT OUT [training]
#     writes to OUT the argument file /app/holysheep-sidecar.args with /app/ and /opt/java/ mapped under
#     ROOT; with "training", the AOT cache becomes the output (-XX:AOTCacheOutput) instead of the input.
#     Run it as: ROOT/opt/java/bin/java @OUT [sidecar flags]
sidecar_argfile() {
  local root out mode=${3:-run}
  root=$(cd "$1" && pwd)
  out=$2
  [ -f "$root/app/holysheep-sidecar.args" ] || { echo "no $root/app/holysheep-sidecar.args: build the image tree (make image-root)" >&2; return 1; }
  local sed_args=(-e "s#/app/#$root/app/#g" -e "s#/opt/java/#$root/opt/java/#g")
  [ "$mode" = training ] && sed_args+=(-e 's#^-XX:AOTCache=#-XX:AOTCacheOutput=#')
  sed "${sed_args[@]}" "$root/app/holysheep-sidecar.args" >"$out"
}
