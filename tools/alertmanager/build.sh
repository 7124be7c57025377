#!/usr/bin/env bash
# Builds Alertmanager (the release pinned in go.mod) and kupe-amconfig (./kupe-amconfig: that
# release's configuration loader and its list of secret fields) into
# $HOME/.cache/kupe/alertmanager/<version>/ (override the root with KUPE_ALERTMANAGER_CACHE).
# The server validates every tenant configuration with kupe-amconfig; the `local` provider runs
# the alertmanager binary for each tenant. Why: docs/decisions/0017-alertmanager-config.md.
# Idempotent: rebuilds only when go.mod, go.sum or the helper's source changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

version="$(go list -m -f '{{.Version}}' github.com/prometheus/alertmanager)"
if [[ ! "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build.sh: cannot read the github.com/prometheus/alertmanager release from $here/go.mod" >&2
  exit 1
fi
out="${KUPE_ALERTMANAGER_CACHE:-$HOME/.cache/kupe/alertmanager}/$version"
stamp="$(cat go.mod go.sum kupe-amconfig/main.go | sha256sum | cut -c1-16)"

if [[ -x "$out/alertmanager" && -x "$out/kupe-amconfig" && "$(cat "$out/build.stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "Alertmanager $version is already built in $out"
  exit 0
fi

mkdir -p "$out"
staging="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

# Stamped like the release binaries (prometheus/common's version package), so `alertmanager
# --version` and the v2 status API report the release.
build_date="$(go list -m -f '{{.Time.UTC.Format "20060102-15:04:05"}}' github.com/prometheus/alertmanager)"
pkg=github.com/prometheus/common/version
ldflags="-s -w -X $pkg.Version=${version#v} -X $pkg.Revision= -X $pkg.Branch= -X $pkg.BuildUser=kupe -X $pkg.BuildDate=$build_date"

echo "Building Alertmanager $version (alertmanager, kupe-amconfig) into $out"
started=$SECONDS
# The module zip has no ui/app/dist (the web UI is built with npm and Elm in Alertmanager's own
# release process) but ui/web.go embeds it, and neither -overlay nor `go mod vendor` may touch the
# module cache. So the build runs from a copy of this module whose go.mod replaces Alertmanager
# with a copy of the same release whose dist holds one placeholder page per UI (same go.mod, so
# the same dependency versions): the v2 API, which is all Kupe uses, is unaffected.
# `go list -m` names the module's directory only once it is in the module cache: on a fresh
# machine it must be downloaded first.
go mod download github.com/prometheus/alertmanager
am_src="$(go list -m -f '{{.Dir}}' github.com/prometheus/alertmanager)"
[[ -d "$am_src" ]] || { echo "build.sh: github.com/prometheus/alertmanager $version is not in the module cache" >&2; exit 1; }
cp -r "$am_src" "$staging/am"
chmod -R u+w "$staging/am"
for ui in elm mantine; do
  mkdir -p "$staging/am/ui/app/dist/$ui"
  echo '<!doctype html><title>Alertmanager</title><p>This Alertmanager was built without its web UI; use the v2 API.</p>' \
    >"$staging/am/ui/app/dist/$ui/index.html"
done
mkdir -p "$staging/src"
cp -r go.mod go.sum kupe-amconfig "$staging/src/"
(
  cd "$staging/src"
  go mod edit -replace "github.com/prometheus/alertmanager=$staging/am"
  GOFLAGS="-trimpath -buildvcs=false" CGO_ENABLED=0 go build -ldflags="$ldflags" \
    -o "$staging/" github.com/prometheus/alertmanager/cmd/alertmanager ./kupe-amconfig
)
mv -f "$staging/alertmanager" "$out/alertmanager"
mv -f "$staging/kupe-amconfig" "$out/kupe-amconfig"
cat >"$out/manifest.json" <<EOF
{ "alertmanager": "$version", "binaries": ["alertmanager", "kupe-amconfig"], "go": "$(go env GOVERSION)" }
EOF
echo "$stamp" >"$out/build.stamp"
echo "Built Alertmanager $version in $((SECONDS - started))s ($(du -sh "$out" | cut -f1))"
