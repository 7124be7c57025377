#!/usr/bin/env bash
# Builds the container images the host-cluster stack runs, from Debian packages and the pinned
# Kubernetes release, as OCI archives that `ctr -n k8s.io images import` takes (no registry is
# reachable here):
#   kupe.local/busybox:<busybox version>  Debian's busybox-static (/bin/busybox) and its applets:
#                                        sh, httpd, wget, …
#   kupe.local/pause:<pause version>      kubernetes' own build/pause/linux/pause.c from the pinned
#                                        module, linked statically with gcc: the sandbox image
# Output: ${KUPE_IMAGES_CACHE:-$HOME/.cache/kupe/images}/<stamp>/{*.oci.tar,images.json}, where
# <stamp> hashes every input (this script, the busybox binary, pause.c, gcc), and a `current`
# symlink to the newest; stdout is the path of images.json. Deterministic: files, tar headers and JSON carry no time, owner or order
# that depends on the machine, so the same inputs give the same digests. Idempotent: a stamp that
# exists is not rebuilt. With --import SOCKET it also imports both into the containerd listening on
# SOCKET (namespace k8s.io). Why: docs/decisions/0011-host-cluster-stack.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
import_socket=""
if [[ "${1:-}" == "--import" ]]; then
  import_socket="${2:?--import needs the containerd socket path}"
fi

busybox_bin=/bin/busybox
if ! busybox_deb="$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null)" || [[ ! -x "$busybox_bin" ]]; then
  echo "tools/images/build.sh: Debian's busybox-static is not installed (apt-get install -y busybox-static)" >&2
  exit 1
fi
command -v gcc >/dev/null || { echo "tools/images/build.sh: gcc is missing (apt-get install -y gcc libc6-dev)" >&2; exit 1; }

# busybox's upstream version (1:1.35.0-4+deb12u1 → 1.35.0): the tag users write.
busybox_tag="${busybox_deb#*:}"
busybox_tag="${busybox_tag%%-*}"

# pause.c of the pinned release, from the module cache (downloaded by tools/k8s/build.sh).
k8s_dir="$(cd "$here/../k8s" && go mod download -json k8s.io/kubernetes | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
pause_c="$k8s_dir/build/pause/linux/pause.c"
pause_tag="$(sed -n 's/^TAG ?= //p' "$k8s_dir/build/pause/Makefile")"
[[ -f "$pause_c" && -n "$pause_tag" ]] || { echo "tools/images/build.sh: no build/pause in $k8s_dir" >&2; exit 1; }
k8s_version="$(basename "$k8s_dir")"
k8s_version="${k8s_version#kubernetes@}"

arch="$(dpkg --print-architecture)"
stamp="$({ cat "${BASH_SOURCE[0]}" "$busybox_bin" "$pause_c"; gcc --version | head -1; echo "$arch"; } | sha256sum | cut -c1-16)"
root="${KUPE_IMAGES_CACHE:-$HOME/.cache/kupe/images}"
out="$root/$stamp"

busybox_ref="kupe.local/busybox:$busybox_tag"
pause_ref="kupe.local/pause:$pause_tag"

sha() { sha256sum "$1" | cut -d' ' -f1; }

# A tar of DIR with nothing machine-dependent in it: sorted names, time 0, owner root, GNU format
# (no PAX headers carrying atime/ctime).
det_tar() {
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$1" -cf "$2" .
}

# oci_archive WORK LAYER_DIR REF CONFIG_JSON_FRAGMENT OUT: a one-layer OCI image layout, tarred.
oci_archive() {
  local work="$1" rootfs="$2" ref="$3" runconfig="$4" dest="$5"
  local layout="$work/layout" blobs="$work/layout/blobs/sha256"
  mkdir -p "$blobs"
  det_tar "$rootfs" "$work/layer.tar"
  local layer_digest layer_size
  layer_digest="$(sha "$work/layer.tar")"
  layer_size="$(stat -c %s "$work/layer.tar")"
  mv "$work/layer.tar" "$blobs/$layer_digest"

  printf '{"architecture":"%s","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$arch" "$runconfig" "$layer_digest" >"$work/config.json"
  local config_digest config_size
  config_digest="$(sha "$work/config.json")"
  config_size="$(stat -c %s "$work/config.json")"
  mv "$work/config.json" "$blobs/$config_digest"

  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$config_digest" "$config_size" "$layer_digest" "$layer_size" >"$work/manifest.json"
  local manifest_digest manifest_size
  manifest_digest="$(sha "$work/manifest.json")"
  manifest_size="$(stat -c %s "$work/manifest.json")"
  mv "$work/manifest.json" "$blobs/$manifest_digest"

  # io.containerd.image.name is the full name containerd's importer gives the image.
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest_digest" "$manifest_size" "$arch" "$ref" "${ref##*:}" >"$layout/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  det_tar "$layout" "$dest"
  echo "sha256:$manifest_digest"
}

if [[ ! -f "$out/images.json" ]]; then
  mkdir -p "$root"
  work="$(mktemp -d "$root/.build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/out"

  # busybox: the binary, one symlink per applet where busybox itself would install it, and the
  # few files a shell and httpd expect.
  fs="$work/busybox/rootfs"
  mkdir -p "$fs/bin" "$fs/etc" "$fs/root" "$fs/tmp" "$fs/proc" "$fs/sys" "$fs/dev" "$fs/var/www"
  install -m 0755 "$busybox_bin" "$fs/bin/busybox"
  "$busybox_bin" --list-full | while read -r applet; do
    [[ "$applet" == bin/busybox ]] && continue
    mkdir -p "$fs/$(dirname "$applet")"
    ln -sf /bin/busybox "$fs/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$fs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$fs/etc/group"
  chmod 1777 "$fs/tmp"
  chmod 0700 "$fs/root"
  busybox_digest="$(oci_archive "$work/busybox" "$fs" "$busybox_ref" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/"}' \
    "$work/out/busybox.oci.tar")"

  # pause: as kubernetes' build/pause/Makefile and Dockerfile make it (static, -Os, user 65535).
  fs="$work/pause/rootfs"
  mkdir -p "$fs"
  gcc -Os -Wall -Werror -static -DVERSION="v$pause_tag-kupe-$k8s_version" -o "$fs/pause" "$pause_c"
  strip "$fs/pause"
  pause_digest="$(oci_archive "$work/pause" "$fs" "$pause_ref" \
    '{"Entrypoint":["/pause"],"User":"65535:65535","WorkingDir":"/"}' "$work/out/pause.oci.tar")"

  cat >"$work/out/images.json" <<JSON
{
  "busybox": { "ref": "$busybox_ref", "digest": "$busybox_digest", "archive": "$out/busybox.oci.tar", "source": "debian:busybox-static $busybox_deb" },
  "pause": { "ref": "$pause_ref", "digest": "$pause_digest", "archive": "$out/pause.oci.tar", "source": "k8s.io/kubernetes@$k8s_version build/pause/linux/pause.c" }
}
JSON
  # Renamed in whole, so $out exists only complete; a concurrent build of the same inputs that got
  # there first made the same bytes, and ours is dropped.
  if mv -T "$work/out" "$out" 2>/dev/null; then
    echo "Built $busybox_ref ($busybox_digest) and $pause_ref ($pause_digest) in $out" >&2
  fi
else
  echo "Images $busybox_ref and $pause_ref are already built in $out" >&2
fi
ln -sfn "$stamp" "$root/.current.$$" && mv -T "$root/.current.$$" "$root/current"

if [[ -n "$import_socket" ]]; then
  for archive in "$out/busybox.oci.tar" "$out/pause.oci.tar"; do
    ctr --address "$import_socket" -n k8s.io images import "$archive" >/dev/null
  done
  echo "Imported $busybox_ref and $pause_ref into $import_socket" >&2
fi
# The one line on stdout: where the description of the images is.
echo "$out/images.json"
