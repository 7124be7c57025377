# Sourced by the build scripts: the release pinned in go.mod and its output directory.
# Sets: here, version, major, minor, out (and cds into this folder); defines release_ldflags.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2 }' go.mod)"
if [[ ! "$version" =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "$(basename "$0"): cannot read the k8s.io/kubernetes release from $here/go.mod" >&2
  exit 1
fi
major="${BASH_REMATCH[1]}"
minor="${BASH_REMATCH[2]}"
out="${KUPE_K8S_CACHE:-$HOME/.cache/kupe/k8s}/$version"

# The -ldflags of a release binary: the same stamping as kubernetes' hack/lib/version.sh, so
# /version reports the release. The module zip carries no commit id, so gitCommit stays empty;
# buildDate is the release's publication time from the module proxy, which keeps rebuilds
# byte-identical.
release_ldflags() {
  local build_date pkg flags="-s -w"
  build_date="$(go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    flags+=" -X '$pkg.gitVersion=$version' -X '$pkg.gitMajor=$major' -X '$pkg.gitMinor=$minor'"
    flags+=" -X '$pkg.gitCommit=' -X '$pkg.gitTreeState=clean' -X '$pkg.buildDate=$build_date'"
  done
  echo "$flags"
}
