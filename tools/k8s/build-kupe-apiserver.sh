#!/usr/bin/env bash
# Builds kupe-apiserver (./kupe-apiserver: kube-apiserver of the release pinned in go.mod with its
# token success cache made configurable) into the release directory beside kube-apiserver, with the
# same stamping and tags as build.sh. The `local` cluster provider runs it so that a revoked API key
# stops working on tenant clusters at once (docs/decisions/0007-local-provider.md).
# Idempotent: rebuilt only when its source, go.mod or go.sum changed. Run after build.sh (its Go
# build cache makes this mostly a link).
set -euo pipefail

# shellcheck source=release.sh
source "$(dirname "${BASH_SOURCE[0]}")/release.sh"
stamp="$(cat kupe-apiserver/main.go go.mod go.sum | sha256sum | cut -c1-16)"

if [[ -x "$out/kupe-apiserver" && "$(cat "$out/kupe-apiserver.stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "kupe-apiserver $version is already built in $out"
  exit 0
fi
if [[ ! -f "$out/manifest.json" ]]; then
  echo "build-kupe-apiserver.sh: $out has no release yet: run tools/k8s/build.sh first" >&2
  exit 1
fi

staging="$(mktemp -d "$out/.build-kupe-apiserver.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

ldflags="$(release_ldflags)"

echo "Building kupe-apiserver $version into $out"
started=$SECONDS
GOFLAGS="-trimpath -buildvcs=false" CGO_ENABLED=0 go build -tags=selinux,notest,grpcnotrace -ldflags="$ldflags" \
  -o "$staging/kupe-apiserver" ./kupe-apiserver
mv -f "$staging/kupe-apiserver" "$out/kupe-apiserver"
echo "$stamp" >"$out/kupe-apiserver.stamp"
echo "Built kupe-apiserver $version in $((SECONDS - started))s"
