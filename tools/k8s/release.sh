# Sourced by the build scripts: the release pinned in go.mod and its output directory.
# Sets: here, version, major, minor, out (and cds into this folder).
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
