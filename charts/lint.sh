#!/usr/bin/env bash
# helm lint + helm template of the chart in its main configurations; fails on the first error.
# Usage: HELM=/path/to/helm charts/lint.sh   (make chart-lint sets HELM)
set -euo pipefail

HELM="${HELM:-helm}"
CHART="$(cd "$(dirname "$0")" && pwd)/holysheep-injector"
RELEASE=holysheep-injector
NAMESPACE=holysheep-system
command -v "$HELM" >/dev/null || { echo "chart-lint: helm not found ($HELM); run make tools" >&2; exit 1; }

declare -a NAMES=() ARGS=()
add() { NAMES+=("$1"); ARGS+=("${2:-}"); }
add "defaults"
add "certManager mode"           "--set certs.mode=certManager"
add "files mode"                 "--set certs.mode=files --set certs.existingSecret=my-webhook-tls"
add "ServiceMonitor + dashboard" "--set serviceMonitor.enabled=true --set dashboard.enabled=true --set podMonitor.enabled=true --set networkPolicy.enabled=true --set networkPolicy.apiServerFrom[0].ipBlock.cidr=10.0.0.0/24"
add "HA off"                     "--set replicaCount=1 --set autoscaling.enabled=false --set podDisruptionBudget.enabled=false"
add "EKS 1.28"                   "--kube-version v1.28.5-eks-5e0fdde"
add "CRD off"                    "--set crds.enabled=false --set test.enabled=false"
add "gateway"                    "--set gateway.enabled=true --set gateway.serviceMonitor.enabled=true"
add "gateway, certManager, list" "--set gateway.enabled=true --set certs.mode=certManager --set gateway.access.namespaceLabel= --set gateway.access.namespaces={team-a}"
add "tutorial"                   "-f $(cd "$(dirname "$0")/.." && pwd)/examples/tutorial/values.yaml"
add "gateway, files mode"        "--set gateway.enabled=true --set certs.mode=files --set certs.existingSecret=w --set gateway.certs.existingSecret=g"

LINT_KUBE_VERSION=no
if "$HELM" lint --help 2>/dev/null | grep -q -- '--kube-version'; then LINT_KUBE_VERSION=yes; fi
failed=0
for i in "${!NAMES[@]}"; do
  name="${NAMES[$i]}"
  # shellcheck disable=SC2206
  args=(${ARGS[$i]})
  lint_args=("${args[@]}")
  # Older helm 3 releases have no `helm lint --kube-version`; helm template below still checks it.
  if [[ "${ARGS[$i]}" == *--kube-version* && $LINT_KUBE_VERSION == no ]]; then lint_args=(); fi
  if ! out="$("$HELM" lint --strict "$CHART" --namespace "$NAMESPACE" "${lint_args[@]}" 2>&1)"; then
    echo "FAIL helm lint [$name]"; echo "$out"; failed=1; continue
  fi
  if ! out="$("$HELM" template "$RELEASE" "$CHART" --namespace "$NAMESPACE" "${args[@]}" 2>&1)"; then
    echo "FAIL helm template [$name]"; echo "$out"; failed=1; continue
  fi
  echo "ok   [$name] $(grep -c '^kind:' <<<"$out") objects"
done

# The kubeVersion constraint must refuse clusters older than 1.28.
if "$HELM" template "$RELEASE" "$CHART" --namespace "$NAMESPACE" --kube-version v1.27.9 >/dev/null 2>&1; then
  echo "FAIL kubeVersion: the chart rendered for Kubernetes 1.27"; failed=1
else
  echo "ok   [kubeVersion refuses 1.27]"
fi

if [[ $failed -ne 0 ]]; then echo "chart-lint: FAILED" >&2; exit 1; fi
echo "chart-lint: all configurations passed"
