#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager at the release pinned in go.mod and puts them,
# with etcd, in $HOME/.cache/kupe/k8s/<version>/ (override the root with KUPE_K8S_CACHE).
# Idempotent: does nothing when the binaries and manifest.json are already there.
# Why these choices: docs/decisions/0005-kubernetes-binaries.md.
set -euo pipefail

# shellcheck source=release.sh
source "$(dirname "${BASH_SOURCE[0]}")/release.sh"
binaries=(kube-apiserver kube-controller-manager)

built() {
  local b
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}

if built && [[ -x "$out/etcd" && -f "$out/manifest.json" ]]; then
  echo "Kubernetes $version is already built in $out"
  exit 0
fi

# etcd: Debian's etcd-server (3.4.x); kube-apiserver accepts it and turns off the features that need
# a newer etcd (see the decision record).
if ! command -v etcd >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "build.sh: etcd is missing; install Debian's etcd-server package (apt-get install -y etcd-server)" >&2
    exit 1
  fi
  echo "Installing etcd-server from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >/dev/null; }
fi
etcd_path="$(command -v etcd)"
etcd_version="$(etcd --version | awk '/^etcd Version:/ { print $3 }')"

mkdir -p "$out"
staging="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

if ! built; then
  ldflags="$(release_ldflags)"

  echo "Building Kubernetes $version (kube-apiserver, kube-controller-manager) into $out"
  started=$SECONDS
  # Tags as in kubernetes' hack/lib/golang.sh for release binaries.
  GOFLAGS=-trimpath CGO_ENABLED=0 go build -tags=selinux,notest,grpcnotrace -ldflags="$ldflags" \
    -o "$staging/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
  # Moved in only once both exist, so an interrupted build is never taken for a finished one.
  for b in "${binaries[@]}"; do mv -f "$staging/$b" "$out/$b"; done
  echo "Built in $((SECONDS - started))s"
fi

ln -sfn "$etcd_path" "$out/etcd"
cat >"$staging/manifest.json" <<EOF
{
  "kubernetes": "$version",
  "binaries": ["kube-apiserver", "kube-controller-manager"],
  "etcd": { "version": "$etcd_version", "source": "debian:etcd-server", "path": "$etcd_path" },
  "go": "$(go env GOVERSION)"
}
EOF
mv -f "$staging/manifest.json" "$out/manifest.json"
echo "Kubernetes $version and etcd $etcd_version are in $out ($(du -shL "$out" | cut -f1))"
