#!/usr/bin/env bash
# Builds the node and scheduling half of the release pinned in go.mod — kube-scheduler, kube-proxy
# and kubelet — into the release directory beside kube-apiserver, with the same stamping and tags
# as build.sh. The host-cluster stack (test/helpers/host-cluster.ts) runs them; why this kubelet
# runs on this machine's cgroup v1 and containerd 1.6: docs/decisions/0011-host-cluster-stack.md.
# Idempotent: rebuilt only when go.mod or go.sum changed. Run after build.sh (its Go build cache
# already holds most of the shared packages).
set -euo pipefail

# shellcheck source=release.sh
source "$(dirname "${BASH_SOURCE[0]}")/release.sh"
binaries=(kube-scheduler kube-proxy kubelet)
stamp="$(cat go.mod go.sum | sha256sum | cut -c1-16)"

built() {
  local b
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
  [[ "$(cat "$out/node.stamp" 2>/dev/null)" == "$stamp" ]]
}

if built; then
  echo "kube-scheduler, kube-proxy and kubelet $version are already built in $out"
  exit 0
fi
if [[ ! -f "$out/manifest.json" ]]; then
  echo "build-node.sh: $out has no release yet: run tools/k8s/build.sh first" >&2
  exit 1
fi

staging="$(mktemp -d "$out/.build-node.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

ldflags="$(release_ldflags)"

echo "Building Kubernetes $version (${binaries[*]}) into $out"
started=$SECONDS
# One go build, so the packages the three share compile once; static like kubernetes' own builds.
GOFLAGS="-trimpath -buildvcs=false" CGO_ENABLED=0 go build -tags=selinux,notest,grpcnotrace -ldflags="$ldflags" \
  -o "$staging/" k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubelet
# Moved in only once all exist, so an interrupted build is never taken for a finished one.
for b in "${binaries[@]}"; do mv -f "$staging/$b" "$out/$b"; done
echo "$stamp" >"$out/node.stamp"
echo "Built ${binaries[*]} $version in $((SECONDS - started))s"
